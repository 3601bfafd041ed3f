// Where the person is looking, and where the window was asked to look. The project view owns
// its tabs; it publishes the session in front so the window-level attention strip knows what is
// already on screen, and it takes "show this session" requests (a notification click, the
// strip's Show button) that the window raises before the project is even in front.
import { useEffect, useRef } from "react";
import type { SessionId } from "../../ipc";
import { Observable, useObservable } from "../../shared/observable";

/** The project in front (its folder) and its session in front; null parts when there is none. */
export interface Front {
  project: string | null;
  sessionId: SessionId | null;
}

const nothing: Front = { project: null, sessionId: null };

/** The session the person sees. */
export const front = new Observable<Front>(nothing);

/** Publishes what the project view shows; a new object only when something changed. */
export function setFront(project: string | null, sessionId: SessionId | null): void {
  const now = front.get();
  if (now.project !== project || now.sessionId !== sessionId) front.set(project === null && sessionId === null ? nothing : { project, sessionId });
}

/** The session in front; re-renders when it changes. */
export function useFront(): Front {
  return useObservable(front);
}

/** A session the window was asked to bring to the front. */
export interface ShowRequest {
  project: string;
  sessionId: SessionId;
  /** Only the view of this project id takes it (two hosts can have a folder of the same path). */
  view?: string;
}

/** The latest request not yet taken by its project's view (a newer click replaces it). */
const wanted = new Observable<ShowRequest | null>(null);

/**
 * Asks the view of `project` to open `sessionId` in a tab and bring it forward; with `view`,
 * only the view of that project id (a remote project's, whose folder path another host or this
 * machine may have too).
 */
export function askToShow(project: string, sessionId: SessionId, view?: string): void {
  wanted.set(view === undefined ? { project, sessionId } : { project, sessionId, view });
}

/**
 * Opens the sessions the window asks this project's view to show: one asked before the view
 * mounted (its project was not in front yet) and any asked while it is on screen.
 */
export function useShowRequests(project: string, open: (sessionId: SessionId) => void, view?: string): void {
  const latest = useRef(open);
  latest.current = open;
  useEffect(() => {
    const take = () => {
      const request = wanted.get();
      if (!request || request.project !== project || (request.view !== undefined && request.view !== view)) return;
      wanted.set(null);
      latest.current(request.sessionId);
    };
    take();
    return wanted.subscribe(take);
  }, [project, view]);
}
