// Task and gate events for tests: a task whose check fails in round 1, feedback proposed and
// sent, and the check passing in round 2 — the loop the window shows.
import type { CheckOutcome, Finding, SessionEvent, SessionEventKind } from "../ipc";

export const failingFinding: Finding = {
  severity: "error",
  title: "test tests::marker ... FAILED",
  body: "assertion failed: marker exists",
  file: "src/lib.rs",
  line: 12,
};
export const secondFinding: Finding = { severity: "error", title: "lint: unused variable", body: "", file: "src/main.rs", line: 3 };

export const PROPOSED_TEXT =
  "Warden ran the project's checks after your turn and they did not pass. Fix what they report, then end your turn; the checks run again.\n" +
  "\n## Check `tests` failed (1 failed, 2 passed, exit code 101)\n" +
  "- test tests::marker ... FAILED (src/lib.rs:12)\n" +
  "  assertion failed: marker exists\n" +
  "\n## Check `lint` failed (exit code 1)\n" +
  "- lint: unused variable (src/main.rs:3)\n";

export const started = (task = 1): SessionEventKind => ({ type: "taskStarted", data: { task, turn: task } });
export const completed = (round: number, task = 1): SessionEventKind => ({ type: "taskCompleted", data: { task, turn: round, round } });
export const checkStarted = (check: string, round: number, why: string[] = ["changed: src/**"], logPath: string | null = null, side = false): SessionEventKind => ({
  type: "checkStarted",
  data: { task: 1, round, check, gate: true, why, logPath, side },
});
export const checkFinished = (check: string, round: number, outcome: CheckOutcome, findings: Finding[] = [], extra: Partial<{ durationMs: number; logPath: string | null; exitCode: number | null; side: boolean }> = {}): SessionEventKind => ({
  type: "checkFinished",
  data: {
    task: 1,
    round,
    check,
    gate: true,
    outcome,
    exitCode: extra.exitCode ?? (outcome.status === "failed" ? 101 : 0),
    durationMs: extra.durationMs ?? 1200,
    counts: null,
    findings,
    logPath: extra.logPath ?? `/data/checks/logs/p/${check}-1.log`,
    why: ["changed: src/**"],
    side: extra.side ?? false,
  },
});
export const gate = (round: number, verdict: "passed" | "blocked" | "exhausted", reason: string | null = null): SessionEventKind => ({
  type: "gateDecided",
  data: { task: 1, round, verdict, next: verdict === "passed" ? "taskFinishes" : "feedbackProposed", reason },
});
export const proposed = (round: number): SessionEventKind => ({
  type: "feedbackProposed",
  data: {
    task: 1,
    round,
    text: PROPOSED_TEXT,
    findings: [
      { check: "tests", finding: failingFinding },
      { check: "lint", finding: secondFinding },
    ],
  },
});
export const sent = (round: number, text = PROPOSED_TEXT, auto = false): SessionEventKind => ({ type: "feedbackSent", data: { task: 1, round, turn: round, text, auto } });
export const finished = (outcome: "passed" | "exhausted" | "stopped" | "acceptedWithFindings", rounds: number): SessionEventKind => ({
  type: "taskFinished",
  data: { task: 1, outcome, rounds },
});

/** Turn `turn` ended, having cost `costUsd` (null: the agent reports no cost). */
export const turnEnded = (turn: number, costUsd: number | null, sessionCostUsd = 0): SessionEventKind => ({
  type: "turnEnded",
  data: {
    turn,
    stopReason: "endTurn",
    error: null,
    durationMs: 5,
    usage: { inputTokens: 10, outputTokens: 20, cacheReadTokens: 0, cacheCreationTokens: 0 },
    costUsd,
    sessionCostUsd,
  },
});

/** Events in order, numbered from 1. */
export function stream(kinds: SessionEventKind[], atMs = 1000): SessionEvent[] {
  return kinds.map((kind, i) => ({ sessionId: "s1", seq: i + 1, atMs: atMs + i, kind }));
}
