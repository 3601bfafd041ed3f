import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { RecentEntry } from "../../ipc";
import { StartScreen } from "./StartScreen";

const now = Date.UTC(2026, 10, 21, 12);
const entry = (path: string, missing: boolean): RecentEntry => ({
  project: { path, name: path.split("/").pop()!, lastOpenedMs: now - 3 * 60_000 },
  missing,
});

afterEach(cleanup);

describe("StartScreen", () => {
  it("lists recent projects and opens one on click", () => {
    const onOpenRecent = vi.fn();
    render(
      <StartScreen recent={[entry("/code/api", false)]} now={now} onOpenFolder={vi.fn()} onOpenRecent={onOpenRecent} onForget={vi.fn()} />,
    );
    fireEvent.click(screen.getByText("api"));
    expect(onOpenRecent).toHaveBeenCalledWith("/code/api");
    expect(screen.getByText("3 minutes ago")).toBeTruthy();
  });

  it("marks a missing folder, does not open it, and lets it be removed", () => {
    const onOpenRecent = vi.fn();
    const onForget = vi.fn();
    render(
      <StartScreen recent={[entry("/code/gone", true)]} now={now} onOpenFolder={vi.fn()} onOpenRecent={onOpenRecent} onForget={onForget} />,
    );
    expect(screen.getByText("missing")).toBeTruthy();
    fireEvent.click(screen.getByText("gone"));
    expect(onOpenRecent).not.toHaveBeenCalled();
    fireEvent.click(screen.getByLabelText("Remove gone from recent projects"));
    expect(onForget).toHaveBeenCalledWith("/code/gone");
  });

  it("says so when there is nothing recent", () => {
    render(<StartScreen recent={[]} now={now} onOpenFolder={vi.fn()} onOpenRecent={vi.fn()} onForget={vi.fn()} />);
    expect(screen.getByTestId("no-recent")).toBeTruthy();
  });

  it("offers Open Folder…", () => {
    const onOpenFolder = vi.fn();
    render(<StartScreen recent={[]} now={now} onOpenFolder={onOpenFolder} onOpenRecent={vi.fn()} onForget={vi.fn()} />);
    fireEvent.click(screen.getByRole("button", { name: "Open Folder…" }));
    expect(onOpenFolder).toHaveBeenCalled();
  });
});
