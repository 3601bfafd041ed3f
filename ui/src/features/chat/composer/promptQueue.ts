// The prompts a person wrote while a turn was running, waiting to go out in order. One queue
// per session, kept outside the prompt box so it survives switching tabs and keeps sending
// while another session is in front. The queue sends its head only when the session is ready,
// and the next one only after the turn the previous one started has ended too.
import { Observable } from "../../../shared/observable";
import type { ComposedPrompt } from "./composed";

/** One prompt waiting in the queue. */
export interface QueuedPrompt {
  /** Stable within the queue, for keys, editing and moving. */
  id: number;
  prompt: ComposedPrompt;
}

/** What the queue shows. */
export interface QueueState {
  items: readonly QueuedPrompt[];
  /** Why the queue holds although it could send (the last turn was stopped, a send failed); null when it runs. */
  paused: string | null;
  /** The item being edited: the queue does not send it until the edit is done. */
  editing: number | null;
}

/** What the queue needs to know about its session, read again on every change of it. */
export interface SessionSnapshot {
  status: string;
  /** A turn is running. */
  busy: boolean;
  /** The highest turn number the session has seen start. */
  turns: number;
  /** The last turn that ended: which one and why. */
  lastTurn: { turn: number; stopReason: string } | null;
}

/** Sends a prompt now; resolves to null when it went out, or to why it did not. */
export type QueueSend = (prompt: ComposedPrompt) => Promise<string | null>;

/** Turn endings after which the queue waits for the person instead of going on by itself. */
const HOLDING_ENDS = new Map([
  ["cancelled", "The turn was stopped — the queue waits for you"],
  ["error", "The turn failed — the queue waits for you"],
]);

/** One session's queue of prompts. */
export class PromptQueue {
  private readonly observable = new Observable<QueueState>({ items: [], paused: null, editing: null });
  private nextId = 1;
  /** A send is under way. */
  private sending = false;
  /** The queue sent a prompt when the session had seen this many turns; it waits for that turn to end. */
  private waitingAfter: number | null = null;
  /** The last ended turn the queue has taken into account (a stopped turn pauses it once). */
  private seenTurn: number | null = null;
  private last: SessionSnapshot | null = null;

  constructor(private readonly send: QueueSend) {}

  /** The state now. */
  readonly get = (): QueueState => this.observable.get();
  /** Calls `listener` after every change. Returns the unsubscribe. */
  readonly subscribe = (listener: () => void): (() => void) => this.observable.subscribe(listener);

  /** Puts a prompt at the end of the queue; `session` is the session as it is now. */
  add(prompt: ComposedPrompt, session: SessionSnapshot): void {
    // A turn that ended before anything was queued says nothing about the queue.
    if (this.get().items.length === 0) this.seenTurn = session.lastTurn?.turn ?? null;
    this.update({ items: [...this.get().items, { id: this.nextId++, prompt }] });
    this.pump(session);
  }

  /** Replaces the text of a queued prompt (its attachments stay). */
  edit(id: number, text: string): void {
    this.update({ items: this.get().items.map((q) => (q.id === id ? { ...q, prompt: { ...q.prompt, text } } : q)) });
  }

  /** Takes a prompt out of the queue. */
  remove(id: number): void {
    const items = this.get().items.filter((q) => q.id !== id);
    this.update({ items, editing: this.get().editing === id ? null : this.get().editing, paused: items.length ? this.get().paused : null });
  }

  /** Moves a queued prompt to position `to` (0 is sent first). */
  move(id: number, to: number): void {
    const items = [...this.get().items];
    const from = items.findIndex((q) => q.id === id);
    if (from < 0) return;
    const target = Math.max(0, Math.min(items.length - 1, to));
    if (target === from) return;
    const [moved] = items.splice(from, 1);
    if (moved) items.splice(target, 0, moved);
    this.update({ items });
  }

  /** Marks an item as being edited (or none); the queue holds that item back meanwhile. */
  setEditing(id: number | null): void {
    this.update({ editing: id });
    if (id === null && this.last) this.pump(this.last);
  }

  /** Lets a paused queue go on. */
  resume(): void {
    this.seenTurn = this.last?.lastTurn?.turn ?? this.seenTurn;
    this.update({ paused: null });
    if (this.last) this.pump(this.last);
  }

  /** Takes every queued prompt out (e.g. to put them back in the box). */
  takeAll(): QueuedPrompt[] {
    const items = [...this.get().items];
    this.update({ items: [], paused: null, editing: null });
    return items;
  }

  /** Looks at the session as it is now and sends the head of the queue if its turn has come. */
  pump(session: SessionSnapshot): void {
    this.last = session;
    const state = this.get();
    if (this.waitingAfter !== null) {
      const over = session.status === "stopped" || session.status === "crashed";
      if (over || (session.turns > this.waitingAfter && !session.busy)) this.waitingAfter = null;
      else return;
    }
    if (this.sending || state.paused !== null || state.items.length === 0) return;
    if (session.status !== "ready" || session.busy) return;
    const ended = session.lastTurn;
    if (ended && ended.turn !== this.seenTurn) {
      this.seenTurn = ended.turn;
      const hold = HOLDING_ENDS.get(ended.stopReason);
      if (hold) {
        this.update({ paused: hold });
        return;
      }
    }
    const head = state.items[0];
    if (!head || state.editing === head.id) return;
    this.sending = true;
    const mark = session.turns;
    void this.send(head.prompt).then(
      (failed) => this.sent(head.id, mark, failed),
      (e: unknown) => this.sent(head.id, mark, String(e)),
    );
  }

  private sent(id: number, mark: number, failed: string | null) {
    this.sending = false;
    if (failed !== null) {
      // The prompt stays at the head, so nothing is lost; the person decides what next.
      this.update({ paused: `Could not send the next prompt: ${failed}` });
      return;
    }
    this.waitingAfter = mark;
    this.update({ items: this.get().items.filter((q) => q.id !== id), editing: this.get().editing === id ? null : this.get().editing });
    if (this.last) this.pump(this.last);
  }

  private update(change: Partial<QueueState>) {
    this.observable.set({ ...this.get(), ...change });
  }
}
