import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { ModeLimits } from "./ModeLimits";
import { modeLimits } from "./modes";

afterEach(cleanup);

describe("what the mode picker says cannot be enforced", () => {
  it("says nothing for Claude Code, whose every call reaches Warden", () => {
    expect(modeLimits("claude")).toBeNull();
    render(<ModeLimits agent="claude" />);
    expect(screen.queryByTestId("mode-limits")).toBeNull();
  });

  it("says that Codex asks before every command and what never asks", () => {
    render(<ModeLimits agent="codex" />);
    const text = screen.getByTestId("mode-limits").textContent ?? "";
    expect(text).toMatch(/before every command/);
    expect(text).toMatch(/Web search/);
  });

  it("says for every ACP agent that tools it runs itself escape the rules, naming them where known", () => {
    for (const agent of ["gemini", "claudeAcp", "codexAcp", "goose", "opencode", "custom"] as const) {
      expect(modeLimits(agent), agent).toMatch(/tools it runs itself without asking do not/);
    }
    expect(modeLimits("gemini")).toMatch(/file reading/);
    expect(modeLimits("claudeAcp")).toMatch(/Read, Grep and Glob/);
  });

  it("takes another table, so a new agent's limit is shown once written down", () => {
    expect(modeLimits("claude", { claude: "x" })).toBe("x");
    render(<ModeLimits agent="gemini" />);
    expect(screen.getByTestId("mode-limits").getAttribute("role")).toBe("note");
  });
});
