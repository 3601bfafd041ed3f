import { useVirtualizer } from "@tanstack/react-virtual";
import { memo, useCallback, useEffect, useRef, type KeyboardEvent } from "react";
import type { ToolView, Transcript } from "../../model/transcript";
import { useRowExpansion } from "./expansion";
import { ToolRow } from "./ToolRow";
import "./timeline.css";

/** A collapsed row's height in px (timeline.css); real heights are measured once rendered. */
export const ROW_ESTIMATE = 24;

/** Props of {@link Timeline}. */
export interface TimelineProps {
  /** The session's transcript (only its tool calls are read). */
  transcript: Pick<Transcript, "tools" | "timeline">;
  /**
   * `transcript.version`. The transcript is mutated in place, so its identity never changes:
   * the timeline is memoised and re-renders when this number (or another prop) does.
   */
  version: number;
  /** The call highlighted here and in the chat; scrolled into view when it changes from outside. */
  selectedId: string | null;
  onSelect: (id: string) => void;
}

/**
 * The session's tool calls in the order they started, one row each, subagent calls nested
 * under the call that started them. Virtualised: only the rows near the viewport are in the
 * DOM, so sessions with thousands of calls stay fast. While scrolled to the end it follows
 * new calls as they arrive.
 */
export const Timeline = memo(function Timeline({ transcript, selectedId, onSelect }: TimelineProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const ids = transcript.timeline;
  const expansion = useRowExpansion();
  const virtualizer = useVirtualizer({
    count: ids.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_ESTIMATE,
    overscan: 10,
    // flushSync from inside React's commit (measuring, mounting) warns in React 19; batched
    // renders are fast enough here.
    useFlushSync: false,
    // Keyed by call id, so measured heights stay with their rows.
    getItemKey: (index) => ids[index] ?? index,
  });

  // Follow the tail like a log, unless the reader has scrolled up to look at something.
  const atEnd = useRef(true);
  const onScroll = useCallback(() => {
    const el = scrollRef.current;
    if (el) atEnd.current = el.scrollHeight - el.scrollTop - el.clientHeight <= ROW_ESTIMATE;
  }, []);
  useEffect(() => {
    if (atEnd.current && ids.length > 0) virtualizer.scrollToIndex(ids.length - 1, { align: "end" });
  }, [ids.length, virtualizer]);

  // A selection made here is already in view; only one made elsewhere (the chat) scrolls.
  const selectedHere = useRef<string | null>(null);
  const select = useCallback(
    (id: string) => {
      selectedHere.current = id;
      onSelect(id);
    },
    [onSelect],
  );
  useEffect(() => {
    if (selectedId === null) return;
    if (selectedHere.current === selectedId) {
      selectedHere.current = null;
      return;
    }
    const path = ancestry(selectedId, transcript.tools);
    const index = ids.indexOf(path[0]!);
    if (index < 0) return;
    atEnd.current = false;
    if (path.length === 1) {
      virtualizer.scrollToIndex(index, { align: "auto" });
      return;
    }
    // A subagent's call: unfold its ancestors, bring the top row in, then the call itself.
    expansion.showChildren(path.slice(0, -1));
    virtualizer.scrollToIndex(index, { align: "start" });
    const frame = requestAnimationFrame(() => {
      const row = findRow(scrollRef.current, selectedId);
      row?.scrollIntoView?.({ block: "nearest" });
    });
    return () => cancelAnimationFrame(frame);
    // Only a new selection scrolls; the rest is read as it is at that moment.
  }, [selectedId]);

  return (
    <div
      ref={scrollRef}
      className="tl-timeline"
      data-testid="timeline"
      role="region"
      aria-label="Tool calls"
      tabIndex={0}
      onScroll={onScroll}
      onKeyDown={moveFocus}
    >
      {ids.length === 0 ? (
        <p className="tl-empty">No tool calls yet.</p>
      ) : (
        <div className="tl-virtual" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((item) => {
            const view = transcript.tools.get(ids[item.index]!);
            return (
              <div
                key={item.key}
                ref={virtualizer.measureElement}
                data-index={item.index}
                className="tl-virtual-item"
                style={{ transform: `translateY(${item.start}px)` }}
              >
                {view && (
                  <ToolRow
                    view={view}
                    tools={transcript.tools}
                    selected={view.call.id === selectedId}
                    selectedId={selectedId}
                    onSelect={select}
                    expansion={expansion}
                  />
                )}
              </div>
            );
          })}
        </div>
      )}
    </div>
  );
});

/** The ids from the top-level call down to `id`, following `parent` links. */
export function ancestry(id: string, tools: ReadonlyMap<string, ToolView>): string[] {
  const path = [id];
  let parent = tools.get(id)?.call.parent ?? null;
  // A call whose parent was never seen is itself top-level (as the transcript files it).
  // Bounded: a malformed parent cycle must not hang the window.
  while (parent !== null && tools.has(parent) && path.length < 64 && !path.includes(parent)) {
    path.unshift(parent);
    parent = tools.get(parent)?.call.parent ?? null;
  }
  return path;
}

function findRow(root: HTMLElement | null, id: string): HTMLElement | null {
  if (!root) return null;
  for (const row of root.querySelectorAll<HTMLElement>("[data-tool-id]")) {
    if (row.dataset.toolId === id) return row;
  }
  return null;
}

/** Up/Down arrows move between row titles, as in a list; Tab still walks every button. */
function moveFocus(event: KeyboardEvent<HTMLDivElement>) {
  if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
  const target = event.target as HTMLElement;
  if (!target.classList.contains("tl-title")) return;
  const titles = Array.from(event.currentTarget.querySelectorAll<HTMLElement>(".tl-title"));
  const next = titles[titles.indexOf(target) + (event.key === "ArrowDown" ? 1 : -1)];
  if (next) {
    event.preventDefault();
    next.focus();
  }
}
