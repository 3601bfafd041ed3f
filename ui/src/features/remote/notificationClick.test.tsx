// A click on the desktop notification of a host's session's question brings that remote
// project and session forward, as the attention strip's Show does; it never opens the host's
// folder on this machine (the bug: it went through the local "open recent" path).
import { act, cleanup, render } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

const { remote, permissions, sessions, focus } = vi.hoisted(() => {
  const focus: { handler: ((f: { sessionId: string; project: string; connection: string | null }) => void) | null } = { handler: null };
  return {
    focus,
    remote: {
      close: vi.fn(() => Promise.resolve({ ok: true, value: null })),
      recent: vi.fn(() => Promise.resolve([])),
      onState: vi.fn(() => Promise.resolve(() => {})),
      onDialogRequested: vi.fn(() => Promise.resolve(() => {})),
      connections: vi.fn(() => Promise.resolve([])),
      setFront: vi.fn(),
    },
    permissions: {
      onFocus: vi.fn((handler: (typeof focus)["handler"]) => {
        focus.handler = handler;
        return Promise.resolve(() => {});
      }),
    },
    sessions: { list: vi.fn(() => Promise.resolve({ ok: true, value: [] })) },
  };
});
vi.mock("../../ipc", () => ({ remote, permissions, sessions }));

import type { WorkspaceView } from "../../ipc";
import { routes } from "../../ipc/remoteRoutes";
import { useBringForward } from "../permissions/useBringForward";
import { useShowRequests } from "../permissions/front";
import { hostProjectOf, useRemoteWindow } from "./RemoteWindow";
import { remoteStore } from "./store";

const host = { warden: "0.1.0", protocol: 3, platform: "linux x86_64" };
const workspace = { revision: 1, open: [], active: null, recent: [], notices: [] };
const opened = (connection: string, project: string) => ({
  connection,
  target: { kind: "ssh" as const, destination: "dev@box", folder: project },
  label: `dev@box:${project}`,
  host,
  project,
  workspace,
});

/** The shell's wiring of App.tsx, reduced to what a notification click touches. */
function Shell({
  view,
  actions,
  shown,
  elsewhere = () => {},
}: {
  view: WorkspaceView;
  actions: { activate: () => Promise<void>; openRecent: (p: string) => Promise<void> };
  shown: (s: string) => void;
  elsewhere?: (s: string) => void;
}) {
  const remoteWindow = useRemoteWindow(null);
  useBringForward(view, actions as never, (f) => void remoteWindow.bring(f.project, f.sessionId, f.connection));
  // The remote project's view takes the show request for its folder; the view of another
  // project with the same path (this machine's, another host's) must not.
  useShowRequests("/srv/app", shown, "remote:r1\u0000/srv/app");
  useShowRequests("/srv/app", elsewhere, "/srv/app");
  return null;
}

beforeEach(() => {
  routes.forgetConnection("r1");
  for (const p of remoteStore.get().projects) void remoteStore.close(p.key);
  focus.handler = null;
});
afterEach(cleanup);

describe("a notification click", () => {
  it("brings a host's session forward in its remote project and opens nothing locally", async () => {
    const actions = { activate: vi.fn(() => Promise.resolve()), openRecent: vi.fn(() => Promise.resolve()) };
    const shown = vi.fn();
    const elsewhere = vi.fn();
    // No local project is open: the old path would have opened /srv/app here as a recent folder.
    render(<Shell view={workspace as never} actions={actions} shown={shown} elsewhere={elsewhere} />);
    await act(async () => {});
    act(() => {
      remoteStore.opened(opened("r1", "/srv/app"));
      remoteStore.setFront(null);
    });
    expect(focus.handler).not.toBeNull();
    // The session is not even in the routing table (its window reloaded): the notification's
    // connection is enough.
    act(() => focus.handler?.({ sessionId: "host-9", project: "/srv/app", connection: "r1" }));
    expect(actions.openRecent).not.toHaveBeenCalled();
    expect(actions.activate).not.toHaveBeenCalled();
    expect(remoteStore.get().front).toBe(remoteStore.get().projects[0]?.key);
    expect(shown).toHaveBeenCalledWith("host-9");
    expect(elsewhere, "a local project of the same path does not open the host's session").not.toHaveBeenCalled();
  });

  it("of a connection closed since does nothing locally either", async () => {
    const actions = { activate: vi.fn(() => Promise.resolve()), openRecent: vi.fn(() => Promise.resolve()) };
    render(<Shell view={workspace as never} actions={actions} shown={() => {}} />);
    await act(async () => {});
    act(() => focus.handler?.({ sessionId: "host-9", project: "/srv/app", connection: "r1" }));
    expect(actions.openRecent).not.toHaveBeenCalled();
    expect(remoteStore.get().front).toBeNull();
  });

  it("of a local session still opens its project here", async () => {
    const actions = { activate: vi.fn(() => Promise.resolve()), openRecent: vi.fn(() => Promise.resolve()) };
    render(<Shell view={workspace as never} actions={actions} shown={() => {}} />);
    await act(async () => {});
    act(() => focus.handler?.({ sessionId: "local-1", project: "/home/me/app", connection: null }));
    await act(async () => {});
    expect(actions.openRecent).toHaveBeenCalledWith("/home/me/app");
  });
});

describe("the strip's Show", () => {
  function Strip({ local, shown }: { local: () => void; shown: (s: string) => void }) {
    const remoteWindow = useRemoteWindow(null);
    useShowRequests("/srv/app", shown, "remote:r1\u0000/srv/app");
    return (
      <button data-testid="show" onClick={() => void remoteWindow.showWaiting("/srv/app", "host-7", local)}>
        Show
      </button>
    );
  }

  it("asks the backend about a session this window has not listed yet, and never opens a host's folder here", async () => {
    const local = vi.fn();
    const shown = vi.fn();
    render(<Strip local={local} shown={shown} />);
    await act(async () => {});
    act(() => {
      remoteStore.opened(opened("r1", "/srv/app"));
      remoteStore.setFront(null);
    });
    // The backend follows host-7 for r1 (the project was being opened); the routes do not know it.
    remote.connections.mockImplementationOnce(() => {
      routes.rememberSessions("r1", ["host-7"]);
      return Promise.resolve([]);
    });
    await act(async () => {
      (document.querySelector("[data-testid=show]") as HTMLButtonElement).click();
    });
    expect(local).not.toHaveBeenCalled();
    expect(shown).toHaveBeenCalledWith("host-7");
    expect(remoteStore.get().front).toBe(remoteStore.get().projects[0]?.key);
  });

  it("brings a session the backend does not know as a host's forward here", async () => {
    routes.forgetConnection("r1");
    const local = vi.fn();
    render(<Strip local={local} shown={() => {}} />);
    await act(async () => {
      (document.querySelector("[data-testid=show]") as HTMLButtonElement).click();
    });
    expect(local).toHaveBeenCalledTimes(1);
  });
});

describe("the remote project a host's session belongs to", () => {
  const project = (connection: string, folder: string) => ({ ...opened(connection, folder), key: `${connection}:${folder}`, name: "", place: "", state: { type: "connected" as const, data: host } });
  it("is its own, else the one holding its worktree, else the connection's first; never another connection's", () => {
    const projects = [project("r1", "/srv/a"), project("r1", "/srv/app"), project("r2", "/srv/app/wt")];
    expect(hostProjectOf(projects, "r1", "/srv/app")?.key).toBe("r1:/srv/app");
    expect(hostProjectOf(projects, "r1", "/srv/app/.worktrees/x")?.key).toBe("r1:/srv/app");
    expect(hostProjectOf(projects, "r1", "/srv/application")?.key, "a prefix of the name is not a folder inside").toBe("r1:/srv/a");
    expect(hostProjectOf(projects, "r2", "/srv/app")?.key).toBe("r2:/srv/app/wt");
    expect(hostProjectOf(projects, "r3", "/srv/app")).toBeUndefined();
  });
});
