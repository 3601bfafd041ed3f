import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { UsageReport, UsageTotals } from "../../ipc";
import { UsageScreen } from "./UsageScreen";
import { costKind, costText, limitText, rangeBounds, windowText } from "./usageFormat";

const ipc = vi.hoisted(() => ({ report: vi.fn(), csv: vi.fn(), export: vi.fn() }));
vi.mock("../../ipc", () => ({ usage: ipc }));

const NOW = new Date(2026, 11, 7, 15, 0, 0).getTime();

function totals(over: Partial<UsageTotals> = {}): UsageTotals {
  return {
    sessions: 1,
    turns: 1,
    inputTokens: 0,
    outputTokens: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    reportedCostUsd: 0,
    estimatedCostUsd: 0,
    estimatedTurns: 0,
    unpricedTurns: 0,
    ...over,
  };
}

const claude = totals({ sessions: 1, turns: 2, inputTokens: 110, outputTokens: 220, reportedCostUsd: 0.35 });
const codex = totals({ sessions: 2, turns: 3, inputTokens: 2_000_500, outputTokens: 1_100_050, estimatedCostUsd: 26.5, estimatedTurns: 2, unpricedTurns: 1 });
const mock = totals({ turns: 1, inputTokens: 500, outputTokens: 50, unpricedTurns: 1 });

const REPORT: UsageReport = {
  project: "/p/one",
  fromMs: 0,
  toMs: NOW,
  totals: totals({ sessions: 3, turns: 5, inputTokens: 2_000_610, outputTokens: 1_100_270, cacheReadTokens: 2_001_000, cacheWriteTokens: 50, reportedCostUsd: 0.35, estimatedCostUsd: 26.5, estimatedTurns: 2, unpricedTurns: 1 }),
  days: [
    { day: "2026-12-01", totals: totals({ turns: 3, reportedCostUsd: 0.3, estimatedCostUsd: 9, estimatedTurns: 1, unpricedTurns: 1 }) },
    { day: "2026-12-02", totals: totals({ turns: 2, reportedCostUsd: 0.05, estimatedCostUsd: 17.5, estimatedTurns: 1 }) },
  ],
  agents: [
    { agent: "codex", agentName: null, totals: codex },
    { agent: "claude", agentName: null, totals: claude },
  ],
  models: [
    { agent: "codex", agentName: null, model: "gpt-5.4", priced: true, totals: totals({ estimatedCostUsd: 17.5, estimatedTurns: 1 }) },
    { agent: "claude", agentName: null, model: "claude-opus-x", priced: false, totals: claude },
    { agent: "codex", agentName: null, model: "mock-model", priced: false, totals: mock },
  ],
  prices: { written: "2026-12-07", source: "OpenAI API pricing" },
  rateLimits: {
    sessionId: "s2",
    agent: "codex",
    atMs: NOW - 60_000,
    limits: {
      limitName: "codex",
      primary: { usedPercent: 42, windowMinutes: 300, resetsAtMs: NOW + 90 * 60_000 },
      secondary: { usedPercent: 3, windowMinutes: 10_080, resetsAtMs: null },
      credits: null,
      planType: "plus",
      reached: null,
    },
  },
};

afterEach(cleanup);
beforeEach(() => {
  for (const f of Object.values(ipc)) f.mockReset();
  ipc.report.mockResolvedValue({ ok: true, value: REPORT });
});

describe("usage view", () => {
  it("shows the totals with the estimate marked and the unknown part said, per day, agent and model", async () => {
    render(<UsageScreen project={{ path: "/p/one", name: "one" }} onClose={vi.fn()} now={() => NOW} />);
    const cost = await screen.findByTestId("usage-total-cost");
    expect(cost.textContent).toBe("$26.85 + unknownest.");
    expect(cost.querySelector("[data-cost-kind]")?.getAttribute("data-cost-kind")).toBe("partlyUnknown");
    expect(screen.getByTestId("usage-note").textContent).toContain("price table of 2026-12-07");
    expect(screen.getByTestId("usage-note").textContent).toContain("1 turn has no known cost");
    expect(screen.getByText("Usage of one")).toBeTruthy();
    const days = within(screen.getByTestId("usage-days")).getAllByRole("row");
    expect(days).toHaveLength(3);
    expect(days[2]?.textContent).toContain("2026-12-02");
    const models = within(screen.getByTestId("usage-models")).getAllByRole("row");
    const mockRow = models.find((r) => r.textContent?.includes("mock-model"));
    expect(mockRow?.textContent).toContain("not in the price table");
    expect(mockRow?.textContent).toContain("unknown");
    expect(mockRow?.textContent).not.toContain("$0.00");
    const agents = within(screen.getByTestId("usage-agents")).getAllByRole("row");
    expect(agents[1]?.textContent).toContain("Codex");
    // The project's folder and the chosen range (30 days) reached the backend.
    const [project, fromMs, toMs] = ipc.report.mock.calls[0] ?? [];
    expect(project).toBe("/p/one");
    expect(toMs - fromMs).toBeGreaterThan(29 * 86_400_000);
  });

  it("shows Codex's rate limits where known", async () => {
    render(<UsageScreen project={null} onClose={vi.fn()} now={() => NOW} />);
    const limits = await screen.findByTestId("usage-rate-limits");
    expect(limits.textContent).toContain("Codex rate limits");
    expect(limits.textContent).toContain("5 h window");
    expect(limits.textContent).toContain("42% used, resets in 1 h 30 min");
    expect(limits.textContent).toContain("weekly window");
    expect(limits.textContent).toContain("plus");
    expect(ipc.report.mock.calls[0]?.[0]).toBeNull();
  });

  it("asks for another range and exports the CSV through the save dialog", async () => {
    ipc.export.mockResolvedValue({ ok: true, value: "/home/me/usage.csv" });
    render(<UsageScreen project={null} onClose={vi.fn()} now={() => NOW} />);
    await screen.findByTestId("usage-totals");
    fireEvent.change(screen.getByTestId("usage-range"), { target: { value: "all" } });
    await waitFor(() => expect(ipc.report).toHaveBeenCalledTimes(2));
    expect(ipc.report.mock.calls[1]?.[1]).toBe(0);
    fireEvent.click(screen.getByTestId("usage-export"));
    expect((await screen.findByTestId("usage-exported")).textContent).toContain("/home/me/usage.csv");
    expect(ipc.export).toHaveBeenCalledWith(null, 0, expect.any(Number));
  });

  it("says when nothing was used, and shows errors", async () => {
    ipc.report.mockResolvedValueOnce({ ok: true, value: { ...REPORT, totals: totals({ sessions: 0, turns: 0 }), days: [], agents: [], models: [], rateLimits: null } });
    render(<UsageScreen project={null} onClose={vi.fn()} now={() => NOW} />);
    expect((await screen.findByTestId("usage-empty")).textContent).toContain("No turns");
    expect((screen.getByTestId("usage-export") as HTMLButtonElement).disabled).toBe(true);
    cleanup();
    ipc.report.mockResolvedValueOnce({ ok: false, error: { code: "internal", message: "store unreadable" } });
    render(<UsageScreen project={null} onClose={vi.fn()} now={() => NOW} />);
    expect((await screen.findByTestId("usage-error")).textContent).toBe("store unreadable");
  });
});

describe("usage wording", () => {
  it("never shows an unknown cost as $0", () => {
    expect(costText(totals({ unpricedTurns: 1 }))).toBe("unknown");
    expect(costKind(totals({ turns: 2, unpricedTurns: 1, estimatedCostUsd: 1, estimatedTurns: 1 }))).toBe("partlyUnknown");
    expect(costText(totals({ turns: 2, unpricedTurns: 1, estimatedCostUsd: 1, estimatedTurns: 1 }))).toBe("$1.00 + unknown");
    expect(costKind(totals({ estimatedCostUsd: 0.5, estimatedTurns: 1 }))).toBe("estimated");
    expect(costKind(totals({ turns: 2, reportedCostUsd: 0.5, estimatedCostUsd: 0.5, estimatedTurns: 1 }))).toBe("partlyEstimated");
    expect(costText(totals({ reportedCostUsd: 0.42 }))).toBe("$0.42");
  });

  it("words windows and ranges", () => {
    expect(windowText({ usedPercent: 1, windowMinutes: 300, resetsAtMs: null })).toBe("5 h window");
    expect(windowText({ usedPercent: 1, windowMinutes: 10_080, resetsAtMs: null })).toBe("weekly window");
    expect(limitText({ usedPercent: 12.4, windowMinutes: 300, resetsAtMs: null }, NOW)).toBe("12% used");
    const week = rangeBounds("7", NOW);
    expect(new Date(week.fromMs).getDate()).toBe(1);
    expect(new Date(week.fromMs).getHours()).toBe(0);
    expect(rangeBounds("all", NOW).fromMs).toBe(0);
  });
});
