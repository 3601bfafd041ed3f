// Where the person writes to the agent. Enter (or Ctrl/Cmd+Enter) sends, Shift+Enter starts a
// new line; while a turn runs the box says so, keeps what you type, and offers Stop (Esc).
import { useEffect, useRef, useState, type KeyboardEvent } from "react";
import { formatElapsed } from "../../shared/format";

interface Props {
  /** A turn is running. */
  busy: boolean;
  /** Since when (ms since the epoch), for the clock. */
  busySince: number | null;
  /** The session cannot take prompts now (starting, stopping, stopped); says why. */
  disabledReason: string | null;
  /** A stop was asked for and is under way. */
  stopping: boolean;
  onSend: (text: string) => Promise<boolean>;
  onStop: () => void;
  /** Bumped to move the keyboard focus into the box. */
  focusToken?: number;
}

/** The multi-line prompt box with Send and Stop. */
export function PromptBox({ busy, busySince, disabledReason, stopping, onSend, onStop, focusToken }: Props) {
  const [text, setText] = useState("");
  const [sending, setSending] = useState(false);
  const area = useRef<HTMLTextAreaElement>(null);
  const now = useClock(busy);

  useEffect(() => {
    area.current?.focus();
  }, [focusToken]);

  const canSend = !busy && !sending && !disabledReason && text.trim().length > 0;
  const send = async () => {
    if (!canSend) return;
    setSending(true);
    const sent = await onSend(text);
    setSending(false);
    // A prompt that did not go out stays in the box, so nothing typed is lost.
    if (sent) setText("");
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      void send();
    } else if (e.key === "Escape" && busy) {
      e.preventDefault();
      onStop();
    }
  };

  return (
    <div className={busy ? "prompt-box busy" : "prompt-box"} data-testid="prompt-box" aria-busy={busy}>
      <textarea
        ref={area}
        value={text}
        rows={Math.min(10, Math.max(2, text.split("\n").length))}
        placeholder={disabledReason ?? (busy ? "The agent is working — you can write your next prompt" : "Ask the agent… (Enter sends, Shift+Enter for a new line)")}
        aria-label="Prompt"
        disabled={disabledReason !== null && !busy}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKeyDown}
      />
      <div className="prompt-actions">
        {busy ? (
          <>
            <span className="working" role="status" data-testid="working">
              <span className="spinner" aria-hidden="true" />
              {stopping ? "Stopping…" : `Working ${busySince ? formatElapsed(now - busySince) : ""}`}
            </span>
            <button className="danger" onClick={onStop} disabled={stopping} title="Stop the turn (Esc)" data-testid="stop">
              Stop
            </button>
          </>
        ) : (
          <button className="primary" onClick={() => void send()} disabled={!canSend} title="Send (Enter)" data-testid="send">
            Send
          </button>
        )}
      </div>
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
