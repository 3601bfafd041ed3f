// The permission modal's keyboard: Enter, Esc and single letters answer, but never while the
// person types in a field, never from a held key, and not in the first moments after the
// question appears, when a key was most likely meant for the prompt box underneath.
import { useCallback, useEffect, useRef } from "react";
import { enterActivates, isTyping } from "./keys";

/** What the keys do; `letter` returns whether it used the (lower-case) key. */
export interface AnswerKeys {
  enter: () => void;
  escape: () => void;
  letter: (key: string) => boolean;
}

/**
 * Listens on the whole window, so the keys work wherever the focus went inside the modal (a
 * click on its text moves it to the page). Returns whether keys are live yet, for handlers that
 * receive keys another way (the dialog's own Esc).
 */
export function useAnswerKeys(keys: AnswerKeys, armDelayMs: number): () => boolean {
  const latest = useRef(keys);
  latest.current = keys;
  const liveFrom = useRef(0);
  if (liveFrom.current === 0) liveFrom.current = Date.now() + armDelayMs;
  const armed = useCallback(() => Date.now() >= liveFrom.current, []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.repeat || e.isComposing || e.ctrlKey || e.metaKey || e.altKey) return;
      if (!armed()) return;
      // Esc only gets here when the focus is outside the dialog, which handles its own.
      if (e.key === "Escape") {
        e.preventDefault();
        latest.current.escape();
        return;
      }
      // Fields handle Enter themselves (confirm a rule, send a message); letters are text there.
      if (isTyping(e.target)) return;
      if (e.key === "Enter") {
        if (enterActivates(e.target)) return;
        e.preventDefault();
        latest.current.enter();
      } else if (e.key.length === 1 && latest.current.letter(e.key.toLowerCase())) {
        e.preventDefault();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [armed]);

  return armed;
}
