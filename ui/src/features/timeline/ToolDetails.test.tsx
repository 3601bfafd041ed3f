import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { OutputLoaderContext } from "../../model/outputLoader";
import { view } from "./testData";
import { ToolDetails } from "./ToolDetails";
import * as typed from "../../model/testInputs";

afterEach(cleanup);

const diffRows = (container: HTMLElement) =>
  Array.from(container.querySelectorAll<HTMLElement>("[data-diff]")).map((row) => `${row.dataset.diff}:${row.querySelector(".tl-diff-text")!.textContent}`);

describe("ToolDetails", () => {
  it("reads back an output the window does not hold as soon as it is opened", () => {
    const load = vi.fn(async () => {});
    const dropped = view({ id: "d", name: "Bash", kind: "execute", input: typed.shell("ls") }, { outputDropped: true, outputSeq: 9 });
    render(
      <OutputLoaderContext.Provider value={load}>
        <ToolDetails view={dropped} />
      </OutputLoaderContext.Provider>,
    );
    expect(screen.getByText(/Loading output/)).toBeTruthy();
    expect(load).toHaveBeenCalledWith("d");
  });

  it("shows a Bash command with its description, and its output with terminal colours", () => {
    const bash = view(
      { id: "b", name: "Bash", kind: "execute", input: typed.shell("npm test", { description: "Run the tests" }) },
      { output: "\u001b[32mPASS\u001b[0m all good\n" },
    );
    const { container } = render(<ToolDetails view={bash} />);
    expect(container.querySelector(".tl-command")!.textContent).toBe("$ npm test");
    expect(screen.getByText("Run the tests")).toBeTruthy();
    const pass = screen.getByText("PASS");
    expect(pass.tagName).toBe("SPAN");
    expect(pass.style.color).toBe("var(--ansi-2)");
    expect(container.querySelector(".tl-ansi")!.textContent).toBe("PASS all good\n");
  });

  it("shows the output of other tools as plain text, escape codes and all", () => {
    const read = view({ id: "r", name: "Read", kind: "read", input: typed.read("/src/a.ts", 3, 2) }, { output: "x\u001b[31my" });
    const { container } = render(<ToolDetails view={read} />);
    expect(screen.getByText("/src/a.ts")).toBeTruthy();
    expect(screen.getByText("lines 3–4")).toBeTruthy();
    expect(container.querySelector(".tl-ansi")).toBeNull();
    expect(container.querySelector("pre")!.textContent).toBe("x\u001b[31my");
  });

  it("shows an Edit as a diff of the old and new text", () => {
    const edit = view({
      id: "e",
      name: "Edit",
      kind: "edit",
      input: typed.edit("/src/main.rs", [["fn main() {\n    old();\n}", "fn main() {\n    new();\n    more();\n}"]]),
    });
    const { container } = render(<ToolDetails view={edit} />);
    expect(diffRows(container)).toEqual(["ctx:fn main() {", "del:    old();", "add:    new();", "add:    more();", "ctx:}"]);
    expect(container.querySelector(".tl-diff-del .tl-diff-sign")!.textContent).toBe("\u2212");
    expect(container.querySelector(".tl-diff-add .tl-diff-sign")!.textContent).toBe("+");
    expect(screen.getByRole("group", { name: "Changes to /src/main.rs" })).toBeTruthy();
  });

  it("shows the edits of a MultiEdit one after another", () => {
    const multi = view({
      id: "m",
      name: "MultiEdit",
      kind: "edit",
      input: typed.edit("/f", [["a", "b"], ["c", "d"]]),
    });
    const { container } = render(<ToolDetails view={multi} />);
    expect(diffRows(container)).toEqual(["del:a", "add:b", "del:c", "add:d"]);
    expect(container.querySelectorAll(".tl-diff-gap")).toHaveLength(1);
  });

  it("shows a Write as a new file: every line added", () => {
    const write = view({ id: "w", name: "Write", kind: "edit", input: typed.write("/notes.md", "# Notes\n\nhello\n") });
    const { container } = render(<ToolDetails view={write} />);
    expect(diffRows(container)).toEqual(["add:# Notes", "add:", "add:hello"]);
    expect(screen.getByText(/whole file written/)).toBeTruthy();
  });

  it("cuts long output and shows all of it on request", () => {
    const output = Array.from({ length: 500 }, (_, i) => `line ${i + 1}`).join("\n");
    const bash = view({ id: "b", input: typed.shell("seq 500") }, { output });
    const { container } = render(<ToolDetails view={bash} />);
    const pre = () => container.querySelector(".tl-ansi")!.textContent!;
    expect(pre()).toContain("line 200\n");
    expect(pre()).not.toContain("line 201");
    fireEvent.click(screen.getByRole("button", { name: "Show all (500 lines)" }));
    expect(pre()).toContain("line 500");
    fireEvent.click(screen.getByRole("button", { name: "Show less" }));
    expect(pre()).not.toContain("line 201");
  });

  it("cuts a long diff too", () => {
    const content = Array.from({ length: 300 }, (_, i) => `row ${i}`).join("\n");
    const write = view({ id: "w", name: "Write", kind: "edit", input: typed.write("/big", content) });
    const { container } = render(<ToolDetails view={write} />);
    expect(container.querySelectorAll("[data-diff]")).toHaveLength(200);
    fireEvent.click(screen.getByRole("button", { name: "Show all (300 lines)" }));
    expect(container.querySelectorAll("[data-diff]")).toHaveLength(300);
  });

  it("shows other tools' input as pretty JSON", () => {
    const mcp = view({ id: "x", name: "mcp__gh__issue", kind: "other", input: typed.other({ title: "Bug" }), rawInput: { title: "Bug" } }, { output: "" });
    const { container } = render(<ToolDetails view={mcp} />);
    expect(container.querySelector("pre")!.textContent).toBe('{\n  "title": "Bug"\n}');
    expect(screen.getByText("(no output)")).toBeTruthy();
  });

  it("says which mode let a call through and who refused one", () => {
    const byMode = view({ id: "w", name: "Write", kind: "edit" }, { decision: { requestId: "r", decision: "allowOnce", source: "mode", message: null }, decisionMode: "acceptEdits" });
    const { unmount } = render(<ToolDetails view={byMode} />);
    expect(screen.getByTestId("tool-decision-line").textContent).toBe("Allowed by mode: accept edits");
    unmount();
    const denied = view({ id: "b", status: "denied" }, { decision: { requestId: "r", decision: "deny", source: "user", message: "Not that file." } });
    render(<ToolDetails view={denied} />);
    expect(screen.getByTestId("tool-decision-line").textContent).toBe("Denied by you: Not that file.");
  });

  it("says it is waiting while a call runs without output", () => {
    render(<ToolDetails view={view({ id: "r", status: "running", input: typed.shell("sleep 5") })} />);
    expect(screen.getByText("Waiting for output…")).toBeTruthy();
  });
});
