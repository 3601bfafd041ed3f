// The rule fields an "allow for the session / always allow" answer adds, editable before they
// are kept (to broaden `Bash(npm test --watch:*)` to `Bash(npm test:*)`, say).
import { useEffect, useRef } from "react";
import type { RuleDraft } from "./ruleDrafts";
import "./permissions.css";

interface Props {
  drafts: RuleDraft[];
  /** Where the rules go, in words: "to this project", "for this session". */
  scope: string;
  disabled: boolean;
  onEdit: (index: number, text: string) => void;
  /** Enter in a field. */
  onConfirm: () => void;
}

/** One text field per rule, each with the parser's complaint under it. */
export function RuleEditor({ drafts, scope, disabled, onEdit, onConfirm }: Props) {
  const first = useRef<HTMLInputElement>(null);
  // The editor opens on a key press or click; typing goes straight into the first rule.
  useEffect(() => first.current?.focus(), []);
  return (
    <fieldset className="pm-rules" disabled={disabled}>
      <legend>
        {drafts.length === 1 ? "Rule" : "Rules"} to add {scope}
      </legend>
      {drafts.map((draft, i) => {
        const errorId = `pm-rule-error-${i}`;
        const normalised = draft.state === "ok" && draft.normal !== null && draft.normal !== draft.text.trim();
        return (
          <div key={i} className="pm-rule">
            <input
              ref={i === 0 ? first : undefined}
              className={draft.state === "invalid" ? "pm-rule-input invalid" : "pm-rule-input"}
              value={draft.text}
              spellCheck={false}
              autoComplete="off"
              placeholder="Tool(pattern), e.g. Bash(npm test:*)"
              aria-label={`Rule ${i + 1}`}
              aria-invalid={draft.state === "invalid"}
              aria-describedby={draft.error ? errorId : undefined}
              data-testid="permission-rule-input"
              onChange={(e) => onEdit(i, e.target.value)}
              onKeyDown={(e) => {
                if (e.key === "Enter") {
                  e.preventDefault();
                  onConfirm();
                }
              }}
            />
            {draft.error && (
              <p id={errorId} className="pm-rule-error" role="alert" data-testid="permission-rule-error">
                {draft.error}
              </p>
            )}
            {normalised && <p className="pm-rule-note">Kept as <code>{draft.normal}</code></p>}
          </div>
        );
      })}
      <p className="pm-rule-note">
        <code>Bash(npm test:*)</code> allows every command that starts with <code>npm test</code>; <code>Read(src/**)</code> reading anything under{" "}
        <code>src</code>. Clear a field to leave its rule out.
      </p>
    </fieldset>
  );
}
