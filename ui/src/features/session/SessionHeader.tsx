// The line above a session: what it is, where it stands, and what it has used so far.
import type { SessionStatus } from "../../ipc";
import { formatCost, formatTokens } from "./format";
import type { Transcript } from "./transcript";

const STATUS_WORDS: Record<SessionStatus, string> = {
  starting: "Starting",
  ready: "Ready",
  running: "Working",
  stopping: "Stopping",
  stopped: "Stopped",
  crashed: "Crashed",
};

const MODE_WORDS = { default: "Ask before changes", acceptEdits: "Accept edits", plan: "Plan only" } as const;

interface Props {
  title: string;
  transcript: Transcript;
  /** The status to show (the transcript's, unless the store knows the agent is gone). */
  status: SessionStatus;
  readOnly: boolean;
}

/** Title, status, agent and model, permission mode, tokens, cost and context use. */
export function SessionHeader({ title, transcript, status, readOnly }: Props) {
  const t = transcript;
  const model = t.info?.model ?? t.started?.model ?? null;
  const context = contextUse(t);
  return (
    <header className="session-header">
      <div className="session-title" title={title}>
        {title}
      </div>
      <div className="session-facts">
        <span className={`status-pill ${readOnly ? "history" : status}`} data-testid="session-status">
          {readOnly ? "Claude Code history" : STATUS_WORDS[status]}
        </span>
        <span title={t.started?.program}>Claude Code{t.info?.version || t.started?.version ? ` ${t.info?.version ?? t.started?.version}` : ""}</span>
        {model && <span>{model}</span>}
        {t.mode && <span className="mode">{MODE_WORDS[t.mode]}</span>}
        <span className="usage" data-testid="session-usage" title="Tokens in (incl. cache) / out over all turns">
          {t.usage.turns} {t.usage.turns === 1 ? "turn" : "turns"} · {formatTokens(t.usage.inputTokens)} in · {formatTokens(t.usage.outputTokens)} out ·{" "}
          {formatCost(t.usage.costUsd)}
        </span>
        {context && (
          <span className="context" title={`${context.used} of ${context.window} tokens of context in use`}>
            <span className="context-meter" aria-hidden="true">
              <span style={{ width: `${Math.min(100, context.percent)}%` }} />
            </span>
            {context.percent.toFixed(0)}% context
          </span>
        )}
      </div>
    </header>
  );
}

/** How full the model's context was at the end of the last turn, when the agent says. */
function contextUse(t: Transcript): { used: number; window: number; percent: number } | null {
  const used = t.lastTurn?.contextTokens;
  const window = t.lastTurn?.contextWindow;
  if (!used || !window) return null;
  return { used, window, percent: (used / window) * 100 };
}
