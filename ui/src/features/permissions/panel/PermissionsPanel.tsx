// The Permissions panel of a session: the project's rules, the session's own rules, and the
// audit log, one under the other in one dialog, so what the rules say and what they decided
// can be read together.
import "./panel.css";
import { useState } from "react";
import type { RuleSet } from "../../../ipc";
import { Dialog } from "../../../shared/Dialog";
import { AuditLog } from "./AuditLog";
import { ProjectRules } from "./ProjectRules";
import { SessionRules } from "./SessionRules";
import { UnsavedEditsContext, useUnsavedEdits } from "./unsavedEdits";

interface Props {
  /** The project folder whose rules and log are shown. */
  project: string;
  /** The session, or null for a view that is not a Warden session (no session rules then). */
  sessionId: string | null;
  sessionRules: RuleSet;
  /** Whether the session's agent is there to take rule changes. */
  live: boolean;
  /** The session's transcript version, to re-read the log when it moves. */
  version: number;
  onClose: () => void;
}

export function PermissionsPanel({ project, sessionId, sessionRules, live, version, onClose }: Props) {
  const [askingToClose, setAskingToClose] = useState(false);
  const { unsaved, mark } = useUnsavedEdits();

  const requestClose = () => {
    if (unsaved) setAskingToClose(true);
    else onClose();
  };

  return (
    <Dialog title="Permissions" onCancel={requestClose} testId="permissions-panel">
      <UnsavedEditsContext.Provider value={mark}>
        <div className="panel-body">
          <section className="panel-section" aria-labelledby="panel-project-rules">
            <h3 id="panel-project-rules" className="panel-heading">
              Project rules
            </h3>
            <ProjectRules project={project} />
          </section>
          {sessionId && (
            <section className="panel-section" aria-labelledby="panel-session-rules">
              <h3 id="panel-session-rules" className="panel-heading">
                This session's rules
              </h3>
              <SessionRules sessionId={sessionId} rules={sessionRules} live={live} />
            </section>
          )}
          <section className="panel-section" aria-labelledby="panel-audit-log">
            <h3 id="panel-audit-log" className="panel-heading">
              Audit log
            </h3>
            <AuditLog project={project} sessionId={sessionId} version={version} />
          </section>
        </div>
        {askingToClose && unsaved ? (
          <div className="panel-unsaved" role="alert" data-testid="panel-unsaved">
            <span>A rule you typed is not saved yet.</span>
            <button type="button" className="small" onClick={() => setAskingToClose(false)} data-autofocus data-testid="panel-keep-editing">
              Keep editing
            </button>
            <button type="button" className="small danger" onClick={onClose} data-testid="panel-discard">
              Discard and close
            </button>
          </div>
        ) : (
          <div className="dialog-buttons">
            <button type="button" onClick={requestClose} data-testid="permissions-close">
              Close
            </button>
          </div>
        )}
      </UnsavedEditsContext.Provider>
    </Dialog>
  );
}
