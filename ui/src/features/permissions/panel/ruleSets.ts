// Changes to a rule set, as pure functions: the panel applies each to the rules as last read
// from disk (or from the session), so a rule added meanwhile elsewhere ("Always allow" in a
// question) is kept rather than overwritten by the panel's older copy.
import type { Rule, RuleSet } from "../../../ipc";

/** Which list of a set a rule is in. */
export type RuleList = "allow" | "deny";

/** Both lists present, so the views need not care which ones the file left out. */
export function complete(rules: RuleSet): Required<RuleSet> {
  return { allow: rules.allow ?? [], deny: rules.deny ?? [] };
}

/** `rule` appended to `list`, unless it is there already. */
export function addRule(rules: RuleSet, list: RuleList, rule: Rule): Required<RuleSet> {
  const set = complete(rules);
  if (set[list].includes(rule)) return set;
  return { ...set, [list]: [...set[list], rule] };
}

/** `rule` taken out of `list` (every copy, should the file have held it twice). */
export function removeRule(rules: RuleSet, list: RuleList, rule: Rule): Required<RuleSet> {
  const set = complete(rules);
  return { ...set, [list]: set[list].filter((r) => r !== rule) };
}

/**
 * `old` replaced by `next` in place. If `old` is gone meanwhile the edit still counts, so `next`
 * is appended; if `next` is already in the list, `old` simply goes.
 */
export function replaceRule(rules: RuleSet, list: RuleList, old: Rule, next: Rule): Required<RuleSet> {
  const set = complete(rules);
  const items = set[list];
  if (old === next) return items.includes(next) ? set : addRule(set, list, next);
  if (items.includes(next)) return removeRule(set, list, old);
  const at = items.indexOf(old);
  if (at < 0) return addRule(set, list, next);
  return { ...set, [list]: items.map((r, i) => (i === at ? next : r)) };
}
