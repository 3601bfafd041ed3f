import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { PermissionsPanel } from "./PermissionsPanel";

const log = vi.fn();
vi.mock("../../../ipc", () => ({
  permissions: {
    projectRules: async () => ({ ok: true, value: { allow: ["Read"], deny: [] } }),
    setProjectRules: async () => ({ ok: true, value: null }),
    parseRule: async (text: string) => ({ ok: true, value: text.trim() }),
    log: (...args: unknown[]) => log(...args),
  },
  sessions: { setRules: async () => ({ ok: true, value: null }) },
}));

beforeEach(() => {
  log.mockReset();
  log.mockResolvedValue({ ok: true, value: [] });
});
afterEach(cleanup);

const props = { project: "/code/api", sessionId: "s1", sessionRules: { allow: ["Bash(ls)"], deny: [] }, live: true, version: 1 };

describe("Permissions panel", () => {
  it("shows the project rules, the session's rules and the session's log together", async () => {
    render(<PermissionsPanel {...props} onClose={vi.fn()} />);
    await screen.findAllByTestId("rule-row");
    expect(screen.getByTestId("rules-project").textContent).toMatch(/Read/);
    expect(screen.getByTestId("rules-session").textContent).toMatch(/Bash\(ls\)/);
    expect(screen.getByTestId("audit-log")).toBeTruthy();
    expect(log).toHaveBeenCalledWith("/code/api", "s1");
  });

  it("has no session rules for a view that is not a Warden session", async () => {
    render(<PermissionsPanel {...props} sessionId={null} onClose={vi.fn()} />);
    await screen.findAllByTestId("rule-row");
    expect(screen.queryByTestId("rules-session")).toBeNull();
    expect(log).toHaveBeenCalledWith("/code/api", null);
  });

  it("asks before closing over a rule nobody saved", async () => {
    const onClose = vi.fn();
    render(<PermissionsPanel {...props} onClose={onClose} />);
    await screen.findAllByTestId("rule-row");
    fireEvent.change(screen.getByTestId("rule-add-allow"), { target: { value: "Bash(make:*)" } });

    fireEvent.click(screen.getByTestId("permissions-close"));
    expect(onClose).not.toHaveBeenCalled();
    expect(screen.getByTestId("panel-unsaved")).toBeTruthy();
    fireEvent.click(screen.getByTestId("panel-keep-editing"));
    expect((screen.getByTestId("rule-add-allow") as HTMLInputElement).value).toBe("Bash(make:*)");

    // Esc asks the same question as Close.
    fireEvent.keyDown(screen.getByTestId("rule-add-allow"), { key: "Escape" });
    expect(onClose).not.toHaveBeenCalled();
    fireEvent.click(screen.getByTestId("panel-discard"));
    expect(onClose).toHaveBeenCalled();
  });

  it("closes at once when nothing is unsaved", async () => {
    const onClose = vi.fn();
    render(<PermissionsPanel {...props} onClose={onClose} />);
    await screen.findAllByTestId("rule-row");
    fireEvent.click(screen.getByTestId("permissions-close"));
    expect(onClose).toHaveBeenCalled();
  });
});
