// The `@` popup's state: whether it is open for the caret's `@query`, what the finder found,
// which option is highlighted, and choosing one (the `@query` becomes `@path` and a chip).
import { useEffect, useState } from "react";
import type { FoundPath } from "../../../ipc";
import type { ComposedPrompt } from "./composed";
import { insertMention, mentionAt } from "./mentionQuery";
import { useMentionSearch, type MentionResults } from "./useMentionSearch";

/** The popup as the box uses it. */
export interface MentionPopupState {
  open: boolean;
  results: MentionResults;
  selected: number;
  setSelected: (index: number) => void;
  /** Moves the highlight by `step`, wrapping around. */
  move: (step: number) => void;
  /** The prompt with `found` mentioned in place of the `@query`, and the caret after it. */
  choose: (prompt: ComposedPrompt, found: FoundPath) => { prompt: ComposedPrompt; caret: number } | null;
  /** Closes the popup until another `@` is typed. */
  dismiss: () => void;
}

/** The popup for the caret at `caret` in `text`, searching `project`. */
export function useMentionPopup(text: string, caret: number, project: string | null, enabled: boolean): MentionPopupState {
  const q = enabled ? mentionAt(text, caret) : null;
  const [dismissedAt, setDismissedAt] = useState<number | null>(null);
  const open = q !== null && q.at !== dismissedAt;
  const results = useMentionSearch(project, open ? q.query : null);
  const [selected, setSelected] = useState(0);
  // A new query starts at the best match.
  const query = open ? q.query : null;
  useEffect(() => setSelected(0), [query]);
  // Typing a new `@` elsewhere opens the popup again.
  const noQuery = q === null;
  useEffect(() => {
    if (noQuery && dismissedAt !== null) setDismissedAt(null);
  }, [noQuery, dismissedAt]);

  const count = results.paths.length;
  return {
    open,
    results,
    selected: Math.min(selected, Math.max(0, count - 1)),
    setSelected,
    move: (step) => count > 0 && setSelected((s) => (s + step + count) % count),
    choose: (prompt, found) => {
      if (!q) return null;
      const placed = insertMention(prompt.text, q, found.path);
      const known = prompt.attachments.some((a) => a.type === "mention" && a.path === found.path);
      return {
        prompt: { text: placed.text, attachments: known ? prompt.attachments : [...prompt.attachments, { type: "mention", path: found.path, kind: found.kind }] },
        caret: placed.caret,
      };
    },
    dismiss: () => q && setDismissedAt(q.at),
  };
}
