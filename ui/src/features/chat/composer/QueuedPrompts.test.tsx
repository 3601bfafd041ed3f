import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { PromptQueue } from "./promptQueue";
import { QueuedPrompts } from "./QueuedPrompts";

afterEach(cleanup);

const running = { status: "running", busy: true, turns: 1, lastTurn: null };

function setup(...texts: string[]) {
  const queue = new PromptQueue(async () => null);
  for (const text of texts) queue.add({ text, attachments: [] }, running);
  render(<QueuedPrompts queue={queue} />);
  return queue;
}
const shown = () => screen.getAllByTestId("queued-prompt").map((li) => li.querySelector(".queued-text")?.textContent ?? "");

describe("the queued prompts above the box", () => {
  it("shows nothing when the queue is empty", () => {
    render(<QueuedPrompts queue={new PromptQueue(async () => null)} />);
    expect(screen.queryByTestId("prompt-queue")).toBeNull();
  });

  it("edits a prompt in place (Enter saves, Esc cancels)", () => {
    const queue = setup("fix the bug");
    fireEvent.keyDown(screen.getByTestId("queued-prompt"), { key: "Enter" });
    const editor = screen.getByTestId("queued-edit") as HTMLTextAreaElement;
    fireEvent.change(editor, { target: { value: "fix the bug and add a test" } });
    fireEvent.keyDown(editor, { key: "Enter" });
    expect(shown()).toEqual(["fix the bug and add a test"]);
    expect(queue.get().editing).toBeNull();
    fireEvent.click(screen.getByTestId("queued-edit-button"));
    fireEvent.change(screen.getByTestId("queued-edit"), { target: { value: "thrown away" } });
    fireEvent.keyDown(screen.getByTestId("queued-edit"), { key: "Escape" });
    expect(shown()).toEqual(["fix the bug and add a test"]);
  });

  it("removes with × and with Delete", () => {
    setup("a", "b", "c");
    fireEvent.click(screen.getAllByTestId("queued-remove")[1]!);
    expect(shown()).toEqual(["a", "c"]);
    fireEvent.keyDown(screen.getAllByTestId("queued-prompt")[0]!, { key: "Delete" });
    expect(shown()).toEqual(["c"]);
  });

  it("reorders with Alt+Up/Down (the moved prompt keeps the focus) and with the arrows", () => {
    setup("a", "b", "c");
    const first = screen.getAllByTestId("queued-prompt")[0]!;
    first.focus();
    act(() => {
      fireEvent.keyDown(first, { key: "ArrowDown", altKey: true });
    });
    expect(shown()).toEqual(["b", "a", "c"]);
    expect(document.activeElement?.getAttribute("data-index")).toBe("1");
    fireEvent.click(screen.getAllByTestId("queued-up")[2]!);
    expect(shown()).toEqual(["b", "c", "a"]);
  });

  it("reorders by dragging", () => {
    setup("a", "b", "c");
    const items = screen.getAllByTestId("queued-prompt");
    fireEvent.dragStart(items[2]!);
    fireEvent.dragOver(items[0]!);
    fireEvent.drop(items[0]!);
    expect(shown()).toEqual(["c", "a", "b"]);
  });

  it("says why it is paused and goes on when asked", () => {
    const queue = setup("next");
    act(() => queue.pump({ status: "ready", busy: false, turns: 1, lastTurn: { turn: 1, stopReason: "cancelled" } }));
    expect(screen.getByTestId("queue-paused").textContent).toMatch(/stopped/);
    fireEvent.click(screen.getByTestId("queue-resume"));
    expect(screen.queryByTestId("queue-paused")).toBeNull();
  });
});
