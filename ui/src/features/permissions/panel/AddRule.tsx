// The field under a rule list that adds one: checked first, added in its normal form, and the
// typed text kept (with the reason) when it is not a rule.
import { useState, type FormEvent } from "react";
import type { RuleOutcome } from "./ruleInput";
import type { RuleList } from "./ruleSets";
import { useReportUnsaved } from "./unsavedEdits";

interface Props {
  list: RuleList;
  onAdd: (text: string) => Promise<RuleOutcome>;
}

const EXAMPLES: Record<RuleList, string> = { allow: "Bash(npm test:*)", deny: "Bash(rm:*)" };

export function AddRule({ list, onAdd }: Props) {
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useReportUnsaved(text.trim() !== "");

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!text.trim() || busy) return;
    setBusy(true);
    const added = await onAdd(text);
    setBusy(false);
    if (added.ok) {
      setText("");
      setError(null);
    } else setError(added.message);
  };

  return (
    <form className="rule-add" onSubmit={(e) => void submit(e)}>
      <div className="rule-line">
        <input
          className="rule-text"
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setError(null);
          }}
          placeholder={`Add ${list === "allow" ? "an allow" : "a deny"} rule, e.g. ${EXAMPLES[list]}`}
          aria-label={`New ${list} rule`}
          aria-invalid={error ? true : undefined}
          spellCheck={false}
          disabled={busy}
          data-testid={`rule-add-${list}`}
        />
        <button type="submit" className="small" disabled={busy || !text.trim()} data-testid={`rule-add-${list}-submit`}>
          Add
        </button>
      </div>
      {error && (
        <div className="rule-error" role="alert" data-testid="rule-error">
          {error}
        </div>
      )}
    </form>
  );
}
