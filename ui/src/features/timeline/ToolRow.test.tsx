import { cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { FilesOpenerContext } from "../files/opener";
import type { FileChange } from "../../model/fileChanges";
import { toolMap, view } from "./testData";
import { ToolRow } from "./ToolRow";
import * as typed from "../../model/testInputs";

afterEach(cleanup);

describe("ToolRow", () => {
  it("shows title, status and duration on one line and selects on a title click", () => {
    const onSelect = vi.fn();
    const v = view({ id: "t1", title: "Run npm test", status: "completed" }, { durationMs: 3240 });
    render(<ToolRow view={v} tools={toolMap(v)} selected={false} onSelect={onSelect} />);
    const row = screen.getByTestId("tool-row");
    expect(row.dataset.toolId).toBe("t1");
    expect(within(row).getByText("done")).toBeTruthy();
    expect(within(row).getByText("3.2 s")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Run npm test" }));
    expect(onSelect).toHaveBeenCalledWith("t1");
  });

  it("says in a badge how the call was allowed, the full sentence on hover and in its details", () => {
    const v = view(
      { id: "t1", title: "Run npm test" },
      { decision: { requestId: "r1", decision: "allowOnce", source: "rule", message: null, rules: ["Bash(npm test:*)"] } },
    );
    render(<ToolRow view={v} tools={toolMap(v)} selected={false} onSelect={vi.fn()} />);
    const badge = screen.getByTestId("tool-decision");
    expect(badge.textContent).toBe("by rule");
    expect(badge.title).toBe("Allowed by rule Bash(npm test:*)");
    fireEvent.click(screen.getByRole("button", { name: "Show details of Run npm test" }));
    expect(screen.getByTestId("tool-decision-line").textContent).toBe("Allowed by rule Bash(npm test:*)");
  });

  it("shows no decision for a call nobody had to decide on", () => {
    const v = view({ id: "t1", title: "Read a.ts" });
    render(<ToolRow view={v} tools={toolMap(v)} selected={false} onSelect={vi.fn()} />);
    expect(screen.queryByTestId("tool-decision")).toBeNull();
  });

  it("highlights the selected row", () => {
    const v = view({ id: "t1", title: "Run it" });
    render(<ToolRow view={v} tools={toolMap(v)} selected onSelect={vi.fn()} />);
    expect(screen.getByTestId("tool-row").className).toContain("tl-selected");
    expect(screen.getByRole("button", { name: "Run it" }).getAttribute("aria-current")).toBe("true");
  });

  it("opens and closes its details with the chevron", () => {
    const v = view({ id: "t1", title: "Run ls", input: typed.shell("ls") }, { output: "a\nb\n" });
    render(<ToolRow view={v} tools={toolMap(v)} selected={false} onSelect={vi.fn()} />);
    const chevron = screen.getByRole("button", { name: "Show details of Run ls" });
    expect(chevron.getAttribute("aria-expanded")).toBe("false");
    expect(screen.queryByTestId("tool-details")).toBeNull();
    fireEvent.click(chevron);
    expect(chevron.getAttribute("aria-expanded")).toBe("true");
    expect(chevron.getAttribute("aria-label")).toBe("Hide details of Run ls");
    expect(screen.getByTestId("tool-details").textContent).toContain("$ ls");
    fireEvent.click(chevron);
    expect(screen.queryByTestId("tool-details")).toBeNull();
  });

  it("nests a subagent's calls beneath it, foldable, each selectable", () => {
    const onSelect = vi.fn();
    const task = view({ id: "task", name: "Task", kind: "think", title: "Explore the code", status: "running" }, { children: ["c1", "c2"] });
    const c1 = view({ id: "c1", parent: "task", name: "Read", kind: "read", title: "Read a.ts" });
    const c2 = view({ id: "c2", parent: "task", name: "Grep", kind: "search", title: "Grep foo" }, { children: ["c3"] });
    const c3 = view({ id: "c3", parent: "c2", title: "Run deep" });
    render(<ToolRow view={task} tools={toolMap(task, c1, c2, c3)} selected={false} selectedId="c1" onSelect={onSelect} />);

    const rows = screen.getAllByTestId("tool-row");
    expect(rows.map((row) => [row.dataset.toolId, row.dataset.depth])).toEqual([
      ["task", "0"],
      ["c1", "1"],
      ["c2", "1"],
      ["c3", "2"],
    ]);
    expect(rows[1]!.className).toContain("tl-selected");
    expect(rows[0]!.className).not.toContain("tl-selected");

    fireEvent.click(screen.getByRole("button", { name: "Grep foo" }));
    expect(onSelect).toHaveBeenCalledWith("c2");

    const fold = screen.getByRole("button", { name: "Hide the 2 calls made by Explore the code" });
    expect(fold.getAttribute("aria-expanded")).toBe("true");
    expect(fold.textContent).toBe("2 calls");
    fireEvent.click(fold);
    expect(screen.getAllByTestId("tool-row")).toHaveLength(1);
    expect(fold.getAttribute("aria-expanded")).toBe("false");
    fireEvent.click(screen.getByRole("button", { name: "Show the 2 calls made by Explore the code" }));
    expect(screen.getAllByTestId("tool-row")).toHaveLength(4);

    // A nested call opens its own details.
    fireEvent.click(screen.getByRole("button", { name: "Show details of Read a.ts" }));
    expect(screen.getAllByTestId("tool-details")).toHaveLength(1);
  });

  it("shows the first hundred calls of a busy subagent, then the rest on request", () => {
    const ids = Array.from({ length: 150 }, (_, i) => `c${i}`);
    const task = view({ id: "task", name: "Task", kind: "think", title: "Big job" }, { children: ids });
    const tools = toolMap(task, ...ids.map((id) => view({ id, parent: "task" })));
    render(<ToolRow view={task} tools={tools} selected={false} onSelect={vi.fn()} />);
    expect(screen.getAllByTestId("tool-row")).toHaveLength(101);
    fireEvent.click(screen.getByRole("button", { name: "Show all (150 calls)" }));
    expect(screen.getAllByTestId("tool-row")).toHaveLength(151);
  });

  it("says how many files the call changed, and opens the Files panel on them", () => {
    const change = (id: number, path: string, ignored = false): FileChange => ({
      id,
      path,
      kind: { type: "modify" },
      sizeBefore: 1,
      sizeAfter: 2,
      linesAdded: 1,
      linesRemoved: 1,
      ignored,
      tooLarge: false,
      turn: 2,
      toolCallId: "t1",
    });
    const v = view({ id: "t1", title: "Run sed" }, { fileOps: [change(1, "a.rs"), change(2, "b.rs"), change(3, "a.rs"), change(4, "dist/x", true)] });
    const open = vi.fn();
    render(
      <FilesOpenerContext.Provider value={open}>
        <ToolRow view={v} tools={toolMap(v)} selected={false} onSelect={vi.fn()} />
      </FilesOpenerContext.Provider>,
    );
    const badge = screen.getByTestId("tool-files");
    expect(badge.textContent).toBe("2 files");
    fireEvent.click(badge);
    expect(open).toHaveBeenCalledWith({ type: "toolCall", toolCallId: "t1", turn: 2, title: "Run sed" });
    cleanup();

    // Without a session around there is nothing to open: the count is plain text.
    const ignoredOnly = view({ id: "t2", title: "Run build" }, { fileOps: [change(5, "dist/x", true)] });
    render(<ToolRow view={ignoredOnly} tools={toolMap(ignoredOnly)} selected={false} onSelect={vi.fn()} />);
    expect(screen.getByTestId("tool-files").tagName).toBe("SPAN");
    expect(screen.getByTestId("tool-files").textContent).toBe("1 file ignored");
  });

  it("shows no files badge for a call that changed none", () => {
    const v = view({ id: "t1", title: "Run ls" });
    render(<ToolRow view={v} tools={toolMap(v)} selected={false} onSelect={vi.fn()} />);
    expect(screen.queryByTestId("tool-files")).toBeNull();
  });
});
