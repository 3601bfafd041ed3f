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

  const openDialog = useCallback(() => setDialog((d) => ({ autoConnect: false, n: (d?.n ?? 0) + 1 })), []);
  const reopen = useCallback((entry: RecentRemoteProject) => setDialog((d) => ({ initial: draftOf(entry), autoConnect: true, n: (d?.n ?? 0) + 1 })), []);

  return {
    /** The remote project in front, if one is. */
    front,
    snapshot,
    dialog,
    closeDialog: () => setDialog(null),
    openDialog,
    reopen,
    /**
     * Brings a host's session to the front (the attention strip's Show): its remote project in
     * front, its tab opened. False for a local session, which the workspace brings forward.
     */
    bring: (project: string, sessionId: string): boolean => {
      const connection = routes.ofSession(sessionId);
      const host = connection ? snapshot.projects.find((p) => p.connection === connection && p.project === project) : undefined;
      if (!host) return false;
      askToShow(project, sessionId);
      remoteStore.setFront(host.key);
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
