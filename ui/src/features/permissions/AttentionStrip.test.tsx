import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { WaitingRequest } from "../../ipc";
import { AttentionStrip } from "./AttentionStrip";
import { setFront } from "./front";

// The window-wide list arrives through `onWaiting`; the test plays the backend.
const backend = vi.hoisted(() => ({ emit: (_list: WaitingRequest[]) => {} }));
vi.mock("../../ipc", () => ({
  permissions: {
    waiting: async () => [],
    onWaiting: async (handler: (list: WaitingRequest[]) => void) => {
      backend.emit = handler;
      return () => {};
    },
  },
  sessions: {
    list: async () => ({ ok: true, value: [{ id: "s2", title: "Fix the tests" }] }),
  },
}));

afterEach(() => {
  cleanup();
  setFront(null, null);
});

const asking = (sessionId: string, atMs: number, toolName = "Bash"): WaitingRequest => ({
  sessionId,
  project: "/code/shop",
  atMs,
  request: { requestId: `r-${sessionId}`, toolCallId: null, toolName, title: "", input: toolName === "ExitPlanMode" ? { type: "plan", plan: null } : { type: "other", raw: {} }, rawInput: {}, blockedPath: null, reason: null, rawSuggestions: null },
});

const projects = [{ id: "/code/shop", name: "shop", path: "/code/shop" }];

async function waitingNow(list: WaitingRequest[]) {
  await act(async () => backend.emit(list));
}

describe("the attention strip", () => {
  it("points at a question waiting in another session and brings that session forward", async () => {
    const onShow = vi.fn();
    setFront("/code/shop", "s1");
    render(<AttentionStrip projects={projects} onShow={onShow} />);
    await act(async () => {});
    expect(screen.queryByTestId("permission-attention")).toBeNull();

    await waitingNow([asking("s2", 1), asking("s3", 2)]);
    // The title comes from the session's stored record: this session has no tab.
    await screen.findByText("Fix the tests");
    expect(screen.getByTestId("permission-attention").querySelector(".attention-text")!.textContent).toBe(
      "Claude Code in shop · Fix the tests wants to run Bash · 1 more waiting",
    );
    fireEvent.click(screen.getByTestId("permission-attention-show"));
    expect(onShow).toHaveBeenCalledWith("/code/shop", "s2");
  });

  it("stays away while the session in front asks (its modal shows it)", async () => {
    setFront("/code/shop", "s2");
    render(<AttentionStrip projects={projects} onShow={vi.fn()} />);
    await waitingNow([asking("s2", 1), asking("s3", 2)]);
    expect(screen.queryByTestId("permission-attention")).toBeNull();
    await act(async () => setFront(null, null));
    expect(screen.getByTestId("permission-attention")).toBeTruthy();
  });

  it("names a plan approval as one", async () => {
    render(<AttentionStrip projects={projects} onShow={vi.fn()} />);
    await waitingNow([asking("s2", 1, "ExitPlanMode")]);
    expect(screen.getByTestId("permission-attention").textContent).toContain("asks you to approve a plan");
  });
});
