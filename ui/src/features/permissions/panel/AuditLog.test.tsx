import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { PermissionLogEntry } from "../../../ipc";
import { AuditLog } from "./AuditLog";

const log = vi.fn();
vi.mock("../../../ipc", () => ({ permissions: { log: (...args: unknown[]) => log(...args) } }));

const base = Date.now();
function entry(seq: number, over: Partial<PermissionLogEntry>): PermissionLogEntry {
  return {
    sessionId: "s1",
    seq,
    atMs: base - (10 - seq) * 1000,
    requestId: `r${seq}`,
    toolCallId: `t${seq}`,
    toolName: "Bash",
    subject: "npm test",
    decision: "allowOnce",
    source: "user",
    rules: [],
    message: null,
    outsideProject: false,
    ...over,
  };
}

const entries = [
  entry(1, { decision: "allowSession", rules: ["Bash(npm test:*)"] }),
  entry(2, { toolName: "Edit", subject: "/etc/hosts", decision: "deny", source: "rule", rules: ["Edit(//etc/**)"], outsideProject: true }),
  entry(3, { decision: "allowOnce", source: "mode" }),
  entry(4, { decision: "cancelled", source: "shutdown", message: "The session stopped" }),
];

beforeEach(() => {
  log.mockReset();
  log.mockResolvedValue({ ok: true, value: entries });
});
afterEach(cleanup);

describe("audit log", () => {
  it("reads the session's decisions when opened and lists them newest first", async () => {
    render(<AuditLog project="/code/api" sessionId="s1" version={1} />);
    const rows = await screen.findAllByTestId("audit-row");
    expect(log).toHaveBeenCalledWith("/code/api", "s1");
    expect(rows.map((r) => [r.dataset.decision, r.dataset.source])).toEqual([
      ["cancelled", "shutdown"],
      ["allowOnce", "mode"],
      ["deny", "rule"],
      ["allowSession", "user"],
    ]);
    const denied = rows[2]!;
    expect(denied.textContent).toMatch(/Denied/);
    expect(denied.textContent).toMatch(/Edit\(\/\/etc\/\*\*\)/);
    expect(within(denied).getByTestId("audit-outside")).toBeTruthy();
    expect(within(denied).getByTitle("/etc/hosts")).toBeTruthy();
    expect(rows[0]!.textContent).toMatch(/Warden \(shutdown\)/);
    expect(rows[0]!.textContent).toMatch(/The session stopped/);
    expect(rows[3]!.textContent).toMatch(/You/);
    expect(rows[3]!.textContent).toMatch(/\d\d:\d\d:\d\d/);
  });

  it("draws the newest rows first and the rest on request", async () => {
    const many = Array.from({ length: 250 }, (_, i) => entry(i + 1, { atMs: base + i }));
    log.mockResolvedValue({ ok: true, value: many });
    render(<AuditLog project="/code/api" sessionId="s1" version={1} />);
    expect(await screen.findAllByTestId("audit-row")).toHaveLength(200);
    expect(screen.getAllByTestId("audit-row")[0]!.dataset.seq).toBe("250");
    fireEvent.click(screen.getByTestId("audit-show-all"));
    expect(screen.getAllByTestId("audit-row")).toHaveLength(250);
  });

  it("switches to every session of the project", async () => {
    render(<AuditLog project="/code/api" sessionId="s1" version={1} />);
    await screen.findAllByTestId("audit-row");
    fireEvent.click(screen.getByTestId("audit-scope-project"));
    await waitFor(() => expect(log).toHaveBeenLastCalledWith("/code/api", null));
  });

  it("reads again when the session changes while open", async () => {
    const { rerender } = render(<AuditLog project="/code/api" sessionId="s1" version={1} />);
    await screen.findAllByTestId("audit-row");
    log.mockResolvedValue({ ok: true, value: [...entries, entry(5, { decision: "denyAndStop" })] });
    rerender(<AuditLog project="/code/api" sessionId="s1" version={2} />);
    await waitFor(() => expect(screen.getAllByTestId("audit-row")).toHaveLength(5));
    expect(screen.getAllByTestId("audit-row")[0]!.dataset.decision).toBe("denyAndStop");
  });

  it("shows why the log could not be read", async () => {
    log.mockResolvedValue({ ok: false, error: { code: "internal", message: "log unreadable" } });
    render(<AuditLog project="/code/api" sessionId={null} version={1} />);
    expect((await screen.findByTestId("audit-error")).textContent).toMatch(/log unreadable/);
    expect(log).toHaveBeenCalledWith("/code/api", null);
    expect(screen.queryByTestId("audit-scope-session")).toBeNull();
  });
});
