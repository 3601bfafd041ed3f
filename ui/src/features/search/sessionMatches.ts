// Where a text occurs in the transcript a session's window holds: prompts, answers, thinking,
// notices, each tool call's title and input and its output, in the order the chat shows them
// (a subagent's calls under the call that started it). Outputs the window let go of are counted
// by the backend (`search.sessionOutputs`) and come in as `stored`, by the `seq` that carried them.
import type { Transcript, ToolView } from "../../model/transcript";
import { describeInput, type InputView } from "../timeline/toolInput";

/** One occurrence of the searched text, in chat order. */
export interface SessionMatch {
  /** The chat row (entry index) it is in. */
  entry: number;
  /** The tool call it is in (a nested call for a subagent's), null outside tool calls. */
  toolId: string | null;
  /** The row is a thinking block (shown folded). */
  thought: boolean;
  /** Which text of the row: its own text, a tool's title and input, a tool's output. */
  field: "text" | "input" | "output";
  /** Which occurrence within the row (0-based), in the order the row shows its texts. */
  nthInRow: number;
}

/** The text searched for, as compared: case ignored. */
export function normalise(needle: string): string {
  return needle.trim().toLowerCase();
}

/** Occurrences of `needle` (already normalised) in `text`, case ignored, not overlapping. */
export function countIn(text: string, needle: string): number {
  if (!needle || text.length < needle.length) return 0;
  const hay = text.toLowerCase();
  let count = 0;
  for (let at = hay.indexOf(needle); at !== -1; at = hay.indexOf(needle, at + needle.length)) count++;
  return count;
}

/**
 * The `seq`s of the outputs the window does not hold, for the backend to search; and of every
 * chat text a read-only history sent later, arrived or not, so the set (and the backend's
 * search) does not change as they arrive: a missing one is counted by the backend, an arrived
 * one here, the same count either way.
 */
export function droppedOutputs(t: Transcript): number[] {
  const seqs: number[] = t.heldTextSeqs();
  for (const view of t.tools.values()) {
    if (view.output === null && view.outputDropped && view.outputSeq !== null) seqs.push(view.outputSeq);
  }
  return seqs.sort((a, b) => a - b);
}

/** Every occurrence of `needle` (normalised) in the transcript, in chat order. */
export function findMatches(t: Transcript, needle: string, stored: ReadonlyMap<number, number>): SessionMatch[] {
  const matches: SessionMatch[] = [];
  if (!needle) return matches;
  t.entries.forEach((entry, index) => {
    let nth = 0;
    const add = (count: number, field: SessionMatch["field"], toolId: string | null, thought = false) => {
      for (let i = 0; i < count; i++) matches.push({ entry: index, toolId, thought, field, nthInRow: nth++ });
    };
    switch (entry.kind) {
      case "user":
      case "notice":
        add(countIn(entry.text, needle), "text", null);
        break;
      case "agent": {
        const missing = entry.held && entry.held.missing !== null;
        add(missing ? (stored.get(entry.held?.seq ?? 0) ?? 0) : countIn(entry.text, needle), "text", null, entry.thought);
        break;
      }
      case "tool": {
        const visit = (id: string) => {
          const view = t.tools.get(id);
          if (!view) return;
          add(countIn(toolInputText(view), needle), "input", id);
          const output = view.output !== null ? countIn(view.output, needle) : view.outputSeq !== null ? (stored.get(view.outputSeq) ?? 0) : 0;
          add(output, "output", id);
          view.children.forEach(visit);
        };
        visit(entry.id);
        break;
      }
      default:
        break;
    }
  });
  return matches;
}

/** A tool call's title and input as its row and details show them. */
export function toolInputText(view: ToolView): string {
  return [view.call.title, inputViewText(describeInput(view.call))].filter(Boolean).join("\n");
}

function inputViewText(input: InputView): string {
  switch (input.type) {
    case "shell":
      return [input.command, input.description ?? ""].join("\n");
    case "read":
      return input.path;
    case "search":
      return [input.pattern, input.path ?? "", input.glob ?? ""].join("\n");
    case "fetch":
      return [input.url, input.prompt ?? ""].join("\n");
    case "webSearch":
      return input.query;
    case "edit":
      return [input.path, ...input.changes.flatMap((c) => [c.oldText, c.newText])].join("\n");
    case "patch":
      return input.files.map((f) => [f.path, f.moveTo ?? "", f.diff].join("\n")).join("\n");
    case "todos":
      return input.items.map((i) => i.content).join("\n");
    case "task":
      return [input.description ?? "", input.agent ?? "", input.prompt].join("\n");
    case "json":
      return input.text;
    case "none":
      return "";
  }
}

/** The position of the same match in a new list (after the transcript grew), else the nearest. */
export function keepPosition(previous: SessionMatch | undefined, next: SessionMatch[]): number {
  if (!previous || next.length === 0) return 0;
  const same = next.findIndex(
    (m) => m.entry === previous.entry && m.toolId === previous.toolId && m.field === previous.field && m.nthInRow === previous.nthInRow,
  );
  if (same !== -1) return same;
  const after = next.findIndex((m) => m.entry >= previous.entry);
  return after === -1 ? next.length - 1 : after;
}
