// How the permission modes are named and explained, in one place, so the header, the mode
// switcher and the New Session dialog never describe the same mode in different words.
import type { AgentKind, PermissionMode, SessionStatus } from "../../../ipc";

export interface ModeInfo {
  mode: PermissionMode;
  label: string;
  hint: string;
}

/** The modes in the order they grant more freedom (bypass last, after its warning). */
export const MODES: ModeInfo[] = [
  { mode: "default", label: "Ask before changes", hint: "Every edit and command waits for your answer." },
  { mode: "acceptEdits", label: "Accept edits", hint: "File edits in the project go ahead; commands still ask." },
  { mode: "plan", label: "Plan only", hint: "Reads and plans; read-only until you approve a plan." },
  { mode: "bypass", label: "Bypass", hint: "Calls run unasked; deny rules stop a call, and agent configuration or a call a deny rule may cover still asks." },
];

/** The short name of a mode. */
export function modeLabel(mode: PermissionMode): string {
  return MODES.find((m) => m.mode === mode)?.label ?? mode;
}

/**
 * Whether the session's agent is there to take a new mode or new rules. The engine answers
 * "not running" for a stopped or crashed one, and one that is stopping is about to be.
 */
export function acceptsChanges(status: SessionStatus): boolean {
  return status !== "stopped" && status !== "crashed" && status !== "stopping";
}

/** Whether bypass is in force: the mode says so and the agent is there to act on it. */
export function bypassActive(mode: PermissionMode | null, status: SessionStatus): boolean {
  return mode === "bypass" && acceptsChanges(status);
}

/** The limit every ACP agent shares: Warden sees only what the agent hands it. */
const ACP_LIMIT =
  "Files and commands the agent hands to Warden follow your deny rules and this mode; tools it runs itself without asking do not";

/**
 * What Warden cannot enforce with an agent whatever the mode (issue 14, item 7), in the words
 * the mode picker shows under the modes when that agent is chosen. An agent missing here has
 * every mode and deny rule enforced.
 */
export const MODE_LIMITS: Partial<Record<AgentKind, string>> = {
  codex:
    "Codex asks before every command and file change, even ones that only read: your rules and this mode answer, and the sandbox limits what an allowed command can do. Web search and image viewing never ask.",
  gemini: `${ACP_LIMIT} (Gemini CLI's file reading, search and folder listing, and shell commands its own policy allows).`,
  claudeAcp: `${ACP_LIMIT} (the adapter's Read, Grep and Glob).`,
  codexAcp: `${ACP_LIMIT} (the adapter's commands inside its sandbox).`,
  goose: `${ACP_LIMIT}.`,
  opencode: `${ACP_LIMIT}.`,
  custom: `${ACP_LIMIT}.`,
};

/** What the mode picker must say Warden cannot enforce with `agent`, or null. */
export function modeLimits(agent: AgentKind, limits: Partial<Record<AgentKind, string>> = MODE_LIMITS): string | null {
  return limits[agent] ?? null;
}
