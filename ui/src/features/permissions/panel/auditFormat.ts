// How the audit log reads: who decided, what was decided, and when, in plain words.
import type { DecisionSource, PermissionDecision, PermissionLogEntry } from "../../../ipc";

const SOURCE_WORDS: Record<DecisionSource, string> = {
  user: "You",
  rule: "Rule",
  mode: "Mode",
  approveFlag: "The --approve flag",
  shutdown: "Warden (shutdown)",
  agent: "Agent withdrew",
};

/** Who or what made the decision. */
export function sourceWords(source: DecisionSource): string {
  return SOURCE_WORDS[source];
}

/**
 * What was decided. "Once" only means something when a person chose it over "for the session"
 * or "always"; a rule or the mode simply allowed the call.
 */
export function decisionWords(decision: PermissionDecision, source: DecisionSource): string {
  switch (decision) {
    case "allowOnce":
      return source === "user" ? "Allowed once" : "Allowed";
    case "allowSession":
      return "Allowed for the session";
    case "allowAlways":
      return "Always allowed";
    case "deny":
      return "Denied";
    case "denyAndStop":
      return "Denied and stopped";
    case "cancelled":
      return "Not run (cancelled)";
  }
}

/** Whether the call ran, was refused, or nobody answered: the colour of the decision. */
export function decisionTone(decision: PermissionDecision): "allow" | "deny" | "cancelled" {
  if (decision === "deny" || decision === "denyAndStop") return "deny";
  return decision === "cancelled" ? "cancelled" : "allow";
}

/**
 * Local time to the second ("14:02:05"), which is what tells neighbouring decisions apart, with
 * the date added when it is not today ("14:02:05 · Mar 3"; the year too when not this year).
 */
export function formatLogTime(ms: number, now: number): string {
  const at = new Date(ms);
  const today = new Date(now);
  const pad = (n: number) => String(n).padStart(2, "0");
  const time = `${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}`;
  if (at.toDateString() === today.toDateString()) return time;
  const withYear = at.getFullYear() !== today.getFullYear();
  const date = at.toLocaleDateString(undefined, { month: "short", day: "numeric", ...(withYear ? { year: "numeric" } : {}) });
  return `${time} · ${date}`;
}

/** The log newest first; decisions of the same millisecond keep their stream order, reversed. */
export function newestFirst(entries: PermissionLogEntry[]): PermissionLogEntry[] {
  return [...entries].sort((a, b) => b.atMs - a.atMs || b.seq - a.seq);
}
