import { cleanup, render, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { CheckLog, LogLines, POLL_MS } from "./CheckLog";

// The log file as the check writes it; `checks.log` reads it from an offset like the command.
let content = "";
let exists = true;
const log = vi.fn(async (_path: string, offset: number) => {
  if (!exists) return { ok: false as const, error: { message: "not a check's log" } };
  const bytes = new TextEncoder().encode(content);
  const text = new TextDecoder().decode(bytes.slice(offset));
  return { ok: true as const, value: { text, nextOffset: bytes.length, size: bytes.length } };
});
vi.mock("../../ipc", () => ({ checks: { log: (path: string, offset: number) => log(path, offset) } }));

beforeEach(() => {
  content = "";
  exists = true;
  log.mockClear();
});
afterEach(cleanup);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const shown = () => screen.getByTestId("check-log").textContent ?? "";

describe("a check's log", () => {
  it("grows while the check runs, read on from the last offset, and stops being read when it ends", async () => {
    content = "compiling\n";
    const view = render(<CheckLog path="/logs/tests-1.log" running={true} version={1} />);
    await waitFor(() => expect(shown()).toContain("compiling"));
    const first = content.length;
    content += "running 3 tests\ntest a ... ok\n";
    await waitFor(() => expect(shown()).toContain("test a ... ok"), { timeout: POLL_MS * 4 });
    expect(log).toHaveBeenCalledWith("/logs/tests-1.log", first);
    expect(screen.getByTestId("check-log-size").textContent).toContain("live");

    content += "test result: ok\n";
    view.rerender(<CheckLog path="/logs/tests-1.log" running={false} version={1} />);
    await waitFor(() => expect(shown()).toContain("test result: ok"), { timeout: POLL_MS * 4 });
    const calls = log.mock.calls.length;
    await sleep(POLL_MS * 2.5);
    expect(log.mock.calls.length).toBe(calls);
    expect(screen.getByTestId("check-log-size").textContent).not.toContain("live");
  });

  it("waits for a running check's log that is not there yet, and stops reading when the row closes", async () => {
    exists = false;
    const view = render(<CheckLog path="/logs/slow.log" running={true} version={1} />);
    expect(shown()).toContain("Waiting for output");
    await sleep(POLL_MS + 100);
    exists = true;
    content = "late output\n";
    await waitFor(() => expect(shown()).toContain("late output"), { timeout: POLL_MS * 4 });
    view.unmount();
    const calls = log.mock.calls.length;
    await sleep(POLL_MS * 2.5);
    expect(log.mock.calls.length).toBe(calls);
  });

  it("a finished check's log is read once, to its end", async () => {
    content = Array.from({ length: 2000 }, (_, i) => `line ${i}`).join("\n") + "\n";
    render(<CheckLog path="/logs/done.log" running={false} version={1} />);
    await waitFor(() => expect(screen.getByTestId("check-log-size").textContent).toContain("2,000 lines"));
    await sleep(POLL_MS * 2);
    expect(log).toHaveBeenCalledTimes(1);
    // Virtualised: the page holds a window of the lines, not all of them.
    expect(screen.getByTestId("check-log").querySelectorAll("[data-line]").length).toBeLessThan(100);
  });
});

describe("LogLines", () => {
  it("cuts pieces into lines, keeping an unfinished one until its end comes", () => {
    const lines = new LogLines();
    lines.append("a\nb");
    expect(lines.count).toBe(2);
    expect(lines.line(1)).toBe("b");
    lines.append("c\r\nd\n");
    expect(lines.lines).toEqual(["a", "bc", "d"]);
    expect(lines.count).toBe(3);
  });
});
