// The rules this session gathered ("Allow for this session"), which end with it. A rule can be
// taken back while the session runs; the session then asks again.
import { useEffect, useState } from "react";
import { sessions, type Rule, type RuleSet } from "../../../ipc";
import { complete, removeRule, type RuleList } from "./ruleSets";

interface Props {
  sessionId: string;
  rules: RuleSet;
  /** Whether the session's agent is there to take new rules. */
  live: boolean;
}

export function SessionRules({ sessionId, rules, live }: Props) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Removed rules stay hidden until the session's event brings the new set, so a removed rule
  // does not flash back in between.
  const [removed, setRemoved] = useState<{ list: RuleList; rule: Rule }[]>([]);
  useEffect(() => setRemoved([]), [rules]);

  // The rules as shown: one removed a moment ago must not come back with the next change.
  const shown = removed.reduce((acc, r) => removeRule(acc, r.list, r.rule), complete(rules));
  const rows = (["allow", "deny"] as RuleList[]).flatMap((list) => shown[list].map((rule) => ({ list, rule })));

  const remove = async (list: RuleList, rule: Rule) => {
    setBusy(true);
    const outcome = await sessions.setRules(sessionId, removeRule(shown, list, rule));
    setBusy(false);
    if (outcome.ok) {
      setError(null);
      setRemoved((old) => [...old, { list, rule }]);
    } else setError(outcome.error.message);
  };

  return (
    <div className="rules-session" data-testid="rules-session">
      <p className="rule-help">
        Rules added with “Allow for this session”. They end with the session and never change the project's rules.
      </p>
      {!live && (
        <p className="muted" data-testid="session-rules-readonly">
          The session is not running, so its rules cannot be changed.
        </p>
      )}
      {error && (
        <div className="inline-error" role="alert" data-testid="session-rule-error">
          <span>Not removed: {error}</span>
          <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => setError(null)}>
            ×
          </button>
        </div>
      )}
      {rows.length === 0 ? (
        <p className="muted">This session has no rules of its own.</p>
      ) : (
        <ul className="rule-list">
          {rows.map(({ list, rule }) => (
            <li key={`${list}:${rule}`} className={`rule-row ${list}`} data-testid="session-rule-row" data-list={list} data-rule={rule}>
              <div className="rule-line">
                <span className={`rule-kind ${list}`}>{list === "allow" ? "Allow" : "Deny"}</span>
                <code className="rule-text static">{rule}</code>
                {live && (
                  <button
                    type="button"
                    className="icon-button"
                    onClick={() => void remove(list, rule)}
                    disabled={busy}
                    aria-label={`Remove ${rule}`}
                    title="Remove"
                    data-testid="session-rule-remove"
                  >
                    ×
                  </button>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
