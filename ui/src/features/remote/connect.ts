// The dialog's connect and install, on the real backend: the draft as a RemoteTarget,
// `remote.open`'s outcome as the dialog's answer (an install offer when Warden is missing or of
// another version there and can be installed), and the install's steps as progress lines.
import { remote, type RecentRemoteProject, type RemoteInstallProgress, type RemoteOpenOutcome, type RemoteTarget } from "../../ipc";
import type { ConnectAnswer, InstallOffer, Progress } from "./flow";
import { remoteStore } from "./store";
import { emptyDraft, type RemoteDraft } from "./validate";

/** The target the backend connects to, from what the person typed. */
export function targetOf(draft: RemoteDraft): RemoteTarget {
  const folder = draft.folder.trim();
  switch (draft.kind) {
    case "ssh":
      return { kind: "ssh", destination: draft.destination.trim(), folder, sshArgs: [], remoteWarden: null, containerEngine: null };
    case "container":
      return { kind: "container", destination: draft.container.trim(), folder, sshArgs: [], remoteWarden: null, containerEngine: draft.engine };
    case "command":
      return { kind: "command", destination: draft.command.trim(), folder, sshArgs: [], remoteWarden: null, containerEngine: null };
  }
}

/** The dialog's fields for a recent remote project. */
export function draftOf(entry: Pick<RecentRemoteProject, "kind" | "destination" | "folder" | "containerEngine">): RemoteDraft {
  const base = { ...emptyDraft, kind: entry.kind, folder: entry.folder };
  if (entry.kind === "ssh") return { ...base, destination: entry.destination };
  if (entry.kind === "container") return { ...base, container: entry.destination, engine: entry.containerEngine === "podman" ? "podman" : "docker" };
  return { ...base, command: entry.destination };
}

/** The dialog's answer for `remote.open`'s outcome. */
export function answerOf(outcome: RemoteOpenOutcome): ConnectAnswer {
  if (outcome.type === "opened") return { ok: true };
  const probe = outcome.data;
  const why = probe.state.type === "missing" ? "missing" : "mismatch";
  const detail = probe.state.data.detail;
  const message = detail && !probe.message.includes(detail) ? `${probe.message}\n${detail}` : probe.message;
  if (!probe.installable) return { ok: false, message, offer: null };
  const offer: InstallOffer = { why, message, hostVersion: null, hostPlatform: probe.platform };
  return { ok: false, message, offer };
}

/** An install step as a progress line. */
export function progressOf(step: RemoteInstallProgress): Progress {
  switch (step.type) {
    case "checking":
      return { text: "Checking the host's system and architecture (uname -sm)", done: null, total: null };
    case "copying":
      return { text: "Copying Warden to ~/.local/bin/warden there", done: step.data.sent, total: step.data.total };
    case "verifying":
      return { text: "Checking that the copy answers (warden serve --stdio)", done: null, total: null };
    case "done":
      return { text: `Installed Warden ${step.data.warden} (${step.data.platform})`, done: null, total: null };
  }
}

const WAYS: Record<RemoteDraft["kind"], string> = {
  ssh: "Starting ssh (your ~/.ssh/config, keys and agent apply)",
  container: "Starting docker exec in the container",
  command: "Running the command",
};

/** Connects and opens the draft's folder; the opened project goes into the store, in front. */
export async function connectDraft(draft: RemoteDraft, onProgress: (p: Progress) => void): Promise<ConnectAnswer> {
  onProgress({ text: WAYS[draft.kind], done: null, total: null });
  const opened = await remote.open(targetOf(draft));
  if (!opened.ok) return { ok: false, message: opened.error.message, offer: null };
  if (opened.value.type === "opened") {
    onProgress({ text: `Opened ${opened.value.data.project} (Warden ${opened.value.data.host.warden} there)`, done: null, total: null });
    remoteStore.opened(opened.value.data);
  }
  return answerOf(opened.value);
}

/** Installs this Warden on the draft's host; the error's words, or null once installed. */
export async function installDraft(draft: RemoteDraft, onProgress: (p: Progress) => void): Promise<string | null> {
  const installed = await remote.install(targetOf(draft), (step) => onProgress(progressOf(step)));
  return installed.ok ? null : installed.error.message;
}
