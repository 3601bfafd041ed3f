// Adding or editing a custom ACP agent: its name, the command that starts it, its arguments and
// environment. The backend checks the name against the built-in and the other custom agents.
import { useState, type FormEvent } from "react";
import { Dialog } from "../../shared/Dialog";
import { agents, type CustomAgent } from "../../ipc";
import { agentOf, draftOf, EMPTY_DRAFT, type CustomDraft } from "./customDraft";

interface Props {
  /** The agent being edited; null adds one. */
  editing: CustomAgent | null;
  onSaved: (agent: CustomAgent) => void;
  onCancel: () => void;
}

export function CustomAgentDialog({ editing, onSaved, onCancel }: Props) {
  const [draft, setDraft] = useState<CustomDraft>(editing ? draftOf(editing) : EMPTY_DRAFT);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const set = (field: keyof CustomDraft) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [field]: e.target.value }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const made = agentOf(draft);
    if (!made.ok) {
      setError(made.error);
      return;
    }
    setSaving(true);
    const saved = await agents.saveCustom(editing?.name ?? null, made.agent);
    setSaving(false);
    if (saved.ok) onSaved(saved.value);
    else setError(saved.error.message);
  };

  return (
    <Dialog title={editing ? `Edit ${editing.name}` : "Add a custom agent"} onCancel={onCancel} testId="custom-agent-dialog">
      <form className="form" onSubmit={(e) => void submit(e)}>
        <p className="muted custom-intro">Any program that speaks the Agent Client Protocol (ACP) on its standard input and output.</p>
        <label className="field">
          <span>Name</span>
          <input value={draft.name} onChange={set("name")} placeholder="My agent" data-testid="custom-agent-name" data-autofocus />
        </label>
        <label className="field">
          <span>Command</span>
          <input
            value={draft.command}
            onChange={set("command")}
            placeholder="/path/to/agent, or a name on PATH"
            spellCheck={false}
            data-testid="custom-agent-command"
          />
        </label>
        <label className="field">
          <span>Arguments</span>
          <input value={draft.args} onChange={set("args")} placeholder='--acp "--flag with spaces"' spellCheck={false} data-testid="custom-agent-args" />
        </label>
        <label className="field">
          <span>Environment</span>
          <textarea
            value={draft.env}
            onChange={set("env")}
            rows={3}
            placeholder={"NAME=value, one per line"}
            spellCheck={false}
            data-testid="custom-agent-env"
          />
        </label>
        {error && (
          <div className="inline-error" role="alert" data-testid="custom-agent-error">
            {error}
          </div>
        )}
        <div className="dialog-buttons">
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={saving} data-testid="custom-agent-save">
            {editing ? "Save" : "Add agent"}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
