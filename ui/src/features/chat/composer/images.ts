// Reading a pasted or dropped image into an attachment, within what the agent takes.
import type { ImageType, PromptAccepts } from "../../../ipc";
import type { ImageChip } from "./composed";

/** The image types every agent that takes images accepts. */
export const IMAGE_TYPES: readonly ImageType[] = ["image/png", "image/jpeg", "image/gif", "image/webp"];

/** Whether a data transfer (paste, drop) carries files. */
export function carriesFiles(types: readonly string[] | DOMStringList | undefined): boolean {
  return !!types && Array.from(types as ArrayLike<string>).includes("Files");
}

/** Sizes for people: "7.2 MB", "340 KB". */
export function formatBytes(bytes: number): string {
  if (bytes >= 1_000_000) return `${(bytes / 1_000_000).toFixed(1).replace(/\.0$/, "")} MB`;
  return `${Math.max(1, Math.round(bytes / 1000))} KB`;
}

/**
 * Reads `files` as images for a prompt that holds `held` already: the images, and one message
 * per file refused (not an image type the agents take, too large, too many, or an agent that
 * takes none).
 */
export async function readImages(
  files: readonly File[],
  accepts: PromptAccepts | null,
  held: number,
  agentName: string,
): Promise<{ images: ImageChip[]; refused: string[] }> {
  const images: ImageChip[] = [];
  const refused: string[] = [];
  if (!accepts?.images) {
    if (files.length > 0) refused.push(`${agentName} does not take images, so none can be attached here.`);
    return { images, refused };
  }
  for (const file of files) {
    const name = file.name || "pasted image";
    if (!IMAGE_TYPES.includes(file.type as ImageType)) {
      refused.push(`"${name}" is not a PNG, JPEG, GIF or WebP image.`);
    } else if (file.size > accepts.maxImageBytes) {
      refused.push(`"${name}" is ${formatBytes(file.size)}; an image can be at most ${formatBytes(accepts.maxImageBytes)}.`);
    } else if (held + images.length >= accepts.maxImages) {
      refused.push(`At most ${accepts.maxImages} images go with one prompt; "${name}" was left out.`);
    } else {
      images.push({ type: "image", mediaType: file.type as ImageType, dataBase64: await base64Of(file), name: file.name || null, bytes: file.size });
    }
  }
  return { images, refused };
}

/** The file's bytes in base64. */
function base64Of(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result ?? "");
      resolve(url.slice(url.indexOf(",") + 1));
    };
    reader.onerror = () => reject(reader.error ?? new Error("could not read the image"));
    reader.readAsDataURL(file);
  });
}
