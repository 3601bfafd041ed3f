import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { NewSessionDialog } from "./NewSessionDialog";

afterEach(cleanup);

const start = () => screen.getByTestId("start-session") as HTMLButtonElement;

describe("New Session dialog, bypass", () => {
  it("offers bypass, warns, and starts only once the person ticked that they understand", async () => {
    const onStart = vi.fn().mockResolvedValue(null);
    render(<NewSessionDialog projectName="api" onStart={onStart} onCancel={vi.fn()} />);
    expect(screen.queryByTestId("bypass-warning")).toBeNull();

    fireEvent.click(screen.getByTestId("mode-bypass"));
    expect(screen.getByTestId("bypass-warning").textContent).toMatch(/deny rule/);
    expect(start().disabled).toBe(true);
    fireEvent.submit(start().closest("form")!);
    expect(onStart).not.toHaveBeenCalled();

    fireEvent.click(screen.getByTestId("bypass-understand"));
    expect(start().disabled).toBe(false);
    await act(async () => {
      fireEvent.click(start());
    });
    expect(onStart).toHaveBeenCalledWith(expect.objectContaining({ mode: "bypass", model: null, agent: "claude" }));
  });

  it("asks again after choosing another mode and coming back", () => {
    render(<NewSessionDialog projectName="api" onStart={vi.fn()} onCancel={vi.fn()} />);
    fireEvent.click(screen.getByTestId("mode-bypass"));
    fireEvent.click(screen.getByTestId("bypass-understand"));
    fireEvent.click(screen.getByTestId("mode-plan"));
    expect(start().disabled).toBe(false);
    expect(screen.queryByTestId("bypass-warning")).toBeNull();
    fireEvent.click(screen.getByTestId("mode-bypass"));
    expect(start().disabled).toBe(true);
  });
});
