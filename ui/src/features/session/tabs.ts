// Which sessions a project has open in tabs, and which one is in front. Pure functions over a
// small value, so the rules (where focus goes when a tab closes) are tested without a window.
import type { SessionId } from "../../ipc";

/** A project's session tabs. */
export interface Tabs {
  open: SessionId[];
  active: SessionId | null;
}

/** No tabs. */
export const noTabs: Tabs = { open: [], active: null };

/** Opens `id` in a tab (or goes to its tab) and brings it to the front. */
export function openTab(tabs: Tabs, id: SessionId): Tabs {
  const open = tabs.open.includes(id) ? tabs.open : [...tabs.open, id];
  return { open, active: id };
}

/** Closes a tab; the tab to its right comes to the front, or the one to its left at the end. */
export function closeTab(tabs: Tabs, id: SessionId): Tabs {
  const index = tabs.open.indexOf(id);
  if (index < 0) return tabs;
  const open = tabs.open.filter((t) => t !== id);
  if (tabs.active !== id) return { open, active: tabs.active };
  return { open, active: open[Math.min(index, open.length - 1)] ?? null };
}

/** Replaces a tab's session (a read-only history that became a live session keeps its place). */
export function replaceTab(tabs: Tabs, from: SessionId, to: SessionId): Tabs {
  if (!tabs.open.includes(from)) return openTab(tabs, to);
  const open = tabs.open.filter((t) => t !== to).map((t) => (t === from ? to : t));
  return { open, active: tabs.active === from ? to : tabs.active };
}

/** The tab `step` places to the right (negative: left) of the front one, wrapping around. */
export function cycleTab(tabs: Tabs, step: number): Tabs {
  if (tabs.open.length === 0) return tabs;
  const index = tabs.active ? tabs.open.indexOf(tabs.active) : 0;
  const next = (index + step + tabs.open.length) % tabs.open.length;
  return { open: tabs.open, active: tabs.open[next] ?? null };
}
