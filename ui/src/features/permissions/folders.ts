// Where a command runs, as the question shows it. The backend's `outsideProject` list is the
// judgement that counts; this lexical reading only adds a flag when the list is silent about
// a folder that plainly lies elsewhere (`..` climbing out, another absolute path), so a
// question never shows such a folder as if it were the project's.

/** Whether `path` is absolute (a POSIX root, a Windows drive or a UNC share). */
function isAbsolute(path: string): boolean {
  return path.startsWith("/") || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith("\\\\");
}

/** Whether the paths are Windows ones, compared without regard to case. */
function windows(path: string): boolean {
  return /^[A-Za-z]:[\\/]/.test(path) || path.startsWith("\\\\");
}

/** `path` resolved against `root` without the file system: `.` dropped, `..` applied. */
export function resolveFolder(path: string, root: string): string[] {
  const full = isAbsolute(path) ? path : `${root}/${path}`;
  const parts: string[] = [];
  for (const part of full.split(/[\\/]+/)) {
    if (part === "" || part === ".") continue;
    if (part === "..") parts.pop();
    else parts.push(part);
  }
  return parts;
}

/** Whether `path` (absolute, or relative to `root`) lies outside `root`, read lexically. */
export function lexicallyOutside(path: string, root: string): boolean {
  if (root === "") return false;
  const fold = windows(root) ? (s: string) => s.toLowerCase() : (s: string) => s;
  const inner = resolveFolder(path, root).map(fold);
  const outer = resolveFolder(root, root).map(fold);
  return inner.length < outer.length || outer.some((part, i) => inner[i] !== part);
}
