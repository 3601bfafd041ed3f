// The rollbacks (and redos) of a scope's files, each with the files it put back. A rollback whose
// files are still as it left them can be undone from here, long after its own result was closed.
import type { FileOp, RollbackId } from "../../ipc";
import { ROLLBACK_OP_WORDS, rollbackGroups } from "./rollbackGroups";
import { isOutsideTurn, OUTSIDE_WORDS } from "./scope";

interface Props {
  /** The ops rollbacks made, in this scope, oldest first. */
  ops: readonly FileOp[];
  /** The session's whole log, to tell which rollback a redo undid. */
  log: readonly FileOp[];
  selectedOp: number | null;
  onSelect: (op: FileOp) => void;
  /** Undo rollback `id` (a redo); `redoOf` is set when that rollback was itself a redo. */
  onUndo: (id: RollbackId, redoOf: RollbackId | null) => void;
  busy: boolean;
}

export function RollbackList({ ops, log, selectedOp, onSelect, onUndo, busy }: Props) {
  const groups = rollbackGroups(ops, log);
  if (groups.length === 0) return null;
  return (
    <section className="files-section" aria-labelledby="files-rollbacks-heading" data-testid="files-rollbacks">
      <h3 id="files-rollbacks-heading" className="panel-heading">
        Rollbacks <span className="muted">{groups.length}</span>
      </h3>
      <ul className="file-list">
        {groups.map(({ id, made, redoOf, stands }) => (
          <li
            key={id}
            className="rollback-row"
            data-testid="rollback-row"
            data-rollback-id={id}
            data-redo-of={redoOf ?? undefined}
            data-state={stands ? undefined : "undone"}
          >
            <div className="rollback-head">
              <span className="rollback-mark">{redoOf === null ? `Rollback ${id}` : `Redo of rollback ${redoOf}`}</span>
              <span className="muted">{formatTime(made[0]!.atMs)}</span>
              {!stands && <span className="file-flag">undone since</span>}
              {stands && (
                <button
                  type="button"
                  className="small"
                  onClick={() => onUndo(id, redoOf)}
                  disabled={busy}
                  title={redoOf === null ? "Put these files back as the agent left them" : "Revert these files again"}
                  data-testid="rollback-undo"
                >
                  {redoOf === null ? "Redo" : "Revert again"}
                </button>
              )}
            </div>
            {made.map((op) => (
              <button
                key={op.id}
                type="button"
                className="file-pick rollback-op"
                aria-current={op.id === selectedOp ? "true" : undefined}
                onClick={() => onSelect(op)}
                data-testid="rollback-op"
                data-path={op.path}
                data-kind={op.kind.type}
              >
                <span className="file-path">{op.path}</span>
                <span className="file-meta">
                  <span className="file-status">{ROLLBACK_OP_WORDS[op.kind.type]}</span>
                  <span className="file-by">{isOutsideTurn(op) ? OUTSIDE_WORDS : `turn ${op.turn}`}</span>
                </span>
              </button>
            ))}
          </li>
        ))}
      </ul>
    </section>
  );
}

function formatTime(ms: number): string {
  return new Date(ms).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
}
