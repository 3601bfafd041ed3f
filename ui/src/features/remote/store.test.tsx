// The remote projects of the window: opened into the front, their connection's state from the
// backend's events shown in the header chip and the banner, closing ends a connection only when
// no other project uses it.
import { act, cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";

const { remote } = vi.hoisted(() => ({
  remote: {
    close: vi.fn(() => Promise.resolve({ ok: true, value: null })),
    recent: vi.fn(() => Promise.resolve([])),
    onState: vi.fn(() => Promise.resolve(() => {})),
    connections: vi.fn(() => Promise.resolve([])),
    forgetRecent: vi.fn(() => Promise.resolve({ ok: true, value: [] })),
  },
}));
vi.mock("../../ipc", () => ({ remote }));

import { routes } from "../../ipc/remoteRoutes";
import { HostChip } from "./HostChip";
import { RemoteBanner } from "./RemoteBanner";
import { RemoteStore, remoteStore } from "./store";

afterEach(cleanup);

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

describe("the remote projects", () => {
  it("puts an opened project in front, named by its folder, with its place", () => {
    const store = new RemoteStore();
    store.opened(opened("r1", "/srv/app"));
    const { projects, front } = store.get();
    expect(projects.map((p) => [p.name, p.place, p.state.type])).toEqual([["app", "ssh: dev@box", "connected"]]);
    expect(front).toBe(projects[0]?.key);
    // The same folder of the same place opened again (after "gone") replaces the entry.
    store.opened(opened("r2", "/srv/app"));
    expect(store.get().projects.map((p) => p.connection)).toEqual(["r2"]);
  });

  it("shows reconnecting and gone in the header chip and the banner", () => {
    remoteStore.opened(opened("r7", "/srv/shop"));
    routes.rememberSessions("r7", ["s1"]);
    render(<HostChip sessionId="s1" />);
    expect(screen.getByTestId("host-chip").textContent).toBe("ssh: dev@box");
    const reconnecting = { type: "reconnecting" as const, data: { attempt: 2, maxAttempts: 5, nextTryMs: Date.now() + 4000, reason: "ssh exited with code 255" } };
    act(() => remoteStore.changed({ connection: "r7", label: "dev@box:/srv/shop", state: reconnecting }));
    expect(screen.getByTestId("host-chip").textContent).toBe("ssh: dev@box · reconnecting… (attempt 2)");
    const project = remoteStore.get().projects.find((p) => p.connection === "r7");
    if (!project) throw new Error("the project is listed");
    render(<RemoteBanner host={project} onReconnect={() => {}} />);
    expect(screen.getByTestId("remote-banner").textContent).toMatch(/reconnecting… \(attempt 2 of 5\) — next try in \d s\. Lost: ssh exited with code 255[\s\S]*nothing is allowed/);
    act(() => remoteStore.changed({ connection: "r7", label: "", state: { type: "gone", data: { reason: "the host did not answer 5 times" } } }));
    expect(screen.getByTestId("host-chip").dataset.state).toBe("gone");
    // A session of this machine has no chip.
    cleanup();
    render(<HostChip sessionId="local" />);
    expect(screen.queryByTestId("host-chip")).toBeNull();
  });

  it("ends a connection when its last project closes, not before", async () => {
    const store = new RemoteStore();
    store.opened(opened("r3", "/srv/a"));
    store.opened(opened("r3", "/srv/b"));
    const [a, b] = store.get().projects;
    await store.close(a?.key ?? "");
    expect(remote.close).not.toHaveBeenCalled();
    await store.close(b?.key ?? "");
    expect(remote.close).toHaveBeenCalledWith("r3");
    expect(store.get()).toMatchObject({ projects: [], front: null });
  });
});
