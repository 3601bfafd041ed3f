// Warden's own actions offered in the `/` list beside the agent's commands, marked as Warden's.
// This is the one list of them: the prompt box shows those whose handler the session view
// passes, so an action is never offered where it would do nothing. Running one never reaches
// the agent; the engine does not know these names.

/** Which Warden action. */
export type WardenActionId = "newSession" | "review" | "rollbackTurn" | "openFiles" | "openChecks" | "openPermissions";

/** One of Warden's actions as the `/` list shows it. */
export interface WardenCommand {
  id: WardenActionId;
  /** What is typed after `/`. */
  name: string;
  description: string;
}

/** What each action does, supplied by the view that mounts the list; a missing one is not offered. */
export type WardenActions = Partial<Record<WardenActionId, () => void>>;

/** Warden's actions, in the order the list shows them. */
export const WARDEN_COMMANDS: readonly WardenCommand[] = [
  { id: "newSession", name: "new", description: "Start a new session in this project" },
  { id: "review", name: "review", description: "Review with another agent: it reads what this session changed and reports findings" },
  { id: "rollbackTurn", name: "rollback", description: "Roll back the last turn: open its changes in Files to revert them" },
  { id: "openFiles", name: "files", description: "Open Files: what the agent changed, the diffs, reverting" },
  { id: "openChecks", name: "checks", description: "Open the checks of the current task and their results" },
  { id: "openPermissions", name: "permissions", description: "Open the permission rules of this session and project" },
];
