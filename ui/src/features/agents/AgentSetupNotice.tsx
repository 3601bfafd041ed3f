// The lighter form of the first-run welcome (once there are projects, and on the Agents
// screen): a line saying no agent is ready, with the way to set one up.
import "./agents.css";

interface Props {
  /** Opens the Agents screen; absent where the notice is on it already. */
  onSetUp?: () => void;
}

export function AgentSetupNotice({ onSetUp }: Props) {
  return (
    <div className="agent-setup-notice" role="status" data-testid="agent-setup-notice">
      <span>
        <strong>No agent is ready yet.</strong> Install one, or log in to one that is installed — sessions need one.
      </span>
      {onSetUp && (
        <button onClick={onSetUp} data-testid="agent-setup-open">
          Set up an agent…
        </button>
      )}
    </div>
  );
}
