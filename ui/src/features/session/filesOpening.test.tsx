import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { SessionEvent, SessionEventKind } from "../../ipc";
import { SessionHeader } from "./SessionHeader";
import { Transcript } from "../../model/transcript";
import { ToolRow } from "../timeline/ToolRow";
import { FilesProvider } from "../files/FilesProvider";
import { op, summary } from "../files/testOps";

const edit = op({ id: 1, path: "src/a.rs", turn: 1, toolCallId: "w1" });
const other = op({ id: 2, path: "b.rs", turn: 1, toolCallId: "w2" });
vi.mock("../../ipc", () => ({
  files: { log: async () => ({ ok: true, value: [edit, other] }), comments: async () => ({ ok: true, value: [] }) },
  sessions: { setMode: async () => ({ ok: true, value: null }) },
}));

afterEach(cleanup);

function transcript(): Transcript {
  const t = new Transcript();
  let seq = 0;
  const ev = (kind: SessionEventKind): SessionEvent => ({ sessionId: "s1", seq: ++seq, atMs: 0, kind });
  t.apply([
    ev({ type: "toolCall", data: { id: "w1", parent: null, name: "Edit", kind: "edit", title: "Edit src/a.rs", input: { type: "other", raw: null }, rawInput: null, locations: [], status: "completed" } }),
    ev({ type: "fileChanges", data: { turn: 1, toolCallId: "w1", ops: [summary(edit, 1, 1)] } }),
    ev({ type: "fileChanges", data: { turn: 1, toolCallId: "w2", ops: [summary(other, 1, 0)] } }),
  ]);
  return t;
}

describe("opening the Files panel", () => {
  it("from the session header, on the whole session, with the count of changed files", async () => {
    const t = transcript();
    render(
      <FilesProvider project="/p" sessionId="s1" transcript={t}>
        <SessionHeader title="t" transcript={t} status="ready" readOnly={false} sessionId="s1" />
      </FilesProvider>,
    );
    expect(screen.getByTestId("files-count").textContent).toBe("2");
    await act(async () => {
      fireEvent.click(screen.getByTestId("files-open"));
    });
    expect(screen.getByTestId("files-panel")).toBeTruthy();
    expect((screen.getByTestId("files-scope") as HTMLSelectElement).value).toBe("session");
    expect(screen.getAllByTestId("file-row")).toHaveLength(2);
    fireEvent.click(screen.getByTestId("files-close"));
    expect(screen.queryByTestId("files-panel")).toBeNull();
  });

  it("from a tool call's row, on that call's files", async () => {
    const t = transcript();
    const view = t.tools.get("w1")!;
    render(
      <FilesProvider project="/p" sessionId="s1" transcript={t}>
        <ToolRow view={view} tools={t.tools} selected={false} onSelect={vi.fn()} />
      </FilesProvider>,
    );
    await act(async () => {
      fireEvent.click(screen.getByTestId("tool-files"));
    });
    expect((screen.getByTestId("files-scope") as HTMLSelectElement).value).toBe("tool:w1");
    expect(screen.getAllByTestId("file-row").map((r) => r.dataset.path)).toEqual(["src/a.rs"]);
  });

  it("not at all for a view that is not a Warden session", () => {
    const t = transcript();
    render(
      <FilesProvider project="/p" sessionId={null} transcript={t}>
        <SessionHeader title="t" transcript={t} status="ready" readOnly sessionId="s1" />
      </FilesProvider>,
    );
    expect(screen.queryByTestId("files-open")).toBeNull();
  });
});
