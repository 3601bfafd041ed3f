// The only module that imports the generated bindings. Features call these functions and get
// plain values or an IpcError, never a raw invoke.
import {
  commands,
  events,
  type IpcError,
  type NoticeId,
  type ProjectId,
  type WorkspaceView,
} from "../bindings";

export type {
  AgentExited,
  IpcError,
  PermissionDecision,
  PermissionMode,
  PermissionRequest,
  PlanEntry,
  RawOutput,
  SessionEvent,
  SessionEventKind,
  SessionId,
  SessionRecord,
  SessionStatus,
  ToolCall,
  ToolCallStatus,
  ToolCallUpdate,
  TurnEnded,
  IpcErrorCode,
  Notice,
  NoticeId,
  Project,
  ProjectId,
  RecentEntry,
  RecentProject,
  WorkspaceView,
} from "../bindings";

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
