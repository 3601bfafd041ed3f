import { cleanup, act, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { PromptBox } from "./PromptBox";
import { PromptQueue } from "./composer/promptQueue";
import type { ComposedPrompt } from "./composer/composed";

vi.mock("../../ipc", () => ({ finder: { find: async () => ({ ok: true, value: { paths: [], indexed: 0, truncated: false } }) } }));

const props = {
  sessionId: "s1",
  busy: false,
  busySince: null,
  disabledReason: null,
  stopping: false,
  onStop: () => {},
};

afterEach(() => {
  cleanup();
  localStorage.clear();
});

const box = () => screen.getByLabelText("Prompt") as HTMLTextAreaElement;
const type = (text: string) => fireEvent.change(box(), { target: { value: text } });

describe("PromptBox", () => {
  it("sends on Enter, keeps Shift+Enter as a new line, and clears only after the prompt went out", async () => {
    const sent: ComposedPrompt[] = [];
    const onSend = vi.fn(async (prompt: ComposedPrompt) => {
      sent.push(prompt);
      return true;
    });
    render(<PromptBox {...props} onSend={onSend} />);
    type("line one");
    fireEvent.keyDown(box(), { key: "Enter", shiftKey: true });
    expect(onSend).not.toHaveBeenCalled();
    await act(async () => {
      fireEvent.keyDown(box(), { key: "Enter" });
    });
    expect(sent).toEqual([{ text: "line one", attachments: [] }]);
    expect(box().value).toBe("");
  });

  it("keeps the text when sending failed", async () => {
    render(<PromptBox {...props} onSend={async () => false} />);
    type("keep me");
    await act(async () => {
      fireEvent.keyDown(box(), { key: "Enter", ctrlKey: true });
    });
    expect(box().value).toBe("keep me");
  });

  it("while busy offers Stop (also on Esc) and does not send", () => {
    const onStop = vi.fn();
    const onSend = vi.fn(async () => true);
    render(<PromptBox {...props} busy busySince={Date.now() - 5000} onSend={onSend} onStop={onStop} />);
    expect(screen.getByTestId("working").textContent).toMatch(/Working \d+ s/);
    type("next");
    fireEvent.keyDown(box(), { key: "Enter" });
    expect(onSend).not.toHaveBeenCalled();
    fireEvent.keyDown(box(), { key: "Escape" });
    fireEvent.click(screen.getByTestId("stop"));
    expect(onStop).toHaveBeenCalledTimes(2);
  });

  it("says why it cannot take a prompt", () => {
    render(<PromptBox {...props} disabledReason="Starting Claude Code…" onSend={async () => true} />);
    expect(box().disabled).toBe(true);
    expect(box().placeholder).toBe("Starting Claude Code…");
  });
});

describe("the queue and steering while a turn runs", () => {
  const running = { status: "running", busy: true, turns: 1, lastTurn: null };

  it("queues on Enter (and the Queue button) instead of sending, and sends when the turn ends", async () => {
    const sent: string[] = [];
    const queue = new PromptQueue(async (p) => {
      sent.push(p.text);
      return null;
    });
    const onSend = vi.fn(async () => true);
    render(<PromptBox {...props} busy busySince={Date.now()} onSend={onSend} queue={queue} snapshot={() => running} />);
    type("first");
    fireEvent.keyDown(box(), { key: "Enter" });
    type("second");
    fireEvent.click(screen.getByTestId("queue-prompt"));
    expect(box().value).toBe("");
    expect(screen.getAllByTestId("queued-prompt").map((li) => li.textContent)).toEqual([
      expect.stringContaining("first"),
      expect.stringContaining("second"),
    ]);
    expect(onSend).not.toHaveBeenCalled();
    await act(async () => {
      queue.pump({ status: "ready", busy: false, turns: 1, lastTurn: { turn: 1, stopReason: "endTurn" } });
    });
    expect(sent).toEqual(["first"]);
    expect(screen.getAllByTestId("queued-prompt")).toHaveLength(1);
  });

  it("offers Send now (steer) where the session can steer: the button and Ctrl+Enter", async () => {
    const onSteer = vi.fn(async () => true);
    const queue = new PromptQueue(async () => null);
    render(<PromptBox {...props} busy busySince={Date.now()} onSend={async () => true} onSteer={onSteer} queue={queue} snapshot={() => running} />);
    type("also check the tests");
    await act(async () => {
      fireEvent.click(screen.getByTestId("steer-prompt"));
    });
    expect(onSteer).toHaveBeenCalledWith("also check the tests");
    expect(box().value).toBe("");
    type("and the docs");
    await act(async () => {
      fireEvent.keyDown(box(), { key: "Enter", ctrlKey: true });
    });
    expect(onSteer).toHaveBeenLastCalledWith("and the docs");
    expect(queue.get().items).toHaveLength(0);
  });

  it("puts a new prompt behind those still waiting in a paused queue, and says so", () => {
    const queue = new PromptQueue(async () => null);
    queue.add({ text: "waiting", attachments: [] }, running);
    queue.pump({ status: "ready", busy: false, turns: 1, lastTurn: { turn: 1, stopReason: "cancelled" } });
    const onSend = vi.fn(async () => true);
    render(<PromptBox {...props} onSend={onSend} queue={queue} snapshot={() => ({ status: "ready", busy: false, turns: 1, lastTurn: null })} />);
    type("after it");
    expect(screen.getByTestId("send").textContent).toBe("Queue");
    fireEvent.keyDown(box(), { key: "Enter" });
    expect(onSend).not.toHaveBeenCalled();
    expect(queue.get().items.map((q) => q.prompt.text)).toEqual(["waiting", "after it"]);
  });

  it("offers no steer where the session cannot", () => {
    render(<PromptBox {...props} busy busySince={Date.now()} onSend={async () => true} queue={new PromptQueue(async () => null)} snapshot={() => running} />);
    expect(screen.getByTestId("queue-prompt")).toBeTruthy();
    expect(screen.queryByTestId("steer-prompt")).toBeNull();
  });
});

describe("history, drafts and focus", () => {
  it("recalls earlier prompts with Up on the first line and Down on the last, back to what was typed", () => {
    render(<PromptBox {...props} onSend={async () => true} history={["first", "second\nline"]} />);
    type("typing");
    fireEvent.keyDown(box(), { key: "ArrowUp" });
    expect(box().value).toBe("second\nline");
    // The caret is at the end, on the last line: Up moves within the prompt, not the history.
    box().setSelectionRange(box().value.length, box().value.length);
    fireEvent.keyDown(box(), { key: "ArrowUp" });
    expect(box().value).toBe("second\nline");
    box().setSelectionRange(0, 0);
    fireEvent.keyDown(box(), { key: "ArrowUp" });
    expect(box().value).toBe("first");
    fireEvent.keyDown(box(), { key: "ArrowDown" });
    expect(box().value).toBe("second\nline");
    fireEvent.keyDown(box(), { key: "ArrowDown" });
    expect(box().value).toBe("typing");
  });

  it("keeps each session's unsent draft across a remount", () => {
    const first = render(<PromptBox {...props} onSend={async () => true} />);
    type("half a thought");
    first.unmount();
    render(<PromptBox {...props} onSend={async () => true} />);
    expect(box().value).toBe("half a thought");
    cleanup();
    render(<PromptBox {...props} sessionId="s2" onSend={async () => true} />);
    expect(box().value).toBe("");
  });

  it("takes the focus once it is enabled after start-up, not while it is disabled", () => {
    const view = render(<PromptBox {...props} disabledReason="Starting Claude Code…" onSend={async () => true} focusToken={1} />);
    expect(document.activeElement).not.toBe(box());
    view.rerender(<PromptBox {...props} disabledReason="Starting Claude Code…" onSend={async () => true} focusToken={2} />);
    expect(document.activeElement).not.toBe(box());
    view.rerender(<PromptBox {...props} disabledReason={null} onSend={async () => true} focusToken={2} />);
    expect(document.activeElement).toBe(box());
  });

  it("does not take the focus from an open dialog when it becomes enabled", () => {
    const dialog = document.createElement("div");
    dialog.setAttribute("role", "dialog");
    const button = document.createElement("button");
    dialog.appendChild(button);
    document.body.appendChild(dialog);
    const view = render(<PromptBox {...props} disabledReason="Starting…" onSend={async () => true} />);
    button.focus();
    view.rerender(<PromptBox {...props} disabledReason={null} onSend={async () => true} />);
    expect(document.activeElement).toBe(button);
    dialog.remove();
  });
});
