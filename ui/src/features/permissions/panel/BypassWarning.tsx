// What bypass mode means, said the same way wherever someone is about to turn it on.
import "./panel.css";

/** The warning shown before bypass is turned on (in a dialog, or inline when starting a session). */
export function BypassWarning() {
  return (
    <div className="bypass-warning" role="note" data-testid="bypass-warning">
      <strong>Bypass asks nothing.</strong> Every tool call runs without asking — commands, edits, network —
      except what a deny rule forbids. Warden still records everything in the audit log. Turn it on only for
      work you would let run unattended.
    </div>
  );
}
