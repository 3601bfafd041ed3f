// The window's view of the workspace: the backend's latest WorkspaceView plus errors from
// commands the window itself issued (the backend reports its own as notices in the view).
import type { IpcError, NoticeId, WorkspaceView } from "../ipc";

/** An error from a command this window ran, shown beside the backend's notices. */
export interface LocalError {
  id: number;
  error: IpcError;
  /** The recent-list path the error is about, when the window can offer to forget it. */
  recentPath?: string;
}

/** The workspace as the window renders it. */
export interface WorkspaceState {
  view: WorkspaceView | null;
  errors: LocalError[];
  nextErrorId: number;
}

/** Everything that changes [`WorkspaceState`]. */
export type WorkspaceAction =
  | { type: "view"; view: WorkspaceView }
  | { type: "failed"; error: IpcError; recentPath?: string }
  | { type: "dismissError"; id: number }
  | { type: "dismissNotice"; id: NoticeId };

/** The state before the first snapshot arrives. */
export const initialWorkspaceState: WorkspaceState = { view: null, errors: [], nextErrorId: 1 };

/** How many local errors are kept on screen at once; older ones are dropped. */
export const MAX_LOCAL_ERRORS = 3;

/** Folds an action into the state. Views only move forward: a late, older view is ignored. */
export function workspaceReducer(state: WorkspaceState, action: WorkspaceAction): WorkspaceState {
  switch (action.type) {
    case "view":
      if (state.view && action.view.revision < state.view.revision) return state;
      return { ...state, view: action.view };
    case "failed": {
      const entry: LocalError = { id: state.nextErrorId, error: action.error, recentPath: action.recentPath };
      return {
        ...state,
        errors: [...state.errors, entry].slice(-MAX_LOCAL_ERRORS),
        nextErrorId: state.nextErrorId + 1,
      };
    }
    case "dismissError":
      return { ...state, errors: state.errors.filter((e) => e.id !== action.id) };
    case "dismissNotice":
      // Hidden at once; the backend's next view confirms it.
      if (!state.view) return state;
      return { ...state, view: { ...state.view, notices: state.view.notices.filter((n) => n.id !== action.id) } };
  }
}
