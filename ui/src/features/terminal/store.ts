// The Terminal panels of all projects, outside React: each project's tabs (plain data, see
// dock.ts) and the live terminal behind each tab. Projects keep their terminals running while
// another project is in front, as they keep their session tabs.
import { useSyncExternalStore } from "react";
import type { AgentKind, SessionId, TerminalCommand } from "../../ipc";
import {
  activateTab,
  addTab,
  closedDock,
  removeTab,
  resizeDock,
  tabExited,
  tabFailed,
  tabOpened,
  toggleDock,
  type Dock,
} from "./dock";
import { TermSession } from "./termSession";

type Listener = () => void;

/** Starts a tab's terminal; replaced in tests. */
export type SessionFactory = (
  project: string,
  command: TerminalCommand | null,
  events: ConstructorParameters<typeof TermSession>[2],
  onToggle: () => void,
) => Pick<TermSession, "attach" | "detach" | "fitNow" | "focus" | "dispose" | "host">;

/** Every project's panel and the terminals of its tabs. */
export class DockStore {
  private docks = new Map<string, Dock>();
  private sessions = new Map<string, ReturnType<SessionFactory>>();
  private listeners = new Set<Listener>();
  private lastKey = 0;
  /** The project whose panel is on screen (the header's buttons act on it). */
  private current: string | null = null;

  constructor(private readonly makeSession: SessionFactory) {}

  dock(project: string): Dock {
    return this.docks.get(project) ?? closedDock;
  }

  /** The terminal behind a tab. */
  session(key: string) {
    return this.sessions.get(key);
  }

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** The project whose panel is mounted, or null. */
  showing(): string | null {
    return this.current;
  }

  /** Records which project's panel is on screen (`null` when it unmounts). */
  setShowing(project: string | null): void {
    if (this.current === project) return;
    this.current = project;
    this.emit();
  }

  /** Shows or hides the panel; showing an empty one opens a shell in it. */
  toggle(project: string): void {
    const dock = this.dock(project);
    if (!dock.open && dock.tabs.length === 0) this.openShell(project);
    else this.set(project, toggleDock(dock));
  }

  /** A new tab with the person's shell. */
  openShell(project: string): void {
    this.openTab(project, "Shell", null);
  }

  /** A new tab with `agent`'s own interface, resuming Warden session `resume` where it can. */
  openAgent(project: string, agent: AgentKind, resume: SessionId | null, title: string): void {
    this.openTab(project, title, { agent, resume });
  }

  activate(project: string, key: string): void {
    this.set(project, activateTab(this.dock(project), key));
  }

  /** Closes a tab and kills its terminal. */
  close(project: string, key: string): void {
    this.sessions.get(key)?.dispose();
    this.sessions.delete(key);
    this.set(project, removeTab(this.dock(project), key));
  }

  resize(project: string, height: number, max: number): void {
    this.set(project, resizeDock(this.dock(project), height, max));
  }

  private openTab(project: string, title: string, command: TerminalCommand | null): void {
    const key = `t${++this.lastKey}`;
    const session = this.makeSession(
      project,
      command,
      {
        opened: (id, shownTitle) => this.set(project, tabOpened(this.dock(project), key, id, shownTitle)),
        failed: (error) => this.set(project, tabFailed(this.dock(project), key, error.message)),
        exited: (exit) => this.set(project, tabExited(this.dock(project), key, exit)),
      },
      () => this.toggle(project),
    );
    this.sessions.set(key, session);
    this.set(project, addTab({ ...this.dock(project), open: true }, key, title));
  }

  private set(project: string, dock: Dock): void {
    if (this.docks.get(project) === dock) return;
    this.docks.set(project, dock);
    this.emit();
  }

  private emit(): void {
    this.listeners.forEach((listener) => listener());
  }
}

/** The window's panels. */
export const dockStore = new DockStore((...args) => new TermSession(...args));

/** A project's panel, kept current. */
export function useDock(project: string, store: DockStore = dockStore): Dock {
  return useSyncExternalStore(store.subscribe, () => store.dock(project));
}

/** What the session header's buttons do; null when no panel is on screen to act on. */
export interface TerminalControls {
  open: boolean;
  toggle: () => void;
  openAgent: (agent: AgentKind, resume: SessionId | null, title: string) => void;
}

/** The controls of the panel on screen. */
export function useTerminalControls(store: DockStore = dockStore): TerminalControls | null {
  const project = useSyncExternalStore(store.subscribe, () => store.showing());
  const open = useSyncExternalStore(store.subscribe, () => (project ? store.dock(project).open : false));
  if (!project) return null;
  return {
    open,
    toggle: () => store.toggle(project),
    openAgent: (agent, resume, title) => store.openAgent(project, agent, resume, title),
  };
}
