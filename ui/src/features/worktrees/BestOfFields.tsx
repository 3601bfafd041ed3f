// The New Session dialog's "best of N" part: the agents that get the same prompt (at least two;
// the same agent may come more than once), the prompt itself, and the shared worktree base and
// setup. Each member gets its own worktree and session; the engine names their branches.
import type { AgentView, BestOfMember, Sandbox, WorktreeOptions } from "../../ipc";
import { agentKey, agentOfKey, unusableReason } from "../../model/agentStatus";
import { WorktreeBaseFields, type WorktreeDraft } from "./NewWorktreeFields";

/** The fewest members a best-of group has: one agent alone compares with nothing. */
export const MIN_MEMBERS = 2;

/** One row: the agent it runs (an agent key, as the dialog's list uses). `id` keeps React's rows apart. */
export interface MemberRow {
  id: number;
  agent: string;
}

/** What the person has set up for best of N. */
export interface BestOfDraft {
  members: MemberRow[];
  prompt: string;
  nextId: number;
}

/** Two rows of the dialog's chosen agent, and no prompt yet. */
export function initialBestOf(agent: string): BestOfDraft {
  return { members: [{ id: 1, agent }, { id: 2, agent }], prompt: "", nextId: 3 };
}

/** Why best of N cannot start yet, or null. */
export function bestOfProblem(draft: BestOfDraft, views: AgentView[] | null): string | null {
  if (draft.members.length < MIN_MEMBERS) return `Best of N needs at least ${MIN_MEMBERS} agents.`;
  const unusable = draft.members.map((m) => views?.find((v) => agentKey(v) === m.agent)).find((v) => v && unusableReason(v) !== null);
  if (unusable) return `${unusable.name} cannot start: ${unusableReason(unusable)}.`;
  if (!draft.prompt.trim()) return "Write the prompt every agent gets.";
  return null;
}

/** The members as best_of_start takes them; Codex rows run in `sandbox`. */
export function bestOfMembers(draft: BestOfDraft, sandbox: Sandbox): BestOfMember[] {
  return draft.members.map((m) => {
    const { agent, agentName } = agentOfKey(m.agent);
    return { agent, agentName, model: null, sandbox: agent === "codex" ? sandbox : null };
  });
}

/** Whether any member runs Codex (the dialog then offers the sandbox choice). */
export function anyCodex(draft: BestOfDraft): boolean {
  return draft.members.some((m) => agentOfKey(m.agent).agent === "codex");
}

/** The options of an agent list: every agent with its version or why it cannot start. */
export function AgentOptions({ views }: { views: AgentView[] | null }) {
  return (
    <>
      {!views && <option value="claude">Claude Code</option>}
      {views?.map((v) => {
        const reason = unusableReason(v);
        const note = reason ?? (v.status.state === "loginUnknown" ? "login unknown" : v.version);
        return (
          <option key={agentKey(v)} value={agentKey(v)} disabled={reason !== null}>
            {v.name}
            {note ? ` — ${note}` : ""}
          </option>
        );
      })}
    </>
  );
}

interface Props {
  views: AgentView[] | null;
  draft: BestOfDraft;
  onChange: (draft: BestOfDraft) => void;
  options: WorktreeOptions | null;
  worktree: WorktreeDraft;
  onWorktreeChange: (draft: WorktreeDraft) => void;
}

/** The member rows, the prompt, and base and setup. */
export function BestOfFields({ views, draft, onChange, options, worktree, onWorktreeChange }: Props) {
  const setAgent = (id: number, agent: string) => onChange({ ...draft, members: draft.members.map((m) => (m.id === id ? { ...m, agent } : m)) });
  const remove = (id: number) => onChange({ ...draft, members: draft.members.filter((m) => m.id !== id) });
  const add = () => {
    // A new row repeats the last agent: "the same agent twice" is the common case.
    const agent = draft.members[draft.members.length - 1]?.agent ?? "claude";
    onChange({ ...draft, members: [...draft.members, { id: draft.nextId, agent }], nextId: draft.nextId + 1 });
  };
  const atMinimum = draft.members.length <= MIN_MEMBERS;
  return (
    <div className="best-of-fields" data-testid="best-of-fields">
      <fieldset className="field">
        <legend>Agents, each in its own worktree</legend>
        <ol className="best-of-members">
          {draft.members.map((m, i) => (
            <li key={m.id} className="best-of-member" data-testid="best-of-member">
              <span className="best-of-index">{i + 1}</span>
              <select value={m.agent} onChange={(e) => setAgent(m.id, e.target.value)} aria-label={`Agent ${i + 1}`} data-testid="best-of-agent">
                <AgentOptions views={views} />
              </select>
              <button
                type="button"
                className="icon-button"
                onClick={() => remove(m.id)}
                disabled={atMinimum}
                title={atMinimum ? `At least ${MIN_MEMBERS} agents` : "Remove this agent"}
                aria-label={`Remove agent ${i + 1}`}
                data-testid="best-of-remove"
              >
                ×
              </button>
            </li>
          ))}
        </ol>
        <button type="button" className="small best-of-add" onClick={add} data-testid="best-of-add">
          + Add
        </button>
      </fieldset>
      <label className="field">
        <span>Prompt, sent to every agent</span>
        <textarea
          value={draft.prompt}
          onChange={(e) => onChange({ ...draft, prompt: e.target.value })}
          rows={4}
          placeholder="What should each of them do?"
          data-testid="best-of-prompt"
        />
      </label>
      <WorktreeBaseFields options={options} draft={worktree} onChange={onWorktreeChange} copy={false} />
    </div>
  );
}
