// Brings a session to the front from outside its project's view: the attention strip's Show
// button, and a click on a desktop notification of a question. The project comes to the front
// (opened again if it was closed), and its view opens the session's tab when it shows.
import { useCallback, useEffect, useRef } from "react";
import { permissions, type PermissionFocus, type SessionId, type WorkspaceView } from "../../ipc";
import type { WorkspaceActions } from "../../model/useWorkspace";
import { askToShow } from "./front";
import { homeOf, knownWorktree, resolveHome } from "../../model/worktreeHomes";

/**
 * Returns `bring(project folder, session)`, and follows notification clicks with it. A click on
 * the notification of a host's session (it names its connection) goes to `onRemote` instead:
 * the host's folder is never opened here.
 */
export function useBringForward(
  view: WorkspaceView | null,
  actions: Pick<WorkspaceActions, "activate" | "openRecent">,
  onRemote: (focus: PermissionFocus & { connection: string }) => void = () => {},
) {
  // The notification listener lives as long as the window; it reads the latest view from here.
  const latest = useRef({ view, actions, onRemote });
  latest.current = { view, actions, onRemote };

  const show = useCallback((project: string, sessionId: SessionId) => {
    const { view, actions } = latest.current;
    const open = view?.open.find((p) => p.path === project || p.id === project);
    askToShow(open?.path ?? project, sessionId);
    if (!open) void actions.openRecent(project);
    else if (view?.active !== open.id) void actions.activate(open.id);
  }, []);
  // A session in a worktree asks with the worktree folder: its main project shows it.
  const bring = useCallback(
    (project: string, sessionId: SessionId) => {
      const open = latest.current.view?.open.some((p) => p.path === project || p.id === project);
      if (open || knownWorktree(project)) show(homeOf(project), sessionId);
      else void resolveHome(project).then((home) => show(home, sessionId));
    },
    [show],
  );

  useEffect(() => {
    let stop: (() => void) | undefined;
    let cancelled = false;
    void permissions
      .onFocus((focus) => {
        const connection = focus.connection;
        if (connection) latest.current.onRemote({ ...focus, connection });
        else bring(focus.project, focus.sessionId);
      })
      .then((unlisten) => {
        if (cancelled) unlisten();
        else stop = unlisten;
      });
    return () => {
      cancelled = true;
      stop?.();
    };
  }, [bring]);

  return bring;
}
