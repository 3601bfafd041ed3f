// An agent's install command with its Install button; while it runs, its output live and a
// Cancel. An npm package goes into Warden's own agents folder; a shell installer (not an npm
// package) runs only after the person confirmed it.
import { useEffect, useReducer, useRef, useState } from "react";
import { agents, type AgentKind, type InstallPlan } from "../../ipc";
import { foldInstall, IDLE, type InstallPhase } from "./installLog";

interface Props {
  kind: AgentKind;
  plan: InstallPlan;
  /** Found already: the button reinstalls (updates). */
  installed: boolean;
  /** Called when an install ended, so the list is detected again. */
  onFinished: () => void;
}

const PHASE_WORDS: Record<InstallPhase, string> = {
  idle: "",
  running: "Installing…",
  succeeded: "Installed",
  failed: "Install failed",
  cancelled: "Install cancelled",
};

export function InstallPanel({ kind, plan, installed, onFinished }: Props) {
  const [log, dispatch] = useReducer(foldInstall, IDLE);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  const output = useRef<HTMLPreElement>(null);
  const finished = useRef(onFinished);
  finished.current = onFinished;

  useEffect(() => {
    const pre = output.current;
    if (pre) pre.scrollTop = pre.scrollHeight;
  }, [log.lines]);

  const run = async (confirmed: boolean) => {
    setConfirming(false);
    setError(null);
    setStarting(true);
    const started = await agents.install(kind, confirmed, (event) => {
      dispatch(event);
      if (event.type === "finished") finished.current();
    });
    setStarting(false);
    if (!started.ok) setError(started.error.message);
  };
  const running = log.phase === "running";

  return (
    <div className="install" data-testid="install" data-phase={log.phase}>
      <div className="install-row">
        <code
          className="install-command"
          data-testid="install-command"
          title={plan.npmPackage ? "Installed into Warden's own agents folder, for Warden only" : undefined}
        >
          {plan.command}
        </code>
        {running ? (
          <button onClick={() => void agents.cancelInstall(kind)} data-testid="install-cancel">
            Cancel
          </button>
        ) : (
          <button
            disabled={starting}
            onClick={() => (plan.npmPackage ? void run(false) : setConfirming(true))}
            data-testid="install-button"
          >
            {installed ? "Reinstall" : "Install"}
          </button>
        )}
      </div>
      {confirming && (
        <div className="install-confirm" role="alert" data-testid="install-confirm">
          <p>
            This downloads a shell script from the agent's makers and runs it with your permissions. Run it only if you trust
            its source.
          </p>
          <div className="dialog-buttons">
            <button onClick={() => setConfirming(false)}>Don't run it</button>
            <button className="danger" onClick={() => void run(true)} data-testid="install-confirm-run">
              Run the installer
            </button>
          </div>
        </div>
      )}
      {error && (
        <div className="inline-error" role="alert" data-testid="install-error">
          {error}
        </div>
      )}
      {log.phase !== "idle" && (
        <div className="install-log">
          <div className={`install-status ${log.phase}`} role="status" data-testid="install-status">
            {PHASE_WORDS[log.phase]}
            {log.ending && log.phase !== "cancelled" ? ` (${log.ending})` : ""}
          </div>
          {log.error && (
            <div className="inline-error" role="alert" data-testid="install-failure">
              {log.error}
            </div>
          )}
          <pre ref={output} className="install-output" data-testid="install-log">
            {log.dropped > 0 && <span className="muted">… {log.dropped} earlier lines{"\n"}</span>}
            {log.lines.map((l, i) => (
              <span key={log.dropped + i} className={l.stream === "stderr" ? "stderr" : undefined}>
                {l.text}
                {"\n"}
              </span>
            ))}
          </pre>
        </div>
      )}
    </div>
  );
}
