// Folds one session's event stream into what the chat and the timeline show.
//
// Sessions can run for hours and reach tens of thousands of events, so this is a mutable model
// with a version number (React re-renders when the version changes) rather than a reducer that
// copies every array on every token. Every rule here mirrors the engine's: events apply in
// `seq` order, a repeated `seq` is ignored, a gap means something was missed and the stored
// transcript must be re-read.
import type {
  Attachment,
  MessageOrigin,
  PromptAccepts,
  SessionControls,
  AgentExited,
  AgentInfo,
  AgentCommand,
  PermissionMode,
  SessionStarted,
  PermissionResolution,
  PlanEntry,
  RuleSet,
  RawOutput,
  SessionEvent,
  SessionStatus,
  ToolCall,
  ToolCallStatus,
  TurnEnded,
} from "../ipc";
import { FileChangeIndex, type FileChange } from "./fileChanges";
import { isTaskEvent, TaskIndex } from "./tasks";
import { isReviewEvent, ReviewIndex } from "./reviews";
import { inputTokens } from "../shared/format";

/** One row of the chat, in order. */
export type ChatEntry =
  /** A prompt: the person's, or feedback Warden sent for them (never shown as their words). */
  /** `attachments`: the files, folders and images it carried (absent in older tests' entries). */
  | { kind: "user"; turn: number; text: string; origin: MessageOrigin; attachments?: Attachment[] }
  /**
   * `held`: a read-only history sent this text later (see `holdTexts`): the `seq` of the event
   * that carries it, and whether it is still missing (`text` is then empty).
   */
  | { kind: "agent"; messageId: string; part: number; parent: string | null; thought: boolean; text: string; held?: HeldText }
  | { kind: "tool"; id: string }
  | { kind: "notice"; level: "info" | "warning"; text: string }
  | { kind: "turnEnded"; ended: TurnEnded }
  | { kind: "exited"; exited: AgentExited }
  | { kind: "raw"; raw: RawOutput };

/** A tool call with every update folded in. */
export interface ToolView {
  call: ToolCall;
  /** What the tool returned; null while none came, or after it was let go (see `outputSeq`). */
  output: string | null;
  /** `seq` of the event that carried the output, to read it back from the store. */
  outputSeq: number | null;
  /** The output was let go to keep memory bounded; the store still has it. */
  outputDropped: boolean;
  durationMs: number | null;
  /** Calls made by the subagent this call started. */
  children: string[];
  /** The last permission decision about this call (by the person, a rule or the mode). */
  decision: PermissionResolution | null;
  /**
   * The session's permission mode when that decision was made: a decision by the mode does not
   * say which mode it was, and the mode may have changed since.
   */
  decisionMode: PermissionMode | null;
  /** Files this call changed, as the file journal recorded them, oldest first. */
  fileOps: FileChange[];
}

/** Session totals. */
export interface Usage {
  turns: number;
  /** Input tokens, cached ones included. */
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

const TERMINAL: ToolCallStatus[] = ["completed", "failed", "denied", "cancelled"];

/** Whether a tool call may move from `from` to `to` (the engine's rule: never backwards). */
export function canBecome(from: ToolCallStatus, to: ToolCallStatus): boolean {
  if (TERMINAL.includes(from)) return false;
  switch (to) {
    case "pending":
      return false;
    case "awaitingPermission":
      return from === "pending" || from === "running";
    case "running":
      return from === "pending" || from === "awaitingPermission";
    default:
      return true;
  }
}

/**
 * Characters of tool output a transcript keeps in memory. A session that streams for hours
 * produces far more; past this, the oldest outputs are let go (the store keeps them, and an
 * expanded row reads its output back), so the window's memory stays bounded.
 */
export const OUTPUT_BUDGET = 16_000_000;

/** A chat text a read-only history sends after its events. */
export interface HeldText {
  /** The event that carries it. */
  seq: number;
  /** Its length in bytes, while it is missing; null once it arrived. */
  missing: number | null;
}

/** What applying events did. */
export type ApplyResult = "applied" | "gap";

/** The chat and timeline state of one session. */
export class Transcript {
  /** `seq` of the last event applied. */
  lastSeq = 0;
  /** Bumped on every change; views re-render when it moves. */
  version = 0;
  status: SessionStatus = "starting";
  entries: ChatEntry[] = [];
  tools = new Map<string, ToolView>();
  /** Top-level tool calls in the order they started (subagent calls hang under their parent). */
  timeline: string[] = [];
  plan: PlanEntry[] = [];
  usage: Usage = { turns: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 };
  /** Whether a turn is running (the prompt box is busy). */
  busy = false;
  /** When the running turn started (ms since the epoch), for the elapsed-time display. */
  turnStartedMs: number | null = null;
  /** The last turn that ended, for "context used" and the last turn's cost. */
  lastTurn: TurnEnded | null = null;
  /** The agent process as it last started, and what it said about itself. */
  started: SessionStarted | null = null;
  info: AgentInfo | null = null;
  /** The commands the agent runs after `/`, as it last listed them (null: it never listed any). */
  commands: AgentCommand[] | null = null;
  mode: PermissionMode | null = null;
  /** The model and effort in use and what the agent lets change, as last reported (null: not yet). */
  controls: SessionControls | null = null;
  /** What the agent's prompts accept, as it last said (null: not known yet, offer no images). */
  promptAccepts: PromptAccepts | null = null;
  /** The session's own permission rules ("allow for this session"), as last changed. */
  sessionRules: RuleSet = { allow: [], deny: [] };
  /** The files the agent changed, by op and by turn (each call's own are on its view). */
  files = new FileChangeIndex();
  /** The session's tasks: their rounds, checks, gate verdicts and feedback. */
  tasks = new TaskIndex();
  /** The reviews of the session's work (see `reviews.ts`). */
  reviews = new ReviewIndex();
  /** Where each top-level tool call sits in `entries`, so the timeline can scroll the chat to it. */
  toolEntry = new Map<string, number>();
  private chunkIndex = new Map<string, number>();
  /** Texts announced as coming later (by the `seq` of their event), and then their rows. */
  private heldBytes = new Map<number, number>();
  private heldEntries = new Map<number, number>();
  /** Characters of output held, and the calls holding it, oldest first. */
  private outputChars = 0;
  private outputQueue: string[] = [];

  constructor(private readonly outputBudget = OUTPUT_BUDGET) {}

  /** Puts back an output that was let go (read again from the store). */
  restoreOutput(id: string, text: string): void {
    const view = this.tools.get(id);
    if (!view || view.output !== null) return;
    this.keepOutput(view, text);
    this.version++;
  }

  private keepOutput(view: ToolView, text: string) {
    if (view.output !== null) this.outputChars -= view.output.length;
    view.output = text;
    view.outputDropped = false;
    this.outputChars += text.length;
    this.outputQueue.push(view.call.id);
    // Let go of the oldest outputs until within budget, but never of the one just kept.
    while (this.outputChars > this.outputBudget && this.outputQueue.length > 1) {
      const oldest = this.tools.get(this.outputQueue.shift() ?? "");
      if (!oldest || oldest === view || oldest.output === null) continue;
      this.outputChars -= oldest.output.length;
      oldest.output = null;
      oldest.outputDropped = true;
    }
  }

  /**
   * Says which of the events about to be applied come without their text (`bytes` long): their
   * rows are marked missing until `restoreTexts` brings the texts.
   */
  holdTexts(held: { seq: number; bytes: number }[]): void {
    for (const h of held) this.heldBytes.set(h.seq, h.bytes);
  }

  /** Puts in the texts a read-only history sent later; any other `seq`, or a second copy, is ignored. */
  restoreTexts(texts: { seq: number; text: string }[]): void {
    let changed = false;
    for (const { seq, text } of texts) {
      const entry = this.entries[this.heldEntries.get(seq) ?? -1];
      if (entry?.kind !== "agent" || entry.held?.seq !== seq || entry.held.missing === null) continue;
      entry.text = text;
      entry.held = { seq, missing: null };
      changed = true;
    }
    if (changed) this.version++;
  }

  /** The `seq`s of every text that came later, missing or not, in order. */
  heldTextSeqs(): number[] {
    return [...this.heldEntries.keys()].sort((a, b) => a - b);
  }

  /** What to call the session: `stored` (the record's title), else its first prompt's first line. */
  title(stored: string): string {
    if (stored) return stored;
    const first = this.entries.find((e) => e.kind === "user" && e.origin === "person");
    return (first?.kind === "user" ? first.text.split("\n")[0] : "") || "New session";
  }

  /** Applies events in order. Stops at a gap: the caller re-reads the store after `lastSeq`. */
  apply(events: SessionEvent[]): ApplyResult {
    let changed = false;
    for (const event of events) {
      if (event.seq <= this.lastSeq) continue;
      if (event.seq !== this.lastSeq + 1) {
        if (changed) this.version++;
        return "gap";
      }
      this.applyOne(event);
      this.lastSeq = event.seq;
      changed = true;
    }
    if (changed) this.version++;
    return "applied";
  }

  private applyOne(event: SessionEvent) {
    const kind = event.kind;
    if (isReviewEvent(kind)) {
      this.reviews.apply(kind, event.atMs);
      return;
    }
    if (isTaskEvent(kind)) {
      this.tasks.apply(kind, event.atMs);
      return;
    }
    switch (kind.type) {
      case "status":
        this.status = kind.data;
        if (kind.data === "running") {
          this.busy = true;
          this.turnStartedMs ??= event.atMs;
        } else if (kind.data !== "stopping") {
          this.busy = false;
          this.turnStartedMs = null;
        }
        break;
      case "userMessage":
        this.entries.push({ kind: "user", turn: kind.data.turn, text: kind.data.text, origin: kind.data.origin ?? "person", attachments: kind.data.attachments ?? [] });
        this.usage.turns = Math.max(this.usage.turns, kind.data.turn);
        this.busy = true;
        // A steer joins the running turn: its clock goes on.
        if (kind.data.origin !== "steer" || this.turnStartedMs === null) this.turnStartedMs = event.atMs;
        break;
      case "agentMessageChunk":
      case "agentThoughtChunk": {
        const thought = kind.type === "agentThoughtChunk";
        const { messageId, part, parent, text } = kind.data;
        const key = `${thought ? "t" : "m"}:${messageId}:${part}:${parent ?? ""}`;
        const at = this.chunkIndex.get(key);
        if (at !== undefined) {
          const entry = this.entries[at];
          if (entry?.kind === "agent") entry.text += text;
        } else {
          this.chunkIndex.set(key, this.entries.length);
          const missing = this.heldBytes.get(event.seq);
          if (missing === undefined) this.entries.push({ kind: "agent", messageId, part, parent, thought, text });
          else {
            this.heldBytes.delete(event.seq);
            this.heldEntries.set(event.seq, this.entries.length);
            this.entries.push({ kind: "agent", messageId, part, parent, thought, text, held: { seq: event.seq, missing } });
          }
        }
        break;
      }
      case "toolCall": {
        const call = kind.data;
        if (this.tools.has(call.id)) break;
        this.tools.set(call.id, { call: { ...call }, output: null, outputSeq: null, outputDropped: false, durationMs: null, children: [], decision: null, decisionMode: null, fileOps: [] });
        const parent = call.parent ? this.tools.get(call.parent) : undefined;
        if (parent) parent.children.push(call.id);
        else {
          this.timeline.push(call.id);
          this.toolEntry.set(call.id, this.entries.length);
          this.entries.push({ kind: "tool", id: call.id });
        }
        break;
      }
      case "toolCallUpdate": {
        const update = kind.data;
        const view = this.tools.get(update.id);
        if (!view) break;
        if (update.status && canBecome(view.call.status, update.status)) view.call.status = update.status;
        if (update.title) view.call.title = update.title;
        if (update.input !== null && update.input !== undefined) view.call.input = update.input;
        if (update.rawInput !== null && update.rawInput !== undefined) view.call.rawInput = update.rawInput;
        if (update.locations) view.call.locations = update.locations;
        if (update.output) {
          view.outputSeq = event.seq;
          // A stored transcript comes without large outputs; the store has them.
          if (update.output.elidedBytes != null) {
            if (view.output === null) view.outputDropped = true;
          } else this.keepOutput(view, update.output.text);
        }
        if (update.durationMs !== null && update.durationMs !== undefined) view.durationMs = update.durationMs;
        break;
      }
      case "plan":
        this.plan = kind.data.entries;
        break;
      case "permissionRequested":
        // Open questions are not kept here: the window goes by the backend's waiting list
        // (`features/permissions/waiting.ts`), which also holds those of sessions no tab follows.
        break;
      case "permissionResolved": {
        const id = kind.data.toolCallId;
        const view = id ? this.tools.get(id) : undefined;
        if (view) {
          view.decision = kind.data;
          view.decisionMode = this.mode;
        }
        break;
      }
      case "sessionRules":
        this.sessionRules = { allow: kind.data.allow ?? [], deny: kind.data.deny ?? [] };
        break;
      case "notice":
        this.entries.push({ kind: "notice", level: kind.data.level, text: kind.data.text });
        break;
      case "fileChanges": {
        const added = this.files.add(kind.data);
        const id = kind.data.toolCallId;
        const view = id ? this.tools.get(id) : undefined;
        if (view) view.fileOps.push(...added);
        break;
      }
      case "turnEnded":
        this.entries.push({ kind: "turnEnded", ended: kind.data });
        this.tasks.turnEnded(kind.data);
        // Cached input is still input the model read; Claude reports it apart.
        this.usage.inputTokens += inputTokens(kind.data);
        this.usage.outputTokens += kind.data.usage.outputTokens;
        // f64 crosses the IPC boundary as `number | null` (JSON has no NaN).
        this.usage.costUsd = kind.data.sessionCostUsd ?? this.usage.costUsd;
        this.busy = false;
        this.turnStartedMs = null;
        this.lastTurn = kind.data;
        break;
      case "agentExited":
        this.entries.push({ kind: "exited", exited: kind.data });
        this.busy = false;
        this.turnStartedMs = null;
        break;
      case "unrecognised":
        this.entries.push({ kind: "raw", raw: kind.data });
        break;
      case "started":
        this.started = kind.data;
        this.mode = kind.data.permissionMode;
        break;
      case "agentInfo":
        this.info = kind.data;
        break;
      case "agentCommands":
        this.commands = kind.data.commands;
        break;
      case "modeChanged":
        this.mode = kind.data;
        break;
      case "controls":
        this.controls = kind.data;
        break;
      case "promptAccepts":
        this.promptAccepts = kind.data;
        break;
    }
  }
}
