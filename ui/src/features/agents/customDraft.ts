// The custom agent form's fields as typed, and the definition they make: arguments on one line
// (quotes group words), environment variables one per line as NAME=value.
import type { CustomAgent } from "../../ipc";

export interface CustomDraft {
  name: string;
  command: string;
  args: string;
  env: string;
}

export const EMPTY_DRAFT: CustomDraft = { name: "", command: "", args: "", env: "" };

/** The form's fields for an existing definition. */
export function draftOf(agent: CustomAgent): CustomDraft {
  return {
    name: agent.name,
    command: agent.command,
    args: joinArgs(agent.args ?? []),
    env: (agent.env ?? []).map((v) => `${v.name}=${v.value}`).join("\n"),
  };
}

/** Arguments as one line, quoting those a space would split. */
export function joinArgs(args: string[]): string {
  return args.map((a) => (a === "" || /[\s"']/.test(a) ? `"${a.replace(/(["\\])/g, "\\$1")}"` : a)).join(" ");
}

/** Words of a line: spaces separate, "double" or 'single' quotes group, a backslash escapes. */
export function splitArgs(line: string): { ok: true; args: string[] } | { ok: false; error: string } {
  const args: string[] = [];
  let word: string | null = null;
  let quote: '"' | "'" | null = null;
  const chars = [...line];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] ?? "";
    if (quote) {
      if (c === quote) quote = null;
      else if (c === "\\" && quote === '"' && i + 1 < chars.length) word = (word ?? "") + chars[++i];
      else word = (word ?? "") + c;
    } else if (c === '"' || c === "'") {
      quote = c;
      word ??= "";
    } else if (c === "\\" && i + 1 < chars.length) {
      word = (word ?? "") + chars[++i];
    } else if (/\s/.test(c)) {
      if (word !== null) args.push(word);
      word = null;
    } else {
      word = (word ?? "") + c;
    }
  }
  if (quote) return { ok: false, error: `The arguments have an unclosed ${quote} quote.` };
  if (word !== null) args.push(word);
  return { ok: true, args };
}

/** The definition the fields make, or what is wrong with them. The backend checks names against the other agents. */
export function agentOf(draft: CustomDraft): { ok: true; agent: CustomAgent } | { ok: false; error: string } {
  const name = draft.name.trim();
  const command = draft.command.trim();
  if (!name) return { ok: false, error: "Give the agent a name." };
  if (!command) return { ok: false, error: "Give the command that starts the agent." };
  const args = splitArgs(draft.args);
  if (!args.ok) return args;
  const env = [];
  for (const raw of draft.env.split("\n")) {
    const line = raw.trim();
    if (!line) continue;
    const eq = line.indexOf("=");
    if (eq <= 0) return { ok: false, error: `"${line}" is not NAME=value.` };
    env.push({ name: line.slice(0, eq).trim(), value: line.slice(eq + 1) });
  }
  return { ok: true, agent: { name, command, args: args.args, env } };
}
