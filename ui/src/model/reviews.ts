// The reviews of a session's work, folded from its stream (`reviewStarted` / `reviewFinished`,
// whoever ran them: the gate's `[[review]]` entries, Review with…, `warden review`), and what
// the review view does with them: findings grouped by file with the reviewers that flagged each
// file, the ones outside the task's changes apart, false positives left out, and the text that
// sends picked findings to the agent.
import type { ReviewFinding, ReviewFinished, ReviewScope, ReviewSeverity, ReviewStarted, Reviewer, SessionEventKind } from "../ipc";
import { agentLabel } from "../shared/agentNames";

export type ReviewPhase = "running" | "completed" | "error" | "skipped";

/** One review, as far as the stream tells. */
export interface ReviewState {
  review: string;
  scope: ReviewScope;
  task: number | null;
  round: number | null;
  reviewer: Reviewer;
  /** The `[[review]]` entry, for a review the gate ran; null on demand. */
  entry: string | null;
  gate: boolean;
  /** When it started (ms since the epoch), for the elapsed time while it runs. */
  startedMs: number;
  phase: ReviewPhase;
  /** Set once it ended. */
  finished: ReviewFinished | null;
}

const REVIEW_EVENTS = new Set<SessionEventKind["type"]>(["reviewStarted", "reviewFinished"]);

/** Whether the event is a review's (the transcript hands those to a `ReviewIndex`). */
export function isReviewEvent(kind: SessionEventKind): boolean {
  return REVIEW_EVENTS.has(kind.type);
}

/** Every review of a session, in the order they started. */
export class ReviewIndex {
  readonly list: ReviewState[] = [];
  private byId = new Map<string, ReviewState>();

  apply(kind: SessionEventKind, atMs: number): void {
    if (kind.type === "reviewStarted") this.started(kind.data, atMs);
    else if (kind.type === "reviewFinished") this.finished(kind.data, atMs);
  }

  private started(s: ReviewStarted, atMs: number) {
    const known = this.byId.get(s.review);
    if (known) {
      // Told again (its reviewer's session now known): the latest word counts.
      known.reviewer = s.reviewer;
      return;
    }
    const state: ReviewState = { ...s, startedMs: atMs, phase: "running", finished: null };
    this.list.push(state);
    this.byId.set(s.review, state);
  }

  private finished(f: ReviewFinished, atMs: number) {
    let state = this.byId.get(f.review);
    if (!state) {
      // Only its end is in the stream (a stream read from its middle): started as long ago as it took.
      const { review, scope, task, round, reviewer, entry, gate } = f;
      state = { review, scope, task, round, reviewer, entry, gate, startedMs: atMs - f.durationMs, phase: "running", finished: null };
      this.list.push(state);
      this.byId.set(f.review, state);
    }
    state.reviewer = f.reviewer;
    state.finished = f;
    state.phase = f.outcome.status;
  }

  get(review: string): ReviewState | null {
    return this.byId.get(review) ?? null;
  }

  /** The reviews of a task, in order. */
  forTask(task: number): ReviewState[] {
    return this.list.filter((r) => r.task === task || (r.scope.type === "task" && r.scope.task === task));
  }

  /**
   * What the reviewers of a task cost, as their agents report it: added to the task's own cost
   * on its chip. Null when no reviewer reported a cost.
   */
  costOfTask(task: number): number | null {
    let sum: number | null = null;
    for (const r of this.forTask(task)) {
      const cost = r.finished?.costUsd;
      if (cost !== null && cost !== undefined && Number.isFinite(cost)) sum = (sum ?? 0) + cost;
    }
    return sum;
  }

  /** Whether any review of the task still runs. */
  running(task: number): boolean {
    return this.forTask(task).some((r) => r.phase === "running");
  }
}

/** "Codex · gpt-5.5": who reviewed. */
export function reviewerLabel(r: Reviewer): string {
  return `${agentLabel(r.agent)}${r.model ? ` · ${r.model}` : ""}`;
}

/** What names a finding across rounds and reviewers (the engine's `finding_key`): file and title. */
export function findingKey(f: Pick<ReviewFinding, "file" | "title">): string {
  return `${f.file ?? ""}\n${f.title.trim().toLowerCase()}`;
}

/** "src/a.rs:3-5", "src/a.rs:3", "src/a.rs", or null for a finding about the whole change. */
export function findingPlace(f: ReviewFinding): string | null {
  if (f.file === null) return null;
  if (f.lineStart === null) return f.file;
  return f.lineEnd !== null && f.lineEnd !== f.lineStart ? `${f.file}:${f.lineStart}-${f.lineEnd}` : `${f.file}:${f.lineStart}`;
}

/** A finding as the view lists it: which review and reviewer it came from. */
export interface PlacedFinding {
  /** `<review>:<index>`: unique in the view (the checkbox's key). */
  id: string;
  review: string;
  reviewer: Reviewer;
  finding: ReviewFinding;
  /** Its false-positive key. */
  key: string;
}

/** The findings of one file, and which reviewers flagged it (disagreements show there). */
export interface FileFindings {
  file: string;
  findings: PlacedFinding[];
  /** The labels of the reviewers with a finding on this file. */
  flaggedBy: string[];
  /** The labels of the reviewers that completed and flagged nothing on it. */
  notFlaggedBy: string[];
}

export interface GroupedFindings {
  /** Files the task changed, worst finding first. */
  files: FileFindings[];
  /** Findings outside the task's changes, by file. */
  outside: FileFindings[];
  /** Findings about the change as a whole (no file). */
  general: PlacedFinding[];
  /** How many findings were left out as false positives. */
  hidden: number;
}

const SEVERITY_ORDER: Record<ReviewSeverity, number> = { critical: 0, high: 1, medium: 2, low: 3 };

/** The findings of the completed reviews, grouped by file, false positives (by key) left out. */
export function groupFindings(reviews: readonly ReviewState[], falsePositives: ReadonlySet<string>): GroupedFindings {
  const completed = reviews.filter((r) => r.finished?.outcome.status === "completed");
  const inside = new Map<string, PlacedFinding[]>();
  const outside = new Map<string, PlacedFinding[]>();
  const general: PlacedFinding[] = [];
  let hidden = 0;
  for (const r of completed) {
    const outcome = r.finished?.outcome;
    if (outcome?.status !== "completed") continue;
    outcome.result.findings.forEach((finding, i) => {
      const key = findingKey(finding);
      if (falsePositives.has(key)) {
        hidden++;
        return;
      }
      const placed: PlacedFinding = { id: `${r.review}:${i}`, review: r.review, reviewer: r.reviewer, finding, key };
      if (finding.file === null) general.push(placed);
      else {
        const map = finding.outsideChanges ? outside : inside;
        map.set(finding.file, [...(map.get(finding.file) ?? []), placed]);
      }
    });
  }
  const labels = completed.map((r) => reviewerLabel(r.reviewer));
  const toFiles = (map: Map<string, PlacedFinding[]>): FileFindings[] =>
    [...map.entries()]
      .map(([file, findings]) => {
        const sorted = [...findings].sort((a, b) => SEVERITY_ORDER[a.finding.severity] - SEVERITY_ORDER[b.finding.severity]);
        const flaggedBy = unique(sorted.map((f) => reviewerLabel(f.reviewer)));
        return { file, findings: sorted, flaggedBy, notFlaggedBy: unique(labels).filter((l) => !flaggedBy.includes(l)) };
      })
      .sort((a, b) => worst(a) - worst(b) || a.file.localeCompare(b.file));
  return { files: toFiles(inside), outside: toFiles(outside), general, hidden };
}

function worst(f: FileFindings): number {
  return Math.min(...f.findings.map((p) => SEVERITY_ORDER[p.finding.severity]));
}

function unique(list: string[]): string[] {
  return [...new Set(list)];
}

/**
 * The line that names a finding in a message, in the check findings' format
 * (`- title (file:line)`), with the severity in front.
 */
export function reviewFindingLine(f: ReviewFinding): string {
  const place = findingPlace(f);
  return `- [${f.severity}] ${f.title}${place ? ` (${place})` : ""}`;
}

/** A finding as text for the agent: its line, then body and recommendation indented under it. */
export function reviewFindingText(f: ReviewFinding): string {
  const lines = [reviewFindingLine(f)];
  if (f.body.trim()) lines.push(...f.body.trim().split("\n").map((l) => `  ${l}`));
  if (f.recommendation.trim()) lines.push(`  Recommendation: ${f.recommendation.trim()}`);
  return lines.join("\n");
}

/**
 * The picked findings as one message section per reviewer ("## Review by Codex · gpt-5.5"),
 * what the feedback composer adds to its text or what goes as a new prompt.
 */
export function reviewFindingsMessage(picked: readonly PlacedFinding[]): string {
  const byReviewer = new Map<string, PlacedFinding[]>();
  for (const p of picked) {
    const label = reviewerLabel(p.reviewer);
    byReviewer.set(label, [...(byReviewer.get(label) ?? []), p]);
  }
  return [...byReviewer.entries()].map(([label, list]) => [`## Review by ${label}`, ...list.map((p) => reviewFindingText(p.finding))].join("\n")).join("\n\n");
}

/** `text` with the picked review findings appended (the composer's text, when a proposal waits). */
export function withReviewFindings(text: string, picked: readonly PlacedFinding[]): string {
  if (picked.length === 0) return text;
  const section = reviewFindingsMessage(picked);
  return text.trim() ? `${text.trimEnd()}\n\n${section}` : section;
}

/** A new prompt of the person carrying the picked findings (when no proposal waits). */
export function reviewPrompt(picked: readonly PlacedFinding[]): string {
  return `Reviewers found the following in your changes. Please address them.\n\n${reviewFindingsMessage(picked)}`;
}
