// Keeps the window's open sessions: one transcript per session, fed by the stored backlog and
// then by the live channel, for as long as the session is open in a tab — whether or not the
// tab is in front, so every session keeps streaming while you look at another.
import type { ElidedText, HistoryText, IpcError, Outcome, OutputMatches, SessionEvent, SessionId, ToolOutput } from "../ipc";
import { TextPages } from "./historyTexts";
import { Transcript } from "./transcript";

/** What the hub needs from the backend (the real `sessions` IPC, or a fake in tests). */
export interface SessionSource {
  events: (id: SessionId, afterSeq: number) => Promise<Outcome<SessionEvent[]>>;
  event: (id: SessionId, seq: number) => Promise<Outcome<SessionEvent | null>>;
  subscribe: (
    id: SessionId,
    afterSeq: number,
    onEvent: (event: SessionEvent) => void,
  ) => Promise<{ backlog: Outcome<SessionEvent[]>; detach: () => void }>;
}

/** Where a transcript's events come from. */
export type Feed =
  /** A Warden session: the store's backlog, then live events. */
  | { kind: "live" }
  /**
   * A read-only transcript loaded once (an existing Claude Code session not yet imported). Large
   * tool outputs come without their text; `output` reads one back by its tool call.
   */
  | {
      kind: "static";
      load: () => Promise<Outcome<StaticTranscript>>;
      /** Reads the texts `load` left out of events `fromSeq..=toSeq`, from the state `snapshot` it named. */
      texts?: (snapshot: string, fromSeq: number, toSeq: number) => Promise<Outcome<HistoryText[]>>;
      output?: (toolId: string) => Promise<Outcome<ToolOutput | null>>;
      /** Counts `needle` in the outputs left out (by their `seq`s), for Ctrl+F. */
      outputMatches?: (seqs: number[], needle: string) => Promise<Outcome<OutputMatches[]>>;
    };

/** A read-only transcript as loaded: its events, and the chat texts that come later (see `texts`). */
export interface StaticTranscript {
  events: SessionEvent[];
  /** Which state of the transcript the events are of, to read the texts from the same. */
  snapshot?: string;
  /** Events sent without their text. */
  elidedTexts?: ElidedText[];
}

/** One session open in the window. */
export class OpenSession {
  readonly transcript: Transcript;
  /** The stored transcript has been applied (the view may show it). */
  loaded = false;
  /** Bumped on every change, including loading and errors; views re-render when it moves. */
  revision = 0;
  error: IpcError | null = null;
  private detach: (() => void) | null = null;
  /** Live events that arrived before the backlog did. */
  private early: SessionEvent[] | null = [];
  private resyncing = false;
  private closed = false;
  /** The texts a read-only history sends later, read as their rows come into view. */
  private textPages: TextPages | null = null;

  constructor(
    readonly id: SessionId,
    readonly feed: Feed,
    private readonly source: SessionSource,
    private readonly notify: (session: OpenSession, events: SessionEvent[]) => void,
  ) {
    // A read-only history that cannot read outputs back keeps all of them.
    this.transcript = feed.kind === "static" && !feed.output ? new Transcript(Infinity) : new Transcript();
  }

  private changed(session: OpenSession, events: SessionEvent[]) {
    this.revision++;
    this.notify(session, events);
  }

  /** Whether this transcript can change (a live session) or is a read-only history. */
  get readOnly(): boolean {
    return this.feed.kind === "static";
  }

  /** Loads the stored transcript and follows the live stream. */
  async attach(): Promise<void> {
    if (this.feed.kind === "static") {
      const feed = this.feed;
      const loaded = await feed.load();
      if (loaded.ok) {
        const { events, snapshot, elidedTexts = [] } = loaded.value;
        this.transcript.holdTexts(elidedTexts);
        this.transcript.apply(events);
        // For `make bench-ui`, which times opening a history: the events are applied, not drawn yet.
        globalThis.performance?.mark?.(HISTORY_APPLIED);
        if (feed.texts && snapshot !== undefined && elidedTexts.length > 0) {
          const read = feed.texts;
          this.textPages = new TextPages(
            elidedTexts.map((e) => e.seq),
            (from, to) => read(snapshot, from, to),
            (texts) => {
              if (this.closed) return;
              this.transcript.restoreTexts(texts);
              this.changed(this, []);
            },
          );
        }
      } else this.error = loaded.error;
      this.loaded = true;
      // No events passed on: a read-only history has no stored record to refresh, and telling
      // the session lists so made them read theirs again while a long history was opening.
      this.changed(this, []);
      return;
    }
    // Subscribe first and read the backlog in the same call: an event stored in between comes
    // both ways and the transcript keeps one copy by `seq`.
    const { backlog, detach } = await this.source.subscribe(this.id, this.transcript.lastSeq, (event) => this.receive(event));
    if (this.closed) {
      detach();
      return;
    }
    this.detach = detach;
    if (!backlog.ok) {
      this.error = backlog.error;
      this.loaded = true;
      this.changed(this, []);
      return;
    }
    const early = this.early ?? [];
    this.early = null;
    this.loaded = true;
    this.ingest([...backlog.value, ...early]);
  }

  /**
   * Reads the text of event `seq` (and the others of its page) that a read-only history sent
   * later; nothing when it has it or is reading it already.
   */
  async loadText(seq: number): Promise<void> {
    const pages = this.textPages;
    if (!pages) return;
    const before = pages.error;
    await pages.want(seq);
    if (pages.error !== before && !this.closed) this.changed(this, []);
  }

  /** Why the texts a read-only history sends later could not all be read, if they could not. */
  get textError(): string | null {
    return this.textPages?.error ?? null;
  }

  /** Reads back from the store a tool output the transcript does not hold; throws if it cannot. */
  async loadOutput(toolId: string): Promise<void> {
    if (this.feed.kind === "static") {
      if (!this.feed.output) throw new Error("this output is not in the transcript");
      const got = await this.feed.output(toolId);
      if (!got.ok) throw new Error(got.error.message);
      if (!got.value) throw new Error("the transcript has no output for this tool call");
      this.transcript.restoreOutput(toolId, got.value.text);
      this.changed(this, []);
      return;
    }
    const seq = this.transcript.tools.get(toolId)?.outputSeq;
    if (!seq || this.readOnly) throw new Error("this output is not in the store");
    const got = await this.source.event(this.id, seq);
    if (!got.ok) throw new Error(got.error.message);
    const kind = got.value?.kind;
    if (kind?.type !== "toolCallUpdate" || !kind.data.output) throw new Error(`event ${seq} carries no output`);
    this.transcript.restoreOutput(toolId, kind.data.output.text);
    this.changed(this, []);
  }

  /** Stops following the session. */
  close(): void {
    this.closed = true;
    this.detach?.();
    this.detach = null;
  }

  /** Re-reads the stored transcript after the last applied event, e.g. after a gap. */
  async resync(): Promise<void> {
    if (this.resyncing || this.closed) return;
    this.resyncing = true;
    try {
      const missed = await this.source.events(this.id, this.transcript.lastSeq);
      if (missed.ok) this.ingest(missed.value);
      else {
        this.error = missed.error;
        this.changed(this, []);
      }
    } finally {
      this.resyncing = false;
    }
  }

  private receive(event: SessionEvent) {
    if (this.closed) return;
    if (this.early) this.early.push(event);
    else this.ingest([event]);
  }

  private ingest(events: SessionEvent[]) {
    const sorted = events.length > 1 ? [...events].sort((a, b) => a.seq - b.seq) : events;
    const result = this.transcript.apply(sorted);
    this.changed(this, sorted);
    // A gap means an event was missed (the channel only carries what was sent after
    // subscribing); the store has it, so re-read from there.
    if (result === "gap") void this.resync();
  }
}

/** Every session open in the window, and who wants to hear when one changes. */
export class SessionHub {
  private readonly sessions = new Map<SessionId, OpenSession>();
  private readonly listeners = new Set<(session: OpenSession) => void>();
  private readonly recordListeners = new Set<() => void>();

  constructor(private readonly source: SessionSource) {}

  /** The open session with this id, opening (and loading) it if needed. */
  open(id: SessionId, feed: Feed = { kind: "live" }): OpenSession {
    const existing = this.sessions.get(id);
    if (existing && existing.feed.kind === feed.kind) return existing;
    existing?.close();
    const session = new OpenSession(id, feed, this.source, (s, events) => this.notify(s, events));
    this.sessions.set(id, session);
    void session.attach();
    return session;
  }

  /** The open session with this id, if any. */
  get(id: SessionId): OpenSession | undefined {
    return this.sessions.get(id);
  }

  /** Stops following a session and frees its transcript. */
  close(id: SessionId): void {
    this.sessions.get(id)?.close();
    this.sessions.delete(id);
  }

  /** Calls `listener` whenever an open session's transcript changes. Returns the unsubscribe. */
  onChange(listener: (session: OpenSession) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Calls `listener` when a session's stored record (status, title, cost) has probably changed. */
  onRecordChange(listener: () => void): () => void {
    this.recordListeners.add(listener);
    return () => this.recordListeners.delete(listener);
  }

  /** Tells record listeners to re-read (after a command that changes a record). */
  recordsChanged(): void {
    for (const listener of this.recordListeners) listener();
  }

  private notify(session: OpenSession, events: SessionEvent[]) {
    for (const listener of this.listeners) listener(session);
    if (events.some((e) => RECORD_EVENTS.has(e.kind.type))) this.recordsChanged();
  }
}

/** The performance mark set when a read-only history's events are applied (see `attach`). */
export const HISTORY_APPLIED = "warden:history-applied";

/** Events after which a session list shows something else (status, title, turns, cost). */
const RECORD_EVENTS = new Set<SessionEvent["kind"]["type"]>(["status", "userMessage", "turnEnded", "agentExited"]);
