// The session header's terminal buttons: show or hide the Terminal panel, and open the
// session's agent in its own interface in a new terminal tab.
import type { AgentKind, SessionId } from "../../ipc";
import { useTerminalControls, type DockStore } from "./store";

interface Props {
  /** The session's agent, once it is known. */
  agent: AgentKind | null;
  /** The Warden session to resume in the agent's interface (none for a read-only history). */
  sessionId: SessionId | null;
  /** Whether Warden's own agent process still runs: two programs must not write one session. */
  live: boolean;
  store?: DockStore;
}

/** "Terminal" and "Open in terminal"; nothing without a panel on screen. */
export function TerminalButtons({ agent, sessionId, live, store }: Props) {
  const controls = useTerminalControls(store);
  if (!controls) return null;
  const canOpen = agent !== null && agent !== "custom";
  return (
    <>
      <button
        type="button"
        className="small"
        aria-pressed={controls.open}
        onClick={controls.toggle}
        title="Show or hide the terminal (Ctrl+`)"
        data-testid="terminal-toggle"
      >
        Terminal
      </button>
      {canOpen && (
        <button
          type="button"
          className="small"
          disabled={live}
          onClick={() => controls.openAgent(agent, sessionId, "Opening…")}
          title={
            live
              ? "Stop the session first: its agent is running here, and two programs must not write one session"
              : "Open this agent in its own terminal interface, continuing this session where it can"
          }
          data-testid="terminal-open-agent"
        >
          Open in terminal
        </button>
      )}
    </>
  );
}
