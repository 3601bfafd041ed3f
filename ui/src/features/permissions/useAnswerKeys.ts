// The permission modal's keyboard: Enter, Esc and single letters answer, but never while the
// person types in a field, never from a held key, and not in the first moments after the
// question comes to the front, when a key was most likely meant for the prompt box underneath
// (the arm delay, shared with the buttons: see `arming.ts`).
import { useEffect, useRef } from "react";
import { enterActivates, isTyping } from "./keys";

/** What the keys do; `letter` returns whether it used the (lower-case) key. */
export interface AnswerKeys {
  enter: () => void;
  escape: () => void;
  letter: (key: string) => boolean;
}

/**
 * Listens on the whole window, so the keys work wherever the focus went inside the modal (a
 * click on its text moves it to the page). `armed` is the modal's arm delay (`useArming`):
 * keys pressed before it says so are ignored.
 */
export function useAnswerKeys(keys: AnswerKeys, armed: () => boolean): void {
  const latest = useRef(keys);
  latest.current = keys;

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
}
