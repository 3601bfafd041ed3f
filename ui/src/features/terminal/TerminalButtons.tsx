// The session header's terminal buttons: show or hide the Terminal panel, and open the
// session's agent in its own interface in a new terminal tab.
import type { AgentKind, SessionId } from "../../ipc";
import { Icon } from "../../shared/icons";
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
        className="small icon-button"
        aria-pressed={controls.open}
        onClick={controls.toggle}
        aria-label="Terminal"
        title="Terminal: show or hide it (Ctrl+`)"
        data-testid="terminal-toggle"
      >
        <Icon name="terminal" />
      </button>
      {canOpen && (
        <button
          type="button"
          className="small icon-button"
          disabled={live}
          aria-label="Open in terminal"
          onClick={() => controls.openAgent(agent, sessionId, "Opening…")}
          title={
            live
              ? "Open in terminal: stop the session first; its agent is running here, and two programs must not write one session"
              : "Open in terminal: this agent in its own terminal interface, continuing this session where it can"
          }
          data-testid="terminal-open-agent"
        >
          <Icon name="openTerminal" />
        </button>
      )}
    </>
  );
}
