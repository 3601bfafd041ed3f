import { describe, expect, it } from "vitest";
import type { TurnEnded } from "../ipc";
import { formatCost, formatElapsed, formatSessionCost, formatStart, formatTokens, turnSummary } from "./format";

describe("session numbers", () => {
  it("shortens token counts", () => {
    expect(formatTokens(950)).toBe("950");
    expect(formatTokens(1000)).toBe("1k");
    expect(formatTokens(12_345)).toBe("12.3k");
    expect(formatTokens(250_000)).toBe("250k");
    expect(formatTokens(1_200_000)).toBe("1.2M");
  });

  it("shows small costs with enough digits", () => {
    expect(formatCost(null)).toBe("–");
    expect(formatCost(0)).toBe("$0.00");
    expect(formatCost(0.0031)).toBe("$0.0031");
    expect(formatCost(12.5)).toBe("$12.50");
  });

  it("counts elapsed time like a clock", () => {
    expect(formatElapsed(4200)).toBe("4 s");
    expect(formatElapsed(65_000)).toBe("1:05");
    expect(formatElapsed(3_723_000)).toBe("1:02:03");
    expect(formatElapsed(-5)).toBe("0 s");
  });

  it("shows only the time for today's sessions", () => {
    const now = new Date(2026, 10, 21, 15, 0).getTime();
    expect(formatStart(new Date(2026, 10, 21, 9, 5).getTime(), now)).not.toMatch(/Nov|2026/);
    expect(formatStart(new Date(2026, 2, 3, 9, 5).getTime(), now)).toMatch(/Mar/);
    expect(formatStart(new Date(2025, 2, 3).getTime(), now)).toMatch(/2025/);
  });

  it("sums a turn's input including the cache", () => {
    const turn = {
      turn: 2,
      stopReason: "endTurn",
      error: null,
      durationMs: 3200,
      usage: { inputTokens: 10, outputTokens: 340, cacheReadTokens: 12_000, cacheCreationTokens: 0 },
      costUsd: 0.0123,
      sessionCostUsd: 0.05,
    } as TurnEnded;
    expect(turnSummary(turn)).toBe("Turn 2 · 3.2 s · 12k in · 340 out · $0.01");
  });
});

describe("a session's cost", () => {
  it("never shows Codex, which reports tokens and no money, as free", () => {
    expect(formatSessionCost("codex", 0)).toBe("cost not reported");
    expect(formatSessionCost("codex", null)).toBe("cost not reported");
    expect(formatSessionCost("claude", 0)).toBe("$0.00");
    expect(formatSessionCost("claude", 0.42)).toBe("$0.42");
  });
});
