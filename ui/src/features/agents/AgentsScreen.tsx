// The Agents screen: every agent Warden can run, whether it is ready and why not, installing
// the missing ones, and the custom ACP agents.
import { useState } from "react";
import { agents, type CustomAgent } from "../../ipc";
import { AgentCard } from "./AgentCard";
import { CustomAgentDialog } from "./CustomAgentDialog";
import { useAgents } from "../../model/useAgents";
import { AgentSetupNotice } from "./AgentSetupNotice";
import { anyAgentReady } from "./ready";
import "./agents.css";

interface Props {
  onClose: () => void;
  /** Where a remote project runs ("ssh: dev@box"): the agents listed, installed and logged in
   * to are its host's (the calls go there while its project is in front); custom agents stay this
   * machine's and are not shown. */
  host?: string;
}

export function AgentsScreen({ onClose, host }: Props) {
  const { views, error, loading, refresh } = useAgents();
  // "new" while adding; the definition while editing one.
  const [editing, setEditing] = useState<CustomAgent | "new" | null>(null);
  const [removing, setRemoving] = useState<string | null>(null);
  const [removeError, setRemoveError] = useState<string | null>(null);
  const presets = views?.filter((v) => !v.custom) ?? [];
  const custom = views?.filter((v) => v.custom) ?? [];

  const remove = async (name: string) => {
    const removed = await agents.removeCustom(name);
    setRemoving(null);
    setRemoveError(removed.ok ? null : removed.error.message);
    void refresh();
  };

  return (
    <section className="agents-screen" aria-labelledby="agents-title" data-testid="agents-screen" aria-busy={loading}>
      <header className="agents-header">
        <h1 id="agents-title">{host ? `Agents on ${host}` : "Agents"}</h1>
        <span className="muted">
          {loading ? "Looking for agents…" : `Found on ${host ? "the host's " : ""}PATH, in the usual install folders and in Warden's own agents folder${host ? " there" : ""}`}
        </span>
        <span className="agent-spacer" />
        <button onClick={() => void refresh(true)} disabled={loading} data-testid="agents-refresh">
          Refresh
        </button>
        <button onClick={onClose} data-testid="agents-close">
          Close
        </button>
      </header>
      {error && (
        <div className="inline-error" role="alert" data-testid="agents-error">
          {error}
        </div>
      )}
      {views && !anyAgentReady(views) && <AgentSetupNotice />}
      {views && (
        <ul className="agent-list" data-testid="agent-list">
          {presets.map((v) => (
            <AgentCard key={v.kind} view={v} onChanged={() => void refresh()} />
          ))}
        </ul>
      )}
      {!host && (
        <>
          <h2>Custom agents</h2>
          <p className="muted">Your own ACP agents. Sessions start them with the command, arguments and environment given here.</p>
          {removeError && (
            <div className="inline-error" role="alert">
              {removeError}
            </div>
          )}
          {custom.length > 0 && (
            <ul className="agent-list" data-testid="custom-agent-list">
              {custom.map((v) => (
                <AgentCard key={v.name} view={v} onChanged={() => void refresh()}>
                  {removing === v.name ? (
                    <>
                      <span>Remove {v.name}? Its past sessions stay.</span>
                      <button className="danger" onClick={() => void remove(v.name)} data-testid="custom-agent-remove-confirm">
                        Remove
                      </button>
                      <button onClick={() => setRemoving(null)}>Keep</button>
                    </>
                  ) : (
                    <>
                      <button onClick={() => setEditing(v.custom)} data-testid="custom-agent-edit">
                        Edit…
                      </button>
                      <button onClick={() => setRemoving(v.name)} data-testid="custom-agent-remove">
                        Remove…
                      </button>
                    </>
                  )}
                </AgentCard>
              ))}
            </ul>
          )}
          <button className="primary add-custom" onClick={() => setEditing("new")} data-testid="custom-agent-add">
            Add custom agent…
          </button>
        </>
      )}
      {editing && (
        <CustomAgentDialog
          editing={editing === "new" ? null : editing}
          onCancel={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            void refresh();
          }}
        />
      )}
    </section>
  );
}
