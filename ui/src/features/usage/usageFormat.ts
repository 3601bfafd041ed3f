// How the usage view words its numbers: a cost that is reported, estimated, partly or wholly
// unknown (never shown as $0 when it is not known), the time ranges offered, and rate limits.
import type { RateLimitWindow, UsageTotals } from "../../ipc";
import { formatCost } from "../../shared/format";

/** How a cost is known. */
export type CostKind = "reported" | "estimated" | "partlyEstimated" | "partlyUnknown" | "unknown" | "none";

/** How the cost of these turns is known (the same decision as the CSV's `cost` column). */
export function costKind(t: UsageTotals): CostKind {
  if (t.turns === 0) return "none";
  if (t.unpricedTurns === t.turns) return "unknown";
  if (t.unpricedTurns > 0) return "partlyUnknown";
  if (t.estimatedTurns > 0 && t.reportedCostUsd === 0) return "estimated";
  if (t.estimatedTurns > 0) return "partlyEstimated";
  return "reported";
}

/** Reported plus estimated cost (a number the bindings may carry as null, for NaN). */
export function knownCost(t: UsageTotals): number {
  return (t.reportedCostUsd ?? 0) + (t.estimatedCostUsd ?? 0);
}

/** The cost as shown: "$1.20", "unknown", or "$1.20 + unknown" when part of it is not known. */
export function costText(t: UsageTotals): string {
  const kind = costKind(t);
  const known = knownCost(t);
  if (kind === "none") return formatCost(0);
  if (kind === "unknown") return "unknown";
  if (kind === "partlyUnknown") return `${formatCost(known)} + unknown`;
  return formatCost(known);
}

/** Whether the cost shown includes an estimate (then it is marked). */
export function isEstimated(t: UsageTotals): boolean {
  return t.estimatedTurns > 0;
}

/** The ranges the view offers. */
export const RANGES = [
  { id: "7", label: "Last 7 days", days: 7 },
  { id: "30", label: "Last 30 days", days: 30 },
  { id: "90", label: "Last 90 days", days: 90 },
  { id: "all", label: "All time", days: null },
] as const;

/** A range's id. */
export type RangeId = (typeof RANGES)[number]["id"];

/** `[fromMs, toMs)` of a range ending now: whole days back from the start of today. */
export function rangeBounds(id: RangeId, now: number): { fromMs: number; toMs: number } {
  const range = RANGES.find((r) => r.id === id) ?? RANGES[1];
  // A little past now, so a turn ending while the report is read still counts.
  const toMs = now + 60_000;
  if (range.days === null) return { fromMs: 0, toMs };
  const start = new Date(now);
  start.setHours(0, 0, 0, 0);
  start.setDate(start.getDate() - (range.days - 1));
  return { fromMs: start.getTime(), toMs };
}

/** A window's length in words: "5 h window", "weekly window". */
export function windowText(w: RateLimitWindow): string {
  const m = w.windowMinutes;
  if (m === null) return "window";
  if (m === 10_080) return "weekly window";
  if (m % 1440 === 0) return `${m / 1440} day window`;
  if (m % 60 === 0) return `${m / 60} h window`;
  return `${m} min window`;
}

/** "42% used", with when it resets if known. */
export function limitText(w: RateLimitWindow, now: number): string {
  const used = `${Math.round(w.usedPercent ?? 0)}% used`;
  if (w.resetsAtMs === null) return used;
  const minutes = Math.max(0, Math.round((w.resetsAtMs - now) / 60_000));
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  const inText = minutes < 60 ? `${minutes} min` : minutes < 2880 ? (m ? `${h} h ${m} min` : `${h} h`) : `${Math.round(minutes / 1440)} days`;
  return `${used}, resets in ${inText}`;
}
