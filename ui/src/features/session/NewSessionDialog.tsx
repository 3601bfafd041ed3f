// "New session": which agent, how freely it may act, Codex's sandbox, and optionally which model;
// optionally in a new git worktree, or as best of N (the same prompt to several agents, each in
// its own worktree).
import { useEffect, useState, type FormEvent, type ReactNode } from "react";
import type { AgentView, BestOfMember, IpcError, PermissionMode, Sandbox, SessionStart } from "../../ipc";
import { Dialog } from "../../shared/Dialog";
import { agentKey, agentOfKey, unusableReason } from "../../model/agentStatus";
import { emptyWorktreeDraft, NewWorktreeFields, useWorktreeOptions, worktreeStart, type LoadWorktreeOptions, type WorktreeDraft } from "../worktrees/NewWorktreeFields";
import { AgentOptions, anyCodex, bestOfMembers, bestOfProblem, BestOfFields, initialBestOf, type BestOfDraft } from "../worktrees/BestOfFields";
import { useAgents } from "../../model/useAgents";
import { BypassWarning } from "../permissions/panel/BypassWarning";
import { ModeLimits } from "../permissions/panel/ModeLimits";
import { MODES } from "../permissions/panel/modes";
import "./session.css";

/** What the person chose. */
export type NewSessionChoice = SessionStart;

/** What best of N starts: every member on the same prompt, from one base. */
export interface BestOfChoice {
  prompt: string;
  members: BestOfMember[];
  mode: PermissionMode;
  base: string | null;
  runSetup: boolean;
}

interface Props {
  projectName: string;
  onStart: (choice: NewSessionChoice) => Promise<IpcError | null>;
  onCancel: () => void;
  /** Above the session's choices: what else can start here (the project's pipelines), given the chosen permission mode. */
  pipelines?: (mode: PermissionMode) => ReactNode;
  /** Reads the project's worktree options; without it the dialog offers no worktree. */
  worktreeOptions?: LoadWorktreeOptions;
  /** Starts best of N; without it the dialog does not offer it. */
  onStartBestOf?: (choice: BestOfChoice) => Promise<IpcError | null>;
}

/** Codex's sandboxes, least to most freedom. */
const SANDBOXES: { sandbox: Sandbox; label: string; hint: string }[] = [
  { sandbox: "readOnly", label: "Read only", hint: "commands may read; every change asks" },
  { sandbox: "workspaceWrite", label: "Workspace write", hint: "allowed commands may change the project; more needs its own yes" },
  { sandbox: "fullAccess", label: "Full access", hint: "no sandbox at all" },
];

/** The agent to preselect: Claude Code while the list loads or when usable, else the first usable one. */
export function preferredAgent(views: AgentView[] | null, current: string): string {
  if (!views) return current;
  const usable = views.filter((v) => unusableReason(v) === null);
  if (usable.some((v) => agentKey(v) === current)) return current;
  const first = usable[0];
  return first ? agentKey(first) : current;
}

/** The dialog that starts a session in a project. */
export function NewSessionDialog({ projectName, onStart, onCancel, pipelines, worktreeOptions, onStartBestOf }: Props) {
  const { views, error: listError } = useAgents();
  const [agent, setAgent] = useState("claude");
  // A choice the person made is kept when the list arrives; only the default may move.
  const [picked, setPicked] = useState(false);
  const [mode, setMode] = useState<PermissionMode>("default");
  // Bypass starts only after the person ticked that they understand it; choosing another mode
  // and coming back asks again. Full access does the same for Codex's sandbox.
  const [understood, setUnderstood] = useState(false);
  const [sandbox, setSandbox] = useState<Sandbox>("workspaceWrite");
  const [sandboxUnderstood, setSandboxUnderstood] = useState(false);
  const [model, setModel] = useState("");
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<IpcError | null>(null);
  const [where, setWhere] = useState<"here" | "worktree" | "bestOf">("here");
  const [worktree, setWorktree] = useState<WorktreeDraft>(emptyWorktreeDraft);
  const [bestOf, setBestOf] = useState<BestOfDraft | null>(null);
  const { options, error: optionsError } = useWorktreeOptions(worktreeOptions, worktree.title);

  useEffect(() => {
    if (!picked) setAgent((current) => preferredAgent(views, current));
  }, [views, picked]);

  const chosen = agentOfKey(agent);
  const group = where === "bestOf" ? (bestOf ?? initialBestOf(agent)) : null;
  const codex = group ? anyCodex(group) : chosen.agent === "codex";
  const view = views?.find((v) => agentKey(v) === agent) ?? null;
  const unusable = group ? null : view ? unusableReason(view) : null;
  // A worktree needs a usable repository and a title; best of N its members and prompt.
  const worktreeProblem =
    where === "here" ? null : !options ? "Reading the repository…" : !options.usable ? (options.problem ?? "This project cannot have worktrees.") : null;
  const missing = group ? bestOfProblem(group, views) : where === "worktree" && !worktree.title.trim() ? "title" : null;
  const blocked =
    (mode === "bypass" && !understood) || (codex && sandbox === "fullAccess" && !sandboxUnderstood) || unusable !== null || worktreeProblem !== null || missing !== null;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (blocked || starting) return;
    setStarting(true);
    setError(null);
    let failed: IpcError | null;
    if (group && onStartBestOf) {
      const start = worktreeStart(worktree, options);
      failed = await onStartBestOf({ prompt: group.prompt.trim(), members: bestOfMembers(group, sandbox), mode, base: start.base ?? null, runSetup: start.runSetup ?? false });
    } else {
      const choice: NewSessionChoice = { mode, model: model.trim() || null, ...chosen, sandbox: codex ? sandbox : null };
      if (where === "worktree") choice.worktree = worktreeStart(worktree, options);
      failed = await onStart(choice);
    }
    // Whatever failed, the person's input stays as it was for another try.
    setStarting(false);
    setError(failed);
  };
  const choose = (next: "here" | "worktree" | "bestOf") => {
    setWhere(next);
    if (next === "bestOf" && !bestOf) setBestOf(initialBestOf(agent));
  };
  const making = where === "here" ? null : worktreeStart(worktree, options).runSetup ? "running setup" : null;

  return (
    <Dialog title={`New session in ${projectName}`} onCancel={onCancel} testId="new-session-dialog">
      {pipelines?.(mode)}
      <form onSubmit={(e) => void submit(e)} className="form">
        {worktreeOptions && (
          <WhereChoice
            where={where}
            onChoose={choose}
            problem={options && !options.usable ? (options.problem ?? "This project cannot have worktrees.") : null}
            loading={!options && !optionsError}
            readError={optionsError}
            bestOf={!!onStartBestOf}
          />
        )}
        {where === "worktree" && <NewWorktreeFields options={options} draft={worktree} onChange={setWorktree} />}
        {group && (
          <BestOfFields views={views} draft={group} onChange={setBestOf} options={options} worktree={worktree} onWorktreeChange={setWorktree} />
        )}
        {!group && (
          <label className="field">
            <span>Agent</span>
            <select
              value={agent}
              aria-label="Agent"
              data-testid="agent-select"
              onChange={(e) => {
                setAgent(e.target.value);
                setPicked(true);
                setSandboxUnderstood(false);
              }}
            >
              <AgentOptions views={views} />
            </select>
            <AgentHint loading={!views && !listError} listError={listError} view={view} unusable={unusable} />
          </label>
        )}
        <fieldset className="field">
          <legend>Permissions</legend>
          {MODES.map((m) => (
            <label key={m.mode} className="radio">
              <input
                type="radio"
                name="mode"
                value={m.mode}
                checked={mode === m.mode}
                onChange={() => {
                  setMode(m.mode);
                  setUnderstood(false);
                }}
                data-testid={`mode-${m.mode}`}
              />
              <span>
                {m.label}
                <span className="hint"> — {m.hint}</span>
              </span>
            </label>
          ))}
          {mode === "bypass" && (
            <div className="bypass-start">
              <BypassWarning />
              <label className="radio">
                <input type="checkbox" checked={understood} onChange={(e) => setUnderstood(e.target.checked)} data-testid="bypass-understand" />
                <span>I understand: this session's agent will act without asking.</span>
              </label>
            </div>
          )}
          <ModeLimits agent={group ? agentOfKey(group.members[0]?.agent ?? agent).agent : chosen.agent} />
        </fieldset>
        {codex && (
          <fieldset className="field" data-testid="sandbox-choice">
            <legend>Sandbox</legend>
            {SANDBOXES.map((s) => (
              <label key={s.sandbox} className="radio">
                <input
                  type="radio"
                  name="sandbox"
                  value={s.sandbox}
                  checked={sandbox === s.sandbox}
                  onChange={() => {
                    setSandbox(s.sandbox);
                    setSandboxUnderstood(false);
                  }}
                  data-testid={`sandbox-${s.sandbox}`}
                />
                <span>
                  {s.label}
                  <span className="hint"> — {s.hint}</span>
                </span>
              </label>
            ))}
            {sandbox === "fullAccess" && (
              <div className="sandbox-start">
                <div className="bypass-warning" role="note" data-testid="sandbox-warning">
                  <strong>Full access has no sandbox.</strong> Codex's commands can change any file your account can change
                  and reach the network. Choose it only for work you would let run unattended.
                </div>
                <label className="radio">
                  <input
                    type="checkbox"
                    checked={sandboxUnderstood}
                    onChange={(e) => setSandboxUnderstood(e.target.checked)}
                    data-testid="sandbox-understand"
                  />
                  <span>I understand: this session's commands run without a sandbox.</span>
                </label>
              </div>
            )}
          </fieldset>
        )}
        {!group && (
          <label className="field">
            <span>Model</span>
            <input value={model} onChange={(e) => setModel(e.target.value)} placeholder="The agent's default" spellCheck={false} />
          </label>
        )}
        {group && missing && (
          <p className="agent-option-hint" data-testid="best-of-problem">
            {missing}
          </p>
        )}
        {starting && where !== "here" && (
          <p className="worktree-progress" role="status" data-testid="worktree-progress">
            {where === "bestOf" ? "Making the worktrees…" : "Making the worktree…"}
            {making ? ` ${making}` : ""}
          </p>
        )}
        {error && (
          <div className="inline-error" role="alert" data-testid="start-error">
            {error.message}
          </div>
        )}
        <div className="dialog-buttons">
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={starting || blocked} data-autofocus data-testid="start-session">
            {starting ? "Starting…" : group ? `Start ${group.members.length} Sessions` : "Start Session"}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/**
 * Where the session works: the project folder, a new worktree, or best of N. Both worktree
 * choices are shown for every project and disabled, with the reason in words, where git cannot
 * make a worktree.
 */
function WhereChoice({
  where,
  onChoose,
  problem,
  loading,
  readError,
  bestOf,
}: {
  where: "here" | "worktree" | "bestOf";
  onChoose: (where: "here" | "worktree" | "bestOf") => void;
  problem: string | null;
  loading: boolean;
  readError: IpcError | null;
  bestOf: boolean;
}) {
  const disabled = problem !== null || (loading && where === "here") || (readError !== null && where === "here");
  return (
    <fieldset className="field where-choice">
      <label className="radio">
        <input
          type="checkbox"
          checked={where === "worktree"}
          disabled={disabled && where !== "worktree"}
          onChange={(e) => onChoose(e.target.checked ? "worktree" : "here")}
          data-testid="new-session-worktree"
        />
        <span>
          In a new worktree
          <span className="hint"> — its own branch and folder, so other sessions do not see its changes</span>
        </span>
      </label>
      {bestOf && (
        <label className="radio">
          <input
            type="checkbox"
            checked={where === "bestOf"}
            disabled={disabled && where !== "bestOf"}
            onChange={(e) => onChoose(e.target.checked ? "bestOf" : "here")}
            data-testid="new-session-best-of"
          />
          <span>
            Best of N: the same prompt with several agents
            <span className="hint"> — each in its own worktree; compare them, keep the best</span>
          </span>
        </label>
      )}
      {problem && (
        <span className="agent-option-hint" data-testid="worktree-problem">
          No worktree here: {problem}
        </span>
      )}
      {readError && (
        <span className="agent-option-hint" data-testid="worktree-problem">
          Could not read the repository: {readError.message}
        </span>
      )}
    </fieldset>
  );
}

/**
 * The line under the agent list: looking, why the list failed, why the chosen agent cannot
 * start, or what was found. Always one line, so the dialog keeps its size when the list arrives
 * and the Start button does not move under a click.
 */
function AgentHint({ loading, listError, view, unusable }: { loading: boolean; listError: string | null; view: AgentView | null; unusable: string | null }) {
  if (loading) return <span className="agent-option-hint" data-testid="agent-hint">Looking for agents…</span>;
  if (listError) return <span className="agent-option-hint" data-testid="agent-hint">Could not list the agents: {listError}</span>;
  if (unusable)
    return (
      <span className="agent-option-hint" data-testid="agent-unusable">
        {view?.name} cannot start: {unusable}. See the Agents screen.
      </span>
    );
  // The list shows the version; the path says which install it is.
  const found = view?.program ?? "";
  return (
    <span className="agent-option-hint one-line" title={found} data-testid="agent-hint">
      {found || "\u00a0"}
    </span>
  );
}
