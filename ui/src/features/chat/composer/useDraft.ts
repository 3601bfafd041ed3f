// The prompt in the box, read from the session's kept draft on mount and kept on every change.
import { useCallback, useState } from "react";
import type { ComposedPrompt } from "./composed";
import { loadDraft, pruneDrafts, saveDraft } from "./drafts";

let pruned = false;

/** The box's prompt for session `id` and its setter; the draft survives unmounts and restarts. */
export function useDraft(id: string): [ComposedPrompt, (next: ComposedPrompt) => void] {
  const [prompt, setPrompt] = useState<ComposedPrompt>(() => {
    // Once per window: drafts nobody touched for a month go.
    if (!pruned) {
      pruned = true;
      pruneDrafts();
    }
    return loadDraft(id);
  });
  const set = useCallback(
    (next: ComposedPrompt) => {
      setPrompt(next);
      saveDraft(id, next);
    },
    [id],
  );
  return [prompt, set];
}
