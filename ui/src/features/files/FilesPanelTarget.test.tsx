// The Files panel opened at a finding's place: through the session's opener, the file is
// selected and, once its hunks are read, the hunk holding the finding's lines is scrolled to,
// outlined and focused; a place no hunk holds says so.
import { cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { FileHunks, Hunk } from "../../ipc";
import { Transcript } from "../../model/transcript";
import { FilesPanel } from "./FilesPanel";
import { FilesProvider } from "./FilesProvider";
import { targetHunk } from "./hunkTarget";
import { useFilesOpener, type FilesTarget } from "./opener";
import { op } from "./testOps";

const calls = { diff: vi.fn(), hunks: vi.fn(), comments: vi.fn() };
vi.mock("../../ipc", () => ({
  files: {
    log: async () => ({ ok: true, value: [op({ id: 7, path: "f.txt" }), op({ id: 8, path: "g.txt" })] }),
    diff: (...a: unknown[]) => calls.diff(...a),
    hunks: (...a: unknown[]) => calls.hunks(...a),
    comments: (...a: unknown[]) => calls.comments(...a),
  },
}));

const hunk = (index: number, removed: string[], added: string[], start: number): Hunk => ({
  index,
  fingerprint: `fp${index}`,
  oldStart: start,
  removed,
  newStart: start,
  added,
  state: { type: "open" },
});
// Line 1 changed; lines 5–6 replace line 5; line 9 removed.
const three: FileHunks = { path: "f.txt", ops: [7], hunks: [hunk(1, ["a\n"], ["A\n"], 1), hunk(2, ["e\n"], ["E\n", "F\n"], 5), hunk(3, ["i\n"], [], 9)] };
const scrolled = vi.fn();

beforeEach(() => {
  for (const fn of Object.values(calls)) fn.mockReset();
  calls.diff.mockImplementation(async (_p: string, ops: number[]) => ({
    ok: true,
    value: [{ path: ops[0] === 7 ? "f.txt" : "g.txt", kind: { type: "modify" }, before: { type: "text", text: "a\n" }, after: { type: "text", text: "A\n" }, ops }],
  }));
  calls.hunks.mockResolvedValue({ ok: true, value: three });
  calls.comments.mockResolvedValue({ ok: true, value: [] });
  // jsdom lays nothing out, so it has no scrolling of its own.
  Element.prototype.scrollIntoView = scrolled;
  scrolled.mockReset();
});
afterEach(cleanup);

function openAt(path: string, at: FilesTarget) {
  render(<FilesPanel project="/p" sessionId="s1" transcript={new Transcript()} scope={{ type: "session" }} path={path} at={at} onClose={vi.fn()} />);
}

const focusedHunks = () => screen.queryAllByTestId("hunk").filter((h) => h.dataset.focused === "true");

describe("The Files panel at a finding", () => {
  it("opens through the session's opener at the hunk of a review finding: scrolled to, outlined and focused", async () => {
    function Finding() {
      const open = useFilesOpener();
      return (
        <button type="button" onClick={() => open?.({ type: "session" }, "f.txt", { hunk: "f.txt#2", lineStart: 6, lineEnd: 6 })}>
          f.txt:6
        </button>
      );
    }
    render(
      <FilesProvider project="/p" sessionId="s1" transcript={new Transcript()}>
        <Finding />
      </FilesProvider>,
    );
    fireEvent.click(screen.getByText("f.txt:6"));
    await screen.findByTestId("hunk-list");
    expect(calls.hunks).toHaveBeenCalledWith("/p", [7]);
    const [focused, ...more] = focusedHunks();
    expect(more).toHaveLength(0);
    expect(focused!.dataset.hunk).toBe("2");
    expect(focused!.classList.contains("focused")).toBe(true);
    expect(document.activeElement).toBe(focused);
    expect(scrolled).toHaveBeenCalledTimes(1);
    expect(scrolled.mock.contexts[0]).toBe(focused);
    expect(screen.queryByTestId("files-target-outside")).toBeNull();
    expect(screen.getAllByTestId("file-row").filter((r) => r.classList.contains("selected")).map((r) => r.dataset.path)).toEqual(["f.txt"]);
  });

  it("lands a check finding's line on the hunk holding it, a removal's on the line where it was", async () => {
    openAt("f.txt", { lineStart: 1, lineEnd: 1 });
    await screen.findByTestId("hunk-list");
    expect(focusedHunks().map((h) => h.dataset.hunk)).toEqual(["1"]);
    cleanup();
    openAt("f.txt", { lineStart: 9, lineEnd: 9 });
    await screen.findByTestId("hunk-list");
    expect(focusedHunks().map((h) => h.dataset.hunk)).toEqual(["3"]);
  });

  it("shows the file and says so when no hunk holds the lines, until another file is picked", async () => {
    openAt("f.txt", { lineStart: 3, lineEnd: 3 });
    await screen.findByTestId("hunk-list");
    expect((await screen.findByTestId("files-target-outside")).textContent).toBe("This finding is outside the shown changes.");
    expect(focusedHunks()).toHaveLength(0);
    expect(screen.getAllByTestId("hunk")).toHaveLength(3);
    const other = screen.getAllByTestId("file-row").find((r) => r.dataset.path === "g.txt")!;
    fireEvent.click(within(other).getByText("g.txt"));
    await screen.findByTestId("hunk-list");
    expect(screen.queryByTestId("files-target-outside")).toBeNull();
  });

  it("says so for a file the shown changes do not touch", async () => {
    openAt("README.md", { hunk: null, lineStart: 1, lineEnd: 1 });
    expect((await screen.findByTestId("files-target-outside")).textContent).toContain("outside the shown changes");
    expect(screen.queryByTestId("hunk-list")).toBeNull();
  });
});

describe("which hunk a place points at", () => {
  it("takes the first hunk the lines overlap; a review's finding also the nearest within three lines; a bare id its number", () => {
    const hunks = three.hunks;
    expect(targetHunk(hunks, { lineStart: 4, lineEnd: 7 })).toBe(2);
    expect(targetHunk(hunks, { lineStart: 1, lineEnd: 5 })).toBe(1);
    expect(targetHunk(hunks, { lineStart: 3, lineEnd: 3 })).toBeNull();
    expect(targetHunk(hunks, { hunk: "f.txt#1", lineStart: 3, lineEnd: 3 })).toBe(1);
    expect(targetHunk(hunks, { hunk: "f.txt#3" })).toBe(3);
    expect(targetHunk(hunks, { hunk: "f.txt#4" })).toBeNull();
    expect(targetHunk(hunks, { lineStart: 20, lineEnd: null })).toBeNull();
  });
});
