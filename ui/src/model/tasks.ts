// Folds a session's task and gate events (taskStarted … taskFinished) into one state per task:
// its rounds, each round's checks with their outcomes, the gate's verdict, the feedback Warden
// proposed or sent, and where the task stands now (what the chip on the header and tab shows).
import type {
  CheckFinding,
  CheckOutcome,
  Finding,
  GateVerdict,
  SessionEventKind,
  TaskOutcome,
  TestCounts,
  TurnEnded,
} from "../ipc";
import { formatCost } from "../shared/format";

/** One check in one round. */
export interface CheckRun {
  check: string;
  round: number;
  /** Whether its failure blocks the gate. */
  gate: boolean;
  /**
   * A side run (a `task.started`, `tool.completed` or `files.changed` trigger, or an async
   * check): reported, never part of the round's verdict, and never "checking" the task.
   */
  side: boolean;
  /** Why it ran, or why not (its filters that matched). */
  why: string[];
  /** When it started (ms since the epoch); null when it never ran (skipped, not trusted). */
  startedMs: number | null;
  /** How it ended; null while it runs. */
  outcome: CheckOutcome | null;
  exitCode: number | null;
  durationMs: number | null;
  counts: TestCounts | null;
  findings: Finding[];
  logPath: string | null;
}

/** The checks and the verdict of one round (round 1 is the person's own turn). */
export interface Round {
  round: number;
  checks: CheckRun[];
  verdict: GateVerdict | null;
  /** Why the gate decided so, when it says (exhausted: which limit). */
  reason: string | null;
  /** The feedback Warden proposed after this round, while it waits for the person. */
  proposed: { text: string; findings: CheckFinding[] } | null;
  /** What was sent to the agent after this round (it starts the next one). */
  sent: { text: string; auto: boolean; turn: number } | null;
  dismissed: boolean;
}

/** Where a task stands: what its chip says. */
export type TaskPhase =
  | "working"
  | "checking"
  | "needsYou"
  | "blocked"
  | "passed"
  | "accepted"
  | "exhausted"
  | "stopped"
  | "failed";

/** One task of a session. */
export interface TaskState {
  task: number;
  /** The turn of the person's prompt. */
  turn: number;
  rounds: Round[];
  phase: TaskPhase;
  outcome: TaskOutcome | null;
  /** The turns that worked on it: the person's prompt's and each feedback round's. */
  turns: number[];
  /**
   * What its turns cost, as the agent reports it (the sum of their `costUsd`, as the gate
   * counts it against `[gate] budget_usd`); null while no turn reported a cost.
   */
  costUsd: number | null;
}

const TASK_EVENTS = new Set<SessionEventKind["type"]>([
  "taskStarted",
  "taskCompleted",
  "checkStarted",
  "checkFinished",
  "gateDecided",
  "feedbackProposed",
  "feedbackSent",
  "feedbackDismissed",
  "taskFinished",
]);

/** Whether an event belongs to the task gate (and goes to [`TaskIndex.apply`]). */
export function isTaskEvent(kind: SessionEventKind): boolean {
  return TASK_EVENTS.has(kind.type);
}

const OUTCOME_PHASE: Record<TaskOutcome, TaskPhase> = {
  passed: "passed",
  acceptedWithFindings: "accepted",
  exhausted: "exhausted",
  stopped: "stopped",
  failed: "failed",
};

/** Every task of a session, in order. */
export class TaskIndex {
  readonly list: TaskState[] = [];
  private byId = new Map<number, TaskState>();

  /** The latest task, which the chip shows. */
  get current(): TaskState | null {
    return this.list[this.list.length - 1] ?? null;
  }

  get(task: number): TaskState | null {
    return this.byId.get(task) ?? null;
  }

  /** Applies one task event (others are ignored); `atMs` is the event's time. */
  apply(kind: SessionEventKind, atMs: number): void {
    switch (kind.type) {
      case "taskStarted": {
        if (this.byId.has(kind.data.task)) return;
        const state: TaskState = { task: kind.data.task, turn: kind.data.turn, rounds: [], phase: "working", outcome: null, turns: [kind.data.turn], costUsd: null };
        this.list.push(state);
        this.byId.set(state.task, state);
        return;
      }
      case "taskCompleted": {
        const task = this.task(kind.data.task);
        round(task, kind.data.round);
        if (task.outcome === null) task.phase = "checking";
        return;
      }
      case "checkStarted": {
        const task = this.task(kind.data.task);
        const r = round(task, kind.data.round);
        const run = checkRun(r, kind.data.check);
        run.gate = kind.data.gate;
        run.side = kind.data.side ?? false;
        run.why = kind.data.why;
        run.startedMs = atMs;
        run.outcome = null;
        // Announced at the start, its log can be read while the check runs (events stored
        // before that carry none: the log shows when the check ends).
        run.logPath = kind.data.logPath ?? null;
        // A side run reports while the agent works (or after the verdict): the task's phase
        // is the round's business only.
        if (task.outcome === null && !run.side) task.phase = "checking";
        return;
      }
      case "checkFinished": {
        const d = kind.data;
        const r = round(this.task(d.task), d.round);
        const run = checkRun(r, d.check);
        Object.assign(run, {
          gate: d.gate,
          side: d.side ?? false,
          outcome: d.outcome,
          exitCode: d.exitCode,
          durationMs: d.durationMs,
          counts: d.counts,
          findings: d.findings,
          logPath: d.logPath ?? run.logPath,
          why: d.why.length > 0 ? d.why : run.why,
        });
        return;
      }
      case "gateDecided": {
        const task = this.task(kind.data.task);
        const r = round(task, kind.data.round);
        r.verdict = kind.data.verdict;
        r.reason = kind.data.reason;
        if (task.outcome === null) task.phase = kind.data.verdict === "blocked" ? "blocked" : kind.data.verdict;
        return;
      }
      case "feedbackProposed": {
        const task = this.task(kind.data.task);
        const r = round(task, kind.data.round);
        r.proposed = { text: kind.data.text, findings: kind.data.findings };
        r.dismissed = false;
        if (task.outcome === null) task.phase = "needsYou";
        return;
      }
      case "feedbackSent": {
        const task = this.task(kind.data.task);
        // `round` is the round the feedback starts: the one before it failed.
        const failed = round(task, Math.max(1, kind.data.round - 1));
        failed.sent = { text: kind.data.text, auto: kind.data.auto, turn: kind.data.turn };
        failed.proposed = null;
        round(task, kind.data.round);
        if (!task.turns.includes(kind.data.turn)) task.turns.push(kind.data.turn);
        if (task.outcome === null) task.phase = "working";
        return;
      }
      case "feedbackDismissed": {
        const task = this.task(kind.data.task);
        const r = round(task, kind.data.round);
        r.proposed = null;
        r.dismissed = true;
        if (task.outcome === null) task.phase = "blocked";
        return;
      }
      case "taskFinished": {
        const task = this.task(kind.data.task);
        task.outcome = kind.data.outcome;
        task.phase = OUTCOME_PHASE[kind.data.outcome];
        for (const r of task.rounds) r.proposed = null;
        return;
      }
      default:
        return;
    }
  }

  /**
   * A turn ended: what it cost counts for the task it worked on (a turn of no task, such as a
   * question asked after the task finished, counts for none). Each turn counts once.
   */
  turnEnded(ended: TurnEnded): void {
    if (ended.costUsd === null || !Number.isFinite(ended.costUsd)) return;
    const task = this.list.find((t) => t.turns.includes(ended.turn));
    if (!task || this.costed.has(ended.turn)) return;
    this.costed.add(ended.turn);
    task.costUsd = (task.costUsd ?? 0) + ended.costUsd;
  }

  private costed = new Set<number>();

  /** The task, made up if its start was never seen (a stream read from the middle). */
  private task(id: number): TaskState {
    let state = this.byId.get(id);
    if (!state) {
      state = { task: id, turn: id, rounds: [], phase: "working", outcome: null, turns: [], costUsd: null };
      this.list.push(state);
      this.byId.set(id, state);
    }
    return state;
  }
}

function round(task: TaskState, n: number): Round {
  let r = task.rounds.find((x) => x.round === n);
  if (!r) {
    r = { round: n, checks: [], verdict: null, reason: null, proposed: null, sent: null, dismissed: false };
    task.rounds.push(r);
    task.rounds.sort((a, b) => a.round - b.round);
  }
  return r;
}

function checkRun(r: Round, check: string): CheckRun {
  let run = r.checks.find((c) => c.check === check);
  if (!run) {
    run = { check, round: r.round, gate: true, side: false, why: [], startedMs: null, outcome: null, exitCode: null, durationMs: null, counts: null, findings: [], logPath: null };
    r.checks.push(run);
  }
  return run;
}

/** The latest round of a task, if any. */
export function lastRound(task: TaskState): Round | null {
  return task.rounds[task.rounds.length - 1] ?? null;
}

/** The latest round that ran checks (the one the panel opens on). */
export function lastCheckedRound(task: TaskState): Round | null {
  for (let i = task.rounds.length - 1; i >= 0; i--) {
    const r = task.rounds[i];
    if (r && (r.checks.length > 0 || r.verdict !== null)) return r;
  }
  return lastRound(task);
}

/** The feedback waiting for the person, with its round, if any. */
export function waitingFeedback(task: TaskState): Round | null {
  if (task.outcome !== null) return null;
  for (let i = task.rounds.length - 1; i >= 0; i--) {
    const r = task.rounds[i];
    if (r?.proposed) return r;
  }
  return null;
}

/** What a check's status is called and how it is drawn. */
export type CheckStatus = "running" | CheckOutcome["status"];

export function checkStatus(run: CheckRun): CheckStatus {
  return run.outcome?.status ?? "running";
}

/** The chip's words: "Working", "Checking 2/3", "Needs you", "Passed ✓", "Exhausted (3/3)"… */
export function chipWords(task: TaskState, maxRounds: number | null): string {
  switch (task.phase) {
    case "working":
      return "Working";
    case "checking": {
      const r = lastRound(task);
      const ofRound = r?.checks.filter((c) => !c.side) ?? [];
      const started = ofRound.length;
      const done = ofRound.filter((c) => c.outcome !== null).length;
      return started > 0 ? `Checking ${done}/${started}` : "Checking";
    }
    case "needsYou":
      return "Needs you";
    case "blocked":
      return "Checks failed";
    case "passed":
      return "Passed ✓";
    case "accepted":
      return "Accepted";
    case "exhausted": {
      const rounds = task.rounds.length;
      return maxRounds ? `Exhausted (${rounds}/${maxRounds})` : "Exhausted";
    }
    case "stopped":
      return "Stopped";
    case "failed":
      return "Failed";
  }
}

/**
 * Whether the task has anything of the gate to show: a check ran, feedback went or waits. A
 * task of a project without checks passes at once and shows no chip (the status says enough).
 */
export function chipVisible(task: TaskState): boolean {
  if (task.rounds.some((r) => r.checks.length > 0 || r.proposed !== null || r.sent !== null || r.verdict === "blocked" || r.verdict === "exhausted")) return true;
  return task.phase === "needsYou" || task.phase === "exhausted" || task.phase === "blocked";
}

/**
 * The task's cost for its chip: "$0.0123", and "$0.0123 of $0.50" when a budget is set; null
 * when the agent reports no cost.
 */
export function costWords(task: TaskState, budgetUsd: number | null, reviewsUsd: number | null = null): string | null {
  const total = taskCost(task, reviewsUsd);
  if (total === null) return null;
  const cost = formatCost(total);
  return budgetUsd !== null && budgetUsd > 0 ? `${cost} of ${formatCost(budgetUsd)}` : cost;
}

/**
 * What a task has cost: its turns plus its reviewers' sessions (as the gate counts it against
 * `[gate] budget_usd`); null while nothing reported a cost.
 */
export function taskCost(task: TaskState, reviewsUsd: number | null = null): number | null {
  if (task.costUsd === null && reviewsUsd === null) return null;
  return (task.costUsd ?? 0) + (reviewsUsd ?? 0);
}

/** Whether the task waits for the person (a notification and an attention colour). */
export function needsPerson(task: TaskState): boolean {
  return task.phase === "needsYou" || task.phase === "exhausted" || task.phase === "blocked";
}
