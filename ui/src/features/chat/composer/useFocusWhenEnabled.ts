// The prompt box has the keyboard whenever the person can type. A request for the focus (the
// tab was opened, a shortcut) is remembered until the box can take it: a disabled textarea
// ignores focus(), and during start-up or after Resume the box is disabled for a while, so
// focusing at the moment of the request did nothing. The request is honoured once the box is
// enabled. The box also takes the focus when it becomes enabled while nothing else holds it
// (the Resume button that had it is gone), and never from an open dialog.
import { useEffect, useRef, type RefObject } from "react";

/** Whether the focus may move to the box now without taking it from something the person uses. */
function mayTake(el: HTMLElement, requested: boolean): boolean {
  const active = document.activeElement;
  if (!active || active === document.body || active === el) return true;
  // A dialog (a permission question, a confirmation) keeps the keyboard.
  if (active.closest("[role=dialog], [role=alertdialog], dialog")) return false;
  return requested;
}

/**
 * Focuses `ref` once it is enabled after each change of `token` (and after mounting), and when
 * it becomes enabled while the focus is nowhere.
 */
export function useFocusWhenEnabled(ref: RefObject<HTMLTextAreaElement | null>, enabled: boolean, token: unknown): void {
  // Mounting is a request: the box appears because its session was opened or resumed.
  const pending = useRef(true);
  const seenToken = useRef(token);

  // Runs before the effect below in the same commit: a new token is a new request.
  useEffect(() => {
    if (seenToken.current === token) return;
    seenToken.current = token;
    pending.current = true;
  }, [token]);

  useEffect(() => {
    const el = ref.current;
    if (!el || !enabled || el.disabled) return;
    if (mayTake(el, pending.current)) el.focus();
    pending.current = false;
  }, [ref, enabled, token]);
}
