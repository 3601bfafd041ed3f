// Terminal output → styled text runs. Shell tools print colour codes (test runners, compilers,
// git) and sometimes progress bars that redraw a line with `\r`; the timeline shows what a
// terminal would have ended up showing, without running a terminal emulator.

/** A colour: a palette index (0–15 the theme's 16, 16–255 the xterm cube and greys) or "#rrggbb". */
export type AnsiColor = number | string;

/** The text attributes SGR sequences set. Absent means off / the default colour. */
export interface AnsiStyle {
  bold?: boolean;
  dim?: boolean;
  italic?: boolean;
  underline?: boolean;
  inverse?: boolean;
  strike?: boolean;
  fg?: AnsiColor;
  bg?: AnsiColor;
}

/** A run of text in one style. Newlines stay inside the text. */
export interface Segment {
  text: string;
  style: AnsiStyle;
}

type Token =
  | { type: "text"; text: string }
  | { type: "sgr"; params: string }
  | { type: "newline" }
  | { type: "cr" };

const ESC = "\u001b";
const BEL = "\u0007";
const C1_CSI = "\u009b";
const C1_ST = "\u009c";

/**
 * Splits terminal output into styled runs: SGR sequences (bold, dim, italic, underline, inverse,
 * strike, 8/16/256 colours, truecolor, resets) become styles; every other escape sequence
 * (cursor moves, erases, OSC titles and links, charset switches) and control character is
 * dropped; a line redrawn with `\r` keeps only what was written after its last `\r`.
 */
export function parseAnsi(text: string): Segment[] {
  const tokens = tokenize(text);
  const segments: Segment[] = [];
  let style: AnsiStyle = {};
  let lineStart = 0;
  while (lineStart < tokens.length) {
    let lineEnd = lineStart;
    while (lineEnd < tokens.length && tokens[lineEnd]!.type !== "newline") lineEnd++;
    // Text before the last `\r` that is followed by more text was overwritten. A trailing `\r`
    // (a progress line that was never redrawn, or `\r\n`) overwrites nothing.
    let keepFrom = lineStart;
    let sawText = false;
    for (let i = lineEnd - 1; i >= lineStart; i--) {
      const token = tokens[i]!;
      if (token.type === "text" && token.text !== "") sawText = true;
      else if (token.type === "cr" && sawText) {
        keepFrom = i;
        break;
      }
    }
    for (let i = lineStart; i < lineEnd; i++) {
      const token = tokens[i]!;
      if (token.type === "sgr") style = applySgr(style, token.params);
      else if (token.type === "text" && i >= keepFrom) push(segments, token.text, style);
    }
    if (lineEnd < tokens.length) push(segments, "\n", style);
    lineStart = lineEnd + 1;
  }
  return segments;
}

function push(segments: Segment[], text: string, style: AnsiStyle) {
  if (text === "") return;
  const last = segments[segments.length - 1];
  if (last && sameStyle(last.style, style)) last.text += text;
  else segments.push({ text, style });
}

function sameStyle(a: AnsiStyle, b: AnsiStyle): boolean {
  if (a === b) return true;
  const keys = Object.keys(a) as (keyof AnsiStyle)[];
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let plain = "";
  const flush = () => {
    if (plain !== "") tokens.push({ type: "text", text: plain });
    plain = "";
  };
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === ESC || ch === C1_CSI) {
      flush();
      const csi = ch === C1_CSI ? i + 1 : text[i + 1] === "[" ? i + 2 : -1;
      if (csi >= 0) {
        const end = csiEnd(text, csi);
        if (end < 0) break; // cut off mid-sequence: drop the rest
        if (text[end] === "m") tokens.push({ type: "sgr", params: text.slice(csi, end) });
        i = end + 1;
      } else {
        i = skipEscape(text, i + 1);
      }
      continue;
    }
    if (ch === "\n") {
      flush();
      tokens.push({ type: "newline" });
    } else if (ch === "\r") {
      flush();
      tokens.push({ type: "cr" });
    } else if (ch === "\t" || !isControl(ch)) {
      plain += ch;
    }
    i++;
  }
  flush();
  return tokens;
}

/**
 * Index of a CSI sequence's final byte, or -1 if the text ends first. A byte that cannot be
 * part of a CSI sequence ends a malformed one: the index before it is returned, so the caller
 * drops what was read and goes on with that byte.
 */
function csiEnd(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x40 && code <= 0x7e) return i;
    if (code < 0x20 || code > 0x3f) return i - 1;
  }
  return -1;
}

/** Skips a non-CSI escape sequence that starts after ESC at `from`; returns the next index. */
function skipEscape(text: string, from: number): number {
  const kind = text[from];
  if (kind === undefined) return from;
  // OSC (titles, hyperlinks), DCS, SOS, PM, APC: a string ended by BEL or ST.
  if (kind === "]" || kind === "P" || kind === "X" || kind === "^" || kind === "_") {
    for (let i = from + 1; i < text.length; i++) {
      const ch = text[i];
      if (ch === BEL || ch === C1_ST) return i + 1;
      if (ch === ESC && text[i + 1] === "\\") return i + 2;
    }
    return text.length;
  }
  // Other sequences: intermediate bytes, then one final byte (`ESC ( B`, `ESC 7`, `ESC =`).
  let i = from;
  while (i < text.length && text.charCodeAt(i) >= 0x20 && text.charCodeAt(i) <= 0x2f) i++;
  return i < text.length ? i + 1 : i;
}

function isControl(ch: string): boolean {
  const code = ch.charCodeAt(0);
  return code < 0x20 || code === 0x7f || (code >= 0x80 && code <= 0x9f);
}

/** The style after one SGR sequence's parameters (`"1;31"`, `"38;5;208"`, `"38:2::255:0:0"`). */
function applySgr(current: AnsiStyle, paramText: string): AnsiStyle {
  // Styles are replaced, never mutated: earlier segments share the object they were given.
  const style: AnsiStyle = { ...current };
  const params = paramText === "" ? ["0"] : paramText.split(";");
  for (let i = 0; i < params.length; i++) {
    const param = params[i]!;
    if (param.includes(":")) {
      // ITU form: the whole colour lives in one parameter's sub-parameters.
      const sub = param.split(":");
      const code = toInt(sub[0]);
      if (code === 38 || code === 48 || code === 58) {
        const mode = toInt(sub[1]);
        // `38:2:R:G:B` or, with a colour-space id, `38:2:CS:R:G:B`.
        const rgb = mode === 2 ? (sub.length >= 6 ? sub.slice(3, 6) : sub.slice(2, 5)) : sub.slice(2, 3);
        const color = extendedColor(mode, rgb);
        if (color !== undefined && code !== 58) setColor(style, code, color);
      } else if (code === 4) {
        style.underline = toInt(sub[1]) !== 0;
      } else {
        applyCode(style, code);
      }
      continue;
    }
    const code = toInt(param);
    if (code === 38 || code === 48 || code === 58) {
      const mode = toInt(params[i + 1]);
      const count = mode === 5 ? 1 : mode === 2 ? 3 : 0;
      const color = extendedColor(mode, params.slice(i + 2, i + 2 + count));
      i += 1 + count;
      if (color !== undefined && code !== 58) setColor(style, code, color);
      continue;
    }
    applyCode(style, code);
  }
  return normalise(style);
}

function applyCode(style: AnsiStyle, code: number) {
  if (code === 0) {
    for (const key of Object.keys(style) as (keyof AnsiStyle)[]) delete style[key];
  } else if (code === 1) style.bold = true;
  else if (code === 2) style.dim = true;
  else if (code === 3) style.italic = true;
  else if (code === 4 || code === 21) style.underline = true;
  else if (code === 7) style.inverse = true;
  else if (code === 9) style.strike = true;
  else if (code === 22) style.bold = style.dim = false;
  else if (code === 23) style.italic = false;
  else if (code === 24) style.underline = false;
  else if (code === 27) style.inverse = false;
  else if (code === 29) style.strike = false;
  else if (code >= 30 && code <= 37) style.fg = code - 30;
  else if (code === 39) delete style.fg;
  else if (code >= 40 && code <= 47) style.bg = code - 40;
  else if (code === 49) delete style.bg;
  else if (code >= 90 && code <= 97) style.fg = code - 90 + 8;
  else if (code >= 100 && code <= 107) style.bg = code - 100 + 8;
  // Anything else (blink, fonts, overline, …) has no use in a log view.
}

function setColor(style: AnsiStyle, code: number, color: AnsiColor) {
  if (code === 38) style.fg = color;
  else style.bg = color;
}

function extendedColor(mode: number, args: (string | undefined)[]): AnsiColor | undefined {
  if (mode === 5) {
    if (args[0] === undefined) return undefined;
    const index = toInt(args[0]);
    return index >= 0 && index <= 255 ? index : undefined;
  }
  if (mode === 2 && args.length === 3) {
    return "#" + args.map((v) => clampByte(toInt(v)).toString(16).padStart(2, "0")).join("");
  }
  return undefined;
}

/** Drops attributes that are off, so equal looks compare equal and plain text has `{}`. */
function normalise(style: AnsiStyle): AnsiStyle {
  for (const key of Object.keys(style) as (keyof AnsiStyle)[]) {
    if (style[key] === false || style[key] === undefined) delete style[key];
  }
  return style;
}

function toInt(value: string | undefined): number {
  if (value === undefined || value === "") return 0;
  const n = Number.parseInt(value, 10);
  return Number.isNaN(n) ? -1 : n;
}

function clampByte(n: number): number {
  return Math.max(0, Math.min(255, n));
}

/**
 * The CSS colour for a palette index or hex colour: the 16 theme colours are CSS variables
 * (timeline.css gives them light and dark values); 16–255 are xterm's fixed cube and greys.
 */
export function ansiColorCss(color: AnsiColor): string {
  if (typeof color === "string") return color;
  if (color < 16) return `var(--ansi-${color})`;
  if (color < 232) {
    const n = color - 16;
    const level = (v: number) => (v === 0 ? 0 : 55 + v * 40);
    return rgbHex(level(Math.floor(n / 36)), level(Math.floor(n / 6) % 6), level(n % 6));
  }
  const grey = 8 + (color - 232) * 10;
  return rgbHex(grey, grey, grey);
}

function rgbHex(r: number, g: number, b: number): string {
  return "#" + [r, g, b].map((v) => v.toString(16).padStart(2, "0")).join("");
}
