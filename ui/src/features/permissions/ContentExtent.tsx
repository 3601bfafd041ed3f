// Under a file's content or an edit in a permission question: how long it is, so that the end
// of a long (or blank-padded) content, which its box scrolls to, is not taken for absent.

/** Content longer than this many lines gets a note that its box scrolls. */
export const SCROLL_NOTE_LINES = 20;

/** How many lines `text` has (a final newline ends a line, it does not start one). */
export function lineCount(text: string): number {
  if (text === "") return 0;
  const lines = text.split("\n").length;
  return text.endsWith("\n") ? lines - 1 : lines;
}

/** A note naming the length of long content, or nothing for short content. */
export function ContentExtent({ text, what }: { text: string; what: string }) {
  const lines = lineCount(text);
  if (lines <= SCROLL_NOTE_LINES) return null;
  return (
    <p className="pm-extent muted" data-testid="permission-extent">
      {what} has {lines} lines: the box above scrolls, and all of it is what will be written.
    </p>
  );
}
