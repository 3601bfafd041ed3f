// The rules an "allow for the session / always allow" answer adds, as the person edits them.
// Each field is checked by the backend's own parser (the one that stores rules), shortly after
// typing stops and again on confirm, so what is sent is exactly what will be kept.
import { useCallback, useEffect, useRef, useState } from "react";
import { permissions, type Rule } from "../../ipc";

/** One rule field. */
export interface RuleDraft {
  text: string;
  /** `checking` until the parser answered for this text. */
  state: "ok" | "checking" | "invalid";
  /** The rule in its stored form, once checked (null for an empty field: it adds nothing). */
  normal: Rule | null;
  error: string | null;
}

/** Typing pauses this long before the field is checked. */
const CHECK_DELAY_MS = 250;

/** The suggested rules as fields; one empty field when there is no suggestion to start from. */
export function initialDrafts(suggested: readonly Rule[]): RuleDraft[] {
  if (suggested.length === 0) return [{ text: "", state: "ok", normal: null, error: null }];
  // Suggestions come from the backend already in their stored form.
  return suggested.map((rule) => ({ text: rule, state: "ok", normal: rule, error: null }));
}

/** Whether the drafts can be confirmed: none invalid, and at least one that adds a rule. */
export function confirmable(drafts: readonly RuleDraft[]): boolean {
  return drafts.every((d) => d.state !== "invalid") && drafts.some((d) => d.text.trim() !== "");
}

async function check(text: string): Promise<Pick<RuleDraft, "state" | "normal" | "error">> {
  if (text.trim() === "") return { state: "ok", normal: null, error: null };
  const parsed = await permissions.parseRule(text);
  return parsed.ok ? { state: "ok", normal: parsed.value, error: null } : { state: "invalid", normal: null, error: parsed.error.message };
}

/** The editable rule fields of one question. */
export function useRuleDrafts(suggested: readonly Rule[]) {
  const [drafts, setDrafts] = useState<RuleDraft[]>(() => initialDrafts(suggested));
  const timers = useRef(new Map<number, number>());
  const live = useRef(true);

  useEffect(() => {
    live.current = true;
    const pending = timers.current;
    return () => {
      live.current = false;
      for (const timer of pending.values()) window.clearTimeout(timer);
    };
  }, []);

  /** Stores a check's result, unless the field changed again meanwhile (a late answer is stale). */
  const settle = useCallback((index: number, text: string, result: Pick<RuleDraft, "state" | "normal" | "error">) => {
    if (!live.current) return;
    setDrafts((all) => all.map((d, i) => (i === index && d.text === text ? { ...d, ...result } : d)));
  }, []);

  const edit = useCallback(
    (index: number, text: string) => {
      setDrafts((all) => all.map((d, i) => (i === index ? { text, state: "checking", normal: null, error: null } : d)));
      window.clearTimeout(timers.current.get(index));
      timers.current.set(
        index,
        window.setTimeout(() => {
          timers.current.delete(index);
          void check(text).then((result) => settle(index, text, result));
        }, CHECK_DELAY_MS),
      );
    },
    [settle],
  );

  /**
   * Checks every field not checked yet and returns the rules to send, or null when one is
   * invalid or none is given (the fields then show why).
   */
  const finish = useCallback(async (): Promise<Rule[] | null> => {
    const results = await Promise.all(
      drafts.map(async (d, index) => {
        if (d.state !== "checking") return d;
        window.clearTimeout(timers.current.get(index));
        timers.current.delete(index);
        const result = await check(d.text);
        settle(index, d.text, result);
        return { ...d, ...result };
      }),
    );
    if (!confirmable(results)) return null;
    return results.flatMap((d) => (d.normal === null ? [] : [d.normal]));
  }, [drafts, settle]);

  return { drafts, edit, finish, confirmable: confirmable(drafts) };
}
