// What finished rollbacks did, taken together: the paths written back, removed, left alone, and
// those whose later changes were overwritten because the person went ahead anyway.
import type { RollbackReport } from "../../ipc";

export function RevertResult({ reports, heading }: { reports: readonly RollbackReport[]; heading: string }) {
  const all = (pick: (r: RollbackReport) => string[]) => [...new Set(reports.flatMap(pick))];
  const restored = all((r) => r.restored);
  const removed = all((r) => r.removed);
  const skipped = all((r) => r.skipped);
  const overwritten = all((r) => r.conflicts.map((c) => c.path));
  return (
    <div className="revert-result" data-testid="revert-result">
      <p>{heading}</p>
      <Paths label="Restored" paths={restored} testId="revert-restored" />
      <Paths label="Removed" paths={removed} testId="revert-removed" />
      <Paths label="Left as they are (.gitignore hides them)" paths={skipped} testId="revert-skipped" />
      <Paths label="Later changes overwritten" paths={overwritten} testId="revert-overwritten" />
      {restored.length + removed.length === 0 && <p className="muted">No file needed changing.</p>}
    </div>
  );
}

function Paths({ label, paths, testId }: { label: string; paths: string[]; testId: string }) {
  if (paths.length === 0) return null;
  return (
    <div className="revert-paths" data-testid={testId}>
      <span className="revert-paths-label">{label}:</span>
      <ul>
        {paths.map((path) => (
          <li key={path}>
            <code>{path}</code>
          </li>
        ))}
      </ul>
    </div>
  );
}
