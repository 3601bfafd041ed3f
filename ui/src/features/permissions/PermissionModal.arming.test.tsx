// No answer counts in the first moments after a question comes to the front, by key or by
// click; and configuration that can run code later is warned about and never kept as a rule.
import { act, cleanup, fireEvent, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { showModal, waitingQuestion } from "./modalFixture";
import * as typed from "../../model/testInputs";

vi.mock("../../ipc", () => ({ permissions: { parseRule: vi.fn() }, openLink: vi.fn() }));

afterEach(cleanup);

const DELAY = 300;
const modal = () => screen.getByTestId("permission-modal");
const button = (id: string) => screen.getByTestId(id) as HTMLButtonElement;

async function click(id: string) {
  await act(async () => {
    fireEvent.click(button(id));
  });
}

async function press(key: string) {
  await act(async () => {
    fireEvent.keyDown(document.activeElement ?? document.body, { key });
  });
}

async function wait(ms: number) {
  await act(async () => {
    vi.advanceTimersByTime(ms);
  });
}

describe("arming the answers", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date", "setTimeout", "clearTimeout"] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("ignores clicks on every answer before the question is armed, and takes them after", async () => {
    for (const [id, answer] of [
      ["permission-allow-once", { decision: "allowOnce" }],
      ["permission-allow-session", { decision: "allowSession" }],
      ["permission-deny", { decision: "deny", message: null }],
      ["permission-deny-stop", { decision: "denyAndStop", message: null }],
    ] as const) {
      const { answers } = showModal({}, { armDelayMs: DELAY });
      expect(modal().dataset.armed).toBe("false");
      expect(modal().classList.contains("arming")).toBe(true);
      await click(id);
      await wait(DELAY - 10);
      await click(id);
      expect(answers, id).toEqual([]);
      await wait(10);
      expect(modal().dataset.armed).toBe("true");
      expect(modal().classList.contains("arming")).toBe(false);
      await click(id);
      expect(answers, id).toEqual([answer]);
      cleanup();
    }
  });

  it("does not open the rule editor from an early click on Always allow", async () => {
    showModal({}, { armDelayMs: DELAY });
    await click("permission-allow-always");
    expect(screen.queryByTestId("permission-rule-input")).toBeNull();
    await wait(DELAY);
    await click("permission-allow-always");
    expect(screen.getByTestId("permission-rule-input")).toBeTruthy();
  });

  it("does not send the message field's denial before the question is armed", async () => {
    const { answers } = showModal({}, { armDelayMs: DELAY });
    const message = screen.getByTestId("permission-message");
    await act(async () => {
      fireEvent.keyDown(message, { key: "Enter" });
    });
    expect(answers).toEqual([]);
  });

  it("arms again when another question comes to the front, for clicks and keys alike", async () => {
    const { answers, replace } = showModal({}, { armDelayMs: DELAY });
    await wait(DELAY);
    // The queue moves on (or a new question arrives at the front) under the pointer.
    for (const next of ["r2", "r3"]) {
      replace(waitingQuestion({ input: typed.shell(`rm -rf ${next}`) }, next));
      expect(modal().dataset.armed).toBe("false");
      await click("permission-allow-once");
      await press("Enter");
      await press("s");
      expect(answers).toEqual([]);
      await wait(DELAY);
      expect(modal().dataset.armed).toBe("true");
    }
    await click("permission-allow-once");
    expect(answers).toEqual([{ decision: "allowOnce" }]);
  });

  it("stays armed while the same question is shown again", async () => {
    const { answers, replace } = showModal({}, { armDelayMs: DELAY });
    await wait(DELAY);
    replace(waitingQuestion({}, "r1"));
    await click("permission-allow-once");
    expect(answers).toEqual([{ decision: "allowOnce" }]);
  });
});

describe("agent and tool configuration", () => {
  const PATHS = [
    [".claude/settings.json"],
    [".git/hooks/pre-commit", ".mcp.json"],
    [".codex/config.toml", ".gemini/settings.json", ".vscode/tasks.json", ".envrc"],
  ];

  it("is warned about by name, and never offered as a rule to keep", async () => {
    for (const paths of PATHS) {
      const { answers } = showModal({ protectedPaths: paths, toolName: "Write", input: typed.write(`/code/shop/${paths[0]}`, "{}") });
      const warning = screen.getByTestId("permission-protected");
      expect(warning.getAttribute("role")).toBe("alert");
      expect(warning.textContent).toContain("configuration that steers an agent or a tool");
      expect(warning.textContent).toContain("can run commands later");
      expect(warning.textContent).toContain("Warden never allows this by a mode or a broad rule");
      expect(Array.from(warning.querySelectorAll("li")).map((li) => li.textContent)).toEqual(paths);
      const always = button("permission-allow-always");
      expect(always.disabled).toBe(true);
      expect(always.title).toMatch(/no rule for agent or tool configuration/);
      expect(modal().textContent).toContain("For this session, this adds the rule");
      expect(modal().textContent).not.toContain("or always");
      await press("a");
      expect(screen.queryByTestId("permission-rule-input")).toBeNull();
      // Answering this one call stays possible.
      await press("Enter");
      expect(answers).toEqual([{ decision: "allowOnce" }]);
      cleanup();
    }
  });

  it("shows no such warning when the call changes none", () => {
    showModal({ protectedPaths: [] });
    expect(screen.queryByTestId("permission-protected")).toBeNull();
    expect(button("permission-allow-always").disabled).toBe(false);
    cleanup();
    showModal();
    expect(screen.queryByTestId("permission-protected")).toBeNull();
  });
});
