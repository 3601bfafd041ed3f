// What an agent's detected status means for the person: a badge, and whether (and why not) a
// session can be started with it.
import type { AgentKind, AgentStatus, AgentView } from "../ipc";

export type Tone = "ok" | "warn" | "error" | "muted";

/** The badge for a status. */
export function statusBadge(status: AgentStatus): { text: string; tone: Tone } {
  switch (status.state) {
    case "ready":
      return { text: "Ready", tone: "ok" };
    case "loginUnknown":
      return { text: "Installed · login unknown", tone: "muted" };
    case "notLoggedIn":
      return { text: "Not logged in", tone: "warn" };
    case "notInstalled":
      return { text: "Not installed", tone: "muted" };
    case "tooOld":
      return { text: `Too old · needs ${status.minimum}+`, tone: "warn" };
    case "broken":
      return { text: "Broken", tone: "error" };
  }
}

/** Whether a session may be started: ready, or installed with a login Warden cannot check. */
export function usable(status: AgentStatus): boolean {
  return status.state === "ready" || status.state === "loginUnknown";
}

/** Why a session cannot be started with the agent, or null when it can. */
export function unusableReason(view: AgentView): string | null {
  const s = view.status;
  switch (s.state) {
    case "ready":
    case "loginUnknown":
      return null;
    case "notInstalled":
      return view.custom ? `${view.custom.command} was not found` : "not installed";
    case "notLoggedIn":
      return "not logged in";
    case "tooOld":
      return `version ${view.version ?? "?"} is too old (needs ${s.minimum})`;
    case "broken":
      return "its --version failed";
  }
}

/** A key naming an agent among all of them: the kind, or `custom:<name>`. */
export function agentKey(view: Pick<AgentView, "kind" | "name">): string {
  return view.kind === "custom" ? `custom:${view.name}` : view.kind;
}

/** The agent a key names, as a session start takes it. */
export function agentOfKey(key: string): { agent: AgentKind; agentName: string | null } {
  if (key.startsWith("custom:")) return { agent: "custom", agentName: key.slice("custom:".length) };
  return { agent: key as AgentKind, agentName: null };
}
