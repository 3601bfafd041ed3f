// The arm delay of the permission modal: for a moment after a question comes to the front, no
// answer is taken, by key or by click. A key press or a click in that moment was aimed at what
// was there before (the prompt box, the previous question's button under the pointer), so it
// must not answer a question the person has not seen yet. Keys and buttons ask the same clock.
import { useCallback, useEffect, useRef, useState } from "react";

/** Answers are ignored this long after a question comes to the front. */
export const ARM_DELAY_MS = 300;

/** What a modal needs to know about its arm delay. */
export interface Arming {
  /** Whether answers count yet (read at the moment of the key press or click). */
  armed: () => boolean;
  /** The same, as render state: false while arming, for the buttons' look only. */
  live: boolean;
}

/**
 * Arms once per question: `questionKey` names the question in front, and a new key (a new
 * question at the front, the queue moving on) starts the delay again even if the modal was not
 * remounted. The clock, not the render state, decides: a click that lands before React
 * re-rendered is still judged by the time it happened.
 */
export function useArming(questionKey: string, delayMs: number): Arming {
  const liveFrom = useRef({ key: questionKey, at: Date.now() + delayMs });
  // During render, so the very first click after the change already sees the new deadline.
  if (liveFrom.current.key !== questionKey) liveFrom.current = { key: questionKey, at: Date.now() + delayMs };
  const armed = useCallback(() => Date.now() >= liveFrom.current.at, []);

  const [liveKey, setLiveKey] = useState<string | null>(delayMs <= 0 ? questionKey : null);
  useEffect(() => {
    const wait = liveFrom.current.at - Date.now();
    if (wait <= 0) {
      setLiveKey(questionKey);
      return;
    }
    const timer = setTimeout(() => setLiveKey(questionKey), wait);
    return () => clearTimeout(timer);
  }, [questionKey]);

  return { armed, live: liveKey === questionKey && armed() };
}
