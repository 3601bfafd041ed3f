// How sizes, permission bits, file images and diff sides read in the Files panel.
import type { DiffSide, FileImage } from "../../ipc";

/** "0 B", "512 B", "1.2 KB", "3.4 MB". */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let n = bytes / 1024;
  let unit = 0;
  while (n >= 1024 && unit < units.length - 1) {
    n /= 1024;
    unit++;
  }
  return `${n >= 100 ? n.toFixed(0) : n.toFixed(1).replace(/\.0$/, "")} ${units[unit]}`;
}

/** Permission bits as `ls` and `chmod` write them: "644", "755". */
export function formatMode(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(3, "0");
}

/** One image of a file in a few words: "1.2 KB · mode 644 · sha 1a2b3c4d", or "no file". */
export function imageWords(image: FileImage | null): string {
  if (!image) return "no file";
  const parts = [formatSize(image.size), `mode ${formatMode(image.mode)}`];
  if (image.kind === "symlink") parts.push("symlink");
  parts.push(image.hash ? `sha ${image.hash.slice(0, 8)}` : image.tooLarge ? "too large to keep" : "content not kept");
  return parts.join(" · ");
}

/** One side of a diff that cannot be shown line by line, in words. */
export function sideWords(side: DiffSide): string {
  switch (side.type) {
    case "absent":
      return "no file";
    case "text":
      return `text, ${formatSize(new TextEncoder().encode(side.text).length)}`;
    case "symlink":
      return `symlink to ${side.target}`;
    case "binary":
      return `binary, ${formatSize(side.size)}`;
    case "tooLarge":
      return `too large to keep (${formatSize(side.size)}), its content was not recorded`;
    case "notKept":
      return `not kept, .gitignore hides it (${formatSize(side.size)})`;
  }
}
