// What the Files panel shows: a whole session, one of its turns, one tool call, or the changes
// made outside any turn while the session was live (the person's editor, a process left
// running). A scope picks its ops out of the log, and names the same ops to the backend for a
// diff or a rollback.
import type { FileOp, RollbackTarget } from "../../ipc";

export type FileScope =
  | { type: "session" }
  | { type: "turn"; turn: number }
  /** `turn` is the call's turn: the rollbacks of its files are listed by turn. */
  | { type: "toolCall"; toolCallId: string; turn: number; title: string }
  /** The changes the project watcher recorded while no turn ran: no session's, no turn's. */
  | { type: "outside" };

/** What the panel calls a change made outside any turn, wherever it names one. */
export const OUTSIDE_WORDS = "outside any turn (your editor or another process)";

/**
 * Whether `op` was made outside any turn: the journal records such an op (and a rollback's op
 * undoing one) with no session (an empty id) and turn 0, which no turn is.
 */
export function isOutsideTurn(op: Pick<FileOp, "sessionId">): boolean {
  return op.sessionId === "";
}

/**
 * The ops of `scope`, oldest first (rollbacks' own ops are never part of a scope): the agent's,
 * or for `outside` the ones made outside any turn (the session's scopes leave those out).
 */
export function opsInScope(log: readonly FileOp[], scope: FileScope): FileOp[] {
  return log.filter((op) => op.rollbackId === null && inScope(op, scope));
}

function inScope(op: FileOp, scope: FileScope): boolean {
  if (scope.type === "outside") return isOutsideTurn(op);
  if (isOutsideTurn(op)) return false;
  switch (scope.type) {
    case "session":
      return true;
    case "turn":
      return op.turn === scope.turn;
    case "toolCall":
      return op.toolCallId === scope.toolCallId;
  }
}

/**
 * The ops rollbacks made that belong with `scope`. A rollback's op carries the session and turn
 * of the change it undid but no tool call, so for a tool call it is matched by turn and path.
 */
export function rollbackOpsInScope(log: readonly FileOp[], scope: FileScope): FileOp[] {
  const made = log.filter((op) => op.rollbackId !== null);
  switch (scope.type) {
    // The whole session's list shows the changes outside any turn too, so their rollbacks.
    case "session":
      return made;
    case "outside":
      return made.filter(isOutsideTurn);
    case "turn":
      return made.filter((op) => op.turn === scope.turn);
    case "toolCall": {
      const paths = new Set(opsInScope(log, scope).flatMap(opPaths));
      return made.filter((op) => op.turn === scope.turn && paths.has(op.path));
    }
  }
}

/** The paths an op touched: its own, and for a rename where the file came from. */
export function opPaths(op: Pick<FileOp, "path" | "kind">): string[] {
  return op.kind.type === "rename" ? [op.path, op.kind.from] : [op.path];
}

/**
 * The same ops, named for the backend. Changes outside any turn have no session or turn to name
 * them by: they are named one by one (`outside`, the ones that still stand).
 */
export function scopeTarget(scope: FileScope, sessionId: string, outside: readonly number[] = []): RollbackTarget {
  switch (scope.type) {
    case "outside":
      return { type: "ops", ids: [...outside] };
    case "session":
      return { type: "session", sessionId };
    case "turn":
      return { type: "turn", sessionId, turn: scope.turn };
    case "toolCall":
      return { type: "toolCall", sessionId, toolCallId: scope.toolCallId };
  }
}

/** A stable key for a scope (React keys, the select's values). */
export function scopeKey(scope: FileScope): string {
  switch (scope.type) {
    case "session":
      return "session";
    case "turn":
      return `turn:${scope.turn}`;
    case "toolCall":
      return `tool:${scope.toolCallId}`;
    case "outside":
      return "outside";
  }
}

/** "the whole session", "turn 3", "Edit src/a.rs": what a heading or a button names. */
export function scopeWords(scope: FileScope): string {
  switch (scope.type) {
    case "session":
      return "the whole session";
    case "turn":
      return `turn ${scope.turn}`;
    case "toolCall":
      return scope.title;
    case "outside":
      return "the changes made outside any turn";
  }
}

/** A turn that changed files, for the scope selector. */
export interface TurnOption {
  turn: number;
  /** Files it changed (.gitignore'd ones left out). */
  files: number;
}

/** The turns whose agent ops are in `log`, in order, with how many files each changed. */
export function turnOptions(log: readonly FileOp[]): TurnOption[] {
  const paths = new Map<number, Set<string>>();
  for (const op of log) {
    if (op.rollbackId !== null || isOutsideTurn(op)) continue;
    const set = paths.get(op.turn) ?? new Set<string>();
    if (!op.ignored) set.add(op.path);
    paths.set(op.turn, set);
  }
  return [...paths.entries()].sort(([a], [b]) => a - b).map(([turn, set]) => ({ turn, files: set.size }));
}

/** "1 file", "4 files". */
export function filesWord(n: number): string {
  return `${n} ${n === 1 ? "file" : "files"}`;
}
