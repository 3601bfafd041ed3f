// "Checks and webhooks": every entry of the project's merged checks configuration with where it
// comes from (the project's file or the person's own layer), whether it may run and why not,
// and its errors; each webhook with its delivery log, Redeliver, Send test event, and Enable
// again when a 410 disabled it.
import "./webhooks.css";
import { remote, type ChecksEntry, type ChecksOverview } from "../../ipc";
import { Dialog } from "../../shared/Dialog";
import { WebhookLog } from "./WebhookLog";

interface Props {
  project: string;
  overview: ChecksOverview;
  onClose: () => void;
}

const KIND_WORDS = { check: "Check", webhook: "Webhook", review: "Review" } as const;

export function ChecksSettingsDialog({ project, overview, onClose }: Props) {
  return (
    <Dialog title="Checks and webhooks" onCancel={onClose} testId="checks-settings">
      <div className="checks-settings-body">
        <p className="muted">
          Project file: {overview.projectFile ?? "none"} · your own layer: {overview.personalFile}
          {overview.personalFileExists ? "" : " (not created)"}
        </p>
        {overview.entries.length === 0 && <p className="muted">No checks or webhooks configured.</p>}
        <ul className="checks-settings-list">
          {overview.entries.map((e) => (
            <EntryItem key={`${e.kind}:${e.id}`} project={project} entry={e} />
          ))}
        </ul>
      </div>
      <div className="dialog-buttons">
        <button type="button" onClick={onClose} data-testid="checks-settings-close">
          Close
        </button>
      </div>
    </Dialog>
  );
}

function EntryItem({ project, entry: e }: { project: string; entry: ChecksEntry }) {
  const usable = e.mayRun && e.disabled === null && e.errors.length === 0;
  return (
    <li className="checks-settings-entry" data-testid="checks-settings-entry" data-id={e.id} data-kind={e.kind}>
      <div className="checks-settings-head">
        <span className="checks-settings-kind">{KIND_WORDS[e.kind]}</span>
        <strong>{e.id}</strong>
        <span className={`checks-settings-source ${e.source}`} data-testid="entry-source">
          {e.source === "project" ? "project" : "personal"}
        </span>
        <span className={usable ? "webhook-ok" : "webhook-bad"} data-testid="entry-trust">
          {e.errors.length > 0 ? "has errors" : e.disabled !== null ? `disabled: ${e.disabled}` : e.mayRun ? "trusted" : `not trusted${e.notTrusted ? `: ${e.notTrusted}` : ""}`}
        </span>
      </div>
      <div className="muted checks-settings-summary">
        <code>{e.summary}</code> · {e.file}:{e.line}
        {e.overridden.length > 0 ? ` · your layer sets ${e.overridden.join(", ")}` : ""}
      </div>
      {e.errors.length > 0 && (
        <ul className="checks-errors" data-testid="entry-errors">
          {e.errors.map((err, i) => (
            <li key={i}>
              {err.file}
              {err.line !== null ? `:${err.line}` : ""}: {err.field ? `${err.field}: ` : ""}
              {err.message}
            </li>
          ))}
        </ul>
      )}
      {e.kind === "webhook" &&
        // A remote project's deliveries are sent and kept by its host's outbox, not this window's.
        (remote.projectConnection(project) ? (
          <p className="muted" data-testid="webhook-on-host">
            Delivered from the host; its delivery log is not shown for a remote project yet.
          </p>
        ) : (
          <WebhookLog project={project} endpoint={e.id} usable={usable} />
        ))}
    </li>
  );
}
