// The hits of a project search, one per line: the session, what matched (prompt, answer, tool
// call, output), when, and the excerpt with the matched words marked. Clicking one (or Enter on
// the active one) opens the session there.
import { useEffect, useRef, type ReactNode } from "react";
import type { SearchHit, TextRange } from "../../ipc";
import { formatStart } from "../../shared/format";
import { KIND_LABEL } from "./targets";

interface Props {
  hits: SearchHit[];
  /** The hit the arrow keys are on. */
  active: number;
  onPick: (hit: SearchHit) => void;
  /** For the dates ("14:02" today, "Mar 3, 14:02" before). */
  now: number;
}

/** The list of hits. */
export function SearchResults({ hits, active, onPick, now }: Props) {
  const list = useRef<HTMLUListElement>(null);
  // The hit the arrow keys reach stays in view.
  useEffect(() => {
    list.current?.querySelector<HTMLElement>(".search-hit.active")?.scrollIntoView?.({ block: "nearest" });
  }, [active]);
  return (
    <ul className="search-results" role="listbox" aria-label="Search results" data-testid="project-search-results" ref={list}>
      {hits.map((hit, i) => (
        <li key={`${hit.sessionId}:${hit.seq}:${hit.kind}`} role="option" aria-selected={i === active}>
          <button
            type="button"
            className={i === active ? "search-hit active" : "search-hit"}
            onClick={() => onPick(hit)}
            data-testid="project-search-hit"
            data-session-id={hit.sessionId}
            data-seq={hit.seq}
            tabIndex={-1}
          >
            <span className="search-hit-head">
              <span className="search-hit-title">{hit.sessionTitle || "New session"}</span>
              <span className="search-hit-meta">
                {KIND_LABEL[hit.kind]} · {formatStart(hit.atMs, now)}
              </span>
            </span>
            <span className="search-hit-snippet">
              <Marked text={hit.snippet} ranges={hit.matches} />
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}

/** `text` with `ranges` (UTF-16 offsets, in order) in `<mark>`. */
export function Marked({ text, ranges }: { text: string; ranges: TextRange[] }) {
  const parts: ReactNode[] = [];
  let at = 0;
  ranges.forEach((r, i) => {
    if (r.start < at || r.end > text.length || r.start >= r.end) return;
    if (r.start > at) parts.push(<span key={`t${i}`}>{text.slice(at, r.start)}</span>);
    parts.push(<mark key={`m${i}`}>{text.slice(r.start, r.end)}</mark>);
    at = r.end;
  });
  if (at < text.length) parts.push(<span key="rest">{text.slice(at)}</span>);
  return <>{parts}</>;
}
