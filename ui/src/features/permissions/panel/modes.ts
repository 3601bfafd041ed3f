// How the permission modes are named and explained, in one place, so the header, the mode
// switcher and the New Session dialog never describe the same mode in different words.
import type { PermissionMode, SessionStatus } from "../../../ipc";

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
  { mode: "bypass", label: "Bypass", hint: "Nothing asks; only deny rules stop a call." },
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
