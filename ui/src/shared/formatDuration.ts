/**
 * A duration the way the timeline shows it: "420 ms", "3.2 s", "1 m 05 s", "2 h 03 m".
 * Returns "" for a value that is not a finite, non-negative number (nothing useful to show).
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "";
  const wholeMs = Math.round(ms);
  if (wholeMs < 1000) return `${wholeMs} ms`;
  // Round to tenths first so 59 960 ms becomes "1 m 00 s", never "60.0 s".
  const tenths = Math.round(ms / 100);
  if (tenths < 600) return `${(tenths / 10).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 3600) return `${Math.floor(seconds / 60)} m ${pad(seconds % 60)} s`;
  const minutes = Math.round(ms / 60_000);
  return `${Math.floor(minutes / 60)} h ${pad(minutes % 60)} m`;
}

function pad(n: number): string {
  return n.toString().padStart(2, "0");
}
