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
  type ProjectId,
  type RuleSet,
  type SessionEvent,
  type SessionId,
  type WorkspaceView,
  type WaitingRequest,
  type PermissionFocus,
  type RollbackId,
  type RollbackTarget,
} from "../bindings";

export type {
  ClaudeHistoryEntry,
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
  OpId,
  OpKind,
  RollbackId,
  RollbackOutcome,
  RollbackReport,
  RollbackTarget,
} from "../bindings";
/** Any JSON value: a tool's raw input or output, exactly as the agent sent it. */
export type { Value as JsonValue } from "../bindings";

/** What a command returns: its value, or the error it failed with. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: IpcError };

type Result<T> = { status: "ok"; data: T } | { status: "error"; error: IpcError };

function outcome<T>(result: Result<T>): Outcome<T> {
  return result.status === "ok" ? { ok: true, value: result.data } : { ok: false, error: result.error };
}

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

/** The session commands, in the shape the UI uses. */
export const sessions = {
  list: async (project: string) => outcome(await commands.sessionList(project)),
  events: async (id: SessionId, afterSeq: number) => outcome(await commands.sessionEvents(id, afterSeq)),
  event: async (id: SessionId, seq: number) => outcome(await commands.sessionEvent(id, seq)),
  /**
   * Follows a session: `onEvent` gets every event from now on, and the stored events after
   * `afterSeq` are returned. Events may arrive both ways; the transcript drops repeats by `seq`.
   * The returned `detach` silences `onEvent` (the backend drops the channel when it next fails).
   */
  subscribe: async (id: SessionId, afterSeq: number, onEvent: (event: SessionEvent) => void) => {
    let live = true;
    const channel = new Channel<SessionEvent>();
    channel.onmessage = (event) => {
      if (live) onEvent(event);
    };
    const backlog = outcome(await commands.sessionSubscribe(id, afterSeq, channel));
    const detach = () => {
      live = false;
      void commands.sessionUnsubscribe(id, channel.id);
    };
    return { backlog, detach };
  },
  start: async (project: string, mode: PermissionMode, model: string | null) =>
    outcome(await commands.sessionStart(project, mode, model)),
  resume: async (id: SessionId) => outcome(await commands.sessionResume(id)),
  prompt: async (id: SessionId, text: string) => outcome(await commands.sessionPrompt(id, text)),
  interrupt: async (id: SessionId) => outcome(await commands.sessionInterrupt(id)),
  stop: async (id: SessionId) => outcome(await commands.sessionStop(id)),
  resolve: async (id: SessionId, request: PermissionRequestId, answer: PermissionAnswer) =>
    outcome(await commands.permissionResolve(id, request, answer)),
  /** Switches a running session's permission mode. */
  setMode: async (id: SessionId, mode: PermissionMode) => outcome(await commands.sessionSetMode(id, mode)),
  /** Replaces a running session's own rules. */
  setRules: async (id: SessionId, rules: RuleSet) => outcome(await commands.sessionRulesSet(id, rules)),
};

/** Permission rules, the audit log, and the questions waiting across sessions. */
export const permissions = {
  /** The rules Warden keeps for a project. */
  projectRules: async (project: string) => outcome(await commands.projectRulesGet(project)),
  setProjectRules: async (project: string, rules: RuleSet) => outcome(await commands.projectRulesSet(project, rules)),
  /** A rule as typed, in its normal form, or why it is not one. */
  parseRule: async (text: string) => outcome(await commands.ruleParse(text)),
  /** Every decision of a project's sessions (or of one), oldest first. */
  log: async (project: string, session: SessionId | null) => outcome(await commands.permissionLog(project, session)),
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
  list: async (project: string) => outcome(await commands.claudeHistoryList(project)),
  events: async (project: string, agentSessionId: string) => outcome(await commands.claudeHistoryEvents(project, agentSessionId)),
  import: async (project: string, agentSessionId: string) => outcome(await commands.claudeHistoryImport(project, agentSessionId)),
};

/** The file journal: what agents changed in a project, each change before and after, rollbacks and redos. */
export const files = {
  /** Every recorded change of a project (or of one session), rollbacks' own included, oldest first. */
  log: async (project: string, session: SessionId | null) => outcome(await commands.filesLog(project, session)),
  /** The files `target` changed, before and after. */
  diff: async (project: string, target: RollbackTarget) => outcome(await commands.filesDiff(project, target)),
  /** Rolls `target` back; files changed since come back as conflicts unless `force`. */
  rollback: async (project: string, target: RollbackTarget, force: boolean) => outcome(await commands.filesRollback(project, target, force)),
  /** Undoes rollback `id`: the files go back to what it found. Refused over conflicts like a rollback. */
  redo: async (project: string, id: RollbackId, force: boolean) => outcome(await commands.filesRedo(project, id, force)),
};
