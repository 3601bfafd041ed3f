import { describe, expect, it } from "vitest";
import { chipVisible, chipWords, costWords, lastCheckedRound, needsPerson, taskCost, waitingFeedback } from "./tasks";
import { formatCost } from "../shared/format";
import { Transcript } from "./transcript";
import * as ev from "./testTasks";

function transcript(kinds: Parameters<typeof ev.stream>[0]): Transcript {
  const t = new Transcript();
  expect(t.apply(ev.stream(kinds))).toBe("applied");
  return t;
}

describe("tasks folded from the session stream", () => {
  it("counts the reviewers' cost with the task's own, against the budget", () => {
    const t = transcript([ev.started(), ev.completed(1)]);
    const task = t.tasks.current!;
    expect(costWords(task, null, null)).toBeNull();
    expect(costWords(task, 1, 0.25)).toBe(`${formatCost(0.25)} of ${formatCost(1)}`);
    task.costUsd = 0.5;
    expect(taskCost(task, 0.25)).toBe(0.75);
    expect(costWords(task, null)).toBe(formatCost(0.5));
  });

  it("keeps a side run (tool.completed, files.changed, async) out of the task's phase and the chip's count", () => {
    const words: string[] = [];
    const t = new Transcript();
    const kinds = [
      ev.started(),
      ev.checkStarted("lint-on-save", 1, ["files.changed: src/a.ts"], null, true),
      ev.checkFinished("lint-on-save", 1, { status: "failed" }, [], { side: true }),
      ev.completed(1),
      ev.checkStarted("tests", 1),
      ev.checkFinished("tests", 1, { status: "passed" }),
      ev.gate(1, "passed"),
    ];
    for (const e of ev.stream(kinds)) {
      t.apply([e]);
      words.push(chipWords(t.tasks.current!, 3));
    }
    expect(words).toEqual(["Working", "Working", "Working", "Checking", "Checking 0/1", "Checking 1/1", "Passed ✓"]);
    const checks = t.tasks.current!.rounds[0]!.checks;
    expect(checks.map((c) => [c.check, c.side])).toEqual([
      ["lint-on-save", true],
      ["tests", false],
    ]);
  });

  it("walks a failing-then-fixed task through every phase the chip shows", () => {
    const kinds = [
      ev.started(),
      ev.completed(1),
      ev.checkStarted("tests", 1),
      ev.checkStarted("lint", 1),
      ev.checkFinished("tests", 1, { status: "failed" }, [ev.failingFinding]),
      ev.checkFinished("lint", 1, { status: "failed" }, [ev.secondFinding]),
      ev.gate(1, "blocked"),
      ev.proposed(1),
      ev.sent(2),
      ev.completed(2),
      ev.checkStarted("tests", 2),
      ev.checkFinished("tests", 2, { status: "passed" }),
      ev.gate(2, "passed"),
      ev.finished("passed", 2),
    ];
    const words: string[] = [];
    const t = new Transcript();
    for (const e of ev.stream(kinds)) {
      t.apply([e]);
      const task = t.tasks.current;
      if (task) words.push(chipWords(task, 3));
    }
    expect(words).toEqual([
      "Working",
      "Checking",
      "Checking 0/1",
      "Checking 0/2",
      "Checking 1/2",
      "Checking 2/2",
      "Checks failed",
      "Needs you",
      "Working",
      "Checking",
      "Checking 0/1",
      "Checking 1/1",
      "Passed ✓",
      "Passed ✓",
    ]);
    const task = t.tasks.current!;
    expect(task.rounds.map((r) => r.round)).toEqual([1, 2]);
    expect(task.rounds[0]!.sent).toMatchObject({ auto: false, turn: 2 });
    expect(task.rounds[0]!.proposed).toBeNull();
    expect(task.rounds[0]!.checks.map((c) => [c.check, c.outcome?.status, c.findings.length])).toEqual([
      ["tests", "failed", 1],
      ["lint", "failed", 1],
    ]);
    expect(task.rounds[0]!.checks[0]!.startedMs).toBe(1002);
    expect(lastCheckedRound(task)?.round).toBe(2);
    expect(task.outcome).toBe("passed");
  });

  it("waits for the person while feedback is proposed, and not once the task finished", () => {
    const t = transcript([ev.started(), ev.completed(1), ev.checkFinished("tests", 1, { status: "failed" }, [ev.failingFinding]), ev.gate(1, "blocked"), ev.proposed(1)]);
    const task = t.tasks.current!;
    expect(waitingFeedback(task)?.round).toBe(1);
    expect(needsPerson(task)).toBe(true);
    t.apply([{ sessionId: "s1", seq: 6, atMs: 0, kind: ev.finished("acceptedWithFindings", 1) }]);
    expect(waitingFeedback(task)).toBeNull();
    expect(chipWords(task, 3)).toBe("Accepted");
    expect(needsPerson(task)).toBe(false);
  });

  it("dismissed feedback leaves the task blocked; exhausted shows its rounds", () => {
    const t = transcript([ev.started(), ev.completed(1), ev.gate(1, "blocked"), ev.proposed(1), { type: "feedbackDismissed", data: { task: 1, round: 1 } }]);
    expect(t.tasks.current!.phase).toBe("blocked");
    expect(waitingFeedback(t.tasks.current!)).toBeNull();
    const x = transcript([ev.started(), ev.completed(1), ev.sent(2, "fix", true), ev.completed(2), ev.sent(3, "fix", true), ev.completed(3), ev.gate(3, "exhausted", "3 of 3 rounds"), ev.finished("exhausted", 3)]);
    expect(chipWords(x.tasks.current!, 3)).toBe("Exhausted (3/3)");
    expect(x.tasks.current!.rounds[2]!.reason).toBe("3 of 3 rounds");
    expect(x.tasks.current!.rounds[0]!.sent?.auto).toBe(true);
    expect(chipWords(transcript([ev.started(), ev.finished("stopped", 1)]).tasks.current!, 3)).toBe("Stopped");
  });

  it("shows a feedback turn's prompt as feedback, never as the person's words, and keeps the title the person's", () => {
    const t = transcript([
      { type: "userMessage", data: { turn: 1, text: "make the tests pass" } },
      ev.started(),
      { type: "userMessage", data: { turn: 2, text: "Warden ran the project's checks…", origin: "feedback" } },
    ]);
    const users = t.entries.filter((e) => e.kind === "user");
    expect(users.map((e) => (e.kind === "user" ? e.origin : null))).toEqual(["person", "feedback"]);
    expect(t.title("")).toBe("make the tests pass");
    // A stored event from before origins existed reads as the person's.
    expect(transcript([{ type: "userMessage", data: { turn: 1, text: "old" } }]).entries[0]).toMatchObject({ origin: "person" });
  });

  it("shows no chip for a task of a project without checks, which passes at once", () => {
    const none = transcript([ev.started(), ev.completed(1), ev.gate(1, "passed"), ev.finished("passed", 1)]);
    expect(chipVisible(none.tasks.current!)).toBe(false);
    const checked = transcript([ev.started(), ev.completed(1), ev.checkStarted("tests", 1)]);
    expect(chipVisible(checked.tasks.current!)).toBe(true);
  });

  it("a stream read from the middle still makes a task of what it sees", () => {
    const t = transcript([ev.checkFinished("tests", 1, { status: "error", reason: "not found: cargo" })]);
    const run = t.tasks.current!.rounds[0]!.checks[0]!;
    expect(run.outcome).toEqual({ status: "error", reason: "not found: cargo" });
  });
});

describe("a task's cost and its checks' logs", () => {
  it("sums what the task's own turns cost, the feedback rounds' included, and nothing else", () => {
    const t = transcript([
      ev.turnEnded(0, 0.5), // a turn before the task
      ev.started(),
      ev.turnEnded(1, 0.0125),
      ev.completed(1),
      ev.checkStarted("tests", 1),
      ev.checkFinished("tests", 1, { status: "failed" }),
      ev.gate(1, "blocked"),
      ev.proposed(1),
      ev.sent(2),
      ev.turnEnded(2, 0.02),
      ev.turnEnded(2, 0.02), // the same turn again counts once
      ev.completed(2),
      ev.finished("passed", 2),
      ev.turnEnded(3, 1), // a later turn of no task
    ]);
    const task = t.tasks.current!;
    expect(task.costUsd).toBeCloseTo(0.0325, 10);
    expect(costWords(task, null)).toBe("$0.03");
    expect(costWords(task, 0.5)).toBe("$0.03 of $0.50");
  });

  it("has no cost when the agent reports none", () => {
    const t = transcript([ev.started(), ev.turnEnded(1, null), ev.completed(1)]);
    expect(t.tasks.current!.costUsd).toBeNull();
    expect(costWords(t.tasks.current!, 1)).toBeNull();
  });

  it("knows a running check's log from its start, so it can be read before the check ends", () => {
    const t = transcript([ev.started(), ev.completed(1), ev.checkStarted("tests", 1, [], "/data/checks/logs/p/tests-1.log")]);
    const run = lastCheckedRound(t.tasks.current!)!.checks[0]!;
    expect(run.outcome).toBeNull();
    expect(run.logPath).toBe("/data/checks/logs/p/tests-1.log");
  });
});
