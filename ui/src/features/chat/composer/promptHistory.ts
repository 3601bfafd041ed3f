// Walking back through a session's earlier prompts with Up and Down, like a shell: Up on the
// first line of the box recalls the previous prompt, Down on the last line the next one, and
// going down past the newest brings back what was being typed before.

/** Where the walk through the history stands. */
export class HistoryWalk {
  /** Index into the entries being shown, or null when not walking. */
  private at: number | null = null;
  /** What was in the box when the walk started. */
  private typed = "";

  /** The entry before the one shown (the newest when not walking), or null at the oldest. */
  up(entries: readonly string[], current: string): string | null {
    if (entries.length === 0) return null;
    if (this.at === null) {
      this.typed = current;
      this.at = entries.length;
    }
    if (this.at === 0) return null;
    this.at--;
    return entries[this.at] ?? null;
  }

  /** The entry after the one shown, what was typed past the newest; null when not walking. */
  down(entries: readonly string[]): string | null {
    if (this.at === null) return null;
    this.at++;
    if (this.at >= entries.length) {
      this.at = null;
      return this.typed;
    }
    return entries[this.at] ?? null;
  }

  /** Ends the walk (after sending). */
  reset(): void {
    this.at = null;
    this.typed = "";
  }
}

/** The person's prompts of a session, oldest first, with repeats in a row kept once. */
export function promptsOf(texts: readonly string[]): string[] {
  const out: string[] = [];
  for (const text of texts) if (text.trim() && out[out.length - 1] !== text) out.push(text);
  return out;
}

/** Whether the caret is on the first line (Up recalls) of `value`, with nothing selected. */
export function onFirstLine(value: string, start: number, end: number): boolean {
  return start === end && !value.slice(0, start).includes("\n");
}

/** Whether the caret is on the last line (Down goes forward) of `value`, with nothing selected. */
export function onLastLine(value: string, start: number, end: number): boolean {
  return start === end && !value.slice(end).includes("\n");
}
