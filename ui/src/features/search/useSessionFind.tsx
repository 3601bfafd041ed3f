// Finding text in the session in view: Ctrl+F opens the bar, every occurrence in the
// transcript is counted (the outputs the window let go of by the store), and each step to the
// next or previous one asks the chat to show its row, opened where the match is. A hit picked
// in the project search arrives as a `jump`: its row is shown and its words marked the same way.
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { search, type Outcome, type OutputMatches, type SearchTarget } from "../../ipc";
import type { Transcript } from "../../model/transcript";
import { useHighlights } from "./highlights";
import { droppedOutputs, findMatches, keepPosition, normalise, type SessionMatch } from "./sessionMatches";
import { SessionSearchBar } from "./SessionSearchBar";
import { locate, type ChatReveal } from "./targets";

/** A project search hit to show when the session opens. */
export interface SearchJump {
  target: SearchTarget;
  /** The words searched for, to mark. */
  words: string[];
  /** Bumped per request. */
  token: number;
}

interface Options {
  transcript: Transcript;
  sessionId: string;
  /** The stored transcript has been read (a jump waits for it). */
  loaded: boolean;
  jump?: SearchJump | null;
  /**
   * Counts the text in the outputs the window does not hold, by their `seq`s; by default the
   * store's copy of session `sessionId` (a read-only history brings its own).
   */
  outputMatches?: (seqs: number[], needle: string) => Promise<Outcome<OutputMatches[]>>;
  /** Called with the tool call a match is in, so the timeline can scroll to it too. */
  onTool?: (toolId: string) => void;
}

/** What the session view mounts: the bar (when open), the chat's reveal request, its root. */
export interface SessionFind {
  bar: ReactNode;
  reveal: ChatReveal | null;
  /** The session view's element (the highlights are painted in it). */
  rootRef: (element: HTMLElement | null) => void;
}

/** Milliseconds typing settles before the transcript is searched. */
const TYPING_DELAY = 150;
/** At most one search of a transcript that is streaming per this many milliseconds. */
const STREAM_DELAY = 400;

/** The find bar, its matches and the chat's reveal requests for one session. */
export function useSessionFind({ transcript, sessionId, loaded, jump, outputMatches, onTool }: Options): SessionFind {
  const [root, setRoot] = useState<HTMLElement | null>(null);
  const [open, setOpen] = useState(false);
  const [focusToken, setFocusToken] = useState(0);
  const [query, setQuery] = useState("");
  const needle = useThrottled(normalise(query), TYPING_DELAY);
  // The transcript is mutable: its version says when it changed.
  const version = useThrottled(transcript.version, STREAM_DELAY);
  const [reveal, setReveal] = useState<ChatReveal | null>(null);
  const [jumpWords, setJumpWords] = useState<string[]>([]);
  const tokens = useRef(0);
  const onToolRef = useRef(onTool);
  onToolRef.current = onTool;

  useFindShortcut(
    useCallback(() => {
      setOpen(true);
      setJumpWords([]);
      setFocusToken((n) => n + 1);
    }, []),
  );

  // The outputs the window does not hold are searched in the store.
  const dropped = useMemo(() => (open && needle ? droppedOutputs(transcript) : []), [open, needle, transcript, version]);
  const droppedKey = dropped.join(",");
  const [stored, setStored] = useState<{ key: string; counts: ReadonlyMap<number, number> }>({ key: "", counts: new Map() });
  const storedKey = `${needle}\u0000${droppedKey}`;
  const countOutputs = useRef(outputMatches);
  countOutputs.current = outputMatches;
  useEffect(() => {
    if (!needle || dropped.length === 0) return;
    let current = true;
    const counted = countOutputs.current ? countOutputs.current(dropped, needle) : search.sessionOutputs(sessionId, dropped, needle);
    void counted.then((outcome) => {
      if (!current) return;
      const counts = new Map(outcome.ok ? outcome.value.map((m) => [m.seq, m.count] as const) : []);
      setStored({ key: storedKey, counts });
    });
    return () => {
      current = false;
    };
    // `storedKey` names the needle and the outputs: asked again only when one of them changes.
  }, [storedKey, sessionId]);
  const searchingStored = dropped.length > 0 && stored.key !== storedKey;
  const storedCounts = stored.key === storedKey ? stored.counts : EMPTY;

  const matches = useMemo(
    () => (open && needle ? findMatches(transcript, needle, storedCounts) : []),
    [open, needle, storedCounts, transcript, version],
  );
  const [current, setCurrent] = useState(0);
  const currentMatch = useRef<SessionMatch | undefined>(undefined);

  const show = useCallback((match: SessionMatch | undefined) => {
    currentMatch.current = match;
    if (!match) return;
    tokens.current += 1;
    setReveal({ entry: match.entry, toolId: match.toolId, thought: match.thought, nthInRow: match.nthInRow, token: tokens.current });
    if (match.toolId) onToolRef.current?.(match.toolId);
  }, []);

  // A new text goes to its first match; a transcript that grew keeps the match in view.
  const lastNeedle = useRef("");
  useEffect(() => {
    if (needle !== lastNeedle.current) {
      lastNeedle.current = needle;
      setCurrent(0);
      show(matches[0]);
      return;
    }
    const at = keepPosition(currentMatch.current, matches);
    setCurrent(at);
    // The first matches of this text came in late (counted elsewhere): go to the first, as
    // typing would have.
    if (!currentMatch.current && matches[at]) show(matches[at]);
    else currentMatch.current = matches[at];
  }, [matches, needle, show]);

  const step = (by: number) => {
    if (matches.length === 0) return;
    const next = (current + by + matches.length) % matches.length;
    setCurrent(next);
    show(matches[next]);
  };

  // A project search hit, once the stored transcript is read.
  const jumped = useRef<number | null>(null);
  useEffect(() => {
    if (!jump || !loaded || jumped.current === jump.token) return;
    const place = locate(transcript, jump.target);
    if (!place) return;
    jumped.current = jump.token;
    tokens.current += 1;
    setJumpWords(jump.words.map((w) => w.toLowerCase()).filter(Boolean));
    setReveal({ ...place, nthInRow: 0, token: tokens.current });
    if (place.toolId) onToolRef.current?.(place.toolId);
  }, [jump, loaded, transcript, version]);

  const close = () => {
    setOpen(false);
    setReveal(null);
  };

  useHighlights(root, open ? (needle ? [needle] : []) : jumpWords, reveal?.nthInRow ?? null);

  const bar = open ? (
    <SessionSearchBar
      query={query}
      onQuery={setQuery}
      total={needle ? matches.length : null}
      current={current}
      searchingStored={searchingStored}
      onNext={() => step(1)}
      onPrevious={() => step(-1)}
      onClose={close}
      focusToken={focusToken}
    />
  ) : null;
  return { bar, reveal: open || jumpWords.length > 0 ? reveal : null, rootRef: setRoot };
}

const EMPTY: ReadonlyMap<number, number> = new Map();

/**
 * `value` at most once per `delay` ms: a change shows `delay` ms later with the latest value
 * then, so a stream of changes (typing, tokens) is followed without a search per change.
 */
function useThrottled<T>(value: T, delay: number): T {
  const [shown, setShown] = useState(value);
  const latest = useRef(value);
  latest.current = value;
  const differs = !Object.is(value, shown);
  useEffect(() => {
    if (!differs) return;
    const timer = window.setTimeout(() => setShown(latest.current), delay);
    return () => window.clearTimeout(timer);
  }, [differs, shown, delay]);
  return shown;
}

/** Ctrl/Cmd+F (without Shift) calls `onFind`, outside terminals; the webview's own find is not used. */
function useFindShortcut(onFind: () => void) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // A terminal keeps its own keys (Ctrl+F moves the shell's cursor).
      if (e.target instanceof Element && e.target.closest(".xterm")) return;
      if ((e.ctrlKey || e.metaKey) && !e.shiftKey && !e.altKey && e.key.toLowerCase() === "f") {
        e.preventDefault();
        onFind();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onFind]);
}
