// How numbers about a session read: token counts, money, start times.
import type { TurnEnded } from "../ipc";
import { formatDuration } from "./formatDuration";

/** "950", "12.3k", "1.2M". */
export function formatTokens(n: number): string {
  if (n < 1000) return String(n);
  if (n < 1_000_000) return `${trim(n / 1000)}k`;
  return `${trim(n / 1_000_000)}M`;
}

function trim(x: number): string {
  return x >= 100 ? x.toFixed(0) : x.toFixed(1).replace(/\.0$/, "");
}

/**
 * A session's cost as its list row and the best-of compare view show it. Codex reports tokens,
 * not money, so its zero would read as free: "cost not reported" (the Usage view estimates it).
 */
export function formatSessionCost(agent: string, usd: number | null | undefined): string {
  return agent === "codex" && !usd ? "cost not reported" : formatCost(usd);
}

/** "$0.42", "$0.0031", "$12.50"; cents are not enough for cheap turns. */
export function formatCost(usd: number | null | undefined): string {
  if (usd === null || usd === undefined) return "–";
  if (usd === 0) return "$0.00";
  if (usd < 0.01) return `$${usd.toFixed(4)}`;
  return `$${usd.toFixed(2)}`;
}

/** A start time: "14:02" today, "Mar 3, 14:02" this year, "3 Mar 2025" before. */
export function formatStart(ms: number, now: number): string {
  const date = new Date(ms);
  const today = new Date(now);
  const time = date.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
  if (date.toDateString() === today.toDateString()) return time;
  if (date.getFullYear() === today.getFullYear()) {
    return `${date.toLocaleDateString(undefined, { month: "short", day: "numeric" })}, ${time}`;
  }
  return date.toLocaleDateString(undefined, { year: "numeric", month: "short", day: "numeric" });
}

/** Seconds as a running clock: "4 s", "1:05", "1:02:03". */
export function formatElapsed(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s`;
  const pad = (n: number) => String(n).padStart(2, "0");
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}

/** All input tokens of a turn, cached or not. */
export function inputTokens(turn: TurnEnded): number {
  const u = turn.usage;
  return u.inputTokens + u.cacheReadTokens + u.cacheCreationTokens;
}

/** One line about a finished turn: "Turn 2 · 3.2 s · 12k in · 340 out · $0.01". */
export function turnSummary(turn: TurnEnded): string {
  const parts = [`Turn ${turn.turn}`, formatDuration(turn.durationMs)];
  parts.push(`${formatTokens(inputTokens(turn))} in`, `${formatTokens(turn.usage.outputTokens)} out`);
  if (turn.costUsd !== null) parts.push(formatCost(turn.costUsd));
  return parts.join(" · ");
}
