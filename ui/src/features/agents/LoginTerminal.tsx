// An agent's own login flow (`codex login`, `claude auth login`, Gemini CLI's sign-in screen)
// in a terminal inside the window: the CLI draws its menus and opens the browser as it would in
// a shell, and Warden detects the agents again when it ends.
import { useEffect, useRef, useState } from "react";
import { agents, type AgentKind, type TerminalExit } from "../../ipc";
import { TermSession } from "../terminal/termSession";
import { exitLabel } from "../terminal/dock";
import "../terminal/terminal.css";

interface Props {
  kind: AgentKind;
  /** The agent's name, for the heading. */
  name: string;
  /** Called when the login flow ended (the agents are detected again). */
  onEnded: () => void;
  /** Closes the terminal (its process is killed if it still runs). */
  onClose: () => void;
}

export function LoginTerminal({ kind, name, onEnded, onClose }: Props) {
  const container = useRef<HTMLDivElement>(null);
  const [exit, setExit] = useState<TerminalExit | null>(null);
  const [error, setError] = useState<string | null>(null);
  const ended = useRef(onEnded);
  ended.current = onEnded;

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const session = new TermSession(
      "",
      null,
      {
        opened: () => {},
        failed: (e) => setError(e.message),
        exited: (e) => {
          setExit(e);
          ended.current();
        },
      },
      () => {},
      (cols, rows, onEvent) => agents.openLogin(kind, cols, rows, onEvent),
    );
    session.attach(element);
    // The card may be far down a list: bring the terminal into view (xterm.js also draws only
    // while it is visible).
    element.parentElement?.scrollIntoView?.({ block: "nearest" });
    let frame = 0;
    const observer =
      typeof ResizeObserver === "undefined"
        ? null
        : new ResizeObserver(() => {
            cancelAnimationFrame(frame);
            frame = requestAnimationFrame(() => session.fitNow());
          });
    observer?.observe(element);
    return () => {
      cancelAnimationFrame(frame);
      observer?.disconnect();
      session.dispose();
    };
  }, [kind]);

  return (
    <section className="login-terminal" aria-label={`Log in to ${name}`} data-testid="login-terminal" data-agent={kind}>
      <header className="login-terminal-head">
        <strong>Log in to {name}</strong>
        <span className="muted" data-testid="login-state">
          {error ? "could not start" : exit ? `finished (${exitLabel(exit)})` : "follow the steps below; a browser may open"}
        </span>
        <span className="agent-spacer" />
        <button onClick={onClose} data-testid="login-close">
          {exit || error ? "Close" : "Cancel"}
        </button>
      </header>
      {error && (
        <div className="inline-error" role="alert" data-testid="login-error">
          {error}
        </div>
      )}
      <div ref={container} className="login-terminal-view" />
    </section>
  );
}
