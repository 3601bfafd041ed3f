// The two contents of a conflicting path, for a diff: what the journal expected there and what
// is there now. The journal keeps a content only as part of a recorded change, so each is looked
// up among the project's changes by its hash; content nobody recorded (an edit by hand) has no
// text to show, and the conflict is shown by size, mode and hash alone.
import { files, type Conflict, type FileImage, type FileOp, type IpcError } from "../../ipc";

export type ConflictTexts =
  | { type: "texts"; expected: string; found: string }
  | { type: "unavailable"; reason: string }
  | { type: "failed"; error: IpcError };

export async function conflictTexts(project: string, conflict: Conflict): Promise<ConflictTexts> {
  const log = await files.log(project, null);
  if (!log.ok) return { type: "failed", error: log.error };
  const expectedRead = await recordedText(project, log.value, conflict.expected);
  if (!expectedRead.ok) return { type: "failed", error: expectedRead.error };
  const foundRead = await recordedText(project, log.value, conflict.found);
  if (!foundRead.ok) return { type: "failed", error: foundRead.error };
  const expected = expectedRead.text;
  const found = foundRead.text;
  if (expected === null || found === null) {
    const what =
      expected === null && found === null
        ? "Neither content was recorded as text"
        : expected === null
          ? "The expected content was not recorded as text"
          : "What is there now was not recorded as text (it was changed outside the journal, or is not text)";
    return { type: "unavailable", reason: `${what}, so the two can only be compared by size, mode and hash.` };
  }
  return { type: "texts", expected, found };
}

type Read = { ok: true; text: string | null } | { ok: false; error: IpcError };

/**
 * The text of `image` from the newest recorded change that left or found it: "" for no file,
 * null when no change kept it as text.
 */
async function recordedText(project: string, log: readonly FileOp[], image: FileImage | null): Promise<Read> {
  if (!image) return { ok: true, text: "" };
  if (!image.hash || image.kind !== "file") return { ok: true, text: null };
  for (const op of [...log].sort((a, b) => b.id - a.id)) {
    const side = op.after?.hash === image.hash ? "after" : op.before?.hash === image.hash ? "before" : null;
    if (!side) continue;
    const diff = await files.diff(project, { type: "op", id: op.id });
    if (!diff.ok) return { ok: false, error: diff.error };
    const shown = diff.value.map((entry) => entry[side]).find((s) => s.type === "text");
    return { ok: true, text: shown?.type === "text" ? shown.text : null };
  }
  return { ok: true, text: null };
}
