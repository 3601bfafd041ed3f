import { act, cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { FileDiff } from "../../ipc";
import { ChangesPanel } from "./ChangesPanel";
import { changes } from "./WorktreeTestData";

const readChanges = vi.fn();
const diff = vi.fn();
vi.mock("../../ipc", () => ({
  worktrees: { changes: (...args: unknown[]) => readChanges(...args), diff: (...args: unknown[]) => diff(...args) },
}));

const loginDiff: FileDiff = {
  path: "src/login.ts",
  kind: { type: "modify" },
  before: { type: "text", text: "a\nb\n" },
  after: { type: "text", text: "a\nc\n" },
  ops: [],
};

beforeEach(() => {
  vi.useRealTimers();
  readChanges.mockReset().mockResolvedValue({ ok: true, value: changes() });
  diff.mockReset().mockResolvedValue({ ok: true, value: loginDiff });
});
afterEach(cleanup);

describe("Changes panel", () => {
  it("lists the branch's commits and files versus the base, uncommitted ones marked", async () => {
    render(<ChangesPanel path="/wt" branch="warden/fix-login" mark="0" onClose={vi.fn()} />);
    const files = await screen.findAllByTestId("changes-file");
    expect(readChanges).toHaveBeenCalledWith("/wt");
    expect(screen.getAllByTestId("changes-commit").map((c) => c.textContent)).toEqual(["aaa1111 Fix the login form", "bbb2222 Test the login form"]);
    expect(files.map((f) => [f.dataset.path, f.dataset.kind, f.dataset.uncommitted])).toEqual([
      ["src/login.ts", "modify", undefined],
      ["src/new.ts", "create", "true"],
    ]);
    expect(within(files[0]!).getByTestId("changes-lines").textContent).toBe("+12 −3");
    expect(within(files[1]!).getByTestId("changes-uncommitted")).toBeTruthy();
    expect(screen.getByTestId("changes-summary").textContent).toBe("versus main (from 01234567): 2 commits, 2 files");
  });

  it("shows a file's diff against the merge base with the Files panel's viewer", async () => {
    render(<ChangesPanel path="/wt" branch="warden/fix-login" mark="0" onClose={vi.fn()} />);
    const files = await screen.findAllByTestId("changes-file");
    await act(async () => {
      fireEvent.click(within(files[0]!).getByRole("button"));
    });
    expect(diff).toHaveBeenCalledWith("/wt", "src/login.ts");
    const shown = await screen.findByTestId("file-diff");
    expect(shown.dataset.path).toBe("src/login.ts");
    expect(shown.textContent).toContain("versus main");
  });

  it("reads itself again when the session's stream says files changed", async () => {
    const { rerender } = render(<ChangesPanel path="/wt" branch="warden/fix-login" mark="0" onClose={vi.fn()} />);
    await screen.findAllByTestId("changes-file");
    expect(readChanges).toHaveBeenCalledTimes(1);
    readChanges.mockResolvedValue({
      ok: true,
      value: changes({ files: [...changes().files, { path: "docs/x.md", kind: { type: "create" }, additions: 1, deletions: 0, uncommitted: true }] }),
    });
    rerender(<ChangesPanel path="/wt" branch="warden/fix-login" mark="1" onClose={vi.fn()} />);
    await vi.waitFor(() => expect(screen.getAllByTestId("changes-file")).toHaveLength(3), { timeout: 2000 });
    expect(readChanges).toHaveBeenCalledTimes(2);
  });

  it("says when nothing differs from the base", async () => {
    readChanges.mockResolvedValue({ ok: true, value: changes({ commits: [], files: [] }) });
    render(<ChangesPanel path="/wt" branch="warden/fix-login" mark="0" onClose={vi.fn()} />);
    expect((await screen.findByTestId("changes-empty")).textContent).toContain("Nothing on warden/fix-login differs from main");
  });
});
