// The Terminal panel's state for one project, as plain data: whether it shows, its tabs (each a
// terminal, from the moment it is asked for until its tab closes), the one in front, its height.
import type { TerminalExit, TerminalId } from "../../ipc";

/** One tab of the panel. */
export interface TermTab {
  /** The tab's own key, stable for its life (the backend id only comes once it has opened). */
  key: string;
  title: string;
  /** The backend terminal, once it opened. */
  id: TerminalId | null;
  /** How its process ended, once it has. */
  exit: TerminalExit | null;
  /** Why it could not open. */
  error: string | null;
}

/** The panel of one project. */
export interface Dock {
  open: boolean;
  tabs: TermTab[];
  active: string | null;
  /** Height in pixels. */
  height: number;
}

export const DEFAULT_HEIGHT = 260;
export const MIN_HEIGHT = 120;

export const closedDock: Dock = { open: false, tabs: [], active: null, height: DEFAULT_HEIGHT };

/** Adds a tab for a terminal being opened, in front, and shows the panel. */
export function addTab(dock: Dock, key: string, title: string): Dock {
  const tab: TermTab = { key, title, id: null, exit: null, error: null };
  return { ...dock, open: true, tabs: [...dock.tabs, tab], active: key };
}

/** The backend opened the tab's terminal. */
export function tabOpened(dock: Dock, key: string, id: TerminalId, title: string): Dock {
  return patch(dock, key, { id, title });
}

/** The tab's terminal could not open. */
export function tabFailed(dock: Dock, key: string, message: string): Dock {
  return patch(dock, key, { error: message });
}

/** The tab's process ended. */
export function tabExited(dock: Dock, key: string, exit: TerminalExit): Dock {
  return patch(dock, key, { exit });
}

/** Brings a tab to the front. */
export function activateTab(dock: Dock, key: string): Dock {
  return dock.tabs.some((t) => t.key === key) ? { ...dock, active: key } : dock;
}

/**
 * Removes a tab. Closing the front tab brings its right neighbour (the left one at the end);
 * closing the last tab hides the panel.
 */
export function removeTab(dock: Dock, key: string): Dock {
  const at = dock.tabs.findIndex((t) => t.key === key);
  if (at < 0) return dock;
  const tabs = dock.tabs.filter((t) => t.key !== key);
  const active = dock.active !== key ? dock.active : (tabs[at] ?? tabs[at - 1] ?? null)?.key ?? null;
  return { ...dock, tabs, active, open: tabs.length > 0 && dock.open };
}

/** Shows or hides the panel; the terminals keep running while it is hidden. */
export function toggleDock(dock: Dock): Dock {
  return { ...dock, open: !dock.open };
}

/** Sets the height, kept between the minimum and `max` (the room there is). */
export function resizeDock(dock: Dock, height: number, max: number): Dock {
  const clamped = Math.round(Math.max(MIN_HEIGHT, Math.min(height, Math.max(MIN_HEIGHT, max))));
  return clamped === dock.height ? dock : { ...dock, height: clamped };
}

/** The tab in front. */
export function activeTab(dock: Dock): TermTab | null {
  return dock.tabs.find((t) => t.key === dock.active) ?? null;
}

/** How a process ended, in a few words for its tab. */
export function exitLabel(exit: TerminalExit): string {
  if (exit.signal) return `killed (${exit.signal})`;
  if (exit.code === 0) return "exited";
  if (exit.code !== null) return `exited with code ${exit.code}`;
  return "ended";
}

function patch(dock: Dock, key: string, change: Partial<TermTab>): Dock {
  if (!dock.tabs.some((t) => t.key === key)) return dock;
  return { ...dock, tabs: dock.tabs.map((t) => (t.key === key ? { ...t, ...change } : t)) };
}
