// Asking the session's agent to draft a commit message: the prompt it gets, and its answer read
// back from the transcript once that turn has ended.
import type { Transcript } from "../../model/transcript";

/** The prompt that asks for a commit message for the branch's uncommitted work. */
export function draftPrompt(branch: string, base: string): string {
  return [
    `Write a git commit message for the uncommitted changes in this worktree (branch ${branch}, made from ${base}).`,
    "Look at them with `git status` and `git diff` if you need to, but do not change any file and do not commit.",
    "Reply with the message only: a short subject line, a blank line, then a body if it helps. No commentary, no code fences.",
  ].join(" ");
}

/** How the drafting turn ended: still running, or its reply (null when it gave no text). */
export type DraftAnswer = { done: false } | { done: true; text: string | null; error: string | null };

/**
 * The agent's answer to turn `turn`: its last message of that turn (earlier ones are talk
 * before looking at the diff), once the turn has ended.
 */
export function draftAnswer(t: Transcript, turn: number): DraftAnswer {
  let start = -1;
  let end = -1;
  t.entries.forEach((entry, i) => {
    if (entry.kind === "user" && entry.turn === turn) start = i;
    if (entry.kind === "turnEnded" && entry.ended.turn === turn) end = i;
  });
  if (end < 0) return { done: false };
  const ended = t.entries[end];
  const error = ended?.kind === "turnEnded" ? ended.ended.error : null;
  let last: string | null = null;
  let text = "";
  for (const entry of t.entries.slice(start + 1, end)) {
    if (entry.kind !== "agent" || entry.thought || entry.parent !== null) continue;
    if (entry.messageId !== last) {
      last = entry.messageId;
      text = "";
    }
    text += entry.text;
  }
  const cleaned = unfence(text.trim());
  return { done: true, text: cleaned === "" ? null : cleaned, error };
}

/** The message without a code fence around it, which agents add though asked not to. */
function unfence(text: string): string {
  const lines = text.split("\n");
  if (lines.length >= 2 && lines[0]!.startsWith("```") && lines[lines.length - 1]!.trim() === "```") {
    return lines.slice(1, -1).join("\n").trim();
  }
  return text;
}
