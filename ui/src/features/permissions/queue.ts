// Which waiting permission question the window puts in front of the person, and which ones it
// only points at. The backend's window-wide waiting list is the truth; these are pure functions
// over it so the rules (oldest first, who counts as "more") are tested without a window.
import type { SessionId, WaitingRequest } from "../../ipc";

/**
 * A waiting question's identity across the window. Request ids are the agent's own and only
 * unique within one session, so the session is part of the key.
 */
export function requestKey(waiting: WaitingRequest): string {
  return `${waiting.sessionId}\u0000${waiting.request.requestId}`;
}

/** The list oldest first; questions asked in the same millisecond keep the backend's order. */
export function oldestFirst(list: readonly WaitingRequest[]): WaitingRequest[] {
  // Array.prototype.sort is stable, so ties stay in the order the backend listed them.
  return [...list].sort((a, b) => a.atMs - b.atMs);
}

/** The question the modal shows for the session in front, and how many others wait anywhere. */
export interface FrontTurn {
  current: WaitingRequest;
  /** Every other waiting question: later ones of this session and all of other sessions. */
  more: number;
}

/** The oldest question of the session in front, or null when it has none (or none is in front). */
export function frontTurn(list: readonly WaitingRequest[], sessionId: SessionId | null): FrontTurn | null {
  if (sessionId === null) return null;
  const current = oldestFirst(list).find((w) => w.sessionId === sessionId);
  return current ? { current, more: list.length - 1 } : null;
}

/** What the attention strip points at: a question waiting where the person is not looking. */
export interface Elsewhere {
  /** The oldest question outside the session in front. */
  waiting: WaitingRequest;
  /** The other questions waiting besides that one. */
  more: number;
}

/**
 * The oldest question outside the session in front, when the session in front has none (it
 * then shows its own in the modal, whose count already includes these).
 */
export function elsewhere(list: readonly WaitingRequest[], sessionId: SessionId | null): Elsewhere | null {
  if (sessionId !== null && list.some((w) => w.sessionId === sessionId)) return null;
  const [oldest] = oldestFirst(list);
  return oldest ? { waiting: oldest, more: list.length - 1 } : null;
}

/** How many questions wait in each session (sessions without any are absent). */
export function countBySession(list: readonly WaitingRequest[]): Map<SessionId, number> {
  const counts = new Map<SessionId, number>();
  for (const w of list) counts.set(w.sessionId, (counts.get(w.sessionId) ?? 0) + 1);
  return counts;
}

/**
 * The answered questions that are still listed. A question answered here stays on screen (its
 * buttons off) until the backend drops it from the list; once dropped it is forgotten, so the
 * set never grows over a long day.
 */
export function stillListed(answered: ReadonlySet<string>, list: readonly WaitingRequest[]): Set<string> {
  const listed = new Set(list.map(requestKey));
  return new Set([...answered].filter((key) => listed.has(key)));
}
