// The find bar of a session (Ctrl+F): the text to find, "3 of 17", previous and next (Enter,
// Shift+Enter), and Esc to close. It only reports what is typed and pressed; the session's
// find hook (`useSessionFind`) does the finding and the scrolling.
import { useEffect, useRef } from "react";
import "./search.css";

interface Props {
  query: string;
  onQuery: (query: string) => void;
  /** How many matches there are; null while nothing is searched for. */
  total: number | null;
  /** Which is current (0-based). */
  current: number;
  /** Outputs the window let go of are still being searched in the store. */
  searchingStored: boolean;
  onNext: () => void;
  onPrevious: () => void;
  onClose: () => void;
  /** Bumped to put the focus in the field again (Ctrl+F while open), its text selected. */
  focusToken: number;
}

/** The search bar above the chat. */
export function SessionSearchBar({ query, onQuery, total, current, searchingStored, onNext, onPrevious, onClose, focusToken }: Props) {
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, [focusToken]);

  const count = total === null ? "" : total === 0 ? (searchingStored ? "Searching…" : "No matches") : `${current + 1} of ${total}`;
  return (
    <div className="session-search" role="search" data-testid="session-search">
      <input
        ref={input}
        type="search"
        value={query}
        placeholder="Find in this session"
        aria-label="Find in this session"
        data-testid="session-search-input"
        onChange={(e) => onQuery(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter") {
            e.preventDefault();
            if (e.shiftKey) onPrevious();
            else onNext();
          } else if (e.key === "Escape") {
            // Handled here: Esc elsewhere in the session stops the turn.
            e.preventDefault();
            e.stopPropagation();
            onClose();
          }
        }}
      />
      <span className="session-search-count" aria-live="polite" data-testid="session-search-count">
        {count}
        {total !== null && total > 0 && searchingStored ? "…" : ""}
      </span>
      <button type="button" className="icon-button" onClick={onPrevious} disabled={!total} aria-label="Previous match (Shift+Enter)" title="Previous match (Shift+Enter)" data-testid="session-search-prev">
        ↑
      </button>
      <button type="button" className="icon-button" onClick={onNext} disabled={!total} aria-label="Next match (Enter)" title="Next match (Enter)" data-testid="session-search-next">
        ↓
      </button>
      <button type="button" className="icon-button" onClick={onClose} aria-label="Close search (Esc)" title="Close (Esc)" data-testid="session-search-close">
        ×
      </button>
    </div>
  );
}
