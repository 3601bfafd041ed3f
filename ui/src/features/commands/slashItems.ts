// The `/` list: the agent's own commands (as its last `agentCommands` event listed them) and
// Warden's actions, one list, filtered by what is typed after the slash.
import type { AgentCommand } from "../../ipc";
import { WARDEN_COMMANDS, type WardenActionId, type WardenActions } from "./wardenCommands";

/** One row of the list. */
export interface SlashItem {
  /** Unique in the list (an agent command and a Warden action may share a name). */
  key: string;
  name: string;
  description: string;
  /** What to type after the name, when the command takes anything. */
  argumentHint: string | null;
  /** Other names that run it. */
  aliases: string[];
  /** The agent's command (sent as a prompt `/name …`) or Warden's action (run in the window). */
  source: "agent" | "warden";
  /** The Warden action, for Warden's rows. */
  action: WardenActionId | null;
}

/** The agent's commands (none when it never listed any), then Warden's actions that have a handler. */
export function slashItems(agent: readonly AgentCommand[] | null, actions: WardenActions): SlashItem[] {
  const agents: SlashItem[] = (agent ?? []).map((c) => ({
    key: `agent:${c.name}`,
    name: c.name,
    description: c.description,
    argumentHint: c.argumentHint,
    aliases: c.aliases ?? [],
    source: "agent",
    action: null,
  }));
  const wardens: SlashItem[] = WARDEN_COMMANDS.filter((w) => actions[w.id] !== undefined).map((w) => ({
    key: `warden:${w.id}`,
    name: w.name,
    description: w.description,
    argumentHint: null,
    aliases: [],
    source: "warden",
    action: w.id,
  }));
  return [...agents, ...wardens];
}

/**
 * The name typed so far when the box holds a `/` command being named: the text starts with `/`
 * and the caret is still in that first word. `null`: no list (ordinary text, or the name is
 * done and the arguments are being typed).
 */
export function slashQuery(text: string, caret: number): string | null {
  if (!text.startsWith("/") || caret < 1) return null;
  const typed = text.slice(1, caret);
  if (/\s/.test(typed)) return null;
  return typed;
}

/**
 * The rows matching `query` (case-insensitive): names starting with it first, then aliases
 * starting with it, then names containing it; the list's order within each.
 */
export function filterSlash(items: readonly SlashItem[], query: string): SlashItem[] {
  const q = query.toLowerCase();
  const rank = (item: SlashItem): number => {
    const name = item.name.toLowerCase();
    if (name.startsWith(q)) return 0;
    if (item.aliases.some((a) => a.toLowerCase().startsWith(q))) return 1;
    if (name.includes(q)) return 2;
    return -1;
  };
  return items
    .map((item, at) => ({ item, at, rank: rank(item) }))
    .filter((r) => r.rank >= 0)
    .sort((a, b) => a.rank - b.rank || a.at - b.at)
    .map((r) => r.item);
}

/** The text the box holds after picking an agent command: its name and a space for the arguments. */
export function commandText(item: SlashItem): string {
  return `/${item.name} `;
}
