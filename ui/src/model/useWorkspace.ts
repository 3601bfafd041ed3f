// Binds the workspace state to the backend: the first snapshot, then every WorkspaceChanged.
import { useCallback, useEffect, useReducer } from "react";
import { workspace, type NoticeId, type Outcome, type ProjectId, type WorkspaceView } from "../ipc";
import { initialWorkspaceState, workspaceReducer } from "./workspaceState";
import { homeOf } from "./worktreeHomes";

/** The workspace state and the actions the window can take on it. */
export function useWorkspace() {
  const [state, dispatch] = useReducer(workspaceReducer, initialWorkspaceState);

  useEffect(() => {
    let unlisten: (() => void) | undefined;
    let cancelled = false;
    // Listen first, then snapshot: a change between the two is not missed, and the revision
    // check drops whichever of the two is older.
    void workspace
      .onChange((view) => dispatch({ type: "view", view }))
      .then((stop) => {
        if (cancelled) stop();
        else unlisten = stop;
        return workspace.snapshot();
      })
      .then((view) => {
        if (!cancelled) dispatch({ type: "view", view });
      });
    return () => {
      cancelled = true;
      unlisten?.();
    };
  }, []);

  const settle = useCallback((outcome: Outcome<WorkspaceView | null | void>, recentPath?: string) => {
    if (!outcome.ok) dispatch({ type: "failed", error: outcome.error, recentPath });
    else if (outcome.value) dispatch({ type: "view", view: outcome.value });
  }, []);

  const actions = {
    pick: useCallback(async () => {
      const outcome = await workspace.pick();
      // A folder that cannot be opened is reported by the backend as a notice (the menu's
      // picker has no caller to return it to), so it is not shown a second time here.
      if (outcome.ok && outcome.value) dispatch({ type: "view", view: outcome.value });
    }, []),
    // A worktree folder opens its main project: the worktree's sessions are listed there.
    openRecent: useCallback(async (path: string) => settle(await workspace.open(homeOf(path)), path), [settle]),
    activate: useCallback(async (id: ProjectId) => settle(await workspace.activate(id)), [settle]),
    close: useCallback(async (id: ProjectId) => settle(await workspace.close(id)), [settle]),
    reveal: useCallback(async (id: ProjectId) => settle(await workspace.reveal(id)), [settle]),
    forgetRecent: useCallback(async (path: string) => {
      dispatch({ type: "view", view: await workspace.forgetRecent(path) });
    }, []),
    dismissNotice: useCallback(async (id: NoticeId) => {
      dispatch({ type: "dismissNotice", id });
      dispatch({ type: "view", view: await workspace.dismissNotice(id) });
    }, []),
    dismissError: useCallback((id: number) => dispatch({ type: "dismissError", id }), []),
  };

  return { state, actions };
}

/** The actions `useWorkspace` offers. */
export type WorkspaceActions = ReturnType<typeof useWorkspace>["actions"];
