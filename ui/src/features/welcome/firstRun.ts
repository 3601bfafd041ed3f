// When the window explains Warden and offers to set up an agent: the full welcome on a first
// run (no project ever opened, no agent ready), a lighter notice once there are projects.
import type { AgentView } from "../../ipc";
import { anyAgentReady } from "../agents/ready";

/** The agents the welcome puts first; the others are one click further. */
export const MAIN_AGENTS: readonly string[] = ["claude", "codex", "gemini"];

/**
 * What the start screen shows about agents: `welcome` (no projects, no agent ready),
 * `notice` (projects, but no agent ready), or nothing; `pending` while the list is not known
 * and a welcome is possible.
 */
export function agentSetup(hasProjects: boolean, views: AgentView[] | null, failed: boolean): "welcome" | "notice" | "pending" | null {
  if (views === null) return hasProjects || failed ? null : "pending";
  if (anyAgentReady(views)) return null;
  return hasProjects ? "notice" : "welcome";
}

/** The preset agents split into the main ones and the rest, each in the backend's order. */
export function splitAgents(views: AgentView[]): { main: AgentView[]; more: AgentView[] } {
  const presets = views.filter((v) => !v.custom);
  return {
    main: presets.filter((v) => MAIN_AGENTS.includes(v.kind)),
    more: presets.filter((v) => !MAIN_AGENTS.includes(v.kind)),
  };
}
