// The trust dialog: before any command or URL of the project's `.warden/checks.toml` may run,
// the person sees every one of them and decides. The decision is about exactly the content
// shown: its hash goes back with the answer, and a file changed meanwhile is refused (and shown
// again).
import { useState } from "react";
import { checks, type ChecksFileTrust, type ChecksOverview, type ChecksTrustDecision, type ChecksTrustRequest } from "../../ipc";
import { Dialog } from "../../shared/Dialog";

interface Props {
  project: string;
  request: ChecksTrustRequest;
  /** Where the file stands now (a changed file says so). */
  trust: ChecksFileTrust;
  /** The decision was stored; the overview as it is now. */
  onDecided: (overview: ChecksOverview) => void;
  /** The file changed while it was shown: read it again. */
  onStale: () => void;
  onClose: () => void;
}

export function TrustDialog({ project, request, trust, onDecided, onStale, onClose }: Props) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const decide = async (decision: ChecksTrustDecision) => {
    setBusy(true);
    const outcome = await checks.trust(project, decision, request.sha256);
    setBusy(false);
    if (outcome.ok) onDecided(outcome.value);
    else setError(outcome.error.message);
  };
  const nothing = request.commands.length === 0 && request.urls.length === 0;
  return (
    <Dialog title="Trust this project's checks?" onCancel={onClose} testId="trust-dialog" cancelOnBackdrop={false}>
      <div className="trust-body">
        {trust === "changed" && (
          <div className="trust-changed" data-testid="trust-changed">
            The file changed since you last decided. Nothing in it runs until you decide again.
          </div>
        )}
        <p className="trust-lead">
          <span className="trust-file">{request.file}</span> comes with the project. Trusting it lets Warden run these commands in the
          project as you (like a terminal) when a task ends, and send events to these URLs — until the file changes.
        </p>
        {nothing && <p className="muted">It has no commands and no webhook URLs.</p>}
        {request.commands.length > 0 && (
          <>
            <h3 className="trust-heading">Commands</h3>
            <ul className="trust-list" data-testid="trust-commands">
              {request.commands.map((c) => (
                <li key={c.id} className="trust-item" data-testid="trust-command">
                  <strong>{c.id}</strong> <code>{c.command}</code>
                  <div className="trust-meta">
                    in {c.cwd === "." ? "the project folder" : c.cwd}
                    {c.shell ? " · through the shell" : ""}
                    {c.env.length > 0 ? ` · sets ${c.env.join(", ")}` : ""}
                    {c.disabled ? " · disabled in the file" : ""}
                  </div>
                </li>
              ))}
            </ul>
          </>
        )}
        {request.urls.length > 0 && (
          <>
            <h3 className="trust-heading">Webhook URLs</h3>
            <ul className="trust-list" data-testid="trust-urls">
              {request.urls.map((u) => (
                <li key={u.id} className="trust-item" data-testid="trust-url">
                  <strong>{u.id}</strong> <code>{u.url}</code>
                  <div className="trust-meta">
                    {u.events.length > 0 ? u.events.join(", ") : "every event"}
                    {u.allowPrivate ? " · loopback and private addresses allowed" : ""}
                  </div>
                </li>
              ))}
            </ul>
          </>
        )}
        {request.reviews.length > 0 && (
          <>
            <h3 className="trust-heading">Reviewers (agents given the file's instructions, read-only)</h3>
            <ul className="trust-list" data-testid="trust-reviews">
              {request.reviews.map((r) => (
                <li key={r} className="trust-item" data-testid="trust-review">
                  {r}
                </li>
              ))}
            </ul>
          </>
        )}
        <div className="trust-hash" title="The decision is pinned to this content">
          sha256 {request.sha256}
        </div>
        {error && (
          <div className="inline-error" role="alert" data-testid="trust-error">
            {error}
            <button type="button" className="small" onClick={onStale}>
              Show the file as it is now
            </button>
          </div>
        )}
      </div>
      <div className="dialog-buttons">
        <button type="button" onClick={onClose} disabled={busy}>
          Cancel
        </button>
        <button type="button" className="danger" onClick={() => void decide("dontRun")} disabled={busy} data-testid="trust-dont-run">
          Don't run
        </button>
        <button type="button" onClick={() => void decide("runOnce")} disabled={busy} data-testid="trust-once">
          Run once
        </button>
        <button type="button" className="primary" onClick={() => void decide("trust")} disabled={busy} data-testid="trust-accept">
          Trust
        </button>
      </div>
    </Dialog>
  );
}
