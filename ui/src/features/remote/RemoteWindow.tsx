// The window's side of remote projects, for the app shell: which remote project is in front
// (and so where the screens' calls go), the Open Remote Project dialog (from File › Open Remote
// Project…, the start screen and the sidebar), reopening a recent one with one click, and
// reconnecting one whose host was reported gone.
import { useCallback, useEffect, useState } from "react";
import { remote, type Project, type RecentRemoteProject } from "../../ipc";
import { routes } from "../../ipc/remoteRoutes";
import { askToShow } from "../permissions/front";
import { connectDraft, draftOf, installDraft } from "./connect";
import { OpenRemoteDialog } from "./OpenRemoteDialog";
import { remoteStore, useRemoteProjects, type RemoteProject } from "./store";
import type { RemoteDraft } from "./validate";

/** What the dialog opens with. */
interface DialogState {
  initial?: RemoteDraft;
  autoConnect: boolean;
  /** Bumped per opening, so a new opening starts afresh. */
  n: number;
}

/**
 * The shell's handle on remote projects. `localActive` is the workspace's project in front:
 * when it changes (a folder opened, a project activated) a local project comes to the front.
 */
export function useRemoteWindow(localActive: string | null) {
  const snapshot = useRemoteProjects();
  const [dialog, setDialog] = useState<DialogState | null>(null);
  const [reconnecting, setReconnecting] = useState<string | null>(null);

  useEffect(() => {
    remoteStore.setFront(null);
  }, [localActive]);

  useEffect(() => {
    let stop: (() => void) | undefined;
    let gone = false;
    void remote
      .onDialogRequested(() => setDialog((d) => ({ autoConnect: false, n: (d?.n ?? 0) + 1 })))
      .then((unlisten) => {
        if (gone) unlisten();
        else stop = unlisten;
      })
      .catch(() => {});
    return () => {
      gone = true;
      stop?.();
    };
  }, []);

  const front = snapshot.projects.find((p) => p.key === snapshot.front) ?? null;

  /**
   * Brings a host's session to the front (the attention strip's Show, a notification's
   * click): its remote project in front, its tab opened. `connection` is the one a
   * notification named (else the session's route). A session in a worktree on the host asks
   * with the worktree's folder: the connection's project that holds it, else its first one.
   * False when it is no session of an open remote project (a local session, which the
   * workspace brings forward; or one of a connection closed since).
   */
  const bring = (project: string, sessionId: string, connection?: string | null): boolean => {
    const via = connection ?? routes.ofSession(sessionId);
    // The store's projects now, not this render's: called again after an await.
    const host = via ? hostProjectOf(remoteStore.get().projects, via, project) : undefined;
    if (!host) return false;
    askToShow(host.project, sessionId, projectOf(host).id);
    remoteStore.setFront(host.key);
    return true;
  };

  const openDialog = useCallback(() => setDialog((d) => ({ autoConnect: false, n: (d?.n ?? 0) + 1 })), []);
  const reopen = useCallback((entry: RecentRemoteProject) => setDialog((d) => ({ initial: draftOf(entry.target), autoConnect: true, n: (d?.n ?? 0) + 1 })), []);

  return {
    /** The remote project in front, if one is. */
    front,
    snapshot,
    dialog,
    closeDialog: () => setDialog(null),
    openDialog,
    reopen,
    /** See `bring` above. */
    bring,
    /**
     * The attention strip's Show: a host's session comes forward in its remote project (see
     * `bring`). One this window's lists do not know yet is looked up in the backend's (a project
     * being opened follows its host's sessions before the window lists it): a host's session is
     * never taken for one of this machine, whose folder `local` would open here. True when it
     * was a host's.
     */
    showWaiting: async (project: string, sessionId: string, local: () => void): Promise<boolean> => {
      if (bring(project, sessionId)) return true;
      try {
        // Learns the backend's remote sessions into the routing table.
        await remote.connections();
      } catch (error) {
        console.warn("the remote sessions could not be read:", error);
      }
      if (routes.ofSession(sessionId) === null) {
        local();
        return false;
      }
      bring(project, sessionId);
      return true;
    },
    /** A local project comes to the front. */
    showLocal: () => remoteStore.setFront(null),
    activate: (key: string) => remoteStore.setFront(key),
    close: (key: string) => void remoteStore.close(key),
    forgetRecent: (entry: RecentRemoteProject) => void remoteStore.forgetRecent(entry),
    reconnecting: front !== null && reconnecting === front.key,
    /** Connects again to a host reported gone: a new connection, the project in front again. */
    reconnect: async (host: RemoteProject) => {
      setReconnecting(host.key);
      try {
        const opened = await remote.open(host.target);
        if (opened.ok && opened.value.type === "opened") {
          // The old entry goes: the same folder of the same place comes back on the new connection.
          remoteStore.opened(opened.value.data);
        } else {
          // Missing or another version now, or unreachable: the dialog says which and offers the install.
          setDialog((d) => ({ initial: draftOf(host.target), autoConnect: true, n: (d?.n ?? 0) + 1 }));
        }
      } finally {
        setReconnecting(null);
      }
    },
    /**
     * Tells the IPC layer whether the remote project in front is on screen, while rendering:
     * the screens below call during their first render's effects, which run before the shell's.
     */
    route: (onScreen: boolean) => remote.setFront(onScreen && front ? { connection: front.connection, project: front.project } : null),
  };
}

/**
 * The open remote project of `connection` a session asking in `folder` belongs to: the project
 * itself, the one `folder` lies in (a worktree inside it), or the connection's first project.
 */
export function hostProjectOf(projects: RemoteProject[], connection: string, folder: string): RemoteProject | undefined {
  const mine = projects.filter((p) => p.connection === connection);
  return (
    mine.find((p) => p.project === folder) ??
    mine.find((p) => folder.startsWith(p.project.endsWith("/") ? p.project : `${p.project}/`)) ??
    mine[0]
  );
}

/** The shell's handle (what `useRemoteWindow` returns). */
export type RemoteWindowControl = ReturnType<typeof useRemoteWindow>;

/** The remote project as the project screens take it: its folder on the host, its own id. */
export function projectOf(host: RemoteProject): Project {
  return { id: `remote:${host.key}`, name: host.name, path: host.project };
}

/** The dialog, when open. */
export function RemoteWindow({ control, onOpened }: { control: RemoteWindowControl; onOpened?: () => void }) {
  const dialog = control.dialog;
  if (!dialog) return null;
  return (
    <OpenRemoteDialog
      key={dialog.n}
      initial={dialog.initial}
      autoConnect={dialog.autoConnect}
      connect={connectDraft}
      install={installDraft}
      onOpened={() => {
        control.closeDialog();
        onOpened?.();
      }}
      onCancel={control.closeDialog}
    />
  );
}
