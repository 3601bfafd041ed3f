import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { PermissionMode, SessionEvent } from "../../ipc";
import { SessionHeader } from "./SessionHeader";
import { Transcript } from "../../model/transcript";

vi.mock("../../ipc", () => ({
  sessions: { setMode: async () => ({ ok: true, value: null }) },
  permissions: {
    projectRules: async () => ({ ok: true, value: { allow: [], deny: [] } }),
    log: async () => ({ ok: true, value: [] }),
  },
}));

afterEach(cleanup);

function transcript(mode: PermissionMode): Transcript {
  const t = new Transcript();
  const started: SessionEvent = {
    sessionId: "s1",
    seq: 1,
    atMs: 0,
    kind: {
      type: "started",
      data: { agent: "claude", cwd: "/code/api", program: "claude", pid: 1, version: "2.1.0", model: null, permissionMode: mode, resumed: false },
    },
  };
  t.apply([started, { sessionId: "s1", seq: 2, atMs: 0, kind: { type: "status", data: "ready" } }]);
  return t;
}

describe("session header permissions", () => {
  it("marks bypass on the header itself", () => {
    render(<SessionHeader title="t" transcript={transcript("bypass")} status="ready" readOnly={false} sessionId="s1" />);
    expect(screen.getByRole("banner").classList.contains("bypass")).toBe(true);
    expect(screen.getByTestId("bypass-badge")).toBeTruthy();
    expect((screen.getByTestId("mode-switch") as HTMLSelectElement).value).toBe("bypass");
  });

  it("shows the mode without a switch when it cannot be switched", () => {
    render(<SessionHeader title="t" transcript={transcript("plan")} status="ready" readOnly sessionId="s1" />);
    expect(screen.queryByTestId("mode-switch")).toBeNull();
    expect(screen.getByText("Plan only")).toBeTruthy();
  });

  it("opens the Permissions panel for the project the agent runs in", async () => {
    render(<SessionHeader title="t" transcript={transcript("default")} status="ready" readOnly={false} sessionId="s1" />);
    expect(screen.getByRole("banner").classList.contains("bypass")).toBe(false);
    await act(async () => {
      fireEvent.click(screen.getByTestId("permissions-open"));
    });
    expect(screen.getByTestId("permissions-panel")).toBeTruthy();
    expect(screen.getByTestId("rules-session")).toBeTruthy();
  });
});

describe("session header on one line", () => {
  it("names its icon buttons for screen readers and tooltips, and puts the agent and model in one part that can give way", () => {
    render(<SessionHeader title="t" transcript={transcript("default")} status="ready" readOnly={false} sessionId="s1" />);
    const permissions = screen.getByRole("button", { name: "Permissions" });
    expect(permissions.getAttribute("title")).toMatch(/^Permissions:/);
    expect(permissions.textContent).toBe("");
    expect(permissions.querySelector("svg")?.getAttribute("aria-hidden")).toBe("true");
    const agent = screen.getByTestId("session-agent");
    expect(agent.textContent).toBe("Claude Code 2.1.0");
    expect(agent.getAttribute("title")).toContain("Claude Code 2.1.0");
    // Usage moved up beside the title, out of the row of facts.
    expect(screen.getByTestId("session-facts").contains(screen.getByTestId("session-usage"))).toBe(false);
  });
});
