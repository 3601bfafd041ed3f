// The dialog's connect and install, on the real backend: the draft as a RemoteTarget,
// `remote.open`'s outcome as the dialog's answer (an install offer when Warden is missing or of
// another version there and can be installed), and the install's steps as progress lines.
import type { SshExtra } from "../../bindings";
import { remote, type RemoteInstallProgress, type RemoteOpenOutcome, type RemoteTarget } from "../../ipc";
import type { ConnectAnswer, InstallOffer, Progress } from "./flow";
import { remoteStore } from "./store";
import { emptyDraft, parseSshOptions, sshOptionsText, type RemoteDraft } from "./validate";

/** The target the backend connects to, from what the person typed (a valid draft: its ssh
 * options were parsed by `draftProblems` already; unparsable ones are sent as none and the
 * dialog never sends such a draft). */
export function targetOf(draft: RemoteDraft): RemoteTarget {
  const folder = draft.folder.trim();
  const none: SshExtra = { port: null, identityFile: null, jump: null, options: [] };
  switch (draft.kind) {
    case "ssh": {
      const parsed = parseSshOptions(draft.sshOptions);
      return { kind: "ssh", destination: draft.destination.trim(), folder, ssh: parsed.ok ? parsed.value : none, remoteWarden: null, containerEngine: null };
    }
    case "container":
      return { kind: "container", destination: draft.container.trim(), folder, ssh: none, remoteWarden: null, containerEngine: draft.engine };
    case "command":
      return { kind: "command", destination: draft.command.trim(), folder, ssh: none, remoteWarden: null, containerEngine: null };
  }
}

/** The dialog's fields for a target (a recent remote project's, or a connection's). */
export function draftOf(target: Pick<RemoteTarget, "kind" | "destination" | "folder" | "containerEngine" | "ssh">): RemoteDraft {
  const base = { ...emptyDraft, kind: target.kind, folder: target.folder };
  if (target.kind === "ssh") return { ...base, destination: target.destination, sshOptions: sshOptionsText(target.ssh) };
  if (target.kind === "container") return { ...base, container: target.destination, engine: target.containerEngine === "podman" ? "podman" : "docker" };
  return { ...base, command: target.destination };
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
