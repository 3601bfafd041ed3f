import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ModeSwitch } from "./ModeSwitch";

const setMode = vi.fn();
vi.mock("../../../ipc", () => ({ sessions: { setMode: (...args: unknown[]) => setMode(...args) } }));

beforeEach(() => {
  setMode.mockReset();
  setMode.mockResolvedValue({ ok: true, value: null });
});
afterEach(cleanup);

const select = () => screen.getByTestId("mode-switch") as HTMLSelectElement;

describe("ModeSwitch", () => {
  it("switches a running session's mode at once", async () => {
    render(<ModeSwitch sessionId="s1" mode="default" status="ready" />);
    await act(async () => {
      fireEvent.change(select(), { target: { value: "acceptEdits" } });
    });
    expect(setMode).toHaveBeenCalledWith("s1", "acceptEdits");
    // Shown as asked until the session's event confirms it.
    expect(select().value).toBe("acceptEdits");
  });

  it("asks before bypass, and Cancel keeps the mode", () => {
    render(<ModeSwitch sessionId="s1" mode="plan" status="running" />);
    fireEvent.change(select(), { target: { value: "bypass" } });
    expect(screen.getByTestId("bypass-dialog").textContent).toMatch(/without asking/);
    expect(setMode).not.toHaveBeenCalled();
    fireEvent.click(screen.getByTestId("bypass-cancel"));
    expect(screen.queryByTestId("bypass-dialog")).toBeNull();
    expect(setMode).not.toHaveBeenCalled();
    expect(select().value).toBe("plan");
  });

  it("turns bypass on only after the confirm button", async () => {
    render(<ModeSwitch sessionId="s1" mode="default" status="ready" />);
    fireEvent.change(select(), { target: { value: "bypass" } });
    await act(async () => {
      fireEvent.click(screen.getByTestId("bypass-confirm"));
    });
    expect(setMode).toHaveBeenCalledWith("s1", "bypass");
    expect(screen.queryByTestId("bypass-dialog")).toBeNull();
  });

  it("shows the bypass badge while bypass is on, with a one-click way back", async () => {
    render(<ModeSwitch sessionId="s1" mode="bypass" status="running" />);
    expect(screen.getByTestId("bypass-badge").textContent).toMatch(/Bypass on/);
    await act(async () => {
      fireEvent.click(screen.getByTestId("bypass-off"));
    });
    expect(setMode).toHaveBeenCalledWith("s1", "default");
  });

  it("is disabled, with no badge, when the session is not running", () => {
    for (const status of ["stopped", "crashed", "stopping"] as const) {
      const { unmount } = render(<ModeSwitch sessionId="s1" mode="bypass" status={status} />);
      expect(select().disabled).toBe(true);
      expect(screen.queryByTestId("bypass-badge")).toBeNull();
      unmount();
    }
  });

  it("shows why a switch failed and keeps the old mode", async () => {
    setMode.mockResolvedValue({ ok: false, error: { code: "sessionNotRunning", message: "The session is not running." } });
    render(<ModeSwitch sessionId="s1" mode="default" status="ready" />);
    await act(async () => {
      fireEvent.change(select(), { target: { value: "plan" } });
    });
    expect(screen.getByTestId("mode-error").textContent).toMatch(/not running/);
    expect(select().value).toBe("default");
  });
});
