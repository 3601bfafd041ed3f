import { describe, expect, it } from "vitest";
import type { PermissionResolution } from "../../ipc";
import { describeDecision } from "./decision";

const resolution = (over: Partial<PermissionResolution>): PermissionResolution => ({
  requestId: "r1",
  decision: "allowOnce",
  source: "user",
  message: null,
  toolName: "Bash",
  ...over,
});

const text = (over: Partial<PermissionResolution>, mode: Parameters<typeof describeDecision>[1] = null) => describeDecision(resolution(over), mode).text;

describe("decision wording", () => {
  it("names the rule that decided, either way", () => {
    expect(text({ source: "rule", rules: ["Bash(npm test:*)"] })).toBe("Allowed by rule Bash(npm test:*)");
    expect(text({ source: "rule", decision: "deny", rules: ["Read(.env)"], message: "Denied by the permission rule Read(.env) in Warden." })).toBe(
      "Denied by rule Read(.env)",
    );
    expect(text({ source: "rule" })).toBe("Allowed by a permission rule");
  });

  it("names the mode the session was in", () => {
    expect(text({ source: "mode" }, "acceptEdits")).toBe("Allowed by mode: accept edits");
    expect(text({ source: "mode" }, "bypass")).toBe("Allowed by mode: bypass");
    expect(text({ source: "mode" }, null)).toBe("Allowed by the permission mode");
    expect(describeDecision(resolution({ source: "mode" }), "bypass").short).toBe("bypass");
  });

  it("says what the person chose, with the rule added and the message sent", () => {
    expect(text({})).toBe("Allowed once by you");
    expect(text({ decision: "allowSession" })).toBe("Allowed for this session");
    expect(text({ decision: "allowSession", rules: ["Bash(ls:*)"] })).toBe("Allowed for this session (rule added: Bash(ls:*))");
    expect(text({ decision: "allowAlways", rules: ["Edit(./src/app.js)"] })).toBe("Always allowed (rule added: Edit(./src/app.js))");
    expect(text({ decision: "deny", message: "not that file" })).toBe("Denied by you: not that file");
    expect(text({ decision: "deny", message: "  " })).toBe("Denied by you");
    expect(text({ decision: "denyAndStop" })).toBe("Denied and stopped");
  });

  it("keeps the row's label short and says which way it went", () => {
    expect(describeDecision(resolution({}), null)).toEqual({ text: "Allowed once by you", short: "allowed once", allowed: true });
    expect(describeDecision(resolution({ decision: "denyAndStop" }), null).allowed).toBe(false);
  });

  it("reads a plan approval as one, known by the call's input", () => {
    const plan = (over: Partial<PermissionResolution>) => describeDecision(resolution(over), null, true).text;
    expect(plan({ toolName: "ExitPlanMode", mode: "acceptEdits" })).toBe("Plan approved by you, then accept edits");
    expect(plan({ toolName: "exit_plan", decision: "deny", message: "Add tests first" })).toBe("Kept planning: Add tests first");
    // The tool's name alone does not make a plan.
    expect(text({ toolName: "ExitPlanMode", decision: "deny" })).toBe("Denied by you");
  });

  it("says when nobody answered", () => {
    expect(text({ source: "shutdown", decision: "cancelled" })).toMatch(/^Not run/);
    expect(text({ source: "agent", decision: "cancelled" })).toBe("The agent withdrew the question");
    expect(text({ source: "approveFlag", decision: "deny" })).toBe("Denied by the --approve flag");
  });
});
