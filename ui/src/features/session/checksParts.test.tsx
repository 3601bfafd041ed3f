// The gate's parts in the session view: the chip on the header (it opens the Checks panel), the
// bar above the prompt box when a task waits, and a feedback turn shown as feedback in the chat.
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Transcript } from "../../model/transcript";
import * as ev from "../../model/testTasks";
import { ChatRow } from "../chat/ChatRow";
import { SessionHeader } from "./SessionHeader";
import { ChecksProvider } from "../checks/ChecksProvider";
import { TaskBar } from "../checks/TaskBar";

const overview = vi.fn();
vi.mock("../../ipc", () => ({
  checks: {
    overview: (...args: unknown[]) => overview(...args),
    log: async () => ({ ok: true, value: { text: "", nextOffset: 0, size: 0 } }),
  },
  sessions: { setMode: async () => ({ ok: true, value: null }) },
  permissions: { projectRules: async () => ({ ok: true, value: { allow: [], deny: [] } }), log: async () => ({ ok: true, value: [] }) },
  files: { comments: async () => ({ ok: true, value: [] }) },
}));

afterEach(() => {
  cleanup();
  vi.clearAllMocks();
});

function transcriptOf(kinds: Parameters<typeof ev.stream>[0]): Transcript {
  const t = new Transcript();
  t.apply(ev.stream(kinds));
  return t;
}

const waiting = [ev.started(), ev.completed(1), ev.checkStarted("tests", 1), ev.checkFinished("tests", 1, { status: "failed" }, [ev.failingFinding]), ev.gate(1, "blocked"), ev.proposed(1)];

describe("the gate in the session view", () => {
  it("puts the task chip on the header with the round limit, and it opens the Checks panel", async () => {
    overview.mockResolvedValue({ ok: true, value: { trust: "trusted", maxRounds: 4, valid: true, entries: [], errors: [], request: null } });
    const t = transcriptOf([...waiting.slice(0, 5), ev.gate(1, "exhausted"), ev.finished("exhausted", 1)]);
    render(
      <ChecksProvider project="/p" sessionId="s1" transcript={t}>
        <SessionHeader title="t" transcript={t} status="ready" readOnly={false} sessionId="s1" />
      </ChecksProvider>,
    );
    await waitFor(() => expect(screen.getByTestId("task-chip").textContent).toBe("Exhausted (1/4)"));
    expect(screen.getByTestId("task-chip").dataset.phase).toBe("exhausted");
    fireEvent.click(screen.getByTestId("task-chip"));
    expect(await screen.findByTestId("checks-panel")).toBeTruthy();
    expect(overview).toHaveBeenCalledWith("/p");
  });

  it("has no chip without checks, and the bar above the prompt box only while the task waits", async () => {
    overview.mockResolvedValue({ ok: true, value: { trust: "noFile", maxRounds: 3, valid: true, entries: [], errors: [], request: null } });
    const quiet = transcriptOf([ev.started(), ev.completed(1), ev.gate(1, "passed"), ev.finished("passed", 1)]);
    render(
      <ChecksProvider project="/p" sessionId="s1" transcript={quiet}>
        <SessionHeader title="t" transcript={quiet} status="ready" readOnly={false} sessionId="s1" />
        <TaskBar transcript={quiet} />
      </ChecksProvider>,
    );
    expect(screen.queryByTestId("task-chip")).toBeNull();
    expect(screen.queryByTestId("task-bar")).toBeNull();
    cleanup();
    const t = transcriptOf(waiting);
    render(
      <ChecksProvider project="/p" sessionId="s1" transcript={t}>
        <TaskBar transcript={t} />
      </ChecksProvider>,
    );
    expect(screen.getByTestId("task-bar").textContent).toContain("A check failed in round 1");
    fireEvent.click(screen.getByTestId("task-bar-open"));
    expect(await screen.findByTestId("feedback-composer")).toBeTruthy();
  });

  it("shows a feedback turn's prompt as feedback from checks, never as the person's", () => {
    const base = { index: 0, transcript: new Transcript(), selectedTool: null, onSelectTool: () => {}, onResume: null };
    const expansion = { detailsOpen: () => false, childrenOpen: () => true, toggleDetails: () => {}, toggleChildren: () => {}, showChildren: () => {} };
    render(<ChatRow {...base} expansion={expansion} entry={{ kind: "user", turn: 2, text: "Fix the failing test", origin: "feedback" }} />);
    expect(screen.getByTestId("feedback-message").textContent).toContain("Feedback from checks");
    expect(screen.queryByTestId("user-message")).toBeNull();
    expect(screen.queryByText("You")).toBeNull();
  });
});
