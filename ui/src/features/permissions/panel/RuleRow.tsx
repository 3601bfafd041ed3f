// One stored rule, shown as text and edited in place: Edit (or a click on the rule) opens a
// field; Enter or Save checks and saves it, and the normal form replaces what was typed; Esc
// or Cancel leaves the rule as it was.
import { useState, type KeyboardEvent } from "react";
import type { Rule } from "../../../ipc";
import type { RuleOutcome } from "./ruleInput";
import type { RuleList } from "./ruleSets";
import { useReportUnsaved } from "./unsavedEdits";

interface Props {
  list: RuleList;
  rule: Rule;
  onSave: (old: Rule, text: string) => Promise<RuleOutcome>;
  /** Resolves to why the rule could not be removed, or null. */
  onRemove: (rule: Rule) => Promise<string | null>;
}

export function RuleRow({ list, rule, onSave, onRemove }: Props) {
  // The text being typed; null while the rule is only shown.
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useReportUnsaved(draft !== null && draft !== rule);

  const save = async () => {
    if (draft === null || busy) return;
    if (draft === rule) return stopEditing();
    setBusy(true);
    const saved = await onSave(rule, draft);
    setBusy(false);
    if (saved.ok) stopEditing();
    else setError(saved.message);
  };

  const remove = async () => {
    setBusy(true);
    const failed = await onRemove(rule);
    setBusy(false);
    setError(failed);
  };

  const stopEditing = () => {
    setDraft(null);
    setError(null);
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === "Enter") {
      e.preventDefault();
      void save();
    } else if (e.key === "Escape") {
      // Esc first leaves the field; only a second Esc reaches the dialog and closes it.
      e.preventDefault();
      e.stopPropagation();
      stopEditing();
    }
  };

  const kind = list === "allow" ? "Allow" : "Deny";
  return (
    <li className={`rule-row ${list}`} data-testid="rule-row" data-list={list} data-rule={rule}>
      <div className="rule-line">
        {draft === null ? (
          <>
            <button type="button" className="rule-text shown" onClick={() => setDraft(rule)} title="Edit this rule" data-testid="rule-text">
              {rule}
            </button>
            <button type="button" className="small" onClick={() => setDraft(rule)} disabled={busy} data-testid="rule-edit">
              Edit
            </button>
          </>
        ) : (
          <>
            <input
              className="rule-text"
              value={draft}
              onChange={(e) => {
                setDraft(e.target.value);
                setError(null);
              }}
              onKeyDown={onKeyDown}
              aria-label={`${kind} rule`}
              aria-invalid={error ? true : undefined}
              spellCheck={false}
              disabled={busy}
              autoFocus
            />
            <button type="button" className="small primary" onClick={() => void save()} disabled={busy} data-testid="rule-save">
              Save
            </button>
            <button type="button" className="small" onClick={stopEditing} disabled={busy} data-testid="rule-cancel">
              Cancel
            </button>
          </>
        )}
        <button type="button" className="icon-button" onClick={() => void remove()} disabled={busy} aria-label={`Remove ${rule}`} title="Remove" data-testid="rule-remove">
          ×
        </button>
      </div>
      {error && (
        <div className="rule-error" role="alert" data-testid="rule-error">
          {error}
        </div>
      )}
    </li>
  );
}
