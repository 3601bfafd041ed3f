import { cleanup, act, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { PromptBox } from "./PromptBox";

const props = {
  busy: false,
  busySince: null,
  disabledReason: null,
  stopping: false,
  onStop: () => {},
};

afterEach(cleanup);

describe("PromptBox", () => {
  it("sends on Enter, keeps Shift+Enter as a new line, and clears only after the prompt went out", async () => {
    const sent: string[] = [];
    const onSend = vi.fn(async (text: string) => {
      sent.push(text);
      return true;
    });
    render(<PromptBox {...props} onSend={onSend} />);
    const box = screen.getByLabelText("Prompt") as HTMLTextAreaElement;
    fireEvent.change(box, { target: { value: "line one" } });
    fireEvent.keyDown(box, { key: "Enter", shiftKey: true });
    expect(onSend).not.toHaveBeenCalled();
    await act(async () => {
      fireEvent.keyDown(box, { key: "Enter" });
    });
    expect(sent).toEqual(["line one"]);
    expect(box.value).toBe("");
  });

  it("keeps the text when sending failed", async () => {
    render(<PromptBox {...props} onSend={async () => false} />);
    const box = screen.getByLabelText("Prompt") as HTMLTextAreaElement;
    fireEvent.change(box, { target: { value: "keep me" } });
    await act(async () => {
      fireEvent.keyDown(box, { key: "Enter", ctrlKey: true });
    });
    expect(box.value).toBe("keep me");
  });

  it("while busy offers Stop (also on Esc) and does not send", () => {
    const onStop = vi.fn();
    const onSend = vi.fn(async () => true);
    render(<PromptBox {...props} busy busySince={Date.now() - 5000} onSend={onSend} onStop={onStop} />);
    expect(screen.getByTestId("working").textContent).toMatch(/Working \d+ s/);
    const box = screen.getByLabelText("Prompt");
    fireEvent.change(box, { target: { value: "next" } });
    fireEvent.keyDown(box, { key: "Enter" });
    expect(onSend).not.toHaveBeenCalled();
    fireEvent.keyDown(box, { key: "Escape" });
    fireEvent.click(screen.getByTestId("stop"));
    expect(onStop).toHaveBeenCalledTimes(2);
  });

  it("says why it cannot take a prompt", () => {
    render(<PromptBox {...props} disabledReason="Starting Claude Code…" onSend={async () => true} />);
    const box = screen.getByLabelText("Prompt") as HTMLTextAreaElement;
    expect(box.disabled).toBe(true);
    expect(box.placeholder).toBe("Starting Claude Code…");
  });
});
