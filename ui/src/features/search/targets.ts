// Where a hit of the project search is in a session's chat: the row of the prompt, of the
// message block, or of the tool call (its outermost parent's row for a subagent's call).
import type { SearchHitKind, SearchTarget } from "../../ipc";
import type { Transcript } from "../../model/transcript";

/** What the chat is asked to show: a row, opened where the match is, and a token per request. */
export interface ChatReveal {
  /** The chat row. */
  entry: number;
  /** The tool call to open (a nested one is shown by opening its parents), if any. */
  toolId: string | null;
  /** The row is a thinking block, to unfold. */
  thought: boolean;
  /** Which match within the row is the current one (for its highlight), in the row's order. */
  nthInRow: number;
  /** Bumped on every request, so the same row can be asked for twice. */
  token: number;
}

/** The chat row and tool call of a project search hit, if the transcript has it. */
export function locate(t: Transcript, target: SearchTarget): { entry: number; toolId: string | null; thought: boolean } | null {
  switch (target.type) {
    case "prompt": {
      const entry = t.entries.findIndex((e) => e.kind === "user" && e.turn === target.turn);
      return entry === -1 ? null : { entry, toolId: null, thought: false };
    }
    case "message": {
      const entry = t.entries.findIndex(
        (e) =>
          e.kind === "agent" &&
          e.messageId === target.messageId &&
          e.part === target.part &&
          (e.parent ?? null) === (target.parent ?? null) &&
          e.thought === target.thought,
      );
      return entry === -1 ? null : { entry, toolId: null, thought: target.thought };
    }
    case "tool": {
      let view = t.tools.get(target.id);
      if (!view) return null;
      while (view?.call.parent && t.tools.get(view.call.parent)) view = t.tools.get(view.call.parent);
      const entry = view ? t.toolEntry.get(view.call.id) : undefined;
      return entry === undefined ? null : { entry, toolId: target.id, thought: false };
    }
  }
}

/** The ancestors of tool call `id`, outermost first (to unfold a nested call). */
export function ancestorsOf(t: Transcript, id: string): string[] {
  const chain: string[] = [];
  let parent = t.tools.get(id)?.call.parent ?? null;
  while (parent && !chain.includes(parent)) {
    chain.unshift(parent);
    parent = t.tools.get(parent)?.call.parent ?? null;
  }
  return chain;
}

/** How a hit's kind reads in the results list. */
export const KIND_LABEL: Record<SearchHitKind, string> = {
  prompt: "Prompt",
  answer: "Answer",
  thought: "Thinking",
  toolInput: "Tool call",
  toolOutput: "Tool output",
};
