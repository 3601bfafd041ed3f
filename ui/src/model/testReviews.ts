// Review events for tests: Codex finding things in task 1 (one inside the task's changes, one
// outside, one about the whole change), Claude flagging another file, and a review that failed.
import type { ReviewFinding, ReviewSeverity, Reviewer, SessionEventKind } from "../ipc";

export const codex: Reviewer = { agent: "codex", model: "gpt-5.5", sessionId: "rev-codex" };
export const claude: Reviewer = { agent: "claude", model: null, sessionId: "rev-claude" };

export function finding(severity: ReviewSeverity, title: string, file: string | null, lines: [number, number] | null, outside = false): ReviewFinding {
  return {
    severity,
    title,
    body: `${title}: why`,
    file,
    lineStart: lines?.[0] ?? null,
    lineEnd: lines?.[1] ?? null,
    confidence: 0.8,
    recommendation: `Fix ${title}`,
    hunk: file && !outside ? `${file}#1` : null,
    outsideChanges: outside,
  };
}

export const reviewStarted = (review: string, reviewer: Reviewer, task = 1): SessionEventKind => ({
  type: "reviewStarted",
  data: { review, scope: { type: "task", task }, task, round: 1, reviewer, entry: null, gate: false },
});

export const reviewCompleted = (review: string, reviewer: Reviewer, findings: ReviewFinding[], costUsd: number | null = 0.02, task = 1): SessionEventKind => ({
  type: "reviewFinished",
  data: {
    review,
    scope: { type: "task", task },
    task,
    round: 1,
    reviewer,
    entry: null,
    gate: false,
    outcome: { status: "completed", result: { verdict: findings.length ? "needsAttention" : "approve", summary: `${reviewer.agent} summary`, findings, reviewer } },
    durationMs: 4000,
    costUsd,
  },
});

export const reviewFailed = (review: string, reviewer: Reviewer, reason: string, task = 1): SessionEventKind => ({
  type: "reviewFinished",
  data: { review, scope: { type: "task", task }, task, round: 1, reviewer, entry: null, gate: false, outcome: { status: "error", reason }, durationMs: 1000, costUsd: 0.01 },
});
