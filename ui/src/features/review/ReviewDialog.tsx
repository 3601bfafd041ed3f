// "Review with…": which agent reviews (another vendor's preselected: a second opinion from a
// different model), its model, what the person wants looked at, and what is reviewed (the
// current task, a turn, the whole session, or everything changed since a git branch or commit).
// The review runs in the background; its progress shows in the review view.
import "./review.css";
import { useEffect, useMemo, useState } from "react";
import { reviews, type AgentKind, type AgentView, type IpcError, type ReviewScope } from "../../ipc";
import { agentKey, agentOfKey } from "../../model/agentStatus";
import type { Transcript } from "../../model/transcript";
import { Dialog } from "../../shared/Dialog";

interface Props {
  sessionId: string;
  transcript: Transcript;
  /** What the person asked to review from (the header: the task or the session; a turn's line). */
  scope: ReviewScope;
  onClose: () => void;
  onStarted: (scope: ReviewScope) => void;
}

/** Agents by vendor: a reviewer of another vendor than the coding agent is preselected. */
const VENDOR: Partial<Record<AgentKind, string>> = {
  claude: "anthropic",
  claudeAcp: "anthropic",
  codex: "openai",
  codexAcp: "openai",
  gemini: "google",
};

/** The agent to preselect for a session of `coder`: the first usable one of another vendor. */
export function preferredReviewer(coder: AgentKind | null, views: readonly AgentView[]): string | null {
  const vendor = coder ? VENDOR[coder] : undefined;
  const order: AgentKind[] = ["codex", "claude", "gemini", "codexAcp", "claudeAcp", "goose", "opencode", "custom"];
  const sorted = [...views].sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
  const other = sorted.find((v) => VENDOR[v.kind] !== undefined && VENDOR[v.kind] !== vendor && v.kind !== coder);
  const first = other ?? sorted.find((v) => v.kind !== coder) ?? sorted[0];
  return first ? agentKey(first) : null;
}

export function ReviewDialog({ sessionId, transcript, scope: initial, onClose, onStarted }: Props) {
  const [views, setViews] = useState<AgentView[] | null>(null);
  const [listError, setListError] = useState<string | null>(null);
  const [agent, setAgent] = useState<string>("");
  const [model, setModel] = useState("");
  const [instructions, setInstructions] = useState("");
  const [scopeKey, setScopeKey] = useState(keyOf(initial));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<IpcError | null>(null);
  const coder = transcript.started?.agent ?? null;

  useEffect(() => {
    let live = true;
    void reviews.agents().then((listed) => {
      if (!live) return;
      if (!listed.ok) return setListError(listed.error.message);
      setViews(listed.value);
      setAgent((was) => was || preferredReviewer(coder, listed.value) || "");
    });
    return () => {
      live = false;
    };
  }, [coder]);

  const [base, setBase] = useState(initial.type === "base" ? initial.base : "");
  const scopes = useMemo(() => scopeChoices(transcript, initial), [transcript, initial]);
  const againstBase = scopeKey === BASE_KEY;
  const baseProblem = againstBase ? baseNameProblem(base.trim()) : null;
  const chosen: ReviewScope = againstBase ? { type: "base", base: base.trim() } : (scopes.find((s) => keyOf(s.scope) === scopeKey)?.scope ?? initial);

  const start = async () => {
    if (!agent || baseProblem) return;
    setBusy(true);
    const { agent: kind, agentName } = agentOfKey(agent);
    const outcome = await reviews.start(sessionId, chosen, kind, agentName, model.trim() || null, instructions.trim() || null);
    setBusy(false);
    if (outcome.ok) onStarted(chosen);
    else setError(outcome.error);
  };

  return (
    <Dialog title="Review with…" onCancel={onClose} testId="review-dialog">
      <div className="review-form">
        <label>
          Reviewer
          <select value={agent} onChange={(e) => setAgent(e.target.value)} disabled={!views} data-testid="review-agent">
            {!views && <option value="">Looking for agents…</option>}
            {views?.map((v) => (
              <option key={agentKey(v)} value={agentKey(v)}>
                {v.name}
                {v.kind === coder ? " (the coding agent)" : ""}
              </option>
            ))}
          </select>
        </label>
        {views?.length === 0 && <p className="muted">No agent can review now: install or log in to one in Agents.</p>}
        {listError && <p className="inline-error">{listError}</p>}
        <label>
          Model
          <input value={model} onChange={(e) => setModel(e.target.value)} placeholder="The agent's default" spellCheck={false} data-testid="review-model" />
        </label>
        <label>
          What to review
          <select value={scopeKey} onChange={(e) => setScopeKey(e.target.value)} data-testid="review-scope">
            {scopes.map((s) => (
              <option key={keyOf(s.scope)} value={keyOf(s.scope)}>
                {s.words}
              </option>
            ))}
            <option value={BASE_KEY}>Changes since a git branch or commit</option>
          </select>
        </label>
        {againstBase && (
          <label>
            Git branch or commit
            <input
              value={base}
              onChange={(e) => {
                setBase(e.target.value);
                setError(null);
              }}
              placeholder="main"
              spellCheck={false}
              aria-invalid={base.trim() !== "" && baseProblem !== null}
              data-testid="review-base"
            />
            <span className="muted">
              Everything in the working tree that differs from where this branches off it: commits, uncommitted edits, untracked files. The session's
              prompts are not included.
            </span>
            {base.trim() !== "" && baseProblem && (
              <span className="inline-error" data-testid="review-base-problem">
                {baseProblem}
              </span>
            )}
          </label>
        )}
        <label>
          Instructions for the reviewer
          <textarea
            value={instructions}
            onChange={(e) => setInstructions(e.target.value)}
            placeholder="What to look at in particular (optional)"
            data-testid="review-instructions"
          />
        </label>
        <p className="muted">The reviewer only reads: Warden denies it every edit and command, whatever it asks.</p>
        {error && (
          <div className="inline-error" role="alert" data-testid="review-error">
            {error.message}
          </div>
        )}
      </div>
      <div className="dialog-buttons">
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="primary" onClick={() => void start()} disabled={busy || !agent || baseProblem !== null} data-testid="review-start">
          {busy ? "Starting…" : "Start review"}
        </button>
      </div>
    </Dialog>
  );
}

/** The scope select's value for a review against a git base (its name is typed beside). */
const BASE_KEY = "base";

function keyOf(scope: ReviewScope): string {
  switch (scope.type) {
    case "session":
      return "session";
    case "task":
      return `task:${scope.task}`;
    case "turn":
      return `turn:${scope.turn}`;
    case "base":
      return BASE_KEY;
  }
}

/**
 * Why `base` is not taken as a git base, or null: the backend's own rules (no leading `-`, no
 * `..`, letters, digits and `/ . _ - + ~ ^ @ { }` only), checked here so the person sees it while
 * typing; whether git knows it is the backend's answer, shown when the review is started.
 */
export function baseNameProblem(base: string): string | null {
  if (base === "") return "Name a branch, tag or commit.";
  if (base.length > 200) return "That name is too long.";
  if (base.startsWith("-")) return "A branch or commit does not start with '-'.";
  if (base.includes("..")) return "Name one branch or commit, not a range.";
  if (!/^[A-Za-z0-9/._+~^@{}-]+$/.test(base)) return "Use letters, digits and / . _ - + ~ ^ @ { } only.";
  return null;
}

/** The scopes offered: the one asked for, the current task, the last turn, the whole session. */
function scopeChoices(t: Transcript, asked: ReviewScope): { scope: ReviewScope; words: string }[] {
  const out: { scope: ReviewScope; words: string }[] = [];
  const add = (scope: ReviewScope, words: string) => {
    if (!out.some((o) => keyOf(o.scope) === keyOf(scope))) out.push({ scope, words });
  };
  const words = (s: ReviewScope) =>
    s.type === "task" ? `Task ${s.task}: its prompt and every round` : s.type === "turn" ? `Turn ${s.turn}` : s.type === "base" ? `Changes since ${s.base}` : "The whole session";
  // A base is offered through its own option, with the name typed beside.
  if (asked.type !== "base") add(asked, words(asked));
  const task = t.tasks.current;
  if (task) add({ type: "task", task: task.task }, words({ type: "task", task: task.task }));
  if (t.lastTurn) add({ type: "turn", turn: t.lastTurn.turn }, words({ type: "turn", turn: t.lastTurn.turn }));
  add({ type: "session" }, words({ type: "session" }));
  return out;
}
