// The prompts waiting for the running turn to end, above the box: each editable (Enter or the
// pencil), removable (Delete or ×) and movable (Alt+Up/Down, the arrows, or dragging).
import { useEffect, useRef, useState, useSyncExternalStore, type KeyboardEvent } from "react";
import type { PromptQueue, QueuedPrompt } from "./promptQueue";

interface Props {
  queue: PromptQueue;
}

/** The queue, first to be sent on top; nothing when it is empty. */
export function QueuedPrompts({ queue }: Props) {
  const state = useSyncExternalStore(queue.subscribe, queue.get);
  const [dragged, setDragged] = useState<number | null>(null);
  const [over, setOver] = useState<number | null>(null);
  const items = useRef(new Map<number, HTMLLIElement>());
  // After a keyboard move the moved item keeps the focus.
  const [focusAfterMove, setFocusAfterMove] = useState<number | null>(null);
  useEffect(() => {
    if (focusAfterMove === null) return;
    items.current.get(focusAfterMove)?.focus();
    setFocusAfterMove(null);
  }, [focusAfterMove, state.items]);

  if (state.items.length === 0) return null;

  const move = (id: number, to: number) => {
    queue.move(id, to);
    setFocusAfterMove(id);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLLIElement>, item: QueuedPrompt, index: number) => {
    if (e.target !== e.currentTarget) return;
    if (e.altKey && e.key === "ArrowUp") move(item.id, index - 1);
    else if (e.altKey && e.key === "ArrowDown") move(item.id, index + 1);
    else if (e.key === "ArrowUp") items.current.get(state.items[index - 1]?.id ?? -1)?.focus();
    else if (e.key === "ArrowDown") items.current.get(state.items[index + 1]?.id ?? -1)?.focus();
    else if (e.key === "Delete" || e.key === "Backspace") queue.remove(item.id);
    else if (e.key === "Enter") queue.setEditing(item.id);
    else return;
    e.preventDefault();
  };

  return (
    <div className="prompt-queue" data-testid="prompt-queue">
      <div className="prompt-queue-head">
        {state.paused ? (
          <>
            <span className="queue-paused" role="status" data-testid="queue-paused">{state.paused}</span>
            <button type="button" className="small" onClick={() => queue.resume()} data-testid="queue-resume">
              Send queued
            </button>
          </>
        ) : (
          <span className="muted">Queued — sent one by one as each turn ends · Alt+↑/↓ or drag to reorder</span>
        )}
      </div>
      <ol aria-label="Queued prompts">
        {state.items.map((item, index) => (
          <li
            key={item.id}
            ref={(el) => {
              if (el) items.current.set(item.id, el);
              else items.current.delete(item.id);
            }}
            tabIndex={0}
            draggable={state.editing !== item.id}
            className={`queued-prompt${over === index && dragged !== null ? " drop-target" : ""}${dragged === item.id ? " dragging" : ""}`}
            data-testid="queued-prompt"
            data-index={index}
            aria-label={`Queued prompt ${index + 1}: ${item.prompt.text}`}
            onKeyDown={(e) => onKeyDown(e, item, index)}
            onDragStart={(e) => {
              setDragged(item.id);
              e.dataTransfer?.setData("text/plain", item.prompt.text);
              if (e.dataTransfer) e.dataTransfer.effectAllowed = "move";
            }}
            onDragOver={(e) => {
              if (dragged === null) return;
              e.preventDefault();
              setOver(index);
            }}
            onDrop={(e) => {
              e.preventDefault();
              if (dragged !== null) queue.move(dragged, index);
              setDragged(null);
              setOver(null);
            }}
            onDragEnd={() => {
              setDragged(null);
              setOver(null);
            }}
          >
            <span className="queued-number" aria-hidden="true">{index + 1}</span>
            {state.editing === item.id ? (
              <QueuedEditor text={item.prompt.text} onSave={(text) => { queue.edit(item.id, text); queue.setEditing(null); }} onCancel={() => queue.setEditing(null)} />
            ) : (
              <span className="queued-text" onDoubleClick={() => queue.setEditing(item.id)}>
                {item.prompt.text || <em className="muted">(attachments only)</em>}
                {item.prompt.attachments.length > 0 && <span className="muted"> · {item.prompt.attachments.length} attached</span>}
              </span>
            )}
            <span className="queued-buttons">
              <button type="button" className="icon-button" aria-label="Move up" title="Move up (Alt+↑)" disabled={index === 0} onClick={() => move(item.id, index - 1)} data-testid="queued-up">↑</button>
              <button type="button" className="icon-button" aria-label="Move down" title="Move down (Alt+↓)" disabled={index === state.items.length - 1} onClick={() => move(item.id, index + 1)} data-testid="queued-down">↓</button>
              <button type="button" className="icon-button" aria-label="Edit" title="Edit (Enter)" onClick={() => queue.setEditing(item.id)} data-testid="queued-edit-button">✎</button>
              <button type="button" className="icon-button" aria-label="Remove from the queue" title="Remove (Delete)" onClick={() => queue.remove(item.id)} data-testid="queued-remove">×</button>
            </span>
          </li>
        ))}
      </ol>
    </div>
  );
}

/** Edits a queued prompt in place: Enter saves, Shift+Enter a new line, Esc cancels. */
function QueuedEditor({ text, onSave, onCancel }: { text: string; onSave: (text: string) => void; onCancel: () => void }) {
  const [value, setValue] = useState(text);
  // Esc cancels; the blur that follows must not save.
  const done = useRef(false);
  const finish = (save: boolean) => {
    if (done.current) return;
    done.current = true;
    if (save) onSave(value);
    else onCancel();
  };
  return (
    <textarea
      className="queued-editor"
      data-testid="queued-edit"
      aria-label="Edit the queued prompt"
      autoFocus
      value={value}
      rows={Math.min(6, Math.max(1, value.split("\n").length))}
      onChange={(e) => setValue(e.target.value)}
      onBlur={() => finish(true)}
      onKeyDown={(e) => {
        e.stopPropagation();
        if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
          e.preventDefault();
          finish(true);
        } else if (e.key === "Escape") {
          e.preventDefault();
          finish(false);
        }
      }}
    />
  );
}
