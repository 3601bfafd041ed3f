import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { SearchHit } from "../../ipc";
import { ProjectSearch, queryWords } from "./ProjectSearch";
import { Marked } from "./SearchResults";

const hits: SearchHit[] = [
  {
    sessionId: "s1",
    seq: 4,
    kind: "toolOutput",
    target: { type: "tool", id: "t1" },
    snippet: "…test needle ... FAILED",
    matches: [{ start: 6, end: 12 }],
    sessionTitle: "Fix the tests",
    atMs: 0,
  },
  {
    sessionId: "s2",
    seq: 2,
    kind: "answer",
    target: { type: "message", messageId: "m", part: 0, parent: null, thought: false },
    snippet: "The 😀 needle is here",
    matches: [{ start: 7, end: 13 }],
    sessionTitle: "",
    atMs: 0,
  },
];

const project = vi.fn();
vi.mock("../../ipc", () => ({ search: { project: (...args: unknown[]) => project(...args) } }));

afterEach(() => {
  cleanup();
  project.mockReset();
});

describe("project search", () => {
  it("lists the hits with the matched words marked; arrows and Enter or a click open one", async () => {
    project.mockResolvedValue({ ok: true, value: hits });
    const onOpen = vi.fn();
    render(<ProjectSearch project="/code/shop" onOpen={onOpen} onClose={() => {}} />);
    const input = screen.getByTestId("project-search-input");
    expect(document.activeElement).toBe(input);
    fireEvent.change(input, { target: { value: 'needle "is here"' } });
    await waitFor(() => expect(screen.getAllByTestId("project-search-hit")).toHaveLength(2));
    expect(project).toHaveBeenCalledTimes(1);
    expect(project).toHaveBeenCalledWith("/code/shop", 'needle "is here"', 100);
    expect(screen.getByTestId("project-search-status").textContent).toBe("2 matches");
    const rows = screen.getAllByTestId("project-search-hit");
    expect(rows[0]?.textContent).toContain("Fix the tests");
    expect(rows[0]?.textContent).toContain("Tool output");
    expect(rows[1]?.textContent).toContain("New session");
    expect(Array.from(document.querySelectorAll("mark")).map((m) => m.textContent)).toEqual(["needle", "needle"]);

    fireEvent.keyDown(input, { key: "ArrowDown" });
    expect(rows[1]?.className).toContain("active");
    fireEvent.keyDown(input, { key: "Enter" });
    expect(onOpen).toHaveBeenLastCalledWith(hits[1], ["needle", "is", "here"]);
    fireEvent.click(rows[0] as HTMLElement);
    expect(onOpen).toHaveBeenLastCalledWith(hits[0], ["needle", "is", "here"]);
  });

  it("shows why a query cannot be searched, and nothing for a blank one", async () => {
    project.mockResolvedValue({ ok: false, error: { code: "internal", message: "Nothing to search for in \"->\": punctuation" } });
    render(<ProjectSearch project="/p" onOpen={() => {}} onClose={() => {}} />);
    const input = screen.getByTestId("project-search-input");
    fireEvent.change(input, { target: { value: "->" } });
    await waitFor(() => expect(screen.getByTestId("project-search-error").textContent).toContain("punctuation"));
    fireEvent.change(input, { target: { value: "  " } });
    expect(screen.queryByTestId("project-search-error")).toBeNull();
    expect(screen.queryByTestId("project-search-results")).toBeNull();
  });

  it("says when nothing matches", async () => {
    project.mockResolvedValue({ ok: true, value: [] });
    render(<ProjectSearch project="/p" onOpen={() => {}} onClose={() => {}} />);
    fireEvent.change(screen.getByTestId("project-search-input"), { target: { value: "zebra" } });
    await waitFor(() => expect(screen.getByTestId("project-search-status").textContent).toBe("No matches in this project's sessions."));
  });

  it("marks by UTF-16 ranges and keeps the words of a query", () => {
    const { container } = render(<Marked text="a 😀 bc d" ranges={[{ start: 5, end: 7 }]} />);
    expect(container.querySelector("mark")?.textContent).toBe("bc");
    expect(container.textContent).toBe("a 😀 bc d");
    expect(queryWords(' cargo  "test run" -> ')).toEqual(["cargo", "test", "run"]);
  });
});
