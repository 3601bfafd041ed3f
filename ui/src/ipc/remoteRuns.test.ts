import { describe, expect, it } from "vitest";
import type { PipelineState, PipelineStatus } from "../bindings";
import { RemoteRuns, RUN_POLL_FAILURES } from "./remoteRuns";

function state(runId: string, status: PipelineStatus, round = 1): PipelineState {
  return { runId, pipeline: "p", name: "P", project: "/srv/app", steps: [], current: 0, round, maxRounds: 3, status, plan: null };
}

/** A pause that returns at once, counting how often it was waited. */
function counter() {
  const c = { waits: 0, pause: async () => void (c.waits += 1) };
  return c;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("RemoteRuns", () => {
  it("follows a host's running run until it ends, passing on each change once", async () => {
    const answers = [[state("r1", { kind: "running" }, 1)], [state("r1", { kind: "running" }, 2)], [state("r1", { kind: "passed" }, 2)]];
    const asked: string[] = [];
    const c = counter();
    const runs = new RemoteRuns(async (connection, project) => {
      asked.push(`${connection} ${project}`);
      return { ok: true, value: answers.shift() ?? [] };
    }, c.pause);
    const seen: PipelineState[] = [];
    runs.listen((s) => seen.push(s));
    runs.learnt("c1", "/srv/app", [state("r1", { kind: "running" }, 1)]);
    runs.learnt("c1", "/srv/app", [state("r1", { kind: "running" }, 1)]);
    for (let i = 0; i < 10; i++) await settle();
    expect(seen.map((s) => [s.round, s.status.kind])).toEqual([
      [1, "running"],
      [2, "running"],
      [2, "passed"],
    ]);
    expect(asked).toEqual(["c1 /srv/app", "c1 /srv/app", "c1 /srv/app"]);
    expect(runs.hostOf("r1")).toBe("c1");
    expect(runs.hostOf("local")).toBeNull();
  });

  it("does not follow finished runs, and gives up on a host that keeps failing", async () => {
    let asks = 0;
    const c = counter();
    const runs = new RemoteRuns(async () => {
      asks += 1;
      return { ok: false, error: { code: "internal", message: "gone" } };
    }, c.pause);
    runs.learnt("c1", "/srv/app", [state("done", { kind: "passed" })]);
    await settle();
    expect(asks).toBe(0);
    runs.learnt("c1", "/srv/app", [state("r2", { kind: "awaitingApproval", plan: "do it" })]);
    for (let i = 0; i < RUN_POLL_FAILURES * 4; i++) await settle();
    expect(asks).toBe(RUN_POLL_FAILURES);
  });
});
