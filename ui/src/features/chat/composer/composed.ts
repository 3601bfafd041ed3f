// What the prompt box holds and sends: the text and what is attached to it (mentioned files and
// folders as chips, pasted or dropped images as thumbnails), and how that becomes the prompt
// helper B's IPC takes. A mention is in the text as `@path` where it was chosen (so "compare
// @a with @b" keeps its meaning) and in the attachments (so the agent gets it its own way).
import type { ImageType, PromptInput } from "../../../ipc";

/** A mentioned file or folder (a chip). */
export interface MentionChip {
  type: "mention";
  /** Relative to the session's folder, "/"-separated. */
  path: string;
  kind: "file" | "folder";
}

/** A pasted or dropped image (a thumbnail). */
export interface ImageChip {
  type: "image";
  mediaType: ImageType;
  /** The image's bytes, base64 (no `data:` prefix). */
  dataBase64: string;
  /** The file name it came with. */
  name: string | null;
  bytes: number;
}

/** One thing attached to a prompt in the box. */
export type ComposerAttachment = MentionChip | ImageChip;

/** A prompt as the person composed it. */
export interface ComposedPrompt {
  text: string;
  attachments: ComposerAttachment[];
}

/** An empty prompt. */
export const EMPTY: ComposedPrompt = { text: "", attachments: [] };

/** Whether there is anything to send. */
export function isEmpty(prompt: ComposedPrompt): boolean {
  return prompt.text.trim().length === 0 && prompt.attachments.length === 0;
}

/** How a mention is written in the text: `@path`, quoted when the path has a space. */
export function mentionToken(path: string): string {
  return /\s/.test(path) ? `@"${path}"` : `@${path}`;
}

/** The mentions whose `@path` is still in the text (deleting the text removes the chip). */
export function keepMentionsInText(prompt: ComposedPrompt): ComposedPrompt {
  const kept = prompt.attachments.filter((a) => a.type !== "mention" || prompt.text.includes(mentionToken(a.path)));
  return kept.length === prompt.attachments.length ? prompt : { ...prompt, attachments: kept };
}

/** Takes a mention out: its chip and its `@path` in the text. */
export function removeMention(prompt: ComposedPrompt, path: string): ComposedPrompt {
  const token = mentionToken(path);
  const text = prompt.text
    .split(token + " ")
    .join("")
    .split(token)
    .join("");
  return { text, attachments: prompt.attachments.filter((a) => !(a.type === "mention" && a.path === path)) };
}

/** The prompt as the session command takes it. */
export function toPromptInput(prompt: ComposedPrompt): PromptInput {
  return {
    text: prompt.text,
    attachments: prompt.attachments.map((a) =>
      a.type === "mention" ? { type: "mention", path: a.path } : { type: "image", dataBase64: a.dataBase64, name: a.name },
    ),
  };
}

/** A `data:` URL of an image, for its thumbnail (the window's CSP allows `data:` images, not `blob:`). */
export function imageUrl(mediaType: string, dataBase64: string): string {
  return `data:${mediaType};base64,${dataBase64}`;
}
