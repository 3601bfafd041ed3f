// The first-run welcome, at the top of the start screen: what Warden is (enforcement and
// verification, in a few lines), the agents found on this machine, and installing or logging
// in to one without leaving the window.
import type { Agents } from "../../model/useAgents";
import { AgentCard } from "../agents/AgentCard";
import { splitAgents } from "./firstRun";
import "../agents/agents.css";
import "./welcome.css";

interface Props {
  agents: Agents;
  /** Folds the welcome away (the start screen stays, with a notice while no agent is ready). */
  onSkip: () => void;
}

export function WelcomeScreen({ agents, onSkip }: Props) {
  const { main, more } = splitAgents(agents.views ?? []);
  const found = (agents.views ?? []).filter((v) => !v.custom && v.program !== null);
  const refresh = () => void agents.refresh();
  return (
    <section className="welcome" aria-labelledby="welcome-title" data-testid="welcome-screen">
      <p className="welcome-lead" id="welcome-title">
        Warden runs AI coding agents — Claude Code, Codex, Gemini CLI and other ACP agents — on your own projects, and keeps
        you in charge.
      </p>
      <div className="welcome-halves">
        <div className="welcome-half" data-testid="welcome-enforcement">
          <h2>Enforcement: the agent asks, you decide</h2>
          <p>
            Every tool call the agent wants — a command, an edit, a download — is shown before it runs. Allow it once, for the
            session or always for the project, or deny it; your rules and modes answer the routine ones.
          </p>
        </div>
        <div className="welcome-half" data-testid="welcome-verification">
          <h2>Verification: see and undo what it did</h2>
          <p>
            Every file the agent touches is journaled before and after and can be rolled back. Each turn is a chat and a tool
            timeline, and your checks and a review by another agent run when a task is done.
          </p>
        </div>
      </div>
      <h2 className="welcome-step">1. Set up an agent</h2>
      <p className="muted" data-testid="welcome-found">
        {agents.views === null
          ? "Looking for the agents on this machine…"
          : found.length === 0
            ? "No agent was found on this machine. Install one here: Warden keeps it in its own folder, for Warden only."
            : `Found ${found.map((v) => v.name).join(", ")}. Log in to one, or install another.`}
      </p>
      {agents.error && (
        <div className="inline-error" role="alert">
          {agents.error}
        </div>
      )}
      <ul className="agent-list" data-testid="agent-list">
        {main.map((v) => (
          <AgentCard key={v.kind} view={v} onChanged={refresh} />
        ))}
      </ul>
      {more.length > 0 && (
        <details className="welcome-more">
          <summary>More agents ({more.map((v) => v.name).join(", ")})</summary>
          <ul className="agent-list">
            {more.map((v) => (
              <AgentCard key={v.kind} view={v} onChanged={refresh} />
            ))}
          </ul>
        </details>
      )}
      <div className="welcome-actions">
        <button onClick={onSkip} data-testid="welcome-skip">
          Hide this
        </button>
        <span className="hint">Agents can be set up later from the Agents screen.</span>
      </div>
      <h2 className="welcome-step">2. Open a project</h2>
    </section>
  );
}
