// What the start screen says about agents: on a first run (no projects, no agent ready) the
// welcome; with projects but no agent ready, a notice; else nothing. Once shown, the welcome
// stays until the person leaves it, also after an agent was installed from it (its log stays
// readable).
import { useEffect, useState } from "react";
import { useAgents } from "../../model/useAgents";
import { AgentSetupNotice } from "../agents/AgentSetupNotice";
import { WelcomeScreen } from "./WelcomeScreen";
import { agentSetup } from "./firstRun";
import "./welcome.css";

interface Props {
  /** Whether any project was opened before (the recent list). */
  hasProjects: boolean;
  onShowAgents: () => void;
}

export function FirstRun({ hasProjects, onShowAgents }: Props) {
  const agents = useAgents();
  const setup = agentSetup(hasProjects, agents.views, agents.error !== null);
  const [welcome, setWelcome] = useState<boolean | null>(null);
  useEffect(() => {
    if (welcome === null && setup !== "pending") setWelcome(setup === "welcome");
  }, [setup, welcome]);

  // Decided in this render already, so the notice never flashes before the welcome.
  const showWelcome = welcome ?? setup === "welcome";
  if (showWelcome) return <WelcomeScreen agents={agents} onSkip={() => setWelcome(false)} />;
  if (setup === "notice" || setup === "welcome") return <AgentSetupNotice onSetUp={onShowAgents} />;
  return null;
}
