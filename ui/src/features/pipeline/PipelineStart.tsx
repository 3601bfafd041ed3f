// The New Session dialog's pipeline part: one of the project's pipelines (`[[pipeline]]` in
// .warden/checks.toml or the personal layer), or one defined here step by step, starts instead
// of a single session with the task it should carry out. A pipeline defined here starts as
// given (nothing is written) or is saved, under an id, into the person's own layer for the
// project, so it is offered next time and by `warden run --pipeline ID`.
import { useEffect, useState, type FormEvent } from "react";
import { pipelines, type PermissionMode, type PipelineSpec, type PipelineState } from "../../ipc";
import { useAgents } from "../../model/useAgents";
import { agentChoices, draftOf, initialDraft, toSpec, type DraftStep } from "./draft";
import { PipelineEditor } from "./PipelineEditor";
import "./pipeline.css";

interface Props {
  project: string;
  /** The implementer's permission mode, as chosen in the dialog. */
  mode: PermissionMode;
  /** The run started (its first state). */
  onStarted: (state: PipelineState) => void;
}

/** The select's value for "a pipeline defined here". */
const NEW = "\u0000new";

/** A step list in words: `plan (claude) → implement (codex) → review (gemini)`. */
export function stepsText(spec: PipelineSpec): string {
  return spec.steps.map((s) => `${s.role} (${s.agent}${s.model ? ` ${s.model}` : ""})`).join(" → ");
}

/** The choice (or the step editor), the task, Start Pipeline and Save as pipeline…. */
export function PipelineStart({ project, mode, onStarted }: Props) {
  const { views } = useAgents();
  const agents = agentChoices(views);
  const [specs, setSpecs] = useState<PipelineSpec[] | null>(null);
  const [chosen, setChosen] = useState("");
  const [draft, setDraft] = useState<DraftStep[]>([]);
  const [maxRounds, setMaxRounds] = useState(3);
  const [saving, setSaving] = useState(false);
  const [saveId, setSaveId] = useState("");
  const [saveName, setSaveName] = useState("");
  const [replace, setReplace] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const [task, setTask] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    void pipelines.list(project).then((got) => {
      if (!live) return;
      // A configuration with errors shows in the Checks panel; here it only offers nothing.
      const list = got.ok ? got.value : [];
      setSpecs(list);
      setChosen((c) => c || (list[0]?.id ?? ""));
    });
    return () => {
      live = false;
    };
  }, [project]);

  if (!specs) return null;
  const defining = chosen === NEW;
  const spec = defining ? null : (specs.find((s) => s.id === chosen) ?? specs[0] ?? null);

  const define = (from: PipelineSpec | null) => {
    setDraft(from ? draftOf(from) : initialDraft(agents[0]?.name));
    setMaxRounds(from?.maxRounds ?? 3);
    setChosen(NEW);
    setSaved(null);
    setError(null);
  };

  if (!spec && !defining) {
    return (
      <div className="pipeline-start form" data-testid="pipeline-start">
        <button type="button" className="pipeline-define" onClick={() => define(null)} data-testid="define-pipeline">
          Define a pipeline…
        </button>
      </div>
    );
  }

  const adHoc = () => toSpec(draft, saveId.trim() || "custom", saveName.trim() || (saveId.trim() ? "" : "Custom pipeline"), maxRounds);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!task.trim()) return;
    setBusy(true);
    const started = spec ? await pipelines.start(project, spec.id, task, mode) : await pipelines.startSpec(project, adHoc(), task, mode);
    setBusy(false);
    if (started.ok) onStarted(started.value);
    else setError(started.error.message);
  };

  const save = async () => {
    const id = saveId.trim();
    if (!id) return;
    setBusy(true);
    const got = await pipelines.save(project, toSpec(draft, id, saveName, maxRounds), replace);
    setBusy(false);
    if (!got.ok) {
      setError(got.error.message);
      return;
    }
    setError(null);
    setSpecs(got.value);
    setChosen(id);
    setSaving(false);
    setSaved(`Saved as “${id}” in your own checks for this project.`);
  };

  return (
    <form className="pipeline-start form" onSubmit={(e) => void submit(e)} data-testid="pipeline-start">
      <label className="field">
        <span>Pipeline</span>
        <select
          value={defining ? NEW : spec?.id}
          onChange={(e) => (e.target.value === NEW ? define(null) : setChosen(e.target.value))}
          aria-label="Pipeline"
          data-testid="pipeline-select"
        >
          {specs.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
          <option value={NEW}>New pipeline…</option>
        </select>
        {spec && (
          <span className="agent-option-hint">
            <span data-testid="pipeline-steps-hint">
              {stepsText(spec)} · up to {spec.maxRounds} round{spec.maxRounds === 1 ? "" : "s"}
            </span>{" "}
            <button type="button" className="link-button" onClick={() => define(spec)} data-testid="pipeline-change-steps">
              Change steps…
            </button>
          </span>
        )}
      </label>
      {defining && (
        <>
          <PipelineEditor steps={draft} onChange={setDraft} agents={agents} />
          <label className="field pipeline-rounds">
            <span>Rounds at most</span>
            <input
              type="number"
              min={1}
              value={maxRounds}
              onChange={(e) => setMaxRounds(Math.max(1, Math.floor(Number(e.target.value)) || 1))}
              data-testid="pipeline-max-rounds"
            />
          </label>
        </>
      )}
      {saved && (
        <p className="hint" data-testid="pipeline-saved">
          {saved}
        </p>
      )}
      <label className="field">
        <span>Task</span>
        <textarea value={task} onChange={(e) => setTask(e.target.value)} placeholder="What the pipeline should do" rows={3} data-testid="pipeline-task" />
      </label>
      {defining && saving && (
        <div className="pipeline-save" data-testid="pipeline-save">
          <input value={saveId} onChange={(e) => setSaveId(e.target.value)} placeholder="id (warden run --pipeline ID)" aria-label="Pipeline id" data-testid="pipeline-save-id" />
          <input value={saveName} onChange={(e) => setSaveName(e.target.value)} placeholder="name (optional)" aria-label="Pipeline name" data-testid="pipeline-save-name" />
          <label className="radio">
            <input type="checkbox" checked={replace} onChange={(e) => setReplace(e.target.checked)} data-testid="pipeline-save-replace" />
            Replace a pipeline with this id
          </label>
          <button type="button" disabled={busy || !saveId.trim()} onClick={() => void save()} data-testid="pipeline-save-confirm">
            Save
          </button>
        </div>
      )}
      {error && (
        <div className="inline-error" role="alert" data-testid="pipeline-start-error">
          {error}
        </div>
      )}
      <div className="dialog-buttons">
        {defining && !saving && (
          <button type="button" onClick={() => setSaving(true)} data-testid="pipeline-save-as">
            Save as pipeline…
          </button>
        )}
        <button type="submit" disabled={busy || !task.trim()} data-testid="start-pipeline">
          {busy ? "Starting…" : "Start Pipeline"}
        </button>
      </div>
      <p className="hint">The permissions below apply to the implementer; the planner works in plan mode, reviewers read only.</p>
    </form>
  );
}
