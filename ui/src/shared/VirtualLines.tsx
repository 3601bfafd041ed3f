// A scrolling list of text lines of one fixed height that puts only the lines in view (and a few
// around them) in the page: a log of a hundred thousand lines scrolls like a short one, since
// the page never holds more than a screenful of them.
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type ReactNode } from "react";
import "./virtualLines.css";

interface Props {
  /** How many lines there are. */
  count: number;
  /** Each line's height in pixels (the CSS must draw lines exactly this high). */
  lineHeight: number;
  /** Draws line `index`. */
  renderLine: (index: number) => ReactNode;
  /** Lines drawn beyond each edge of the view, so a quick scroll shows no gap. */
  overscan?: number;
  /**
   * The view's height when it cannot be measured (before layout, or where there is none, as in
   * tests); otherwise the element's own height, which its CSS sets.
   */
  fallbackHeight?: number;
  /** Keeps the end in view as lines are added, while the person has not scrolled up. */
  follow?: boolean;
  className?: string;
  testId?: string;
}

/** The lines `[first, last)` to draw for a view at `scrollTop` of `height` pixels. */
export function visibleRange(count: number, lineHeight: number, scrollTop: number, height: number, overscan: number): [number, number] {
  const first = Math.max(0, Math.floor(scrollTop / lineHeight) - overscan);
  const last = Math.min(count, Math.ceil((scrollTop + height) / lineHeight) + overscan);
  return [first, Math.max(first, last)];
}

export function VirtualLines({ count, lineHeight, renderLine, overscan = 20, fallbackHeight = 320, follow = false, className, testId }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(fallbackHeight);
  // Whether the view was at its end before the latest lines came (then it follows them).
  const atEnd = useRef(true);

  const onScroll = useCallback(() => {
    const el = ref.current;
    if (!el) return;
    setScrollTop(el.scrollTop);
    atEnd.current = el.scrollTop + el.clientHeight >= el.scrollHeight - lineHeight;
  }, [lineHeight]);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => setHeight(el.clientHeight > 0 ? el.clientHeight : fallbackHeight);
    measure();
    if (typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [fallbackHeight]);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!follow || !el || !atEnd.current) return;
    el.scrollTop = el.scrollHeight;
    setScrollTop(el.scrollTop);
  }, [count, follow]);

  const [first, last] = visibleRange(count, lineHeight, scrollTop, height, overscan);
  const lines: ReactNode[] = [];
  for (let i = first; i < last; i++) {
    lines.push(
      <div key={i} className="vl-line" style={{ height: lineHeight, lineHeight: `${lineHeight}px` }} data-line={i}>
        {renderLine(i)}
      </div>,
    );
  }
  return (
    <div ref={ref} className={className ? `vl-view ${className}` : "vl-view"} onScroll={onScroll} data-testid={testId} data-first={first} data-last={last}>
      <div className="vl-space" style={{ height: count * lineHeight }}>
        <div className="vl-window" style={{ transform: `translateY(${first * lineHeight}px)` }}>
          {lines}
        </div>
      </div>
    </div>
  );
}
