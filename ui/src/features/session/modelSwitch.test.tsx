import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { SessionControls, SessionEvent } from "../../ipc";
import { ModelSwitch, controlsLabel, switchBlocked } from "./ModelSwitch";
import { SessionHeader } from "./SessionHeader";
import { Transcript } from "../../model/transcript";

const setModel = vi.fn(async (..._args: unknown[]) => ({ ok: true, value: null }) as { ok: true; value: null } | { ok: false; error: { code: string; message: string } });

vi.mock("../../ipc", () => ({
  steer: { setModel: (...args: unknown[]) => setModel(...args) },
  sessions: { setMode: async () => ({ ok: true, value: null }) },
  permissions: {
    projectRules: async () => ({ ok: true, value: { allow: [], deny: [] } }),
    log: async () => ({ ok: true, value: [] }),
  },
}));

beforeEach(() => setModel.mockClear());
afterEach(cleanup);

function controls(over: Partial<SessionControls> = {}): SessionControls {
  return {
    model: "gpt-5.5",
    effort: "medium",
    models: [
      { id: "gpt-5.5", label: "GPT-5.5", description: "Frontier", efforts: ["low", "medium", "high"] },
      { id: "gpt-5.5-mini", label: "GPT-5.5 mini", description: null, efforts: ["low"] },
    ],
    efforts: ["low", "medium", "high"],
    anyModel: true,
    canSwitchModel: true,
    switchWhileRunning: true,
    appliesNextTurn: true,
    canSteer: true,
    ...over,
  };
}

describe("the model switch", () => {
  it("names the model and effort in use, and switches both from the keyboard", async () => {
    render(<ModelSwitch sessionId="s1" controls={controls()} status="ready" />);
    const button = screen.getByTestId("model-switch");
    expect(button.textContent).toBe("GPT-5.5 · medium");
    fireEvent.click(button);
    const model = screen.getByTestId("model-switch-model") as HTMLSelectElement;
    expect(document.activeElement).toBe(model);
    expect(screen.getByText("Applies from the next prompt.")).toBeTruthy();
    fireEvent.change(model, { target: { value: "gpt-5.5-mini" } });
    // The mini model takes only `low`: the effort list follows the model.
    expect(screen.queryByTestId("effort-option-high")).toBeNull();
    fireEvent.change(screen.getByTestId("model-switch-effort"), { target: { value: "low" } });
    await act(async () => {
      fireEvent.keyDown(model, { key: "Enter" });
    });
    expect(setModel).toHaveBeenCalledWith("s1", "gpt-5.5-mini", "low");
    expect(screen.queryByTestId("model-switch-menu")).toBeNull();
  });

  it("sends only what changed, takes a typed model where the agent allows it, and closes on Escape", async () => {
    render(<ModelSwitch sessionId="s1" controls={controls()} status="ready" />);
    fireEvent.click(screen.getByTestId("model-switch"));
    expect((screen.getByTestId("model-switch-apply") as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(screen.getByTestId("model-switch-model"), { target: { value: "\u0000other" } });
    fireEvent.change(screen.getByTestId("model-switch-custom"), { target: { value: "  my-model " } });
    await act(async () => {
      fireEvent.click(screen.getByTestId("model-switch-apply"));
    });
    expect(setModel).toHaveBeenCalledWith("s1", "my-model", null);
    fireEvent.click(screen.getByTestId("model-switch"));
    fireEvent.keyDown(screen.getByTestId("model-switch-menu"), { key: "Escape" });
    expect(screen.queryByTestId("model-switch-menu")).toBeNull();
    expect(document.activeElement).toBe(screen.getByTestId("model-switch"));
  });

  it("offers no typed model to an agent that takes only its own", () => {
    render(<ModelSwitch sessionId="s1" controls={controls({ anyModel: false })} status="ready" />);
    fireEvent.click(screen.getByTestId("model-switch"));
    expect(screen.queryByText("Other…")).toBeNull();
    expect(screen.queryByTestId("model-switch-custom")).toBeNull();
  });

  it("is disabled with the reason while a turn runs when the agent switches only between turns", () => {
    render(<ModelSwitch sessionId="s1" controls={controls({ switchWhileRunning: false })} status="running" />);
    const button = screen.getByTestId("model-switch") as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    expect(screen.getByTestId("model-switch-reason").textContent).toContain("only between turns");
    expect(button.getAttribute("aria-describedby")).toBe(screen.getByTestId("model-switch-reason").id);
    expect(switchBlocked(controls(), "running")).toBeNull();
    expect(switchBlocked(controls(), "stopped")).toBe("The session is not running");
  });

  it("shows the agent's refusal", async () => {
    setModel.mockResolvedValueOnce({ ok: false, error: { code: "internal", message: "the agent does not offer the model 'x'" } });
    render(<ModelSwitch sessionId="s1" controls={controls()} status="ready" />);
    fireEvent.click(screen.getByTestId("model-switch"));
    fireEvent.change(screen.getByTestId("model-switch-effort"), { target: { value: "high" } });
    await act(async () => {
      fireEvent.click(screen.getByTestId("model-switch-apply"));
    });
    expect(screen.getByTestId("model-switch-error").textContent).toContain("does not offer");
  });

  it("renders nothing for an agent that cannot switch, and labels an unknown model plainly", () => {
    const { container } = render(<ModelSwitch sessionId="s1" controls={controls({ canSwitchModel: false })} status="ready" />);
    expect(container.textContent).toBe("");
    expect(controlsLabel(controls({ model: null, effort: null }))).toBe("Default model");
    expect(controlsLabel(controls({ model: "custom-x", effort: null }))).toBe("custom-x");
  });
});

describe("the header's model switch", () => {
  it("appears once the session's controls event came, and follows the last one", () => {
    const t = new Transcript();
    const ev = (seq: number, kind: SessionEvent["kind"]): SessionEvent => ({ sessionId: "s1", seq, atMs: 0, kind });
    t.apply([
      ev(1, {
        type: "started",
        data: { agent: "codex", cwd: "/p", program: "codex", pid: 1, version: "0.169.0", model: null, permissionMode: "default", resumed: false },
      }),
      ev(2, { type: "status", data: "ready" }),
    ]);
    const { rerender } = render(<SessionHeader title="t" transcript={t} status="ready" readOnly={false} sessionId="s1" />);
    expect(screen.queryByTestId("model-switch")).toBeNull();
    t.apply([ev(3, { type: "controls", data: controls() }), ev(4, { type: "controls", data: controls({ effort: "high" }) })]);
    rerender(<SessionHeader title="t" transcript={t} status="ready" readOnly={false} sessionId="s1" />);
    expect(screen.getByTestId("model-switch").textContent).toBe("GPT-5.5 · high");
  });
});

describe("a steer in the transcript", () => {
  it("joins the running turn: shown as the person's words, the turn's clock goes on", () => {
    const t = new Transcript();
    const ev = (seq: number, atMs: number, kind: SessionEvent["kind"]): SessionEvent => ({ sessionId: "s1", seq, atMs, kind });
    t.apply([
      ev(1, 100, { type: "userMessage", data: { turn: 1, text: "Do it", origin: "person" } }),
      ev(2, 900, { type: "userMessage", data: { turn: 1, text: "Also this", origin: "steer" } }),
    ]);
    expect(t.turnStartedMs).toBe(100);
    expect(t.usage.turns).toBe(1);
    expect(t.entries.map((e) => (e.kind === "user" ? [e.origin, e.text] : e.kind))).toEqual([
      ["person", "Do it"],
      ["steer", "Also this"],
    ]);
  });
});
