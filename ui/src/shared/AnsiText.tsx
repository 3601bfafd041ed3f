// Terminal output with its colours and attributes as React elements, for any view that shows a
// command's output.
import { useMemo, type CSSProperties, type ReactNode } from "react";
import { ansiColorCss, parseAnsi, type AnsiStyle } from "./ansi";
import "./output.css";

/** Terminal output with its colours and text attributes, as React elements (no HTML strings). */
export function AnsiText({ text, className }: { text: string; className?: string }) {
  const children = useMemo(() => ansiNodes(text), [text]);
  return <pre className={className ? `tl-pre tl-ansi ${className}` : "tl-pre tl-ansi"}>{children}</pre>;
}

// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

/** The styled runs of some output without a box around them (one line of a long log). */
export function ansiNodes(text: string): ReactNode[] {
  // Most lines carry no control character at all: they need no parsing.
  if (!CONTROL.test(text)) return [text];
  return parseAnsi(text).map((segment, i) => renderSegment(segment.text, segment.style, i));
}

function renderSegment(text: string, style: AnsiStyle, key: number): ReactNode {
  const classes: string[] = [];
  if (style.bold) classes.push("tl-ansi-bold");
  if (style.dim) classes.push("tl-ansi-dim");
  if (style.italic) classes.push("tl-ansi-italic");
  if (style.underline) classes.push("tl-ansi-underline");
  if (style.strike) classes.push("tl-ansi-strike");
  let fg = style.fg === undefined ? undefined : ansiColorCss(style.fg);
  let bg = style.bg === undefined ? undefined : ansiColorCss(style.bg);
  if (style.inverse) [fg, bg] = [bg ?? "var(--code-bg)", fg ?? "var(--fg)"];
  if (classes.length === 0 && fg === undefined && bg === undefined) return text;
  const css: CSSProperties = {};
  if (fg !== undefined) css.color = fg;
  if (bg !== undefined) css.backgroundColor = bg;
  return (
    <span key={key} className={classes.length > 0 ? classes.join(" ") : undefined} style={fg || bg ? css : undefined}>
      {text}
    </span>
  );
}
