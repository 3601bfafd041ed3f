// The person's comments on hunks as feedback for the agent: the model functions the feedback
// composer uses to batch them with check findings. A comment is a finding from the person:
// `file:lines`, the quoted hunk and what they wrote.
import { files, type HunkComment, type Outcome } from "../../ipc";

/** `path:3` or `path:3-5`. */
export function commentLocation(c: HunkComment): string {
  return c.startLine === c.endLine ? `${c.path}:${c.startLine}` : `${c.path}:${c.startLine}-${c.endLine}`;
}

/** The line naming a comment in the message (as `findingLine` names a check's finding). */
export function commentLine(c: HunkComment): string {
  return `- ${firstLine(c.text)} (${commentLocation(c)})`;
}

/** The message's section of the person's comments: each with its place, the quoted lines and the full text. */
export function commentsSection(comments: readonly HunkComment[]): string {
  if (comments.length === 0) return "";
  const blocks = comments.map((c) => {
    const quoted = c.quote.replace(/\n$/, "").split("\n").map((l) => `  ${l}`);
    const rest = c.text.trim().split("\n").slice(1).map((l) => `  ${l}`);
    return [commentLine(c), ...rest, "  ```diff", ...quoted, "  ```"].join("\n");
  });
  return ["## Comments from the user on your changes", "", ...blocks].join("\n");
}

/** `text` (the composed feedback) with the comments' section after it. */
export function withComments(text: string, comments: readonly HunkComment[]): string {
  const section = commentsSection(comments);
  if (section === "") return text;
  return text.trim() === "" ? section : `${text.replace(/\s+$/, "")}\n\n${section}`;
}

/** The comments not sent to the agent yet, oldest first. */
export async function unsentComments(project: string, sessionId: string): Promise<Outcome<HunkComment[]>> {
  return files.comments(project, sessionId, true);
}

/** Records that `comments` went to the agent, so they are not offered again. */
export async function commentsSent(project: string, comments: readonly HunkComment[]): Promise<Outcome<null>> {
  return files.markCommentsSent(
    project,
    comments.map((c) => c.id),
  );
}

function firstLine(text: string): string {
  return text.trim().split("\n")[0] ?? "";
}
