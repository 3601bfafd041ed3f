// Tool output can be megabytes (a test run, a file dump). Rendering it all would stall the
// window, so views show the head and offer the rest on request.

/** How much is shown before "Show all": whichever limit is reached first. */
export const MAX_SHOWN_LINES = 200;
export const MAX_SHOWN_CHARS = 20_000;

/** The head of a text that fits the limits, and how much there was. */
export interface Cut {
  shown: string;
  totalLines: number;
  /** Whether `shown` is only part of the text. */
  cut: boolean;
}

/** Cuts `text` to at most `maxLines` lines and `maxChars` characters, at a line end if it can. */
export function cutText(text: string, maxLines = MAX_SHOWN_LINES, maxChars = MAX_SHOWN_CHARS): Cut {
  const totalLines = countLines(text);
  let end = 0;
  let lines = 0;
  while (lines < maxLines) {
    const next = text.indexOf("\n", end);
    if (next < 0) {
      end = text.length;
      break;
    }
    end = next + 1;
    lines++;
  }
  if (end > maxChars) {
    // One very long line: cut inside it rather than show nothing.
    const lastBreak = text.lastIndexOf("\n", maxChars - 1);
    end = lastBreak > 0 ? lastBreak + 1 : maxChars;
  }
  if (end >= text.length) return { shown: text, totalLines, cut: false };
  return { shown: text.slice(0, end), totalLines, cut: true };
}

/** Lines as a person counts them: a final newline does not start another line. */
export function countLines(text: string): number {
  if (text === "") return 0;
  let count = 1;
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) count++;
  return text.endsWith("\n") ? count - 1 : count;
}
