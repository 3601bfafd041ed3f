// The session list's order with best-of groups: the sessions of a group are shown together,
// in one block where its newest session would be, its members in the order they were started.
import type { BestOfEntry, SessionRecord } from "../../ipc";
import { agentLabel } from "../../shared/agentNames";

/** One entry of the list: a session alone, or a best-of group's sessions. */
export type ListItem = { kind: "session"; record: SessionRecord } | { kind: "group"; id: string; records: SessionRecord[] };

/** The tab id of a group's compare view (not a session: the project view shows the compare view for it). */
export function compareTabId(group: string): string {
  return `compare:${group}`;
}

/** The group of a compare tab id, or null for any other tab. */
export function compareGroupOf(tabId: string): string | null {
  return tabId.startsWith("compare:") ? tabId.slice("compare:".length) : null;
}

/** `list` (newest first) with each group's sessions gathered at its newest one. */
export function groupSessions(list: SessionRecord[]): ListItem[] {
  const members = new Map<string, SessionRecord[]>();
  for (const record of list) {
    if (!record.group) continue;
    const group = members.get(record.group) ?? [];
    group.push(record);
    members.set(record.group, group);
  }
  const items: ListItem[] = [];
  const placed = new Set<string>();
  for (const record of list) {
    if (!record.group) items.push({ kind: "session", record });
    else if (!placed.has(record.group)) {
      placed.add(record.group);
      const records = [...(members.get(record.group) ?? [])].sort((a, b) => a.createdMs - b.createdMs || a.id.localeCompare(b.id));
      items.push({ kind: "group", id: record.group, records });
    }
  }
  return items;
}

/**
 * A member as the person knows it: "Codex (2)" with its place in the group (two of the same
 * agent stay apart), or "Codex on warden/fix-login-2" without.
 */
export function memberName(entry: BestOfEntry, index?: number): string {
  const agent = agentLabel(entry.session.agent, entry.session.agentName);
  return index ? `${agent} (${index})` : `${agent} on ${entry.worktree?.branch ?? entry.session.worktree?.branch ?? "its branch"}`;
}
