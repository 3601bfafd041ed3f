// Agents' names for people, wherever a session says which agent runs it.
import type { AgentKind, AgentProtocol } from "../ipc";

/** The name of each built-in agent (the same as the backend's preset catalog). */
export const AGENT_NAMES: Record<AgentKind, string> = {
  claude: "Claude Code",
  codex: "Codex",
  gemini: "Gemini CLI",
  claudeAcp: "Claude Code (ACP adapter)",
  codexAcp: "Codex (ACP adapter)",
  goose: "goose",
  opencode: "opencode",
  custom: "Custom agent",
};

/** A session's agent in words: a custom agent by its own name, a built-in one by its name. Older records have no agent: Claude Code. */
export function agentLabel(kind: AgentKind | null | undefined, customName?: string | null): string {
  if (kind === "custom" && customName) return customName;
  return AGENT_NAMES[kind ?? "claude"];
}

/** The wire protocol in words. */
export const PROTOCOL_NAMES: Record<AgentProtocol, string> = {
  claudeStream: "Claude stream-json",
  codexAppServer: "Codex app-server",
  acp: "Agent Client Protocol",
};

/** The agent of an open session, from its transcript's start event; Claude Code until one arrived. */
export function sessionAgentLabel(started: { agent: AgentKind } | null | undefined): string {
  return agentLabel(started?.agent);
}
