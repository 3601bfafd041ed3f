// The line at the top of the Checks panel: where the project's checks configuration stands —
// none, not trusted (with the way to review it), trusted, or with errors — and its entries.
import { useState, type ReactNode } from "react";
import { checks } from "../../ipc";
import type { OverviewState } from "./useChecksOverview";

interface Props {
  project: string;
  state: OverviewState;
  /** Opens the trust dialog. */
  onReview: () => void;
}

export function ConfigBar({ project, state, onReview }: Props) {
  const [busy, setBusy] = useState(false);
  const o = state.overview;
  if (state.error)
    return (
      <div className="checks-config invalid" role="alert">
        Could not read the checks configuration: {state.error.message}
      </div>
    );
  if (!o) return <div className="checks-config muted">Reading the checks configuration…</div>;
  const checksCount = o.entries.filter((e) => e.kind === "check").length;
  const projectEntries = o.entries.filter((e) => e.source === "project");
  const revoke = async () => {
    setBusy(true);
    const outcome = await checks.trust(project, "revoke", null);
    setBusy(false);
    if (outcome.ok) state.set(outcome.value);
  };
  let cls = "checks-config";
  let text: string;
  let action: ReactNode = null;
  if (!o.valid) {
    cls += " invalid";
    text = "The checks configuration has errors: nothing in a file with errors runs.";
  } else if (o.trust === "noFile") {
    text = checksCount > 0 ? `${plural(checksCount, "check")} from your own layer.` : "No checks configured: add .warden/checks.toml to the project.";
  } else if (o.trust === "trusted" || o.trust === "runOnce") {
    text = `${plural(checksCount, "check")} · the project's checks file is ${o.trust === "trusted" ? "trusted" : "allowed to run once"}.`;
    action = (
      <button type="button" className="small" onClick={() => void revoke()} disabled={busy} data-testid="checks-revoke">
        Revoke trust
      </button>
    );
  } else {
    cls += " untrusted";
    const why = o.trust === "changed" ? "changed since you trusted it" : o.trust === "refused" ? "set not to run" : "not trusted yet";
    text = `The project's checks file is ${why}: its ${plural(projectEntries.length, "entry", "entries")} will not run.`;
    action = o.request ? (
      <button type="button" className="small primary" onClick={onReview} data-testid="checks-review-trust">
        Review and trust…
      </button>
    ) : null;
  }
  return (
    <div className={cls} data-testid="checks-config" data-trust={o.trust}>
      <span className="checks-config-text">{text}</span>
      {action}
      {!o.valid && o.errors.length > 0 && (
        <ul className="checks-errors">
          {o.errors.map((e, i) => (
            <li key={i}>
              {e.file}
              {e.line !== null ? `:${e.line}` : ""}: {e.field ? `${e.field}: ` : ""}
              {e.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
