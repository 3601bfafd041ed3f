// What the Files panel shows: a whole session, one of its turns, or one tool call. A scope picks
// the agent's ops out of the session's log, and names the same ops to the backend for a diff or
// a rollback.
import type { FileOp, RollbackTarget } from "../../ipc";

export type FileScope =
  | { type: "session" }
  | { type: "turn"; turn: number }
  /** `turn` is the call's turn: the rollbacks of its files are listed by turn. */
  | { type: "toolCall"; toolCallId: string; turn: number; title: string };

/** The agent's ops of `scope`, oldest first (rollbacks' own ops are never part of a scope). */
export function opsInScope(log: readonly FileOp[], scope: FileScope): FileOp[] {
  return log.filter((op) => op.rollbackId === null && inScope(op, scope));
}

function inScope(op: FileOp, scope: FileScope): boolean {
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
    case "session":
      return made;
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

/** The same ops, named for the backend. */
export function scopeTarget(scope: FileScope, sessionId: string): RollbackTarget {
  switch (scope.type) {
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
    if (op.rollbackId !== null) continue;
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
