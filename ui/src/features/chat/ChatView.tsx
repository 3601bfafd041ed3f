// The conversation, as a virtualised list: only the rows on screen exist in the page, so a
// session of tens of thousands of events opens at once and scrolls smoothly. The list follows
// the newest row while you are at the bottom and stays put when you have scrolled up.
import "./chat.css";
import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useLayoutEffect, useRef } from "react";
import type { Transcript } from "../../model/transcript";
import { useRowExpansion } from "../timeline/expansion";
import { ChatRow } from "./ChatRow";
import { ancestorsOf, type ChatReveal } from "../search/targets";

/** Which tool call is selected, and which view selected it (the other one scrolls to it). */
export interface ToolSelection {
  id: string;
  from: "chat" | "timeline";
}

interface Props {
  transcript: Transcript;
  /** `transcript.version`, so the list re-renders when it moves. */
  version: number;
  selection: ToolSelection | null;
  onSelectTool: (id: string) => void;
  /** Offered on the last exit row when the session can be resumed. */
  onResume: (() => void) | null;
  /** A search match to bring into view (its row opened where the match is), marked current. */
  reveal?: ChatReveal | null;
  /** The session whose store holds the prompts' images (null: a history outside Warden's store). */
  sessionId?: string | null;
}

/** Pixels from the bottom within which the list counts as "at the bottom". */
const STICKY = 48;

/** The chat: prompts, answers, thinking, tool calls, turn ends and exits, in order. */
export function ChatView({ transcript, version, selection, onSelectTool, onResume, reveal = null, sessionId = null }: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  // Open rows (thinking, tool details, raw output) stay open while scrolled out of view and back.
  const expansion = useRowExpansion();
  const entries = transcript.entries;

  const virtualizer = useVirtualizer({
    count: entries.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => 48,
    overscan: 6,
    // jsdom and the first paint have no layout yet; a plausible viewport still renders rows.
    initialRect: { width: 800, height: 600 },
    // The list opens at its end (see below): drawing its first rows first, only to scroll
    // them away, cost a long session's opening a render of rows nobody saw.
    initialOffset: () => Math.max(0, entries.length * 48 - 600),
  });

  // Follow the stream while at the bottom.
  useLayoutEffect(() => {
    if (atBottom.current && entries.length > 0) virtualizer.scrollToIndex(entries.length - 1, { align: "end" });
  }, [version, entries.length, virtualizer]);

  // A tool picked in the timeline: bring its row (or its top-level parent's) into view.
  useEffect(() => {
    if (!selection || selection.from !== "timeline") return;
    const index = entryOfTool(transcript, selection.id);
    if (index !== undefined) {
      atBottom.current = false;
      virtualizer.scrollToIndex(index, { align: "center" });
    }
  }, [selection, transcript, virtualizer]);

  // A search match: its row in view, with the tool's details (and a nested call's parents) or
  // the thinking block opened, so the match itself shows.
  const expansionNow = useRef(expansion);
  expansionNow.current = expansion;
  const revealToken = reveal?.token;
  useEffect(() => {
    if (!reveal) return;
    const rows = expansionNow.current;
    if (reveal.toolId) {
      rows.showChildren(ancestorsOf(transcript, reveal.toolId));
      if (!rows.detailsOpen(reveal.toolId)) rows.toggleDetails(reveal.toolId);
    } else if (reveal.thought && !rows.detailsOpen(`thought:${reveal.entry}`)) rows.toggleDetails(`thought:${reveal.entry}`);
    atBottom.current = false;
    virtualizer.scrollToIndex(reveal.entry, { align: "center" });
    // Only a new request (its token) moves the list; the transcript growing does not.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [revealToken]);

  const onScroll = () => {
    const el = scroller.current;
    if (el) atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < STICKY;
  };

  const lastExit = resumableExit(transcript);
  return (
    <div className="chat-scroll" ref={scroller} onScroll={onScroll} data-testid="chat-scroll" tabIndex={-1}>
      {entries.length === 0 ? (
        <p className="chat-empty">No messages yet. Write a prompt below to start.</p>
      ) : (
        <div className="chat-rows" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((item) => {
            const entry = entries[item.index];
            if (!entry) return null;
            return (
              <div
                key={item.key}
                data-index={item.index}
                ref={virtualizer.measureElement}
                className={reveal?.entry === item.index ? "chat-row search-current" : "chat-row"}
                style={{ transform: `translateY(${item.start}px)` }}
              >
                <ChatRow
                  entry={entry}
                  index={item.index}
                  transcript={transcript}
                  expansion={expansion}
                  selectedTool={selection?.id ?? null}
                  onSelectTool={onSelectTool}
                  onResume={item.index === lastExit ? onResume : null}
                  scrolling={virtualizer.isScrolling && !atBottom.current}
                  sessionId={sessionId}
                />
              </div>
            );
          })}
        </div>
      )}
    </div>
  );
}

/** The chat row that shows tool call `id`: its own, or its outermost parent's. */
function entryOfTool(transcript: Transcript, id: string): number | undefined {
  let current = transcript.tools.get(id);
  while (current?.call.parent) current = transcript.tools.get(current.call.parent);
  return current ? transcript.toolEntry.get(current.call.id) : undefined;
}

/** The exit row that gets a Resume button: the last one, unless the session went on after it. */
function resumableExit(transcript: Transcript): number {
  for (let i = transcript.entries.length - 1; i >= 0; i--) {
    const kind = transcript.entries[i]?.kind;
    if (kind === "exited") return i;
    if (kind === "user") return -1;
  }
  return -1;
}
