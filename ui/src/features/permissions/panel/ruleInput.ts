// What editing a rule field can end in, and how a typed rule is checked before anything is saved.
import { permissions, type Rule } from "../../../ipc";

/** The saved (normalised) rule, or why nothing was saved. */
export type RuleOutcome = { ok: true; rule: Rule } | { ok: false; message: string };

/** The typed text as a rule in its normal form, checked by the same parser the engine uses. */
export async function checkRule(text: string): Promise<RuleOutcome> {
  const typed = text.trim();
  if (!typed) return { ok: false, message: "A rule cannot be empty." };
  const parsed = await permissions.parseRule(typed);
  return parsed.ok ? { ok: true, rule: parsed.value } : { ok: false, message: parsed.error.message };
}
