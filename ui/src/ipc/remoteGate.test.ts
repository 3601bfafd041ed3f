// The routing of a remote project's task gate in ipc/index.ts: the Checks panel (overview, the
// trust decision, a check's log), reviews and pipelines of a project or session on a host go
// through `remote_call` as `gate` calls and come back in the local commands' shape; a local
// project's stay local; a run the host started is stopped and decided on that host, and its
// states reach `pipelines.onChange` like local ones.
import { beforeEach, describe, expect, it, vi } from "vitest";

const { commands } = vi.hoisted(() => {
  const ok = (data: unknown) => Promise.resolve({ status: "ok", data });
  const commands: Record<string, ReturnType<typeof vi.fn>> & { remoteCall: ReturnType<typeof vi.fn> } = { remoteCall: vi.fn() };
  for (const name of ["checksOverview", "checksTrust", "checksLog", "reviewStart", "reviewAgents", "reviewFalsePositives", "pipelineList", "pipelineStart", "pipelineStop", "pipelineDecide", "pipelineRuns", "remoteSessionSubscribe", "sessionUnsubscribe"]) {
    commands[name] = vi.fn(() => ok([]));
  }
  return { commands };
});

vi.mock("@tauri-apps/api/core", () => ({
  Channel: class {
    id = 7;
    onmessage: (m: unknown) => void = () => {};
  },
}));
vi.mock("../bindings", () => ({ commands, events: { pipelineChanged: { listen: () => Promise.resolve(() => {}) } } }));

import { checks, pipelines, remote, reviews, sessions } from "./index";
import { routes } from "./remoteRoutes";

/** The host's answer `{type: "gate", data: {type, data}}`, as `remote_call` returns it. */
const onHost = (type: string, data?: unknown) => Promise.resolve({ status: "ok", data: { type: "gate", data: data === undefined ? { type } : { type, data } } });
const run = (kind: string, sessionId: string | null = null) => ({
  runId: "run-1",
  pipeline: "p",
  name: "P",
  project: "/srv/app",
  steps: [{ role: "implement", agent: "claude", model: null, sessionId, status: "running", round: 1, costUsd: null }],
  current: 0,
  round: 1,
  maxRounds: 3,
  status: { kind },
  plan: null,
});

beforeEach(() => {
  for (const fn of Object.values(commands)) fn.mockReset();
  for (const name of Object.keys(commands)) if (name !== "remoteCall") commands[name]!.mockImplementation(() => Promise.resolve({ status: "ok", data: [] }));
  routes.forgetConnection("r1");
  routes.setFront(null);
});

describe("a remote project's task gate in ipc/index.ts", () => {
  it("reads and trusts a host project's checks file on the host, and reads its check logs there", async () => {
    await checks.overview("/srv/app");
    expect(commands.checksOverview).toHaveBeenCalledWith("/srv/app");
    expect(commands.remoteCall).not.toHaveBeenCalled();

    remote.setFront({ connection: "r1", project: "/srv/app" });
    commands.remoteCall.mockImplementationOnce(() => onHost("overview", { project: "/srv/app", trust: "notTrusted" }));
    expect(await checks.overview("/srv/app")).toEqual({ ok: true, value: { project: "/srv/app", trust: "notTrusted" } });
    expect(commands.remoteCall).toHaveBeenLastCalledWith("r1", { op: "gate", args: { op: "checksOverview", args: { project: "/srv/app" } } });

    commands.remoteCall.mockImplementationOnce(() => onHost("overview", { trust: "trusted" }));
    await checks.trust("/srv/app", "trust", "abc");
    expect(commands.remoteCall).toHaveBeenLastCalledWith("r1", { op: "gate", args: { op: "checksTrust", args: { project: "/srv/app", decision: "trust", sha256: "abc" } } });

    commands.remoteCall.mockImplementationOnce(() => onHost("logPage", { text: "ok\n", nextOffset: 3, size: 3 }));
    expect(await checks.log("/data/checks/logs/x.log", 0)).toEqual({ ok: true, value: { text: "ok\n", nextOffset: 3, size: 3 } });
    expect(commands.remoteCall).toHaveBeenLastCalledWith("r1", { op: "gate", args: { op: "checksLog", args: { path: "/data/checks/logs/x.log", offset: 0 } } });
    expect(commands.checksTrust).not.toHaveBeenCalled();
    expect(commands.checksLog).not.toHaveBeenCalled();

    // A host answering with another arm is refused, never taken for the value.
    commands.remoteCall.mockImplementationOnce(() => onHost("done"));
    const wrong = await checks.overview("/srv/app");
    expect(wrong.ok).toBe(false);
  });

  it("starts a host session's review on the host and keeps a local session's local", async () => {
    routes.rememberSessions("r1", ["host-1"]);
    commands.remoteCall.mockImplementationOnce(() => onHost("review", "review-1"));
    const scope = { type: "task" as const, task: 1 };
    expect(await reviews.start("host-1", scope, "claude", null, null, "Look")).toEqual({ ok: true, value: "review-1" });
    expect(commands.remoteCall).toHaveBeenLastCalledWith("r1", {
      op: "gate",
      args: { op: "reviewStart", args: { session: "host-1", scope, agent: "claude", agentName: null, model: null, instructions: "Look" } },
    });
    // The reviewer's session named in the stream is the host's too (the review view opens it).
    const started = { seq: 4, sessionId: "host-1", kind: { type: "reviewStarted", data: { review: "review-1", reviewer: { agent: "claude", model: null, sessionId: "reviewer-9" } } } };
    commands.remoteSessionSubscribe!.mockImplementationOnce(() => Promise.resolve({ status: "ok", data: [started] }));
    await sessions.subscribe("host-1", 0, () => {});
    expect(commands.remoteSessionSubscribe).toHaveBeenCalledWith("r1", "host-1", 0, expect.anything());
    expect(routes.ofSession("reviewer-9")).toBe("r1");
    await reviews.start("local-1", scope, "claude", null, null, null);
    expect(commands.reviewStart).toHaveBeenCalledTimes(1);
    commands.remoteCall.mockImplementationOnce(() => onHost("falsePositives", []));
    await reviews.falsePositives("host-1", 1);
    expect(commands.remoteCall).toHaveBeenLastCalledWith("r1", { op: "gate", args: { op: "falsePositives", args: { session: "host-1", task: 1 } } });
    expect(commands.reviewFalsePositives).not.toHaveBeenCalled();
  });

  it("runs a host project's pipeline there: its steps are the host's, Stop goes there, its states reach onChange", async () => {
    remote.setFront({ connection: "r1", project: "/srv/app" });
    const seen: string[] = [];
    const stop = await pipelines.onChange((s) => seen.push(s.status.kind));
    commands.remoteCall.mockImplementationOnce(() => onHost("pipelines", [{ id: "p" }]));
    expect(await pipelines.list("/srv/app")).toEqual({ ok: true, value: [{ id: "p" }] });
    commands.remoteCall.mockImplementationOnce(() => onHost("pipeline", run("running", "step-1")));
    // The follower's asks: the run ends.
    commands.remoteCall.mockImplementation(() => onHost("runs", [run("passed", "step-1")]));
    const started = await pipelines.start("/srv/app", "p", "Do it", "default");
    expect(started.ok).toBe(true);
    expect(commands.remoteCall).toHaveBeenCalledWith("r1", { op: "gate", args: { op: "pipelineStart", args: { project: "/srv/app", pipeline: "p", prompt: "Do it", permissionMode: "default" } } });
    expect(routes.ofSession("step-1")).toBe("r1");
    await pipelines.stop("run-1");
    expect(commands.remoteCall).toHaveBeenCalledWith("r1", { op: "gate", args: { op: "pipelineStop", args: { runId: "run-1" } } });
    expect(commands.pipelineStop).not.toHaveBeenCalled();
    await vi.waitFor(() => expect(seen).toEqual(["running", "passed"]), { timeout: 5000 });
    stop();
    // A run this window started stays local.
    await pipelines.stop("local-run");
    expect(commands.pipelineStop).toHaveBeenCalledWith("local-run");
  });
});
