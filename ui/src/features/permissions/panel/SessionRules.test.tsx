import { act, cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { RuleSet } from "../../../ipc";
import { SessionRules } from "./SessionRules";

const setRules = vi.fn();
vi.mock("../../../ipc", () => ({ sessions: { setRules: (...args: unknown[]) => setRules(...args) } }));

beforeEach(() => {
  setRules.mockReset();
  setRules.mockResolvedValue({ ok: true, value: null });
});
afterEach(cleanup);

const rules: RuleSet = { allow: ["Bash(npm test:*)", "Edit(src/**)"], deny: ["WebFetch"] };
const rows = () => screen.getAllByTestId("session-rule-row");

describe("session rules", () => {
  it("lists the session's rules and removes one while it runs", async () => {
    render(<SessionRules sessionId="s1" rules={rules} live />);
    expect(rows().map((r) => r.dataset.rule)).toEqual(["Bash(npm test:*)", "Edit(src/**)", "WebFetch"]);
    await act(async () => {
      fireEvent.click(within(rows()[0]!).getByTestId("session-rule-remove"));
    });
    expect(setRules).toHaveBeenCalledWith("s1", { allow: ["Edit(src/**)"], deny: ["WebFetch"] });
    // Gone at once, before the session's event brings the new set.
    expect(rows().map((r) => r.dataset.rule)).toEqual(["Edit(src/**)", "WebFetch"]);
  });

  it("does not bring back a rule removed a moment ago with the next removal", async () => {
    render(<SessionRules sessionId="s1" rules={rules} live />);
    await act(async () => {
      fireEvent.click(within(rows()[0]!).getByTestId("session-rule-remove"));
    });
    await act(async () => {
      fireEvent.click(within(rows()[1]!).getByTestId("session-rule-remove"));
    });
    expect(setRules).toHaveBeenLastCalledWith("s1", { allow: ["Edit(src/**)"], deny: [] });
  });

  it("is read-only when the session is not running", () => {
    render(<SessionRules sessionId="s1" rules={rules} live={false} />);
    expect(screen.getByTestId("session-rules-readonly")).toBeTruthy();
    expect(screen.queryByTestId("session-rule-remove")).toBeNull();
  });

  it("keeps the rule and says why when removing failed", async () => {
    setRules.mockResolvedValue({ ok: false, error: { code: "sessionNotRunning", message: "The session is not running." } });
    render(<SessionRules sessionId="s1" rules={rules} live />);
    await act(async () => {
      fireEvent.click(within(rows()[2]!).getByTestId("session-rule-remove"));
    });
    expect(screen.getByTestId("session-rule-error").textContent).toMatch(/not running/);
    expect(rows()).toHaveLength(3);
  });

  it("says when there are none", () => {
    render(<SessionRules sessionId="s1" rules={{ allow: [], deny: [] }} live />);
    expect(screen.getByTestId("rules-session").textContent).toMatch(/no rules of its own/);
  });
});
