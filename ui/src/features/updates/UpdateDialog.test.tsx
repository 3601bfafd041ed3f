import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { UpdateInfo, UpdateProgress } from "../../ipc";
import { UpdateDialog } from "./UpdateDialog";
import { progressFraction, progressText } from "./updateFlow";

const check = vi.fn();
const install = vi.fn();
const restart = vi.fn();
const settings = vi.fn();
const setSettings = vi.fn();
let progress: ((p: UpdateProgress) => void) | null = null;
vi.mock("../../ipc", () => ({
  updates: {
    check: () => check(),
    install: () => install(),
    restart: () => restart(),
    settings: () => settings(),
    setSettings: (s: unknown) => setSettings(s),
    onProgress: async (handler: (p: UpdateProgress) => void) => {
      progress = handler;
      return () => (progress = null);
    },
  },
}));

const info: UpdateInfo = { currentVersion: "0.1.0", version: "0.2.0", notes: "Faster **everything**.", date: "2026-12-01T10:00:00Z" };

beforeEach(() => {
  progress = null;
  check.mockReset().mockResolvedValue({ ok: true, value: info });
  install.mockReset();
  restart.mockReset().mockResolvedValue(null);
  settings.mockReset().mockResolvedValue({ checkAtStart: false });
  setSettings.mockReset().mockImplementation(async (s) => ({ ok: true, value: s }));
});
afterEach(cleanup);

describe("the update dialog", () => {
  it("checks when opened and shows both versions and the notes", async () => {
    render(<UpdateDialog found={null} onClose={vi.fn()} />);
    expect(screen.getByTestId("update-checking")).toBeTruthy();
    expect((await screen.findByTestId("update-version")).textContent).toBe("0.2.0");
    expect(check).toHaveBeenCalledTimes(1);
    expect(screen.getByTestId("update-current-version").textContent).toBe("0.1.0");
    expect(screen.getByTestId("update-notes").textContent).toContain("Faster everything.");
  });

  it("says so when this is the newest version", async () => {
    check.mockResolvedValue({ ok: true, value: null });
    render(<UpdateDialog found={null} onClose={vi.fn()} />);
    expect((await screen.findByTestId("update-current")).textContent).toMatch(/up to date/);
  });

  it("shows the download's progress, then restarts once installed", async () => {
    let finish: (v: unknown) => void = () => {};
    install.mockImplementation(() => new Promise((resolve) => (finish = resolve)));
    render(<UpdateDialog found={info} onClose={vi.fn()} />);
    expect(check).not.toHaveBeenCalled();
    await act(async () => fireEvent.click(screen.getByTestId("update-install")));
    act(() => progress?.({ downloaded: 512 * 1024, total: 2 * 1024 * 1024 }));
    expect(screen.getByTestId("update-progress").textContent).toContain("Downloading… 512 KB of 2.0 MB");
    expect(restart).not.toHaveBeenCalled();
    await act(async () => finish({ ok: true, value: null }));
    expect(screen.getByTestId("update-restarting")).toBeTruthy();
    expect(restart).toHaveBeenCalledTimes(1);
  });

  it("shows a failed install in words, does not restart, and can try again", async () => {
    install.mockResolvedValue({ ok: false, error: { code: "internal", message: "The downloaded update did not pass its signature check, so nothing was installed and Warden is unchanged." } });
    render(<UpdateDialog found={info} onClose={vi.fn()} />);
    await act(async () => fireEvent.click(screen.getByTestId("update-install")));
    expect(screen.getByTestId("update-error").textContent).toMatch(/signature check.*unchanged/);
    expect(restart).not.toHaveBeenCalled();
    install.mockResolvedValue({ ok: true, value: null });
    await act(async () => fireEvent.click(screen.getByTestId("update-retry")));
    expect(install).toHaveBeenCalledTimes(2);
    expect(restart).toHaveBeenCalledTimes(1);
  });

  it("shows a failed check and checks again on Try again", async () => {
    check.mockResolvedValueOnce({ ok: false, error: { code: "internal", message: "The update server could not be reached: refused" } });
    render(<UpdateDialog found={null} onClose={vi.fn()} />);
    expect((await screen.findByTestId("update-error")).textContent).toContain("could not be reached");
    await act(async () => fireEvent.click(screen.getByTestId("update-retry")));
    expect(screen.getByTestId("update-version").textContent).toBe("0.2.0");
  });

  it("turns the start-up check on and off, as stored", async () => {
    render(<UpdateDialog found={info} onClose={vi.fn()} />);
    const box = (await screen.findByTestId("update-check-at-start")) as HTMLInputElement;
    expect(box.checked).toBe(false);
    await act(async () => fireEvent.click(box));
    expect(setSettings).toHaveBeenCalledWith({ checkAtStart: true });
    expect(box.checked).toBe(true);
    setSettings.mockResolvedValueOnce({ ok: false, error: { code: "internal", message: "read-only" } });
    await act(async () => fireEvent.click(box));
    expect(box.checked).toBe(true);
  });
});

describe("progress words", () => {
  it("counts the download and then says it verifies", () => {
    expect(progressText(null)).toBe("Starting the download…");
    expect(progressText({ downloaded: 3 * 1024 * 1024, total: null })).toBe("Downloading… 3.0 MB");
    expect(progressText({ downloaded: 10, total: 10 })).toBe("Checking the signature and installing…");
    expect(progressFraction({ downloaded: 1, total: 4 })).toBe(0.25);
    expect(progressFraction({ downloaded: 1, total: null })).toBeNull();
  });
});
