// The list of files and folders for the `@` being typed, over the prompt box. The keyboard
// stays in the box (Up/Down move, Enter or Tab choose, Esc closes); a click chooses too.
import type { FoundPath } from "../../../ipc";
import type { MentionResults } from "./useMentionSearch";
import { Icon } from "../../../shared/icons";

interface Props {
  results: MentionResults;
  /** Index of the highlighted option. */
  selected: number;
  onChoose: (found: FoundPath) => void;
  onHover: (index: number) => void;
}

/** The mention popup's id, for the box's `aria-controls`. */
export const MENTION_LIST_ID = "mention-popup-list";

/** Files and folders matching the `@query`, the matched characters marked. */
export function MentionPopup({ results, selected, onChoose, onHover }: Props) {
  return (
    <div className="composer-popup" data-testid="mention-popup">
      {results.error ? (
        <div className="composer-popup-note">{results.error}</div>
      ) : results.paths.length === 0 ? (
        <div className="composer-popup-note">{results.ready ? "No file or folder matches" : "Searching…"}</div>
      ) : (
        <ul role="listbox" id={MENTION_LIST_ID} aria-label="Files and folders">
          {results.paths.map((found, i) => (
            <li
              key={found.path}
              id={`mention-option-${i}`}
              role="option"
              aria-selected={i === selected}
              className={i === selected ? "selected" : undefined}
              data-testid="mention-option"
              data-path={found.path}
              // mousedown, not click: the box keeps the focus.
              onMouseDown={(e) => {
                e.preventDefault();
                onChoose(found);
              }}
              onMouseEnter={() => onHover(i)}
            >
              <span className="mention-kind"><Icon name={found.kind === "folder" ? "folder" : "files"} size={12} /></span>
              <Highlighted text={found.kind === "folder" ? `${found.path}/` : found.path} indices={found.indices} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** `text` with the characters at `indices` in `<mark>`. */
export function Highlighted({ text, indices }: { text: string; indices: readonly number[] }) {
  const marked = new Set(indices);
  const parts: { text: string; mark: boolean }[] = [];
  Array.from(text).forEach((ch, i) => {
    const mark = marked.has(i);
    const last = parts[parts.length - 1];
    if (last && last.mark === mark) last.text += ch;
    else parts.push({ text: ch, mark });
  });
  return (
    <span className="mention-path">
      {parts.map((p, i) => (p.mark ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))}
    </span>
  );
}
