// The answer buttons of the permission modal, each with its key. Three sets: a tool call, a
// plan approval, and the confirm step of an answer that adds rules. An agent that lists the
// answers it accepts (Codex, ACP agents) gets exactly those; the others are not shown.
import type { PermissionDecision, PermissionMode, Rule } from "../../ipc";
import "./permissions.css";

/** Whether the agent accepts `decision`: every answer when it did not list them. */
export function offers(offered: readonly PermissionDecision[] | null | undefined, decision: PermissionDecision): boolean {
  return offered == null || offered.includes(decision);
}

interface ToolProps {
  busy: boolean;
  /** The answers the agent accepts (`request.offered`); null or absent offers all. */
  offered?: readonly PermissionDecision[] | null;
  suggested: readonly Rule[];
  /**
   * Why "always" is not offered, or null when it is: project rules never allow a call outside
   * the project, and no rule is kept for agent or tool configuration.
   */
  noAlways: string | null;
  /** Why no allow answer can be given yet (the command is not all shown), or null. */
  allowHeld?: string | null;
  onAllowOnce: () => void;
  onAllowSession: () => void;
  onAllowAlways: () => void;
  onDeny: () => void;
  onDenyAndStop: () => void;
}

/** Allow once / for the session / always, deny, deny and stop; with the rules the allows add. */
export function ToolChoices({ busy, offered, suggested, noAlways, allowHeld = null, onAllowOnce, onAllowSession, onAllowAlways, onDeny, onDenyAndStop }: ToolProps) {
  const has = (d: PermissionDecision) => offers(offered, d);
  const always = has("allowAlways") && noAlways === null;
  return (
    <>
      {allowHeld && (
        <p className="pm-held" role="status" data-testid="permission-allow-held">
          {allowHeld}
        </p>
      )}
      {suggested.length > 0 && (has("allowSession") || always) && (
        <p className="pm-adds">
          {has("allowSession") && always ? "For this session or always" : always ? "Always" : "For this session"}, this adds{" "}
          {suggested.length === 1 ? "the rule" : "the rules"}{" "}
          {suggested.map((rule, i) => (
            <span key={rule}>
              {i > 0 && ", "}
              <code>{rule}</code>
            </span>
          ))}
        </p>
      )}
      <div className="pm-choices">
        {has("allowOnce") && (
          <button className="primary" disabled={busy || allowHeld !== null} title={allowHeld ?? undefined} onClick={onAllowOnce} data-testid="permission-allow-once">
            Allow once <kbd>Enter</kbd>
          </button>
        )}
        {has("allowSession") && (
          <button disabled={busy || allowHeld !== null} title={allowHeld ?? undefined} onClick={onAllowSession} data-testid="permission-allow-session">
            Allow for this session <kbd>S</kbd>
          </button>
        )}
        {has("allowAlways") && (
          <button
            disabled={busy || noAlways !== null || allowHeld !== null}
            title={noAlways ?? allowHeld ?? undefined}
            onClick={onAllowAlways}
            data-testid="permission-allow-always"
          >
            Always allow in this project <kbd>A</kbd>
          </button>
        )}
        <span className="pm-spacer" />
        {has("deny") && (
          <button className="danger" disabled={busy} onClick={onDeny} data-testid="permission-deny">
            Deny <kbd>Esc</kbd>
          </button>
        )}
        {has("denyAndStop") && (
          <button className="danger" disabled={busy} onClick={onDenyAndStop} data-testid="permission-deny-stop">
            Deny and stop the turn <kbd>X</kbd>
          </button>
        )}
      </div>
    </>
  );
}

interface PlanProps {
  busy: boolean;
  /** The mode to carry on in after approving. */
  then: PermissionMode;
  onThen: (mode: PermissionMode) => void;
  onApprove: () => void;
  onKeepPlanning: () => void;
}

/** Approve (then ask before changes, or accept edits) / keep planning. */
export function PlanChoices({ busy, then, onThen, onApprove, onKeepPlanning }: PlanProps) {
  return (
    <div className="pm-choices">
      <button className="primary" disabled={busy} onClick={onApprove} data-testid="permission-approve-plan">
        Approve <kbd>Enter</kbd>
      </button>
      <label className="pm-then">
        then:
        <select value={then} disabled={busy} onChange={(e) => onThen(e.target.value as PermissionMode)} data-testid="permission-plan-mode">
          <option value="default">Ask before changes</option>
          <option value="acceptEdits">Accept edits</option>
        </select>
      </label>
      <span className="pm-spacer" />
      <button disabled={busy} onClick={onKeepPlanning} data-testid="permission-keep-planning">
        Keep planning <kbd>Esc</kbd>
      </button>
    </div>
  );
}

interface RuleProps {
  busy: boolean;
  /** Whether the agent accepts a plain denial here. */
  canDeny?: boolean;
  /** Every field valid and at least one rule given. */
  confirmable: boolean;
  always: boolean;
  onConfirm: () => void;
  onBack: () => void;
  onDeny: () => void;
}

/** Confirm the edited rules (and allow), go back, or deny after all. */
export function RuleChoices({ busy, canDeny = true, confirmable, always, onConfirm, onBack, onDeny }: RuleProps) {
  return (
    <div className="pm-choices">
      <button className="primary" disabled={busy || !confirmable} onClick={onConfirm} data-testid="permission-confirm">
        {always ? "Add rule and allow" : "Allow for this session"} <kbd>Enter</kbd>
      </button>
      <button disabled={busy} onClick={onBack}>
        Back <kbd>Esc</kbd>
      </button>
      <span className="pm-spacer" />
      {canDeny && (
        <button className="danger" disabled={busy} onClick={onDeny} data-testid="permission-deny">
          Deny
        </button>
      )}
    </div>
  );
}
