// How a tool call's permission decision reads in the timeline: who or what let it run or
// stopped it, in words ("Allowed by rule Bash(npm test:*)", "Denied by you: not that file").
import type { PermissionDecision, PermissionMode, PermissionResolution } from "../../ipc";

/** A decision in words: the full sentence, a short label for the row, and which way it went. */
export interface DecisionWords {
  text: string;
  short: string;
  allowed: boolean;
}

const ALLOWING: PermissionDecision[] = ["allowOnce", "allowSession", "allowAlways"];

/** The modes as the decision line names them. */
const MODE_WORDS: Record<PermissionMode, string> = {
  default: "ask before changes",
  acceptEdits: "accept edits",
  plan: "plan",
  bypass: "bypass",
};

/**
 * The words for `resolution`. `mode` is the session's mode when it was decided: a decision by
 * the mode does not name the mode itself. `planApproval`: the call asked to approve a plan
 * (`isPlanApproval` of its input), which the person approves or keeps planning.
 */
export function describeDecision(resolution: PermissionResolution, mode: PermissionMode | null, planApproval = false): DecisionWords {
  const allowed = ALLOWING.includes(resolution.decision);
  const rules = (resolution.rules ?? []).join(", ");
  const said = resolution.message?.trim() ? `: ${resolution.message.trim()}` : "";
  const words = (text: string, short: string): DecisionWords => ({ text, short, allowed });
  if (resolution.decision === "cancelled") {
    return resolution.source === "agent"
      ? words("The agent withdrew the question", "withdrawn")
      : words("Not run: nobody could answer any more (the session stopped)", "not answered");
  }
  switch (resolution.source) {
    case "rule":
      return words(`${allowed ? "Allowed" : "Denied"} by ${rules ? `rule ${rules}` : "a permission rule"}`, "by rule");
    case "mode":
      if (!mode) return words(`${allowed ? "Allowed" : "Denied"} by the permission mode`, "by mode");
      return words(`${allowed ? "Allowed" : "Denied"} by mode: ${MODE_WORDS[mode]}`, MODE_WORDS[mode]);
    case "approveFlag":
      return words(`${allowed ? "Allowed" : "Denied"} by the --approve flag`, "by flag");
    case "shutdown":
      return words("Not run: the session stopped before an answer", "not answered");
    case "agent":
      return words("The agent withdrew the question", "withdrawn");
    case "user":
      return byPerson(resolution, planApproval, rules, said, words);
  }
}

function byPerson(
  resolution: PermissionResolution,
  planApproval: boolean,
  rules: string,
  said: string,
  words: (text: string, short: string) => DecisionWords,
): DecisionWords {
  const added = rules ? ` (rule added: ${rules})` : "";
  if (planApproval) {
    if (resolution.decision === "deny" || resolution.decision === "denyAndStop") return words(`Kept planning${said}`, "kept planning");
    const then = resolution.mode ? `, then ${MODE_WORDS[resolution.mode]}` : "";
    return words(`Plan approved by you${then}`, "plan approved");
  }
  switch (resolution.decision) {
    case "allowOnce":
      return words("Allowed once by you", "allowed once");
    case "allowSession":
      return words(`Allowed for this session${added}`, "this session");
    case "allowAlways":
      return words(`Always allowed${added}`, "always");
    case "deny":
      return words(`Denied by you${said}`, "denied by you");
    case "denyAndStop":
      return words(`Denied and stopped${said}`, "stopped");
    case "cancelled":
      return words("Not answered", "not answered");
  }
}
