// A command as the permission question shows it: every part of it visible. An agent (or the
// repository steering it) can hide the part that matters below a run of blank lines, far to
// the right after thousands of spaces, behind a carriage return that a terminal would draw
// over, or in characters that draw nothing. Here every line gets its number, runs of blank
// lines and long runs of blanks become one visible mark each, and characters that draw
// nothing are named. What is left is cut into what fits a glance and what continues, which the
// question says out loud.

/** A piece of a line: text as written, or a mark standing for characters that draw nothing. */
export type Piece = { kind: "text"; text: string } | { kind: "mark"; text: string; title: string };

/** A row of the shown command. */
export type Row =
  /** One line of the command (`number` counts from 1), possibly cut at the end (`cut`). */
  | { kind: "line"; number: number; pieces: Piece[]; cut?: boolean }
  /** A run of blank lines (empty or only spaces and tabs), lines `from`..`to`. */
  | { kind: "blank"; from: number; to: number };

/** The command laid out for the question. */
export interface CommandLayout {
  rows: Row[];
  /** Lines in the command (a final newline ends the last line; it adds none). */
  lineCount: number;
  /** Whether any mark stands for hidden characters (blank runs, invisible or control characters). */
  marked: boolean;
}

/** Blank lines in a row inside the command that stay as they are; longer runs become one mark. */
const BLANK_RUN_KEPT = 2;
/** Spaces and tabs in a row that stay as they are; longer runs become one mark. */
const SPACE_RUN_KEPT = 16;

/**
 * Characters that draw nothing or move the text, so they are named instead: controls (except
 * tab and newline), format characters (bidirectional overrides, zero-width characters, the byte
 * order mark, tag characters), line and paragraph separators and every space but the plain one.
 */
const HIDDEN = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Zs}\u115F\u1160\u3164\uFFA0\u2800]/u;

/** Lays out `command`: numbered lines, blank runs and invisible characters marked. */
export function layoutCommand(command: string): CommandLayout {
  const lines = command.split("\n");
  // A final newline ends the last line rather than starting an empty one.
  if (lines.length > 1 && lines[lines.length - 1] === "") lines.pop();
  const rows: Row[] = [];
  let marked = false;
  let i = 0;
  while (i < lines.length) {
    if (isBlank(lines[i] ?? "")) {
      let end = i;
      while (end + 1 < lines.length && isBlank(lines[end + 1] ?? "")) end++;
      const run = end - i + 1;
      // Blank lines at the start or the end, or many in a row, are exactly how a part of a
      // command is pushed out of sight: they are always marked.
      const edge = i === 0 || end === lines.length - 1;
      if (edge || run > BLANK_RUN_KEPT) {
        rows.push({ kind: "blank", from: i + 1, to: end + 1 });
        marked = true;
      } else {
        for (let n = i; n <= end; n++) rows.push({ kind: "line", number: n + 1, pieces: pieces(lines[n] ?? "") });
      }
      i = end + 1;
      continue;
    }
    const line = pieces(lines[i] ?? "");
    if (line.some((p) => p.kind === "mark")) marked = true;
    rows.push({ kind: "line", number: i + 1, pieces: line });
    i++;
  }
  return { rows, lineCount: lines.length, marked };
}

/** A line with nothing on it but spaces and tabs. */
function isBlank(line: string): boolean {
  return /^[ \t]*$/.test(line);
}

/** Splits a line into text and marks for long blank runs and characters that draw nothing. */
export function pieces(line: string): Piece[] {
  const out: Piece[] = [];
  let text = "";
  const flush = () => {
    if (text) out.push({ kind: "text", text });
    text = "";
  };
  const chars = Array.from(line);
  let i = 0;
  while (i < chars.length) {
    const c = chars[i] ?? "";
    if (c === " " || c === "\t") {
      let end = i;
      while (end + 1 < chars.length && (chars[end + 1] === " " || chars[end + 1] === "\t")) end++;
      const run = chars.slice(i, end + 1).join("");
      if (run.length > SPACE_RUN_KEPT) {
        flush();
        out.push({ kind: "mark", text: `⟨${run.length} blanks⟩`, title: `${run.length} spaces and tabs in a row` });
      } else {
        text += run;
      }
      i = end + 1;
      continue;
    }
    if (HIDDEN.test(c)) {
      flush();
      out.push(mark(c));
    } else {
      text += c;
    }
    i++;
  }
  flush();
  return out;
}

/** Short names of the control characters a command may carry; the others go by code point. */
const CONTROL_NAMES: Record<number, string> = { 0x00: "NUL", 0x07: "BEL", 0x08: "BS", 0x0b: "VT", 0x0c: "FF", 0x0d: "CR", 0x1b: "ESC", 0x7f: "DEL" };

/** The mark for one hidden character: a control's short name, else its code point. */
function mark(c: string): Piece {
  const code = c.codePointAt(0) ?? 0;
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
  if (code === 0x0d) return { kind: "mark", text: "⟨CR⟩", title: `carriage return (${hex}): a terminal may draw what follows over what came before` };
  const name = CONTROL_NAMES[code];
  if (name) return { kind: "mark", text: `⟨${name}⟩`, title: `control character ${hex}` };
  return { kind: "mark", text: `⟨${hex}⟩`, title: `${hex}, a character that draws nothing or changes how the text around it is drawn` };
}

/** How much of a command the question shows before it says "the command continues". */
export interface Glance {
  rows: number;
  chars: number;
}

/** What fits a glance: enough for an ordinary script, small enough to read before answering. */
export const GLANCE: Glance = { rows: 12, chars: 1000 };

/** The rows shown at first, and what is left out. */
export interface Shown {
  rows: Row[];
  /** Whether something is left out (the rest is shown on request). */
  cut: boolean;
  /** Lines of the command not shown at all, or only in part. */
  moreLines: number;
}

/** The first rows of `layout` within `glance`; a line longer than what is left is cut. */
export function firstRows(layout: CommandLayout, glance: Glance = GLANCE): Shown {
  const rows: Row[] = [];
  let chars = 0;
  for (const row of layout.rows) {
    if (rows.length >= glance.rows) return left(rows, layout, row);
    if (row.kind === "blank") {
      rows.push(row);
      chars += 1;
      continue;
    }
    const size = row.pieces.reduce((n, p) => n + p.text.length, 0);
    if (chars + size <= glance.chars) {
      rows.push(row);
      chars += size;
      continue;
    }
    const part = cutPieces(row.pieces, glance.chars - chars);
    if (part.length > 0) rows.push({ kind: "line", number: row.number, pieces: part, cut: true });
    return left(rows, layout, row);
  }
  return { rows, cut: false, moreLines: 0 };
}

/** What is left from `row` (the first row not shown in full) on. */
function left(rows: Row[], layout: CommandLayout, row: Row): Shown {
  const from = row.kind === "line" ? row.number : row.from;
  return { rows, cut: true, moreLines: layout.lineCount - from + 1 };
}

/** The first `budget` characters of a line's pieces; a mark is never split. */
function cutPieces(line: Piece[], budget: number): Piece[] {
  const out: Piece[] = [];
  let left = budget;
  for (const piece of line) {
    if (left <= 0) break;
    if (piece.kind === "mark") {
      out.push(piece);
      left -= piece.text.length;
    } else {
      const chars = Array.from(piece.text);
      out.push({ kind: "text", text: chars.slice(0, left).join("") });
      left -= chars.length;
    }
  }
  return out;
}

/** Whether `command` is longer than a glance, so the question cuts it and says it continues. */
export function commandContinues(command: string): boolean {
  return firstRows(layoutCommand(command)).cut;
}
