// The project's rules, allow and deny side by side, edited where they are listed. Every change
// is saved at once (on Enter, Save, Add or ×), so there is no "unsaved rules" state to forget.
import type { Rule } from "../../../ipc";
import { AddRule } from "./AddRule";
import { RuleHelp } from "./RuleHelp";
import { checkRule, type RuleOutcome } from "./ruleInput";
import { RuleRow } from "./RuleRow";
import { addRule, removeRule, replaceRule, type RuleList } from "./ruleSets";
import { useProjectRules } from "./useProjectRules";

const LISTS: { list: RuleList; title: string; hint: string }[] = [
  { list: "allow", title: "Allow", hint: "run without asking" },
  { list: "deny", title: "Deny", hint: "refused without asking, whatever else allows them" },
];

export function ProjectRules({ project }: { project: string }) {
  const { rules, loadError, reload, change } = useProjectRules(project);

  const add = (list: RuleList) => async (text: string): Promise<RuleOutcome> => {
    const checked = await checkRule(text);
    if (!checked.ok) return checked;
    if (rules?.[list].includes(checked.rule)) return { ok: false, message: `${checked.rule} is already in this list.` };
    const failed = await change((stored) => addRule(stored, list, checked.rule));
    return failed ? { ok: false, message: `Not saved: ${failed.message}` } : checked;
  };

  const save = (list: RuleList) => async (old: Rule, text: string): Promise<RuleOutcome> => {
    const checked = await checkRule(text);
    if (!checked.ok) return checked;
    const failed = await change((stored) => replaceRule(stored, list, old, checked.rule));
    return failed ? { ok: false, message: `Not saved: ${failed.message}` } : checked;
  };

  const remove = (list: RuleList) => async (rule: Rule): Promise<string | null> => {
    const failed = await change((stored) => removeRule(stored, list, rule));
    return failed ? `Not removed: ${failed.message}` : null;
  };

  return (
    <div className="rules-project" data-testid="rules-project">
      <RuleHelp />
      {loadError && (
        <div className="inline-error" role="alert" data-testid="rules-load-error">
          <span>
            Could not read this project's rules, so they cannot be edited here: {loadError.message}
          </span>
          <button type="button" className="small" onClick={reload}>
            Try again
          </button>
        </div>
      )}
      {!rules && !loadError && <p className="muted">Reading the rules…</p>}
      {rules && (
        <div className="rule-columns">
          {LISTS.map(({ list, title, hint }) => (
            <section key={list} className={`rule-section ${list}`} aria-label={`${title} rules`}>
              <h4 className="rule-heading">
                {title} <span className="muted">— {hint}</span>
              </h4>
              <ul className="rule-list">
                {keyed(rules[list]).map(({ rule, key }) => (
                  <RuleRow key={key} list={list} rule={rule} onSave={save(list)} onRemove={remove(list)} />
                ))}
                {rules[list].length === 0 && <li className="muted rule-empty">No {list} rules.</li>}
              </ul>
              <AddRule list={list} onAdd={add(list)} />
            </section>
          ))}
        </div>
      )}
    </div>
  );
}

/**
 * Rows keyed by their rule, so an edit in one row stays with it when another is removed; a file
 * edited by hand may hold a rule twice, hence the count.
 */
function keyed(rules: Rule[]): { rule: Rule; key: string }[] {
  const seen = new Map<Rule, number>();
  return rules.map((rule) => {
    const n = seen.get(rule) ?? 0;
    seen.set(rule, n + 1);
    return { rule, key: `${n}:${rule}` };
  });
}
