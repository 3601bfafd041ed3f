// The buttons beside the prompt: Send when the agent waits; while a turn runs, the clock, Queue
// (Enter) and, where the session can steer, Send now (Ctrl+Enter) — then Stop.
import { useEffect, useState } from "react";
import { formatElapsed } from "../../../shared/format";

interface Props {
  busy: boolean;
  busySince: number | null;
  stopping: boolean;
  /** Something to send, and the box can send it. */
  canSend: boolean;
  /** Earlier prompts wait in the queue: a new one joins them rather than going out at once. */
  queued?: boolean;
  /** Steering is possible for this session now; the reason it cannot take this prompt, if any. */
  steer: { blocked: string | null } | null;
  onSend: () => void;
  onSteer: () => void;
  onStop: () => void;
}

/** Send, or the running turn's clock with Queue, Send now (steer) and Stop. */
export function ComposerActions({ busy, busySince, stopping, canSend, queued = false, steer, onSend, onSteer, onStop }: Props) {
  const now = useClock(busy);
  if (!busy)
    return (
      <div className="prompt-actions">
        <button className="primary" onClick={onSend} disabled={!canSend} title={queued ? "Add to the queue, behind the prompts waiting (Enter)" : "Send (Enter)"} data-testid="send">
          {queued ? "Queue" : "Send"}
        </button>
      </div>
    );
  return (
    <div className="prompt-actions">
      <span className="working" role="status" data-testid="working">
        <span className="spinner" aria-hidden="true" />
        {stopping ? "Stopping…" : `Working ${busySince ? formatElapsed(now - busySince) : ""}`}
      </span>
      <span className="send-choice" role="group" aria-label="While the agent works">
        <button onClick={onSend} disabled={!canSend} title="Queue: sent when the turn ends (Enter)" data-testid="queue-prompt">
          Queue
        </button>
        {steer && (
          <button
            onClick={onSteer}
            disabled={!canSend || steer.blocked !== null}
            title={steer.blocked ?? "Send now into the running turn (Ctrl+Enter)"}
            data-testid="steer-prompt"
          >
            Send now (steer)
          </button>
        )}
      </span>
      <button className="danger" onClick={onStop} disabled={stopping} title="Stop the turn (Esc)" data-testid="stop">
        Stop
      </button>
    </div>
  );
}

/** The time now, ticking every second while `running`. */
function useClock(running: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!running) return;
    setNow(Date.now());
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [running]);
  return now;
}
