// The queue in front: when it moves on, the next question arms again before a click counts.
import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Project, WaitingRequest } from "../../ipc";
import { waitingQuestion } from "./modalFixture";
import { PermissionPrompt } from "./PermissionPrompt";
import { ARM_DELAY_MS } from "./arming";
import * as typed from "../../model/testInputs";

const ipc = vi.hoisted(() => ({ resolve: vi.fn(async () => ({ ok: true as const, value: null })) }));
vi.mock("../../ipc", () => ({
  sessions: { resolve: ipc.resolve },
  permissions: { parseRule: vi.fn(), waiting: vi.fn(async () => ({ ok: true, value: [] })), onWaiting: vi.fn(async () => () => {}) },
  claudeHistory: {},
  openLink: vi.fn(),
}));

const project = { name: "shop", path: "/code/shop" } as Project;

function at(ms: number, over: WaitingRequest): WaitingRequest {
  return { ...over, atMs: ms };
}

const first = at(1, waitingQuestion({ input: typed.shell("ls") }, "r1"));
const second = at(2, waitingQuestion({ input: typed.shell("rm -rf ~") }, "r2"));

async function click(id: string) {
  await act(async () => {
    fireEvent.click(screen.getByTestId(id));
  });
}

async function wait(ms: number) {
  await act(async () => {
    vi.advanceTimersByTime(ms);
  });
}

describe("the question in front", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date", "setTimeout", "clearTimeout"] });
    ipc.resolve.mockClear();
  });
  afterEach(() => {
    cleanup();
    vi.useRealTimers();
  });

  it("arms again when the queue moves on, so a click meant for the last question is ignored", async () => {
    const view = render(<PermissionPrompt project={project} sessionId="s1" sessionTitle="Tidy up" waiting={[first, second]} />);
    await click("permission-allow-once");
    expect(ipc.resolve).not.toHaveBeenCalled();
    await wait(ARM_DELAY_MS);
    await click("permission-allow-once");
    expect(ipc.resolve).toHaveBeenCalledTimes(1);
    expect(ipc.resolve).toHaveBeenLastCalledWith("s1", "r1", { decision: "allowOnce" });

    // The backend drops the answered question; the next one comes to the front under the pointer.
    view.rerender(<PermissionPrompt project={project} sessionId="s1" sessionTitle="Tidy up" waiting={[second]} />);
    expect(screen.getByTestId("permission-modal").dataset.requestId).toBe("r2");
    await click("permission-allow-once");
    expect(ipc.resolve).toHaveBeenCalledTimes(1);
    await wait(ARM_DELAY_MS);
    await click("permission-deny");
    expect(ipc.resolve).toHaveBeenCalledTimes(2);
    expect(ipc.resolve).toHaveBeenLastCalledWith("s1", "r2", { decision: "deny", message: null });
  });

  it("arms again when an older question arrives and takes the front", async () => {
    const view = render(<PermissionPrompt project={project} sessionId="s1" sessionTitle="Tidy up" waiting={[second]} />);
    await wait(ARM_DELAY_MS);
    view.rerender(<PermissionPrompt project={project} sessionId="s1" sessionTitle="Tidy up" waiting={[second, first]} />);
    expect(screen.getByTestId("permission-modal").dataset.requestId).toBe("r1");
    await click("permission-allow-once");
    expect(ipc.resolve).not.toHaveBeenCalled();
  });
});
