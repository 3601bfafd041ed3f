// Whether any agent can start a session: the Agents screen and the first-run welcome say so
// when none can.
import type { AgentView } from "../../ipc";
import { usable } from "../../model/agentStatus";

/** Whether any agent (preset or custom) can start a session now. */
export function anyAgentReady(views: AgentView[]): boolean {
  return views.some((v) => usable(v.status));
}
