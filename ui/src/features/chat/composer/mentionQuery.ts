// Finding the `@query` the caret is in, and replacing it with the chosen mention.
import { mentionToken } from "./composed";

/** An `@` being typed: where it starts and what follows it up to the caret. */
export interface MentionQuery {
  /** Index of the `@` in the text. */
  at: number;
  /** Index of the caret (the end of the query). */
  end: number;
  query: string;
}

/**
 * The `@query` the caret is at the end of: an `@` at the start or after a space, followed by
 * no space up to the caret. `foo@bar` (an e-mail address) is not one.
 */
export function mentionAt(text: string, caret: number): MentionQuery | null {
  const before = text.slice(0, caret);
  const at = before.lastIndexOf("@");
  if (at < 0) return null;
  if (at > 0 && !/\s/.test(before[at - 1] ?? "")) return null;
  const query = before.slice(at + 1);
  if (/\s/.test(query) || query.startsWith('"')) return null;
  return { at, end: caret, query };
}

/** The text with the `@query` replaced by the mention (and a space), and where the caret goes. */
export function insertMention(text: string, q: MentionQuery, path: string): { text: string; caret: number } {
  const token = mentionToken(path) + " ";
  const rest = text.slice(q.end).replace(/^ /, "");
  return { text: text.slice(0, q.at) + token + rest, caret: q.at + token.length };
}

/** A `/command` typed at the very start of the box: the part after the slash up to the caret. */
export function slashAt(text: string, caret: number): string | null {
  if (!text.startsWith("/")) return null;
  const head = text.slice(1, caret);
  return /\s/.test(head) || caret === 0 ? null : head;
}
