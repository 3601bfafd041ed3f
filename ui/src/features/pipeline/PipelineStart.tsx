// The New Session dialog's pipeline part: when the project configures pipelines
// (`[[pipeline]]` in .warden/checks.toml or the personal layer), one of them can start instead
// of a single session, with the task it should carry out.
import { useEffect, useState, type FormEvent } from "react";
import { pipelines, type PermissionMode, type PipelineSpec, type PipelineState } from "../../ipc";
import "./pipeline.css";

interface Props {
  project: string;
  /** The implementer's permission mode, as chosen in the dialog. */
  mode: PermissionMode;
  /** The run started (its first state). */
  onStarted: (state: PipelineState) => void;
}

/** A step list in words: `plan (claude) → implement (codex) → review (gemini)`. */
export function stepsText(spec: PipelineSpec): string {
  return spec.steps.map((s) => `${s.role} (${s.agent}${s.model ? ` ${s.model}` : ""})`).join(" → ");
}

/** Nothing when the project has no pipelines; else the choice, the task and Start Pipeline. */
export function PipelineStart({ project, mode, onStarted }: Props) {
  const [specs, setSpecs] = useState<PipelineSpec[] | null>(null);
  const [chosen, setChosen] = useState("");
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

  if (!specs || specs.length === 0) return null;
  const spec = specs.find((s) => s.id === chosen) ?? specs[0];

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!spec || !task.trim()) return;
    setBusy(true);
    const started = await pipelines.start(project, spec.id, task, mode);
    setBusy(false);
    if (started.ok) onStarted(started.value);
    else setError(started.error.message);
  };

  return (
    <form className="pipeline-start form" onSubmit={(e) => void submit(e)} data-testid="pipeline-start">
      <label className="field">
        <span>Pipeline</span>
        <select value={spec?.id} onChange={(e) => setChosen(e.target.value)} aria-label="Pipeline" data-testid="pipeline-select">
          {specs.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
        {spec && (
          <span className="agent-option-hint" data-testid="pipeline-steps-hint">
            {stepsText(spec)} · up to {spec.maxRounds} round{spec.maxRounds === 1 ? "" : "s"}
          </span>
        )}
      </label>
      <label className="field">
        <span>Task</span>
        <textarea value={task} onChange={(e) => setTask(e.target.value)} placeholder="What the pipeline should do" rows={3} data-testid="pipeline-task" />
      </label>
      {error && (
        <div className="inline-error" role="alert" data-testid="pipeline-start-error">
          {error}
        </div>
      )}
      <div className="dialog-buttons">
        <button type="submit" disabled={busy || !task.trim()} data-testid="start-pipeline">
          {busy ? "Starting…" : "Start Pipeline"}
        </button>
      </div>
      <p className="hint">The permissions below apply to the implementer; the planner works in plan mode, reviewers read only.</p>
    </form>
  );
}
