// A stopped session's tab has no stream: the window's own event for its folder (the project
// watcher journaled a change outside any turn while no session was live) makes its Files panel
// read itself again and list the change as made outside any turn.
import { act, cleanup, render, screen, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { FileChanges, SessionEvent, SessionEventKind } from "../../ipc";
import { resetFolderChanges } from "../../model/folderChanges";
import { Transcript } from "../../model/transcript";
import { FilesPanel } from "./FilesPanel";
import { image, op, summary } from "./testOps";

const log = vi.fn();
let told: ((folder: string, changes: FileChanges) => void) | null = null;
vi.mock("../../ipc", () => ({
  files: {
    log: (...args: unknown[]) => log(...args),
    diff: async () => ({ ok: true, value: [] }),
    hunks: async (_project: string, ops: number[]) => ({ ok: true, value: { path: "", ops, hunks: [] } }),
    comments: async () => ({ ok: true, value: [] }),
    onOutsideChanges: async (handler: (folder: string, changes: FileChanges) => void) => {
      told = handler;
      return () => {
        told = null;
      };
    },
  },
}));

const agent = op({ id: 1, path: "src/a.rs", turn: 1, toolCallId: "w1" });
// Recorded by the watcher after the session stopped: no session, turn 0, no tool call.
const edited = op({ id: 5, path: "notes.md", sessionId: "", turn: 0, toolCallId: null, before: image("x"), after: image("y") });
// Another folder's (a worktree's): not this panel's.
const elsewhere = op({ id: 6, path: "other.md", sessionId: "", turn: 0, toolCallId: null });

/** A session that ran one turn and stopped: its stream says nothing more. */
function stopped(): Transcript {
  let seq = 0;
  const ev = (kind: SessionEventKind): SessionEvent => ({ sessionId: "s1", seq: ++seq, atMs: 0, kind });
  const t = new Transcript();
  t.apply([ev({ type: "fileChanges", data: { turn: 1, toolCallId: "w1", ops: [summary(agent, 1, 0)], outsideTurn: false } })]);
  return t;
}

const outsideChanges = (o: ReturnType<typeof op>): FileChanges => ({ turn: 0, toolCallId: null, ops: [summary(o, 2, 1)], outsideTurn: true });

beforeEach(() => {
  resetFolderChanges();
  log.mockReset().mockImplementation(async (_project: string, session: string | null) =>
    session === "" ? { ok: true, value: [edited, elsewhere] } : { ok: true, value: [agent] },
  );
});
afterEach(cleanup);

describe("Files panel of a stopped session: the watcher's event for its folder", () => {
  it("reads itself again and lists the change outside any turn; another folder's is not listed", async () => {
    const t = stopped();
    render(<FilesPanel project="/p" sessionId="s1" transcript={t} scope={{ type: "session" }} onClose={vi.fn()} />);
    await screen.findAllByTestId("file-row");
    expect(screen.queryByTestId("files-outside")).toBeNull();
    expect(told).not.toBeNull();
    const reads = log.mock.calls.length;

    // Another folder changed: nothing of it here.
    act(() => told!("/p-worktree", outsideChanges(elsewhere)));
    expect(log.mock.calls.length).toBe(reads);

    act(() => told!("/p", outsideChanges(edited)));
    const outside = await screen.findByTestId("files-outside");
    expect(log).toHaveBeenCalledWith("/p", "");
    const rows = within(outside).getAllByTestId("file-row");
    expect(rows.map((r) => [r.dataset.path, r.dataset.outside])).toEqual([["notes.md", "true"]]);
    expect(within(rows[0]!).getByTestId("file-by").textContent).toBe("outside any turn (your editor or another process)");
    expect(screen.queryByText(/other\.md/)).toBeNull();
    // The agent's own list is unchanged.
    expect(within(screen.getByTestId("files-changed")).getAllByTestId("file-row").map((r) => r.dataset.path)).toEqual(["src/a.rs"]);
  });
});
