// Changes the project watcher recorded outside any turn: shown as such in the Files panel (never
// as "turn 0"), read from the journal where it files them (no session), and read again as soon
// as the stream announces one.
import { cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { FileOp, SessionEvent, SessionEventKind } from "../../ipc";
import { Transcript } from "../../model/transcript";
import { FilesPanel } from "./FilesPanel";
import { opsInScope, turnOptions } from "./scope";
import { image, op, summary } from "./testOps";

const log = vi.fn();
vi.mock("../../ipc", () => ({
  files: {
    log: (...args: unknown[]) => log(...args),
    diff: async () => ({ ok: true, value: [] }),
    hunks: async (_project: string, ops: number[]) => ({ ok: true, value: { path: "", ops, hunks: [] } }),
    comments: async () => ({ ok: true, value: [] }),
  },
}));

const agent = op({ id: 1, path: "src/a.rs", turn: 1, toolCallId: "w1" });
// The watcher's ops: no session, turn 0, no tool call.
const edited = op({ id: 2, path: "notes.md", sessionId: "", turn: 0, toolCallId: null });
const undone = op({ id: 3, path: "notes.md", sessionId: "", turn: 0, toolCallId: null, before: image("b"), after: image("a"), rollbackId: 7 });
// Another session's outside change, before this one was live: not this session's to show.
const earlier = op({ id: 0, path: "old.txt", sessionId: "", turn: 0, toolCallId: null });

let seq = 0;
const ev = (kind: SessionEventKind): SessionEvent => ({ sessionId: "s1", seq: ++seq, atMs: 0, kind });
const announce = (t: Transcript, o: FileOp, outsideTurn: boolean) =>
  t.apply([ev({ type: "fileChanges", data: { turn: o.turn, toolCallId: o.toolCallId, ops: [summary(o, 1, 0)], outsideTurn } })]);

function transcript(): Transcript {
  seq = 0;
  const t = new Transcript();
  t.apply([
    ev({
      type: "toolCall",
      data: { id: "w1", parent: null, name: "Edit", kind: "edit", title: "Edit src/a.rs", input: { type: "other", raw: null }, rawInput: null, locations: [], status: "completed" },
    }),
  ]);
  announce(t, agent, false);
  return t;
}

beforeEach(() => {
  log.mockReset().mockImplementation(async (_project: string, session: string | null) =>
    session === "" ? { ok: true, value: [earlier, edited, undone] } : { ok: true, value: [agent] },
  );
});
afterEach(cleanup);

const panel = (t: Transcript, scope: Parameters<typeof FilesPanel>[0]["scope"] = { type: "session" }) => (
  <FilesPanel project="/p" sessionId="s1" transcript={t} scope={scope} onClose={vi.fn()} />
);

describe("Files panel: changes outside any turn", () => {
  it("lists them apart, as made outside any turn, with their rollback, and offers them as a scope", async () => {
    const t = transcript();
    announce(t, edited, true);
    render(panel(t));
    const outside = await screen.findByTestId("files-outside");
    expect(log).toHaveBeenCalledWith("/p", "s1");
    expect(log).toHaveBeenCalledWith("/p", "");
    // The agent's list holds the agent's change only; the outside one is in its own list.
    expect(within(screen.getByTestId("files-changed")).getAllByTestId("file-row").map((r) => r.dataset.path)).toEqual(["src/a.rs"]);
    const rows = within(outside).getAllByTestId("file-row");
    expect(rows.map((r) => [r.dataset.path, r.dataset.outside])).toEqual([["notes.md", "true"]]);
    expect(within(rows[0]!).getByTestId("file-by").textContent).toBe("outside any turn (your editor or another process)");
    expect(outside.textContent).not.toMatch(/turn 0/);
    // Its rollback says the same.
    const rollback = screen.getByTestId("rollback-row");
    expect(rollback.textContent).toContain("outside any turn (your editor or another process)");
    expect(rollback.textContent).not.toMatch(/turn 0/);

    const select = screen.getByTestId("files-scope") as HTMLSelectElement;
    expect(Array.from(select.options).map((o) => o.textContent)).toEqual([
      "Whole session · 1 file",
      "Turn 1 · 1 file",
      "Outside any turn (your editor or another process) · 1 file",
    ]);
    fireEvent.change(select, { target: { value: "outside" } });
    expect(screen.getAllByTestId("file-row").map((r) => r.dataset.path)).toEqual(["notes.md"]);
    expect(screen.getByTestId("outside-revert").textContent).toBe("Revert these changes");
    expect(screen.queryByText(/old\.txt/)).toBeNull();
  });

  it("reads the log again when the stream announces a change outside any turn", async () => {
    const t = transcript();
    const { rerender } = render(panel(t));
    await screen.findAllByTestId("file-row");
    expect(log).toHaveBeenCalledTimes(1);
    expect(screen.queryByTestId("files-outside")).toBeNull();

    announce(t, edited, true);
    rerender(panel(t));
    const outside = await screen.findByTestId("files-outside");
    expect(log).toHaveBeenCalledWith("/p", "");
    expect(within(outside).getAllByTestId("file-row").map((r) => r.dataset.path)).toEqual(["notes.md"]);
    // The header's count is the agent's files: the person's own edit is not the agent's.
    expect(t.files.changedFiles).toBe(1);
    expect(t.files.outside.has(2)).toBe(true);
  });

  it("keeps them out of the session's turns", () => {
    expect(turnOptions([agent, edited])).toEqual([{ turn: 1, files: 1 }]);
    expect(opsInScope([agent, edited], { type: "session" }).map((o) => o.id)).toEqual([1]);
    expect(opsInScope([agent, edited], { type: "outside" }).map((o) => o.id)).toEqual([2]);
  });
});
