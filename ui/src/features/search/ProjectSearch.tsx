// Searching every stored session of a project (Ctrl+Shift+F, or the search button of the
// session list): a field, the hits best first, Up/Down and Enter or a click to open the session
// scrolled to the hit. The backend's full-text index does the finding (`search.project`).
import { useEffect, useRef, useState } from "react";
import { search, type IpcError, type SearchHit } from "../../ipc";
import { Dialog } from "../../shared/Dialog";
import { SearchResults } from "./SearchResults";
import "./search.css";

/** Hits asked for at most. */
export const PROJECT_HIT_LIMIT = 100;
/** Milliseconds typing settles before the project is searched. */
const TYPING_DELAY = 200;

interface Props {
  /** The project's folder. */
  project: string;
  /** Opens the hit's session there; `words` are what was searched for, to mark. */
  onOpen: (hit: SearchHit, words: string[]) => void;
  onClose: () => void;
}

/** The words of a query, as the session marks them (phrases split, quotes dropped). */
export function queryWords(query: string): string[] {
  return query
    .split(/["\s]+/)
    .map((w) => w.trim())
    .filter((w) => /[\p{L}\p{N}]/u.test(w));
}

/** The project search dialog. */
export function ProjectSearch({ project, onOpen, onClose }: Props) {
  const [query, setQuery] = useState("");
  const [hits, setHits] = useState<SearchHit[] | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const [active, setActive] = useState(0);
  const [busy, setBusy] = useState(false);
  const asked = useRef(0);

  useEffect(() => {
    const typed = query.trim();
    if (!typed) {
      asked.current++;
      setHits(null);
      setError(null);
      setBusy(false);
      return;
    }
    const ask = ++asked.current;
    const timer = window.setTimeout(() => {
      setBusy(true);
      void search.project(project, typed, PROJECT_HIT_LIMIT).then((outcome) => {
        // Only the answer to the latest query counts.
        if (ask !== asked.current) return;
        setBusy(false);
        setActive(0);
        if (outcome.ok) {
          setHits(outcome.value);
          setError(null);
        } else {
          setHits(null);
          setError(outcome.error);
        }
      });
    }, TYPING_DELAY);
    return () => window.clearTimeout(timer);
  }, [project, query]);

  const pick = (hit: SearchHit | undefined) => {
    if (hit) onOpen(hit, queryWords(query));
  };

  const status = error
    ? null
    : hits === null
      ? busy
        ? "Searching…"
        : "Words match words they start; put an exact phrase in \"quotes\"."
      : hits.length === 0
        ? "No matches in this project's sessions."
        : `${hits.length === PROJECT_HIT_LIMIT ? `The best ${PROJECT_HIT_LIMIT}` : hits.length} ${hits.length === 1 ? "match" : "matches"}`;

  return (
    <Dialog title="Search this project's sessions" onCancel={onClose} testId="project-search" className="project-search-dialog">
      <input
        type="search"
        className="project-search-input"
        value={query}
        placeholder="Search prompts, answers, commands and outputs"
        aria-label="Search this project's sessions"
        data-testid="project-search-input"
        data-autofocus
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={(e) => {
          const count = hits?.length ?? 0;
          if (e.key === "ArrowDown" && count > 0) {
            e.preventDefault();
            setActive((a) => (a + 1) % count);
          } else if (e.key === "ArrowUp" && count > 0) {
            e.preventDefault();
            setActive((a) => (a - 1 + count) % count);
          } else if (e.key === "Enter") {
            e.preventDefault();
            pick(hits?.[active]);
          }
        }}
      />
      {error ? (
        <p className="inline-error" role="alert" data-testid="project-search-error">
          {error.message}
        </p>
      ) : (
        <p className="muted project-search-status" aria-live="polite" data-testid="project-search-status">
          {status}
        </p>
      )}
      {hits && hits.length > 0 && <SearchResults hits={hits} active={active} onPick={pick} now={Date.now()} />}
    </Dialog>
  );
}

/** Ctrl/Cmd+Shift+F calls `onSearch` while `enabled`. */
export function useProjectSearchShortcut(onSearch: () => void, enabled: boolean) {
  const latest = useRef(onSearch);
  latest.current = onSearch;
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.shiftKey && !e.altKey && e.key.toLowerCase() === "f") {
        e.preventDefault();
        latest.current();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [enabled]);
}
