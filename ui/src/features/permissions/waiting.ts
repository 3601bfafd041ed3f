// The window-wide list of permission questions waiting for the person: read once, then
// replaced by every `permissions-waiting` event. It covers every session of the window, also
// those without a tab, so no question is lost because nobody had its session open.
import { useSyncExternalStore } from "react";
import { permissions, type WaitingRequest } from "../../ipc";
import { oldestFirst, requestKey, stillListed } from "./queue";

/** Where the list comes from (the real IPC, or a fake in tests). */
export interface WaitingSource {
  waiting: () => Promise<WaitingRequest[]>;
  onWaiting: (handler: (list: WaitingRequest[]) => void) => Promise<() => void>;
}

/** The waiting questions, followed while anyone in the window reads them. */
export class WaitingList {
  private list: WaitingRequest[] = [];
  private answered = new Set<string>();
  private readonly listeners = new Set<() => void>();
  /** Bumped on every (dis)connect, so a late reply of an older connection is dropped. */
  private generation = 0;
  private unlisten: (() => void) | null = null;

  constructor(private readonly source: WaitingSource) {}

  /** The questions, oldest first (stable between changes). */
  readonly get = (): WaitingRequest[] => this.list;

  /** Follows the backend while at least one listener is subscribed. Returns the unsubscribe. */
  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    if (this.listeners.size === 1) this.connect();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.disconnect();
    };
  };

  /** Whether this window already answered the question (it stays listed until the backend drops it). */
  isAnswered(waiting: WaitingRequest): boolean {
    return this.answered.has(requestKey(waiting));
  }

  /** Records an answer the backend accepted, so no view offers the question a second time. */
  markAnswered(waiting: WaitingRequest): void {
    const key = requestKey(waiting);
    // A question already gone from the list needs no mark.
    if (this.list.some((w) => requestKey(w) === key)) this.answered.add(key);
  }

  private connect() {
    const generation = ++this.generation;
    let heard = false;
    // Listen first, then read: a change in between is not missed, and once an event came the
    // read (which may be older) is dropped.
    void this.source
      .onWaiting((list) => {
        if (generation !== this.generation) return;
        heard = true;
        this.receive(list);
      })
      .then((unlisten) => {
        if (generation !== this.generation) {
          unlisten();
          return;
        }
        this.unlisten = unlisten;
        return this.source.waiting().then((list) => {
          if (generation === this.generation && !heard) this.receive(list);
        });
      })
      .catch((error: unknown) => console.error("could not follow the waiting permission questions", error));
  }

  private disconnect() {
    this.generation++;
    this.unlisten?.();
    this.unlisten = null;
  }

  private receive(list: WaitingRequest[]) {
    this.list = oldestFirst(list);
    this.answered = stillListed(this.answered, this.list);
    for (const listener of [...this.listeners]) listener();
  }
}

/** The window's waiting questions. */
export const waitingList = new WaitingList(permissions);

/** Every waiting question of the window, oldest first; re-renders when the list changes. */
export function useWaiting(): WaitingRequest[] {
  return useSyncExternalStore(waitingList.subscribe, waitingList.get);
}
