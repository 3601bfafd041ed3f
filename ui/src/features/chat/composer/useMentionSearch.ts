// Asks the project's finder for what matches the `@query` being typed. Each keystroke asks
// again; an answer that comes back after a newer question is dropped.
import { useEffect, useState } from "react";
import { finder, type FoundPath } from "../../../ipc";

/** How many paths the popup shows. */
export const MENTION_LIMIT = 30;

/** What the finder answered for the current query. */
export interface MentionResults {
  paths: FoundPath[];
  /** The finder could not be asked (why), or null. */
  error: string | null;
  /** An answer for the current query has come. */
  ready: boolean;
}

/** The finder's answer for `query` in `project`; nothing while `query` is null. */
export function useMentionSearch(project: string | null, query: string | null): MentionResults {
  const [results, setResults] = useState<MentionResults>({ paths: [], error: null, ready: false });
  useEffect(() => {
    if (query === null || !project) {
      setResults({ paths: [], error: project ? null : "No project folder to search yet", ready: query !== null });
      return;
    }
    let current = true;
    setResults((r) => ({ ...r, ready: false }));
    void finder.find(project, query, MENTION_LIMIT).then((found) => {
      if (!current) return;
      setResults(found.ok ? { paths: found.value.paths, error: null, ready: true } : { paths: [], error: found.error.message, ready: true });
    });
    return () => {
      current = false;
    };
  }, [project, query]);
  return results;
}
