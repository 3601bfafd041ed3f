// The person's hunk comments not yet sent to the agent, read when the view opens and again on
// `reload` (after one is added, deleted or sent). Shared by the feedback composer (which batches
// them with the checks' findings) and the Files panel's "send comments" bar.
import { useCallback, useEffect, useState } from "react";
import type { HunkComment, IpcError } from "../../ipc";
import { unsentComments } from "./comments";

export interface UnsentComments {
  comments: HunkComment[];
  error: IpcError | null;
  reload: () => void;
}

export function useUnsentComments(project: string, sessionId: string): UnsentComments {
  const [comments, setComments] = useState<HunkComment[]>([]);
  const [error, setError] = useState<IpcError | null>(null);
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let live = true;
    void unsentComments(project, sessionId).then((answer) => {
      if (!live) return;
      if (answer.ok) {
        setComments(answer.value);
        setError(null);
      } else setError(answer.error);
    });
    return () => {
      live = false;
    };
  }, [project, sessionId, generation]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { comments, error, reload };
}
