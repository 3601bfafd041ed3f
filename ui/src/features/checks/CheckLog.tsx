// A check's output, read from its log file: as it grows while the check runs (read on from where
// the last read ended, every half second, until the check ends or the row closes), and drawn as
// a virtualised list of lines, so a test run that prints a hundred thousand lines scrolls as
// smoothly as one that prints ten.
import { useCallback, useEffect, useRef, useState } from "react";
import { checks } from "../../ipc";
import { ansiNodes } from "../../shared/AnsiText";
import { VirtualLines } from "../../shared/VirtualLines";

interface Props {
  path: string;
  /** The check still runs: its log grows, and is read on until it ends. */
  running: boolean;
  /** Changes when the check runs again (its log starts over). */
  version: number;
}

/** How often a running check's log is read on. */
export const POLL_MS = 500;
/** Bytes read without asking; beyond, "Show more" reads on (a log can be gigabytes). */
export const AUTO_READ = 16 * 1024 * 1024;
/** A line's height in pixels (checks.css draws `.check-log .vl-line` this high). */
const LINE_HEIGHT = 18;

/** A log's text cut into lines as it arrives in pieces; the last line may be unfinished. */
export class LogLines {
  readonly lines: string[] = [];
  private partial = "";

  /** Adds a piece of the log. */
  append(text: string): void {
    if (!text) return;
    const pieces = (this.partial + text).split("\n");
    this.partial = pieces.pop() ?? "";
    for (const piece of pieces) this.lines.push(piece.endsWith("\r") ? piece.slice(0, -1) : piece);
  }

  /** How many lines to draw (the unfinished one included). */
  get count(): number {
    return this.lines.length + (this.partial ? 1 : 0);
  }

  line(i: number): string {
    return i < this.lines.length ? (this.lines[i] ?? "") : this.partial;
  }
}

export function CheckLog({ path, running, version }: Props) {
  const [log, setLog] = useState(() => new LogLines());
  // Bumped whenever lines arrive: `log` is changed in place (copying 100k lines per read is not free).
  const [, setRead] = useState(0);
  const [size, setSize] = useState<number | null>(null);
  const [next, setNext] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [reading, setReading] = useState(true);
  const runningRef = useRef(running);
  runningRef.current = running;
  // Where the next read starts, and up to where reading goes on without asking.
  const offset = useRef(0);
  const limit = useRef(AUTO_READ);
  // Wakes the reader early (the check ended, or the person asked for more).
  const wake = useRef<(() => void) | null>(null);

  useEffect(() => {
    wake.current?.();
  }, [running]);

  useEffect(() => {
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const fresh = new LogLines();
    setLog(fresh);
    setSize(null);
    setNext(0);
    setError(null);
    setReading(true);
    offset.current = 0;
    limit.current = AUTO_READ;
    const pause = () =>
      new Promise<void>((resolve) => {
        wake.current = resolve;
        timer = setTimeout(resolve, POLL_MS);
      });
    const pump = async () => {
      for (;;) {
        const wasRunning = runningRef.current;
        const page = await checks.log(path, offset.current);
        if (cancelled) return;
        if (!page.ok) {
          // A running check's log may not be there yet: try again until it ends.
          if (wasRunning) {
            await pause();
            if (cancelled) return;
            continue;
          }
          setError(page.error.message);
          setReading(false);
          return;
        }
        setError(null);
        fresh.append(page.value.text);
        offset.current = page.value.nextOffset;
        setNext(page.value.nextOffset);
        setSize(page.value.size);
        setRead((n) => n + 1);
        const behind = offset.current < page.value.size && page.value.text !== "";
        if (behind && offset.current < limit.current) continue;
        // The check had ended when this read began: everything is read (or the rest waits for
        // "Show more").
        if (!wasRunning) break;
        await pause();
        if (cancelled) return;
      }
      setReading(false);
    };
    void pump();
    return () => {
      cancelled = true;
      if (timer !== undefined) clearTimeout(timer);
      wake.current = null;
    };
  }, [path, version]);

  const readMore = useCallback(() => {
    limit.current = offset.current + AUTO_READ;
    // Starting over would drop what was read: read on from the offset instead.
    void (async () => {
      setReading(true);
      for (;;) {
        const page = await checks.log(path, offset.current);
        if (!page.ok) {
          setError(page.error.message);
          break;
        }
        log.append(page.value.text);
        offset.current = page.value.nextOffset;
        setNext(page.value.nextOffset);
        setSize(page.value.size);
        setRead((n) => n + 1);
        if (offset.current >= page.value.size || offset.current >= limit.current || !page.value.text) break;
      }
      setReading(false);
    })();
  }, [log, path]);

  const more = !running && !reading && size !== null && next < size;
  const count = log.count;
  return (
    <div className="check-log-wrap">
      <div className="check-log-head">
        <span className="muted" data-testid="check-log-size">
          Output{size !== null ? ` · ${formatBytes(size)}` : ""}
          {count > 0 ? ` · ${count.toLocaleString("en-US")} ${count === 1 ? "line" : "lines"}` : ""}
          {running ? " · live" : ""}
        </span>
        {more && (
          <button type="button" className="small" onClick={readMore} data-testid="check-log-more">
            Show more ({formatBytes(size - next)} left)
          </button>
        )}
      </div>
      {error ? (
        <div className="inline-error" role="alert">
          Could not read the log: {error}
        </div>
      ) : count > 0 ? (
        <VirtualLines
          count={count}
          lineHeight={LINE_HEIGHT}
          renderLine={(i) => ansiNodes(log.line(i))}
          follow={running}
          className="check-log"
          testId="check-log"
        />
      ) : (
        <div className="check-log" data-testid="check-log">
          <span className="muted">{reading || running ? (running ? "Waiting for output…" : "Reading…") : "No output."}</span>
        </div>
      )}
    </div>
  );
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
