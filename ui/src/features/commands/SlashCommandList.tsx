// The popup after `/` in the prompt box: the agent's commands and Warden's actions with their
// descriptions, filtered by what is typed. The text field keeps the focus; while the list shows,
// it takes ArrowUp/ArrowDown (move), Enter/Tab (pick) and Esc (close) before the field sees
// them, so typing goes on narrowing the list.
import { useEffect, useMemo, useRef, useState } from "react";
import { filterSlash, type SlashItem } from "./slashItems";
import "./commands.css";

interface Props {
  /** Every row (see `slashItems`). */
  items: readonly SlashItem[];
  /** What is typed after the slash (see `slashQuery`). */
  query: string;
  /** A row was picked (Enter, Tab or a click). */
  onPick: (item: SlashItem) => void;
  /** Esc: the person wants the text as typed. */
  onDismiss: () => void;
}

/** The list, or nothing when no row matches. */
export function SlashCommandList({ items, query, onPick, onDismiss }: Props) {
  const shown = useMemo(() => filterSlash(items, query), [items, query]);
  const [selected, setSelected] = useState(0);
  const list = useRef<HTMLDivElement>(null);
  const at = Math.min(selected, Math.max(shown.length - 1, 0));

  useEffect(() => setSelected(0), [query]);

  useEffect(() => {
    list.current?.querySelector<HTMLElement>("[aria-selected='true']")?.scrollIntoView?.({ block: "nearest" });
  }, [at, shown]);

  useEffect(() => {
    if (shown.length === 0) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.isComposing || e.altKey || e.ctrlKey || e.metaKey) return;
      if (e.key === "ArrowDown") setSelected((at + 1) % shown.length);
      else if (e.key === "ArrowUp") setSelected((at - 1 + shown.length) % shown.length);
      // Shift+Enter stays a new line in the box.
      else if ((e.key === "Enter" || e.key === "Tab") && !e.shiftKey) {
        const item = shown[at];
        if (item) onPick(item);
      }
      else if (e.key === "Escape") onDismiss();
      else return;
      e.preventDefault();
      e.stopImmediatePropagation();
    };
    // The capture phase on the window runs before the text field's own handlers.
    window.addEventListener("keydown", onKey, true);
    return () => window.removeEventListener("keydown", onKey, true);
  }, [shown, at, onPick, onDismiss]);

  if (shown.length === 0) return null;
  return (
    <div className="slash-list" role="listbox" aria-label="Commands" data-testid="slash-list" ref={list}>
      {shown.map((item, i) => (
        <div
          key={item.key}
          role="option"
          aria-selected={i === at}
          className={i === at ? "slash-item selected" : "slash-item"}
          data-testid={item.source === "warden" ? `slash-item-warden-${item.name}` : `slash-item-${item.name}`}
          title={item.description}
          // Mouse down, not click: the text field must not lose the focus first.
          onMouseDown={(e) => {
            e.preventDefault();
            onPick(item);
          }}
          onMouseEnter={() => setSelected(i)}
        >
          <span className="slash-name">/{item.name}</span>
          {item.argumentHint && <span className="slash-hint">{item.argumentHint}</span>}
          {item.source === "warden" && (
            <span className="slash-badge" data-testid="slash-badge-warden">
              Warden
            </span>
          )}
          <span className="slash-description">{item.description}</span>
        </div>
      ))}
    </div>
  );
}
