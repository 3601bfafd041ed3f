// Which hunk of the Files panel a finding points at: the one its lines fall in, as the review
// engine anchors findings (warden-core review/anchor.rs), so a finding lands on the hunk the
// review named even when the panel shows a wider scope (the session) whose hunks are numbered
// differently from the reviewed task's.
import type { Hunk } from "../../ipc";
import type { FilesTarget } from "./opener";

/**
 * Unchanged lines around a hunk that still count as its place for a review finding, as in the
 * engine's anchoring: a finding on the line just before a change is the change's.
 */
const NEAR = 3;

/** Whether `at` asks for a place in the file at all (a hunk or lines), not just the file. */
export function hasPlace(at: FilesTarget | null | undefined): at is FilesTarget {
  return !!at && (!!at.hunk || at.lineStart != null);
}

/**
 * The index of the hunk of `hunks` that `at` points at, or null when none does (the finding is
 * outside the shown changes). Lines decide when there are any: the first hunk they overlap,
 * else, for a review's finding (it names a hunk), the first within three lines. Without lines,
 * the hunk id's number is taken as it is.
 */
export function targetHunk(hunks: readonly Hunk[], at: FilesTarget): number | null {
  if (at.lineStart != null) {
    const start = at.lineStart;
    const end = Math.max(at.lineEnd ?? start, start);
    const near = (by: number) => hunks.find((h) => overlaps(h, start, end, by));
    return (near(0) ?? (at.hunk ? near(NEAR) : undefined))?.index ?? null;
  }
  const index = at.hunk ? Number(at.hunk.slice(at.hunk.lastIndexOf("#") + 1)) : NaN;
  return hunks.some((h) => h.index === index) ? index : null;
}

/** Whether lines `start`–`end` of the file after fall within `by` lines of `hunk`. */
function overlaps(hunk: Hunk, start: number, end: number, by: number): boolean {
  // A hunk that only removed lines covers the line where they were.
  const first = hunk.newStart;
  const last = hunk.newStart + Math.max(hunk.added.length, 1) - 1;
  return start <= last + by && end + by >= first;
}
