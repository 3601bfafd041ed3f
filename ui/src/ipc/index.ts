// The only module that imports the generated bindings. Features call these functions and get
// plain values or an IpcError, never a raw invoke.
import { Channel } from "@tauri-apps/api/core";
import {
  commands,
  events,
  type IpcError,
  type NoticeId,
  type PermissionAnswer,
  type PermissionMode,
  type PermissionRequestId,
  type PipelineSpec,
  type ProjectFilesChanged,
  type ProjectId,
  type RuleSet,
  type SessionEvent,
  type SessionId,
  type WorkspaceView,
  type WaitingRequest,
  type PermissionFocus,
  type RollbackId,
  type RollbackTarget,
  type OpId,
  type NewHunkComment,
  type TerminalCommand,
  type TerminalEvent,
  type TerminalId,
  type AgentKind,
  type AgentView,
  type CustomAgent,
  type InstallEvent,
  type Sandbox,
  type ChecksTrustDecision,
  type FeedbackDecision,
  type ReviewScope,
  type PlanDecision,
  type PipelineState,
  type MergeHow,
  type WorktreeStart,
  type BestOfMember,
  type PromptInput,
  type QuestionAnswer,
  type Effort,
  type UpdateProgress,
  type UpdateSettings,
  type RemoteConnectionId,
  type RemoteTarget,
  type RemoteInstallProgress,
  type RemoteConnectionChanged,
  type RemoteKind,
  type Request as RemoteRequest,
  type Response as RemoteResponse,
  type WorktreesRequest,
  type WorktreesResponse,
  type GateRequest,
  type GateResponse,
  type HostRequest,
  type HostResponse,
  type SessionRecord,
  type PromptImage,
} from "../bindings";
import { routes, type RemoteFront } from "./remoteRoutes";
import { RemoteRuns } from "./remoteRuns";

export type {
  PipelineRole,
  PipelineSpec,
  PipelineState,
  PipelineStatus,
  PipelineStepSpec,
  PipelineStepState,
  PlanDecision,
  StepStatus,
  ReviewFinding,
  ReviewFinished,
  ReviewStarted,
  ReviewScope,
  ReviewSeverity,
  Reviewer,
  FalsePositive,
  ClaudeHistoryEntry,
  ClaudeHistoryView,
  ElidedText,
  HistoryText,
  TerminalCommand,
  TerminalEvent,
  TerminalExit,
  TerminalId,
  TerminalOpened,
  AgentExited,
  AgentInfo,
  SessionStarted,
  StopReason,
  PermissionRequestId,
  Usage as TokenUsage,
  IpcError,
  PermissionDecision,
  PermissionAnswer,
  PermissionLogEntry,
  PermissionMode,
  PermissionRequest,
  PermissionResolution,
  DecisionSource,
  Rule,
  RuleSet,
  WaitingRequest,
  PermissionFocus,
  PlanEntry,
  PlanEntryStatus,
  RawOutput,
  SessionEvent,
  SessionEventKind,
  SessionId,
  SessionRecord,
  SessionStatus,
  ToolCall,
  ToolCallStatus,
  ToolCallUpdate,
  ToolInput,
  TextEdit,
  FileAction,
  FileChange,
  AskedQuestion,
  QuestionOption,
  QuestionAnswer,
  Effort,
  ModelChoice,
  SessionControls,
  AgentCommand,
  AgentCommands,
  ToolKind,
  ToolLocation,
  ToolOutput,
  TurnEnded,
  IpcErrorCode,
  Notice,
  NoticeId,
  Project,
  ProjectId,
  RecentEntry,
  RecentProject,
  WorkspaceView,
  Conflict,
  DiffSide,
  FileChanges,
  FileDiff,
  FileImage,
  FileOp,
  FileOpSummary,
  FileHunks,
  Hunk,
  HunkComment,
  HunkRevertPlan,
  HunkState,
  NewHunkComment,
  OpId,
  OpKind,
  PlanAction,
  PlanStep,
  RollbackId,
  RollbackOutcome,
  RollbackPlan,
  RollbackReport,
  RollbackTarget,
  AgentKind,
  AgentProtocol,
  AgentStatus,
  AgentView,
  CustomAgent,
  EnvVar,
  InstallEvent,
  InstallFinished,
  InstallPlan,
  LoginCheck,
  LoginState,
  OutputStream,
  Sandbox,
  TaskId,
  MessageOrigin,
  TaskStarted,
  TaskCompleted,
  FindingSeverity,
  Finding,
  TestCounts,
  CheckOutcome,
  CheckStarted,
  CheckFinished,
  GateVerdict,
  GateDecided,
  GateNext,
  CheckFinding,
  FeedbackProposed,
  FeedbackSent,
  FeedbackDismissed,
  TaskOutcome,
  TaskFinished,
  FeedbackDecision,
  ChecksSource,
  ChecksEntryKind,
  ChecksFileTrust,
  ChecksConfigError,
  ChecksEntry,
  TrustCommand,
  TrustUrl,
  ChecksTrustRequest,
  WebhookAttempt,
  WebhookDelivery,
  WebhookDeliveryStatus,
  WebhookHeader,
  WebhookSendResult,
  WebhookDisabled,
  WebhookEnabled,
  ChecksOverview,
  ChecksTrustDecision,
  ChecksLogPage,
  SessionWorktree,
  WorktreeInfo,
  WorktreeChanges,
  WorktreeOptions,
  WorktreeStart,
  CommitLine,
  ChangedFile,
  MergeHow,
  MergeOutcome,
  BestOfMember,
  BestOfGroup,
  BestOfEntry,
  BestOfPicked,
  ChecksSummary,
  PromptInput,
  PromptAttachment,
  FoundPath,
  FoundPaths,
  PromptImage,
  ImageType,
  Attachment,
  PromptAccepts,
} from "../bindings";
export type { SearchHit, SearchHitKind, SearchTarget, TextRange, OutputMatches } from "../bindings";
export type { UpdateInfo, UpdateProgress, UpdateSettings } from "../bindings";
export type { UsageReport, UsageTotals, UsageDay, UsageByAgent, UsageByModel, RateLimits, RateLimitWindow, RateLimitsSeen } from "../bindings";
/** Any JSON value: a tool's raw input or output, exactly as the agent sent it. */
export type { Value as JsonValue } from "../bindings";

/** What a command returns: its value, or the error it failed with. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: IpcError };

type Result<T> = { status: "ok"; data: T } | { status: "error"; error: IpcError };

function outcome<T>(result: Result<T>): Outcome<T> {
  return result.status === "ok" ? { ok: true, value: result.data } : { ok: false, error: result.error };
}

/** What the answer arm `K` of a host carries (null for `done`). */
type RemoteData<K extends RemoteResponse["type"]> = Extract<RemoteResponse, { type: K }> extends { data: infer D } ? D : null;

/**
 * Sends `request` to the host behind `connection` and unwraps its answer, which must be the arm
 * `kind`: the same value the local command returns, so a screen cannot tell the difference.
 */
async function onHost<K extends RemoteResponse["type"]>(connection: RemoteConnectionId, request: RemoteRequest, kind: K): Promise<Outcome<RemoteData<K>>> {
  const answer = outcome(await commands.remoteCall(connection, request));
  if (!answer.ok) return answer;
  const response = answer.value;
  if (response.type !== kind) {
    return { ok: false, error: { code: "internal", message: `the host answered ${response.type} where ${kind} was expected` } };
  }
  return { ok: true, value: ("data" in response ? response.data : null) as RemoteData<K> };
}

/**
 * The sessions a host named are reached through its connection from now on. `listedIn`: the
 * answer is that folder's whole session list, so the sessions it no longer names are forgotten.
 */
function learnt<T extends SessionRecord | SessionRecord[] | null>(connection: RemoteConnectionId, result: Outcome<T>, listedIn?: string): Outcome<T> {
  if (result.ok && result.value) {
    const records = Array.isArray(result.value) ? result.value : [result.value as SessionRecord];
    if (listedIn !== undefined && Array.isArray(result.value)) routes.learnListing(connection, listedIn, records.map((r) => r.id));
    else routes.rememberSessions(connection, records.map((r) => r.id));
    // A worktree session's folder is the host's, and so is its group.
    routes.rememberWorktrees(connection, records.filter((r) => r.worktree).map((r) => r.project));
    for (const r of records) if (r.group) routes.rememberGroup(connection, r.group);
  }
  return result;
}

/** What the worktree answer arm `K` of a host carries (null for `discarded`). */
type WorktreeData<K extends WorktreesResponse["type"]> = Extract<WorktreesResponse, { type: K }> extends { data: infer D } ? D : null;

/** A host's worktree or best-of-N call: its answer must be the arm `kind`, the local command's value. */
async function worktreeOnHost<K extends WorktreesResponse["type"]>(connection: RemoteConnectionId, call: WorktreesRequest, kind: K): Promise<Outcome<WorktreeData<K>>> {
  const answer = await onHost(connection, { op: "worktrees", args: call }, "worktrees");
  if (!answer.ok) return answer;
  if (answer.value.type !== kind) {
    return { ok: false, error: { code: "internal", message: `the host answered ${answer.value.type} where ${kind} was expected` } };
  }
  return { ok: true, value: ("data" in answer.value ? answer.value.data : null) as WorktreeData<K> };
}

/** What the host answer arm `K` carries. */
type HostData<K extends HostResponse["type"]> = Extract<HostResponse, { type: K }> extends { data: infer D } ? D : null;

/** A call about the host itself (agent installs and logins, usage): its answer must be the arm `kind`, the local command's value. */
async function hostOnHost<K extends HostResponse["type"]>(connection: RemoteConnectionId, call: HostRequest, kind: K): Promise<Outcome<HostData<K>>> {
  const answer = await onHost(connection, { op: "host", args: call }, "host");
  if (!answer.ok) return answer;
  if (answer.value.type !== kind) {
    return { ok: false, error: { code: "internal", message: `the host answered ${answer.value.type} where ${kind} was expected` } };
  }
  return { ok: true, value: ("data" in answer.value ? answer.value.data : null) as HostData<K> };
}

/** What the gate answer arm `K` of a host carries (null for `done`). */
type GateData<K extends GateResponse["type"]> = Extract<GateResponse, { type: K }> extends { data: infer D } ? D : null;

/** A host's task-gate call (Checks panel, reviews, pipelines): its answer must be the arm `kind`, the local command's value. */
async function gateOnHost<K extends GateResponse["type"]>(connection: RemoteConnectionId, call: GateRequest, kind: K): Promise<Outcome<GateData<K>>> {
  const answer = await onHost(connection, { op: "gate", args: call }, "gate");
  if (!answer.ok) return answer;
  if (answer.value.type !== kind) {
    return { ok: false, error: { code: "internal", message: `the host answered ${answer.value.type} where ${kind} was expected` } };
  }
  return { ok: true, value: ("data" in answer.value ? answer.value.data : null) as GateData<K> };
}

/** A review of a host's session names its reviewer's session, which is the host's too (the review view opens it). */
function reviewerOnHost(connection: RemoteConnectionId, event: SessionEvent): void {
  if (event.kind.type === "reviewStarted" || event.kind.type === "reviewFinished") {
    const reviewer = event.kind.data.reviewer.sessionId;
    if (reviewer) routes.rememberSessions(connection, [reviewer]);
  }
}

/** The remote projects' pipeline runs: which host each is on, and their changes while they go on. */
const remoteRuns = new RemoteRuns(async (connection, project) => stepsOnHost(connection, await gateOnHost(connection, { op: "pipelineRuns", args: { project } }, "runs")));

/** A host's runs: their steps' sessions are reached through its connection (a step's chip opens one). */
function stepsOnHost<T extends PipelineState | PipelineState[]>(connection: RemoteConnectionId, got: Outcome<T>): Outcome<T> {
  if (got.ok) {
    const states: PipelineState[] = Array.isArray(got.value) ? got.value : [got.value];
    routes.rememberSessions(connection, states.flatMap((s) => s.steps.flatMap((step) => (step.sessionId ? [step.sessionId] : []))));
  }
  return got;
}

/** The refusal of something a remote project cannot do yet (the screens hide its control). */
function notOnHost<T>(what: string): Outcome<T> {
  return { ok: false, error: { code: "internal", message: `${what} is not available for a remote project yet` } };
}

/** Search: over a project's stored sessions, and in the outputs a session's window let go of. */
export const search = {
  project: async (project: string, query: string, limit: number) => {
    const host = routes.ofProject(project);
    if (host) return onHost(host, { op: "searchProject", args: { project, query, limit } }, "searchHits");
    return outcome(await commands.searchProject(project, query, limit));
  },
  /** Matches in outputs the window does not hold: a stored session's, or (with `claudeProject`) a Claude Code history's. */
  sessionOutputs: async (sessionId: SessionId, seqs: number[], needle: string, claudeProject: string | null = null) => {
    const host = routes.ofSession(sessionId);
    if (host) return onHost(host, { op: "searchOutputs", args: { session: sessionId, seqs, needle } }, "outputMatches");
    return outcome(await commands.searchSessionOutputs(sessionId, seqs, needle, claudeProject));
  },
};

/** The workspace commands, in the shape the UI uses. */
export const workspace = {
  snapshot: (): Promise<WorkspaceView> => commands.workspaceSnapshot(),
  open: async (path: string) => outcome(await commands.projectOpen(path)),
  pick: async () => outcome(await commands.projectPick()),
  activate: async (id: ProjectId) => outcome(await commands.projectActivate(id)),
  close: async (id: ProjectId) => outcome(await commands.projectClose(id)),
  reveal: async (id: ProjectId) => outcome(await commands.projectReveal(id)),
  forgetRecent: (path: string): Promise<WorkspaceView> => commands.recentForget(path),
  dismissNotice: (id: NoticeId): Promise<WorkspaceView> => commands.noticeDismiss(id),
  /** Calls `handler` with every new view the backend publishes. Returns the unsubscribe. */
  onChange: (handler: (view: WorkspaceView) => void): Promise<() => void> =>
    events.workspaceChanged.listen((event) => handler(event.payload)),
};

/** What a new session runs: which agent, how freely, which model, and Codex's sandbox. */
export interface SessionStart {
  mode: PermissionMode;
  model: string | null;
  agent: AgentKind;
  /** The custom agent's name, for `agent: "custom"`. */
  agentName: string | null;
  /** Codex only. */
  sandbox: Sandbox | null;
  /** In a new git worktree of the project, made as asked (absent or null: in the project folder). */
  worktree?: WorktreeStart | null;
}

/** The session commands, in the shape the UI uses. */
export const sessions = {
  list: async (project: string) => {
    const host = routes.ofProject(project);
    if (host) return learnt(host, await onHost(host, { op: "sessions", args: { project } }, "sessions"), project);
    return outcome(await commands.sessionList(project));
  },
  /** Calls `handler` when any session's record probably changed, followed by a tab or not. Returns the unsubscribe. */
  onRecordChanged: (handler: (sessionId: SessionId) => void): Promise<() => void> =>
    events.sessionRecordChanged.listen((event) => handler(event.payload.sessionId)),
  events: async (id: SessionId, afterSeq: number) => {
    const host = routes.ofSession(id);
    if (host) return onHost(host, { op: "events", args: { session: id, afterSeq } }, "events");
    return outcome(await commands.sessionEvents(id, afterSeq));
  },
  event: async (id: SessionId, seq: number) => {
    const host = routes.ofSession(id);
    if (host) return onHost(host, { op: "event", args: { session: id, seq } }, "event");
    return outcome(await commands.sessionEvent(id, seq));
  },
  /**
   * Follows a session: `onEvent` gets every event from now on, and the stored events after
   * `afterSeq` are returned. Events may arrive both ways; the transcript drops repeats by `seq`.
   * The returned `detach` silences `onEvent` (the backend drops the channel when it next fails).
   */
  subscribe: async (id: SessionId, afterSeq: number, onEvent: (event: SessionEvent) => void) => {
    let live = true;
    const host = routes.ofSession(id);
    const channel = new Channel<SessionEvent>();
    channel.onmessage = (event) => {
      if (host) reviewerOnHost(host, event);
      if (live) onEvent(event);
    };
    // A host's session streams through its connection, across reconnects, with no gap.
    const backlog = outcome(host ? await commands.remoteSessionSubscribe(host, id, afterSeq, channel) : await commands.sessionSubscribe(id, afterSeq, channel));
    if (host && backlog.ok) for (const event of backlog.value) reviewerOnHost(host, event);
    const detach = () => {
      live = false;
      void commands.sessionUnsubscribe(id, channel.id);
    };
    return { backlog, detach };
  },
  /** Starts a session of `agent` (for a custom agent, the one named `agentName`; for Codex, in `sandbox`). */
  start: async (project: string, choice: SessionStart): Promise<Outcome<SessionRecord>> => {
    const host = routes.ofProject(project);
    if (host) {
      const start = { project, agent: choice.agent, agentName: choice.agentName, model: choice.model, permissionMode: choice.mode, sandbox: choice.sandbox, prompt: null, worktree: choice.worktree ?? null };
      const started = await onHost(host, { op: "startSession", args: start }, "started");
      return learnt(host, started.ok ? { ok: true, value: started.value.session } : started);
    }
    return outcome(await commands.sessionStart(project, choice.mode, choice.model, choice.agent, choice.agentName, choice.sandbox, choice.worktree ?? null));
  },
  resume: async (id: SessionId): Promise<Outcome<SessionRecord>> => {
    const host = routes.ofSession(id);
    if (host) {
      const started = await onHost(host, { op: "resumeSession", args: { session: id, prompt: null } }, "started");
      return started.ok ? { ok: true, value: started.value.session } : started;
    }
    return outcome(await commands.sessionResume(id));
  },
  /** Sends a prompt (a plain string is a prompt without attachments). */
  prompt: async (id: SessionId, prompt: PromptInput | string) => {
    const input = typeof prompt === "string" ? { text: prompt, attachments: [] } : prompt;
    const host = routes.ofSession(id);
    if (host) return onHost(host, { op: "promptInput", args: { session: id, prompt: input } }, "turn");
    return outcome(await commands.sessionPrompt(id, input));
  },
  /** An image a stored prompt carried (`attachments[i].file`), for its thumbnail. */
  image: async (id: SessionId, file: string) =>
    routes.ofSession(id) ? notOnHost<PromptImage>("A stored prompt's image") : outcome(await commands.sessionImage(id, file)),
  interrupt: async (id: SessionId) => {
    const host = routes.ofSession(id);
    if (host) return onHost(host, { op: "interrupt", args: { session: id } }, "done");
    return outcome(await commands.sessionInterrupt(id));
  },
  stop: async (id: SessionId) => {
    const host = routes.ofSession(id);
    if (host) return onHost(host, { op: "stop", args: { session: id } }, "done");
    return outcome(await commands.sessionStop(id));
  },
  resolve: async (id: SessionId, request: PermissionRequestId, answer: PermissionAnswer) =>
    outcome(await commands.permissionResolve(id, request, answer)),
  /** Switches a running session's permission mode. */
  setMode: async (id: SessionId, mode: PermissionMode) => {
    const host = routes.ofSession(id);
    if (host) return onHost(host, { op: "setMode", args: { session: id, mode } }, "done");
    return outcome(await commands.sessionSetMode(id, mode));
  },
  /** Replaces a running session's own rules. */
  setRules: async (id: SessionId, rules: RuleSet) => {
    const host = routes.ofSession(id);
    if (host) return onHost(host, { op: "setSessionRules", args: { session: id, rules } }, "done");
    return outcome(await commands.sessionRulesSet(id, rules));
  },
};

/** Words sent into a running turn, and the model and effort switched mid-session (see `SessionControls`). */
export const steer = {
  /** Sends `text` into the running turn; refused unless the session's controls say `canSteer`. */
  send: async (id: SessionId, text: string) => {
    const host = routes.ofSession(id);
    if (host) return onHost(host, { op: "steer", args: { session: id, text } }, "done");
    return outcome(await commands.sessionSteer(id, text));
  },
  /** Switches the model and/or effort (`null`: unchanged). */
  setModel: async (id: SessionId, model: string | null, effort: Effort | null) => {
    const host = routes.ofSession(id);
    if (host) return onHost(host, { op: "setModel", args: { session: id, model, effort } }, "done");
    return outcome(await commands.sessionSetModel(id, model, effort));
  },
};

/** The agent's questions with choices (Claude Code's AskUserQuestion). Declining is `sessions.resolve` with a denial. */
export const questions = {
  /** Sends the person's answers, one per question answered. */
  answer: async (id: SessionId, request: PermissionRequestId, answers: QuestionAnswer[]) =>
    outcome(await commands.questionAnswer(id, request, answers)),
};

/** Permission rules, the audit log, and the questions waiting across sessions. */
export const permissions = {
  /** The rules Warden keeps for a project. */
  projectRules: async (project: string) => {
    const host = routes.ofProject(project);
    if (host) return onHost(host, { op: "projectRules", args: { project } }, "rules");
    return outcome(await commands.projectRulesGet(project));
  },
  setProjectRules: async (project: string, rules: RuleSet) => {
    const host = routes.ofProject(project);
    if (host) return onHost(host, { op: "setProjectRules", args: { project, rules } }, "done");
    return outcome(await commands.projectRulesSet(project, rules));
  },
  /** A rule as typed, in its normal form, or why it is not one. */
  parseRule: async (text: string) => outcome(await commands.ruleParse(text)),
  /** Every decision of a project's sessions (or of one), oldest first. */
  log: async (project: string, session: SessionId | null) => {
    const host = routes.ofProject(project);
    if (host) return onHost(host, { op: "permissionLog", args: { project, session } }, "permissionLog");
    return outcome(await commands.permissionLog(project, session));
  },
  /** Every question waiting for an answer in this window's sessions, oldest first. */
  waiting: () => commands.permissionsWaiting(),
  /** Calls `handler` with the waiting list whenever it changes. Returns the unsubscribe. */
  onWaiting: (handler: (waiting: WaitingRequest[]) => void): Promise<() => void> =>
    events.permissionsWaiting.listen((event) => handler(event.payload)),
  /** Calls `handler` when the person clicked a notification. Returns the unsubscribe. */
  onFocus: (handler: (focus: PermissionFocus) => void): Promise<() => void> =>
    events.permissionFocus.listen((event) => handler(event.payload)),
};

/** Opens a web or mail link in the system browser (the backend refuses anything else). */
export const openLink = async (url: string) => outcome(await commands.linkOpen(url));

/** Claude Code's own sessions of a project (its transcripts), shown and imported for resuming. */
export const claudeHistory = {
  /** A remote project lists none: Claude Code's own transcripts on a host are not read yet. */
  list: async (project: string) => (routes.ofProject(project) ? { ok: true as const, value: [] } : outcome(await commands.claudeHistoryList(project))),
  events: async (project: string, agentSessionId: string) => outcome(await commands.claudeHistoryEvents(project, agentSessionId)),
  /** The whole output of a tool call the events left out (large ones are). */
  output: async (project: string, agentSessionId: string, toolCallId: string) =>
    outcome(await commands.claudeHistoryOutput(project, agentSessionId, toolCallId)),
  /** The chat texts the events left out of events `fromSeq..=toSeq`, from the transcript's state `snapshot`. */
  texts: async (project: string, agentSessionId: string, snapshot: string, fromSeq: number, toSeq: number) =>
    outcome(await commands.claudeHistoryTexts(project, agentSessionId, snapshot, fromSeq, toSeq)),
  import: async (project: string, agentSessionId: string) => outcome(await commands.claudeHistoryImport(project, agentSessionId)),
};

/** The file journal: what agents changed in a project, each change before and after, rollbacks and redos. */
export const files = {
  /**
   * Calls `handler` when a folder the window watches (an open project or one of its worktrees)
   * changed while no turn ran there, with the ops journaled outside any turn. Returns the unsubscribe.
   */
  onOutsideChanges: (handler: (folder: string, changes: ProjectFilesChanged["changes"]) => void): Promise<() => void> =>
    events.projectFilesChanged.listen((event) => handler(event.payload.folder, event.payload.changes)),
  /** Every recorded change of a project (or of one session), rollbacks' own included, oldest first. */
  log: async (project: string, session: SessionId | null) => {
    const host = routes.ofProject(project);
    if (host) return onHost(host, { op: "fileLog", args: { project, session } }, "fileOps");
    return outcome(await commands.filesLog(project, session));
  },
  /** The files `target` changed, before and after. */
  diff: async (project: string, target: RollbackTarget) => {
    const host = routes.ofProject(project);
    if (host) return onHost(host, { op: "fileDiff", args: { project, target } }, "fileDiffs");
    return outcome(await commands.filesDiff(project, target));
  },
  /** Rolls `target` back; files changed since come back as conflicts unless `force`. */
  rollback: async (project: string, target: RollbackTarget, force: boolean) => {
    const host = routes.ofProject(project);
    if (host) return onHost(host, { op: "rollback", args: { project, target, force } }, "rollback");
    return outcome(await commands.filesRollback(project, target, force));
  },
  /** Undoes rollback `id`: the files go back to what it found. Refused over conflicts like a rollback. */
  redo: async (project: string, id: RollbackId, force: boolean) => {
    const host = routes.ofProject(project);
    if (host) return onHost(host, { op: "redo", args: { project, rollbackId: id, force } }, "rollback");
    return outcome(await commands.filesRedo(project, id, force));
  },
  /** What rolling `target` back would do, path by path, without doing it. */
  rollbackPlan: async (project: string, target: RollbackTarget) => {
    const host = routes.ofProject(project);
    if (host) return onHost(host, { op: "fileRollbackPlan", args: { project, target } }, "rollbackPlan");
    return outcome(await commands.filesRollbackPlan(project, target));
  },
  /** What undoing rollback `id` would do, path by path, without doing it. */
  redoPlan: async (project: string, id: RollbackId) => {
    const host = routes.ofProject(project);
    if (host) return onHost(host, { op: "redoPlan", args: { project, rollbackId: id } }, "rollbackPlan");
    return outcome(await commands.filesRedoPlan(project, id));
  },
  /** The hunks of the change `ops` made to one text file, numbered from 1, with the person's decisions. */
  hunks: async (project: string, ops: OpId[]) => {
    const host = routes.ofProject(project);
    if (host) return onHost(host, { op: "hunks", args: { project, ops } }, "hunks");
    return outcome(await commands.filesHunks(project, ops));
  },
  /** What reverting hunks `hunks` of that change would do, without doing it. */
  hunkRevertPlan: async (project: string, ops: OpId[], hunks: number[]) => {
    const host = routes.ofProject(project);
    if (host) return onHost(host, { op: "hunkRevertPlan", args: { project, ops, hunks } }, "hunkRevertPlan");
    return outcome(await commands.filesHunkRevertPlan(project, ops, hunks));
  },
  /** Reverts hunks of that change (a partial rollback, undone by `redo`); a hunk changed since is a conflict unless `force`. */
  revertHunks: async (project: string, ops: OpId[], hunks: number[], force: boolean) => {
    const host = routes.ofProject(project);
    if (host) return onHost(host, { op: "revertHunks", args: { project, ops, hunks, force } }, "rollback");
    return outcome(await commands.filesRevertHunks(project, ops, hunks, force));
  },
  /** Marks a hunk kept (or open again). */
  keepHunk: async (project: string, sessionId: SessionId, path: string, fingerprint: string, kept: boolean) => {
    const host = routes.ofProject(project);
    if (host) return onHost(host, { op: "keepHunk", args: { project, session: sessionId, path, fingerprint, kept } }, "done");
    return outcome(await commands.filesKeepHunk(project, sessionId, path, fingerprint, kept));
  },
  /** Stores the person's comment on a line range of a change. */
  addComment: async (project: string, comment: NewHunkComment) => {
    const host = routes.ofProject(project);
    if (host) return onHost(host, { op: "addComment", args: { project, comment } }, "comment");
    return outcome(await commands.filesAddComment(project, comment));
  },
  /** The person's comments on a session's changes, oldest first (only unsent ones with `unsent`). */
  comments: async (project: string, sessionId: SessionId, unsent: boolean) => {
    const host = routes.ofProject(project);
    if (host) return onHost(host, { op: "comments", args: { project, session: sessionId, unsent } }, "comments");
    return outcome(await commands.filesComments(project, sessionId, unsent));
  },
  /** Removes a comment. */
  deleteComment: async (project: string, id: number) => {
    const host = routes.ofProject(project);
    if (host) return onHost(host, { op: "deleteComment", args: { project, id } }, "removed");
    return outcome(await commands.filesDeleteComment(project, id));
  },
  /** Records that comments went to the agent with the feedback. */
  markCommentsSent: async (project: string, ids: number[]) => {
    const host = routes.ofProject(project);
    if (host) return onHost(host, { op: "markCommentsSent", args: { project, ids } }, "done");
    return outcome(await commands.filesMarkCommentsSent(project, ids));
  },
};

/** The task gate's checks: the project's configuration and its trust, and checks' logs. */
export const checks = {
  /** The merged configuration with source, trust and errors, and what trusting the file would allow. */
  overview: async (project: string) => {
    const host = routes.ofProject(project);
    if (host) return gateOnHost(host, { op: "checksOverview", args: { project } }, "overview");
    return outcome(await commands.checksOverview(project));
  },
  /** Decides about the project file as it was shown (`sha256`); refused when it changed since. */
  trust: async (project: string, decision: ChecksTrustDecision, sha256: string | null) => {
    // A remote project's decision is the host's, kept in its data folder.
    const host = routes.ofProject(project);
    if (host) return gateOnHost(host, { op: "checksTrust", args: { project, decision, sha256 } }, "overview");
    return outcome(await commands.checksTrust(project, decision, sha256));
  },
  /** A page of a check's stored log from `offset` (with a remote project in front, its host's log). */
  log: async (path: string, offset: number) => {
    const front = routes.front();
    if (front) return gateOnHost(front.connection, { op: "checksLog", args: { path, offset } }, "logPage");
    return outcome(await commands.checksLog(path, offset));
  },
  /** Sends (the edited `text`), dismisses or accepts the feedback proposed for `task`. */
  feedback: async (id: SessionId, task: number, decision: FeedbackDecision, text: string | null) => {
    const host = routes.ofSession(id);
    if (host) return onHost(host, { op: "decideFeedback", args: { session: id, task, decision, text } }, "done");
    return outcome(await commands.taskFeedback(id, task, decision, text));
  },
  /** Runs the task's checks again (only the failed ones, with `onlyFailed`). */
  rerun: async (id: SessionId, task: number, onlyFailed: boolean) => {
    const host = routes.ofSession(id);
    if (host) return onHost(host, { op: "taskRerun", args: { session: id, task, onlyFailed } }, "done");
    return outcome(await commands.taskRerun(id, task, onlyFailed));
  },
};

/** On-demand reviews: start one, the agents that can review, false-positive marks per task. */
export const reviews = {
  /** Starts a review in the background; its id. `reviewStarted` / `reviewFinished` follow in the session's stream. */
  /** (A remote session's review runs on its host, with the host's agents.) */
  start: async (id: SessionId, scope: ReviewScope, agent: AgentKind, agentName: string | null, model: string | null, instructions: string | null) => {
    const host = routes.ofSession(id);
    if (host) return gateOnHost(host, { op: "reviewStart", args: { session: id, scope, agent, agentName, model, instructions } }, "review");
    return outcome(await commands.reviewStart(id, scope, agent, agentName, model, instructions));
  },
  /** The agents that can start a reviewer session now (with a remote project in front, the host's). */
  agents: async () => {
    const front = routes.front();
    if (front) return gateOnHost(front.connection, { op: "reviewAgents" }, "reviewers");
    return outcome(await commands.reviewAgents());
  },
  /** The findings marked as false positives in a task. */
  falsePositives: async (id: SessionId, task: number) => {
    const host = routes.ofSession(id);
    if (host) return gateOnHost(host, { op: "falsePositives", args: { session: id, task } }, "falsePositives");
    return outcome(await commands.reviewFalsePositives(id, task));
  },
  /** Marks (or unmarks) a finding as a false positive in a task; the task's marks as they are now. */
  markFalsePositive: async (id: SessionId, task: number, file: string | null, title: string, marked: boolean) => {
    const host = routes.ofSession(id);
    if (host) return gateOnHost(host, { op: "markFalsePositive", args: { session: id, task, file, title, marked } }, "falsePositives");
    return outcome(await commands.reviewMarkFalsePositive(id, task, file, title, marked));
  },
};

/** The webhook endpoints' delivery log, Redeliver and Send test event. */
export const webhooks = {
  /** The project's deliveries, newest first (one endpoint's with `endpoint`), with every attempt. */
  deliveries: async (project: string, endpoint: string | null, limit: number) => outcome(await commands.webhooksDeliveries(project, endpoint, limit)),
  /** Sends a delivery again now (same body and webhook-id, fresh signature). */
  redeliver: async (deliveryId: number) => outcome(await commands.webhooksRedeliver(deliveryId)),
  /** Sends a test event (`ping`) to an endpoint of the project now. */
  test: async (project: string, endpoint: string) => outcome(await commands.webhooksTest(project, endpoint)),
  /** Whether an endpoint is disabled by a 410 (why and since when), or null. */
  disabled: async (project: string, endpoint: string) => outcome(await commands.webhooksDisabled(project, endpoint)),
  /** Enables an endpoint disabled by a 410 again; the deliveries it held go out. */
  enable: async (project: string, endpoint: string) => outcome(await commands.webhooksEnable(project, endpoint)),
};

/** The agents: detection, installing, and the custom ACP agents of the settings. */
export const agents = {
  /**
   * Every agent with where it was found, its version, login and status: at once from the kept
   * versions; a background check follows (at most once a minute, or now with `checkNow`) and
   * reports a difference through `onRefreshed`.
   */
  list: async (checkNow = false) => {
    // With a remote project in front, the agents are the host's (the New Session dialog there).
    const front = routes.front();
    if (front) return onHost(front.connection, { op: "agents" }, "agents");
    return outcome(await commands.agentsList(checkNow));
  },
  /** Calls `handler` with the whole list when the background check found it changed. Returns the unsubscribe. */
  onRefreshed: (handler: (views: AgentView[]) => void): Promise<() => void> =>
    // This window's own background check says nothing about a host's agents.
    events.agentsRefreshed.listen((event) => routes.front() === null && handler(event.payload)),
  /**
   * Opens a terminal of `cols`×`rows` running the agent's own login flow; `onEvent` gets its
   * output and its exit. Written to, resized and closed with `terminals`.
   */
  openLogin: async (kind: AgentKind, cols: number, rows: number, onEvent: (event: TerminalEvent) => void) => {
    const channel = new Channel<TerminalEvent>();
    channel.onmessage = onEvent;
    // With a remote project in front, the login runs on its host, in a host terminal.
    const front = routes.front();
    if (front) {
      const opened = outcome(await commands.remoteAgentLoginOpen(front.connection, kind, cols, rows, channel));
      return opened.ok ? { ok: true as const, value: { ...opened.value, id: routes.addTerminal(front.connection, opened.value.id) } } : opened;
    }
    return outcome(await commands.agentLoginOpen(kind, cols, rows, channel));
  },
  /**
   * Installs a preset agent; `onEvent` gets its start, every output line and its end. A shell
   * installer needs `confirmed`. Resolves once it started (or failed to).
   */
  install: async (kind: AgentKind, confirmed: boolean, onEvent: (event: InstallEvent) => void) => {
    const channel = new Channel<InstallEvent>();
    channel.onmessage = onEvent;
    // With a remote project in front, into the host's own agents folder, its progress from there.
    const front = routes.front();
    if (front) return outcome(await commands.remoteAgentInstall(front.connection, kind, confirmed, channel));
    return outcome(await commands.agentInstall(kind, confirmed, channel));
  },
  /** Cancels a running install; false when none runs. */
  cancelInstall: async (kind: AgentKind): Promise<boolean> => {
    const front = routes.front();
    if (!front) return commands.agentInstallCancel(kind);
    const cancelled = await hostOnHost(front.connection, { call: "agentInstallCancel", args: { kind } }, "installCancelled");
    return cancelled.ok && cancelled.value;
  },
  /** Adds a custom agent, or replaces the one named `replacing`; returns it as stored. */
  saveCustom: async (replacing: string | null, agent: CustomAgent) => outcome(await commands.customAgentSave(replacing, agent)),
  /** Removes a custom agent. */
  removeCustom: async (name: string) => outcome(await commands.customAgentRemove(name)),
};

/** Terminals: a shell, or an agent's own interface, on a real PTY in a project folder. */
export const terminals = {
  /**
   * Opens a terminal of `cols`×`rows` cells in `project` running the person's shell, or
   * `command`'s agent. `onEvent` gets its output from the first byte, then its exit.
   */
  open: async (project: string, cols: number, rows: number, command: TerminalCommand | null, onEvent: (event: TerminalEvent) => void) => {
    const channel = new Channel<TerminalEvent>();
    channel.onmessage = onEvent;
    const host = routes.ofProject(project);
    if (host) {
      // On the host, in its folder; the window gives it an id that cannot meet a local one.
      const opened = outcome(await commands.remoteTerminalOpen(host, project, cols, rows, command, channel));
      return opened.ok ? { ok: true as const, value: { ...opened.value, id: routes.addTerminal(host, opened.value.id) } } : opened;
    }
    return outcome(await commands.terminalOpen(project, cols, rows, command, channel));
  },
  /** Types `data` in. Calls in flight together may arrive in any order: send one at a time. */
  write: async (id: TerminalId, data: string) => {
    const remote = routes.terminal(id);
    if (remote) return onHost(remote.connection, { op: "terminalWrite", args: { id: remote.id, data } }, "done");
    return outcome(await commands.terminalWrite(id, data));
  },
  /** Tells the terminal its new size in cells. */
  resize: async (id: TerminalId, cols: number, rows: number) => {
    const remote = routes.terminal(id);
    if (remote) return onHost(remote.connection, { op: "terminalResize", args: { id: remote.id, cols, rows } }, "done");
    return outcome(await commands.terminalResize(id, cols, rows));
  },
  /** Kills the terminal's processes and forgets it. */
  close: async (id: TerminalId) => {
    const remote = routes.terminal(id);
    if (remote) {
      routes.dropTerminal(id);
      return onHost(remote.connection, { op: "terminalClose", args: { id: remote.id } }, "done");
    }
    return outcome(await commands.terminalClose(id));
  },
};

/** Pipelines: the project's configured ones, start one, the plan decision, stop, the runs. */
export const pipelines = {
  /** The enabled pipelines of the project's configuration (a remote project's, read on its host). */
  list: async (project: string) => {
    const host = routes.ofProject(project);
    if (host) return gateOnHost(host, { op: "pipelineList", args: { project } }, "pipelines");
    return outcome(await commands.pipelineList(project));
  },
  /** Starts one on `prompt` (the implementer in `mode`); its first state. A remote project's runs on its host. */
  start: async (project: string, pipeline: string, prompt: string, mode: PermissionMode) => {
    const host = routes.ofProject(project);
    if (host) return startedOnHost(host, project, await gateOnHost(host, { op: "pipelineStart", args: { project, pipeline, prompt, permissionMode: mode } }, "pipeline"));
    return outcome(await commands.pipelineStart(project, pipeline, prompt, mode));
  },
  /** Starts a pipeline defined in the dialog, as given (nothing is written); its first state. */
  startSpec: async (project: string, spec: PipelineSpec, prompt: string, mode: PermissionMode) => {
    const host = routes.ofProject(project);
    if (host) return startedOnHost(host, project, await gateOnHost(host, { op: "pipelineStartSpec", args: { project, spec, prompt, permissionMode: mode } }, "pipeline"));
    return outcome(await commands.pipelineStartSpec(project, spec, prompt, mode));
  },
  /** Saves a pipeline into the person's own layer for the project (a remote project's on its host); the project's pipelines after. */
  save: async (project: string, spec: PipelineSpec, replace: boolean) => {
    const host = routes.ofProject(project);
    if (host) return gateOnHost(host, { op: "pipelineSave", args: { project, spec, replace } }, "pipelines");
    return outcome(await commands.pipelineSave(project, spec, replace));
  },
  /** Approves (maybe edited) or rejects the plan a run waits with. */
  decide: async (runId: string, decision: PlanDecision) => {
    const host = remoteRuns.hostOf(runId);
    if (host) return gateOnHost(host, { op: "pipelineDecide", args: { runId, decision } }, "done");
    return outcome(await commands.pipelineDecide(runId, decision));
  },
  /** Stops a run. */
  stop: async (runId: string) => {
    const host = remoteRuns.hostOf(runId);
    if (host) return gateOnHost(host, { op: "pipelineStop", args: { runId } }, "done");
    return outcome(await commands.pipelineStop(runId));
  },
  /** The project's runs (in this window, or on a remote project's host), as they are now. */
  runs: async (project: string) => {
    const host = routes.ofProject(project);
    if (!host) return outcome(await commands.pipelineRuns(project));
    const got = stepsOnHost(host, await gateOnHost(host, { op: "pipelineRuns", args: { project } }, "runs"));
    if (got.ok) remoteRuns.learnt(host, project, got.value);
    return got;
  },
  /** Calls `handler` with every new state of any run (a remote run's as its host reports it). Returns the unsubscribe. */
  onChange: async (handler: (state: PipelineState) => void): Promise<() => void> => {
    const stopRemote = remoteRuns.listen(handler);
    const stopLocal = await events.pipelineChanged.listen((event) => handler(event.payload));
    return () => {
      stopRemote();
      stopLocal();
    };
  },
};

/** A run a host started: followed from now on, so its changes reach `pipelines.onChange`. */
function startedOnHost(host: RemoteConnectionId, project: string, started: Outcome<PipelineState>): Outcome<PipelineState> {
  stepsOnHost(host, started);
  if (started.ok) remoteRuns.learnt(host, project, [started.value]);
  return started;
}

/**
 * Git worktrees: a session's own branch and folder, its state and changes, and bringing the work
 * back. A worktree of a remote project is the host's: its folder routes there like the project.
 */
export const worktrees = {
  /** What the New Session dialog offers for a worktree of `project` (the branch suggested for `title`). */
  options: async (project: string, title: string) => {
    const host = routes.ofProject(project);
    if (host) return worktreeOnHost(host, { call: "options", args: { project, title } }, "options");
    return outcome(await commands.worktreeOptions(project, title));
  },
  /** The worktrees of `project`, each with its state. */
  list: async (project: string) => {
    const host = routes.ofProject(project);
    if (!host) return outcome(await commands.worktreeList(project));
    const listed = await worktreeOnHost(host, { call: "list", args: { project } }, "list");
    if (listed.ok) routes.rememberWorktrees(host, listed.value.map((w) => w.path));
    return listed;
  },
  /** The state of the worktree at `path` (a session's project folder) now. */
  state: async (path: string) => {
    const host = routes.ofProject(path);
    if (host) return worktreeOnHost(host, { call: "state", args: { path } }, "state");
    return outcome(await commands.worktreeState(path));
  },
  /** Everything on the worktree's branch versus its base. */
  changes: async (path: string) => {
    const host = routes.ofProject(path);
    if (host) return worktreeOnHost(host, { call: "changes", args: { path } }, "changes");
    return outcome(await commands.worktreeChanges(path));
  },
  /** One file's diff in the worktree. */
  diff: async (path: string, file: string) => {
    const host = routes.ofProject(path);
    if (host) return worktreeOnHost(host, { call: "diff", args: { path, file } }, "diff");
    return outcome(await commands.worktreeDiff(path, file));
  },
  /** Commits the worktree's uncommitted files; the commit's id. */
  commit: async (path: string, message: string) => {
    const host = routes.ofProject(path);
    if (host) return worktreeOnHost(host, { call: "commit", args: { path, message } }, "committed");
    return outcome(await commands.worktreeCommit(path, message));
  },
  /** Brings the work into the base branch. */
  merge: async (path: string, how: MergeHow, message: string | null) => {
    const host = routes.ofProject(path);
    if (host) return worktreeOnHost(host, { call: "merge", args: { path, how, message } }, "merged");
    return outcome(await commands.worktreeMerge(path, how, message));
  },
  /** Pushes the branch and opens a pull request (on a host, with the host's `gh`). */
  pr: async (path: string) => {
    const host = routes.ofProject(path);
    if (host) return worktreeOnHost(host, { call: "pr", args: { path } }, "pr");
    return outcome(await commands.worktreePr(path));
  },
  /** Removes the worktree folder and its branch. */
  discard: async (path: string) => {
    const host = routes.ofProject(path);
    if (host) return worktreeOnHost(host, { call: "discard", args: { path } }, "discarded");
    return outcome(await commands.worktreeDiscard(path));
  },
};

/** Best of N: the same prompt with several agents, each in its own worktree, compared and one picked. */
export const bestOf = {
  /** Starts one worktree and session per member on `prompt`, as one group. */
  start: async (project: string, prompt: string, members: BestOfMember[], mode: PermissionMode, base: string | null, runSetup: boolean) => {
    const host = routes.ofProject(project);
    if (!host) return outcome(await commands.bestOfStart(project, prompt, members, mode, base, runSetup));
    const args = { project, prompt, members, permissionMode: mode, base, runSetup };
    const started = await worktreeOnHost(host, { call: "bestOfStart", args }, "bestOfStarted");
    if (started.ok) {
      routes.rememberGroup(host, started.value.id);
      learnt(host, { ok: true, value: started.value.sessions });
    }
    return started;
  },
  /** The group's members side by side. */
  compare: async (group: string) => {
    const host = routes.ofGroup(group);
    if (host) return worktreeOnHost(host, { call: "bestOfCompare", args: { group } }, "bestOfCompared");
    return outcome(await commands.bestOfCompare(group));
  },
  /** Merges the chosen member's work and discards the others. */
  pick: async (group: string, sessionId: SessionId, how: MergeHow, message: string | null) => {
    const host = routes.ofGroup(group);
    if (host) return worktreeOnHost(host, { call: "bestOfPick", args: { group, session: sessionId, how, message } }, "bestOfPicked");
    return outcome(await commands.bestOfPick(group, sessionId, how, message));
  },
};

export const usage = {
  /** The report for `project` (null: every project) over `[fromMs, toMs)`, days in the window's time zone. A remote project's is its host's store's. */
  report: async (project: string | null, fromMs: number, toMs: number) => {
    const host = project ? routes.ofProject(project) : null;
    const utcOffsetMinutes = -new Date().getTimezoneOffset();
    if (host) return hostOnHost(host, { call: "usage", args: { project, fromMs, toMs, utcOffsetMinutes } }, "usage");
    return outcome(await commands.usageReport(project, fromMs, toMs, utcOffsetMinutes));
  },
  /** The same as CSV text. */
  csv: async (project: string | null, fromMs: number, toMs: number) => {
    const host = project ? routes.ofProject(project) : null;
    const utcOffsetMinutes = -new Date().getTimezoneOffset();
    if (host) return hostOnHost(host, { call: "usageCsv", args: { project, fromMs, toMs, utcOffsetMinutes } }, "usageCsv");
    return outcome(await commands.usageCsv(project, fromMs, toMs, utcOffsetMinutes));
  },
  /**
   * Asks where to save the CSV and writes it there; the path, or null when cancelled. A remote
   * project's CSV is read from its host, then saved on this machine where the person chooses.
   */
  export: async (project: string | null, fromMs: number, toMs: number): Promise<Outcome<string | null>> => {
    if (project && routes.ofProject(project)) {
      const text = await usage.csv(project, fromMs, toMs);
      if (!text.ok) return text;
      return outcome(await commands.usageSaveCsv(text.value));
    }
    return outcome(await commands.usageExport(project, fromMs, toMs, -new Date().getTimezoneOffset()));
  },
};

/** The fuzzy finder over a project's files and folders (gitignore-aware). */
export const finder = {
  /** Paths of `project` matching `query`, best first, at most `limit`. */
  find: async (project: string, query: string, limit: number) => {
    const host = routes.ofProject(project);
    if (host) return onHost(host, { op: "filesFind", args: { project, query, limit } }, "found");
    return outcome(await commands.filesFind(project, query, limit));
  },
};

/** Updates: check for a newer Warden, install it (verified first), restart into it, and the start-up check setting. */
export const updates = {
  /** The newer version the update server offers, or null when this one is the newest. */
  check: async () => outcome(await commands.updateCheck()),
  /** Downloads, verifies and installs the update the last check found; progress comes through `onProgress`. */
  install: async () => outcome(await commands.updateInstall()),
  /** Quits (stopping sessions as any quit does) and starts the installed version. */
  restart: (): Promise<void> => commands.updateRestart(),
  settings: (): Promise<UpdateSettings> => commands.updateSettingsGet(),
  setSettings: async (settings: UpdateSettings) => outcome(await commands.updateSettingsSet(settings)),
  /** Calls `handler` as an update downloads. Returns the unsubscribe. */
  onProgress: (handler: (progress: UpdateProgress) => void): Promise<() => void> =>
    events.updateProgress.listen((event) => handler(event.payload)),
  /** Calls `handler` when Help › Check for Updates… is chosen. Returns the unsubscribe. */
  onDialogRequested: (handler: () => void): Promise<() => void> => events.updateDialogRequested.listen(() => handler()),
};

/** How an install on a host goes, step by step. */
export type { RemoteInstallProgress };
export type {
  RemoteConnectionChanged,
  RemoteConnectionId,
  RemoteConnectionState,
  RemoteConnectionView,
  RemoteHost,
  RemoteKind,
  RemoteOpened,
  RemoteOpenOutcome,
  RemoteProbe,
  RemoteTarget,
  RecentRemoteProject,
} from "../bindings";
export type { RemoteFront } from "./remoteRoutes";

/**
 * Projects on other hosts: open one (connecting, and installing Warden there when asked), the
 * connections and their states, the recent remote projects, and which remote project is in
 * front (so the calls of the screens above go to its host; see remoteRoutes.ts).
 */
export const remote = {
  /** Connects to `target`'s host and opens its folder there; `needsInstall` when Warden is missing or of another version there. */
  open: async (target: RemoteTarget) => {
    const opened = outcome(await commands.remoteOpen(target));
    if (opened.ok && opened.value.type === "opened") {
      // Sessions running there are the host's: their calls go through this connection.
      const connection = opened.value.data.connection;
      const listed = await onHost(connection, { op: "sessions", args: { project: opened.value.data.project } }, "sessions");
      learnt(connection, listed, opened.value.data.project);
    }
    return opened;
  },
  /** Copies this Warden's headless binary to the host; `onProgress` gets each step. */
  install: async (target: RemoteTarget, onProgress: (progress: RemoteInstallProgress) => void) => {
    const channel = new Channel<RemoteInstallProgress>();
    channel.onmessage = onProgress;
    return outcome(await commands.remoteInstall(target, channel));
  },
  /** Ends a connection (the host's sessions go on there). */
  close: async (connection: RemoteConnectionId) => {
    const closed = outcome(await commands.remoteClose(connection));
    routes.forgetConnection(connection);
    return closed;
  },
  /** The connections of this window (after a reload), their sessions learnt for routing. */
  connections: async () => {
    const [views, refs] = await Promise.all([commands.remoteConnections(), commands.remoteSessions()]);
    for (const ref of refs) routes.rememberSessions(ref.connection, [ref.sessionId]);
    return views;
  },
  /** The remote projects opened before, newest first. */
  recent: () => commands.remoteRecent(),
  /** Removes one from the recent list; the list after. */
  forgetRecent: async (kind: RemoteKind, destination: string, folder: string) =>
    outcome(await commands.remoteRecentForget(kind, destination, folder)),
  /** Calls `handler` whenever a connection's state changes. Returns the unsubscribe. */
  onState: (handler: (change: RemoteConnectionChanged) => void): Promise<() => void> =>
    events.remoteConnectionChanged.listen((event) => handler(event.payload)),
  /** Calls `handler` when File › Open Remote Project… is chosen. Returns the unsubscribe. */
  onDialogRequested: (handler: () => void): Promise<() => void> => events.remoteDialogRequested.listen(() => handler()),
  /** Says which remote project is in front (null: a local one or none); set while rendering, before the screens below call. */
  setFront: (front: RemoteFront | null) => routes.setFront(front),
  /** The connection of a session, or null for a local one. */
  sessionConnection: (id: SessionId) => routes.ofSession(id),
  /** The connection of the project in front when it is remote, or null. */
  projectConnection: (project: string) => routes.ofProject(project),
};
