// The file changes a session's stream announced, indexed the ways the window asks about them:
// by op (line counts for the Files panel), by turn (the "N files changed" under a turn) and by
// tool call (the badge in its timeline row, kept on the call's own view by the transcript).
// Changes the project watcher saw while no turn ran are kept apart: they are not the agent's.
import type { FileChanges, FileOpSummary } from "../ipc";

/** One recorded op as the stream announced it, with the turn and tool call it happened in. */
export interface FileChange extends FileOpSummary {
  turn: number;
  toolCallId: string | null;
}

/**
 * The distinct paths of `changes` that count as changed files. Paths .gitignore hides are left
 * out: a build or an install can touch thousands of them, and the panel lists them apart.
 */
export function changedPaths(changes: readonly FileChange[]): Set<string> {
  return new Set(changes.filter((c) => !c.ignored).map((c) => c.path));
}

/** Every op announced in one session, oldest first within each list. */
export class FileChangeIndex {
  readonly byId = new Map<number, FileChange>();
  readonly byTurn = new Map<number, FileChange[]>();
  /** The ops made outside any turn while the session was live, by id (in no turn's list). */
  readonly outside = new Map<number, FileChange>();
  private readonly paths = new Set<string>();

  /** Files the agent changed in the session (ignored ones and changes outside any turn left out). */
  get changedFiles(): number {
    return this.paths.size;
  }

  /** Ops announced so far, those outside any turn included; it moves whenever a new one arrives. */
  get count(): number {
    return this.byId.size;
  }

  /** Files changed in `turn` (ignored ones left out). */
  filesOfTurn(turn: number): number {
    return changedPaths(this.byTurn.get(turn) ?? []).size;
  }

  /**
   * Adds the ops of one announcement. Returns the ones new to the index: an op announced again
   * (a stream re-read after a gap) is not counted twice.
   */
  add(changes: FileChanges): FileChange[] {
    const added: FileChange[] = [];
    for (const op of changes.ops) {
      if (this.byId.has(op.id)) continue;
      const change: FileChange = { ...op, turn: changes.turn, toolCallId: changes.toolCallId };
      this.byId.set(op.id, change);
      added.push(change);
      // Made while no turn ran (the person's editor, a process left running): turn 0 is no turn.
      if (changes.outsideTurn) {
        this.outside.set(op.id, change);
        continue;
      }
      const turn = this.byTurn.get(changes.turn);
      if (turn) turn.push(change);
      else this.byTurn.set(changes.turn, [change]);
      if (!op.ignored) this.paths.add(op.path);
    }
    return added;
  }
}
