import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { FilesOpenerContext } from "../files/opener";
import { Transcript } from "../../model/transcript";
import type { RowExpansion } from "../timeline/expansion";
import { ChatRow } from "./ChatRow";

/** Rows open by key, like the list's `useRowExpansion`, with the toggles recorded. */
function expansionOf(open: string[] = [], toggled: string[] = []): RowExpansion {
  return {
    detailsOpen: (id) => open.includes(id),
    childrenOpen: () => true,
    toggleDetails: (id) => toggled.push(id),
    toggleChildren: () => {},
    showChildren: () => {},
  };
}

const base = { index: 0, transcript: new Transcript(), selectedTool: null, onSelectTool: () => {}, onResume: null, expansion: expansionOf() };

afterEach(cleanup);

describe("ChatRow", () => {
  it("keeps thinking collapsed until opened", () => {
    const toggled: string[] = [];
    const entry = { kind: "agent", messageId: "m", part: 0, parent: null, thought: true, text: "Let me think\nabout it" } as const;
    const { rerender } = render(<ChatRow {...base} entry={entry} expansion={expansionOf([], toggled)} />);
    expect(screen.queryByText(/about it/)).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: /Thinking/ }));
    expect(toggled).toEqual(["thought:0"]);
    rerender(<ChatRow {...base} entry={entry} expansion={expansionOf(["thought:0"])} />);
    expect(screen.getByText(/about it/)).toBeTruthy();
  });

  it("renders answers as markdown with highlighted code", () => {
    const text = "Done:\n\n- **one**\n\n```rust\nfn main() {}\n```";
    const entry = { kind: "agent", messageId: "m", part: 0, parent: null, thought: false, text } as const;
    const { container } = render(<ChatRow {...base} entry={entry} />);
    expect(container.querySelector("strong")?.textContent).toBe("one");
    expect(container.querySelector("code.language-rust .hljs-keyword")?.textContent).toBe("fn");
  });

  it("shows a crash with its stderr tail and a Resume button", () => {
    const onResume = vi.fn();
    const entry = { kind: "exited", exited: { code: 1, signal: null, expected: false, stderrTail: "Error: boom" } } as const;
    render(<ChatRow {...base} entry={entry} onResume={onResume} />);
    expect(screen.getByRole("alert").textContent).toMatch(/exited unexpectedly.*exit code 1/);
    expect(screen.getByText("Error: boom")).toBeTruthy();
    fireEvent.click(screen.getByTestId("resume"));
    expect(onResume).toHaveBeenCalled();
  });

  it("marks an interrupted turn as stopped", () => {
    const ended = {
      turn: 3,
      stopReason: "cancelled",
      error: null,
      durationMs: 1500,
      usage: { inputTokens: 1, outputTokens: 2, cacheReadTokens: 0, cacheCreationTokens: 0 },
      costUsd: null,
      sessionCostUsd: null,
    };
    render(<ChatRow {...base} entry={{ kind: "turnEnded", ended } as never} />);
    expect(screen.getByTestId("turn-stopped").textContent).toMatch(/Stopped.*Turn 3/);
  });

  it("says how many files a turn changed, opening them in the Files panel", () => {
    const t = new Transcript();
    const summary = (id: number, path: string) => ({
      id,
      path,
      kind: { type: "modify" as const },
      sizeBefore: 1,
      sizeAfter: 1,
      linesAdded: 0,
      linesRemoved: 0,
      ignored: false,
      tooLarge: false,
    });
    t.apply([{ sessionId: "s1", seq: 1, atMs: 0, kind: { type: "fileChanges", data: { turn: 2, toolCallId: null, ops: [summary(1, "a"), summary(2, "b")] } } }]);
    const ended = {
      turn: 2,
      stopReason: "endTurn",
      error: null,
      durationMs: 1500,
      usage: { inputTokens: 1, outputTokens: 2, cacheReadTokens: 0, cacheCreationTokens: 0 },
      costUsd: null,
      sessionCostUsd: null,
    };
    const open = vi.fn();
    render(
      <FilesOpenerContext.Provider value={open}>
        <ChatRow {...base} transcript={t} entry={{ kind: "turnEnded", ended } as never} />
      </FilesOpenerContext.Provider>,
    );
    expect(screen.getByTestId("turn-end").textContent).toMatch(/Turn 2 .* · 2 files changed$/);
    fireEvent.click(screen.getByTestId("turn-files"));
    expect(open).toHaveBeenCalledWith({ type: "turn", turn: 2 });
  });
});
