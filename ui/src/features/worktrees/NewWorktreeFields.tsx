// The New Session dialog's "in a new worktree" part: what the work is about, the branch (which
// follows the title until the person edits it), the base, the files to copy, the setup command
// and where the folder goes. The values the project suggests stay suggestions: each field keeps
// what the person typed once they typed, and shows the suggestion until then.
import { useEffect, useRef, useState } from "react";
import type { IpcError, Outcome, WorktreeOptions, WorktreeStart } from "../../ipc";
import "./NewWorktree.css";

/** Reads the project's worktree options, the branch suggested for `title` among them. */
export type LoadWorktreeOptions = (title: string) => Promise<Outcome<WorktreeOptions>>;

/** How long the title rests before the branch suggestion is asked for again. */
export const SUGGEST_DELAY_MS = 300;

/** What the person typed; a field without its `…Edited` flag shows the project's suggestion. */
export interface WorktreeDraft {
  title: string;
  branch: string;
  branchEdited: boolean;
  base: string;
  baseEdited: boolean;
  copy: string;
  copyEdited: boolean;
  runSetup: boolean;
  setupEdited: boolean;
}

/** Nothing typed yet. */
export const emptyWorktreeDraft: WorktreeDraft = {
  title: "",
  branch: "",
  branchEdited: false,
  base: "",
  baseEdited: false,
  copy: "",
  copyEdited: false,
  runSetup: false,
  setupEdited: false,
};

/** The values the fields show: the person's where they typed, else the project's suggestions. */
export function shownDraft(draft: WorktreeDraft, options: WorktreeOptions | null) {
  return {
    title: draft.title,
    branch: draft.branchEdited ? draft.branch : (options?.suggestedBranch ?? ""),
    base: draft.baseEdited ? draft.base : (options?.currentBranch ?? options?.head ?? ""),
    copy: draft.copyEdited ? draft.copy : (options?.copy ?? []).join("\n"),
    // Setup runs by default when it may run; a setup that is not trusted is never asked for.
    runSetup: canRunSetup(options) && (draft.setupEdited ? draft.runSetup : true),
  };
}

/** Whether the project has a setup command that may run. */
export function canRunSetup(options: WorktreeOptions | null): boolean {
  return !!options?.setup && options.setupTrusted;
}

/** What session_start gets for the worktree: empty fields leave the choice to the engine. */
export function worktreeStart(draft: WorktreeDraft, options: WorktreeOptions | null): WorktreeStart {
  const shown = shownDraft(draft, options);
  return {
    title: shown.title.trim(),
    branch: shown.branch.trim() || null,
    base: shown.base.trim() || null,
    copy: copyLines(shown.copy),
    runSetup: shown.runSetup,
  };
}

/** One path a line, blank lines left out. */
export function copyLines(text: string): string[] {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}

/**
 * The project's worktree options, read at once and again `SUGGEST_DELAY_MS` after `title`
 * last changed (for the branch suggestion). Only the newest answer counts; a failed read keeps
 * the options already shown and says why.
 */
export function useWorktreeOptions(load: LoadWorktreeOptions | undefined, title: string) {
  const [options, setOptions] = useState<WorktreeOptions | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const latest = useRef(0);
  const first = useRef(true);

  useEffect(() => {
    if (!load) return;
    const mine = ++latest.current;
    const read = () =>
      void load(title.trim()).then(
        (outcome) => {
          if (mine !== latest.current) return;
          if (outcome.ok) {
            setOptions(outcome.value);
            setError(null);
          } else setError(outcome.error);
        },
        (e: unknown) => mine === latest.current && setError({ code: "internal", message: e instanceof Error ? e.message : String(e) }),
      );
    // The first read is not delayed: the checkbox needs to know at once whether it can be used.
    if (first.current) {
      first.current = false;
      read();
      return;
    }
    const timer = window.setTimeout(read, SUGGEST_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [load, title]);

  return { options, error };
}

interface FieldsProps {
  options: WorktreeOptions | null;
  draft: WorktreeDraft;
  onChange: (draft: WorktreeDraft) => void;
}

/** Title, branch and the base/copy/setup fields of a new worktree. */
export function NewWorktreeFields({ options, draft, onChange }: FieldsProps) {
  const shown = shownDraft(draft, options);
  const set = (patch: Partial<WorktreeDraft>) => onChange({ ...draft, ...patch });
  return (
    <div className="worktree-fields" data-testid="worktree-fields">
      <label className="field">
        <span>What the work is about</span>
        <input
          value={draft.title}
          onChange={(e) => set({ title: e.target.value })}
          placeholder="e.g. Fix the login redirect"
          data-testid="worktree-title"
        />
        {!draft.title.trim() && <span className="agent-option-hint">Needed: the branch is named after it.</span>}
      </label>
      <label className="field">
        <span>Branch</span>
        <input
          value={shown.branch}
          onChange={(e) => set({ branch: e.target.value, branchEdited: true })}
          spellCheck={false}
          data-testid="worktree-branch"
        />
        {draft.branchEdited && (
          <button type="button" className="small worktree-reset" onClick={() => set({ branchEdited: false })}>
            Use the suggested name
          </button>
        )}
      </label>
      <WorktreeBaseFields options={options} draft={draft} onChange={onChange} copy />
    </div>
  );
}

/**
 * The base, the files to copy (`copy`), the setup command and the folder line: shared by a
 * single worktree and by best of N.
 */
export function WorktreeBaseFields({ options, draft, onChange, copy }: FieldsProps & { copy: boolean }) {
  const shown = shownDraft(draft, options);
  const set = (patch: Partial<WorktreeDraft>) => onChange({ ...draft, ...patch });
  return (
    <>
      <label className="field">
        <span>Base</span>
        <input
          value={shown.base}
          onChange={(e) => set({ base: e.target.value, baseEdited: true })}
          list="worktree-branches"
          placeholder={options?.head ? `HEAD (${options.head})` : "HEAD"}
          spellCheck={false}
          data-testid="worktree-base"
        />
        <datalist id="worktree-branches">
          {options?.branches.map((b) => <option key={b} value={b} />)}
        </datalist>
        <span className="agent-option-hint">Any branch or commit; the new branch starts there.</span>
      </label>
      {copy && (
        <label className="field">
          <span>Files to copy in</span>
          <textarea
            value={shown.copy}
            onChange={(e) => set({ copy: e.target.value, copyEdited: true })}
            rows={2}
            placeholder=".env"
            spellCheck={false}
            data-testid="worktree-copy"
          />
          <span className="agent-option-hint">Untracked files git would not bring along, one per line.</span>
        </label>
      )}
      {options?.setup && (
        <div className="field">
          <label className="radio">
            <input
              type="checkbox"
              checked={shown.runSetup}
              disabled={!options.setupTrusted}
              onChange={(e) => set({ runSetup: e.target.checked, setupEdited: true })}
              data-testid="worktree-setup"
            />
            <span>
              Run the setup command: <code>{options.setup}</code>
            </span>
          </label>
          {options.setupNote && (
            <span className="agent-option-hint" data-testid="worktree-setup-note">
              {options.setupNote}
            </span>
          )}
        </div>
      )}
      {options && (
        <p className="worktree-folder" data-testid="worktree-folder">
          The worktree folder goes in <code>{options.folder}</code>, outside the project.
        </p>
      )}
    </>
  );
}
