import { describe, expect, it } from "vitest";
import type { PermissionLogEntry } from "../../../ipc";
import { decisionTone, decisionWords, formatLogTime, newestFirst, sourceWords } from "./auditFormat";

const entry = (seq: number, atMs: number): PermissionLogEntry => ({
  sessionId: "s1",
  seq,
  atMs,
  requestId: `r${seq}`,
  toolCallId: null,
  toolName: "Bash",
  subject: "ls",
  decision: "allowOnce",
  source: "user",
  rules: [],
  message: null,
  outsideProject: false,
});

describe("audit log wording", () => {
  it("names who decided", () => {
    expect(sourceWords("user")).toBe("You");
    expect(sourceWords("rule")).toBe("Rule");
    expect(sourceWords("mode")).toBe("Mode");
    expect(sourceWords("approveFlag")).toBe("The --approve flag");
    expect(sourceWords("shutdown")).toBe("Warden (shutdown)");
    expect(sourceWords("agent")).toBe("Agent withdrew");
  });

  it("says 'once' only for a person's choice", () => {
    expect(decisionWords("allowOnce", "user")).toBe("Allowed once");
    expect(decisionWords("allowOnce", "rule")).toBe("Allowed");
    expect(decisionWords("allowOnce", "mode")).toBe("Allowed");
    expect(decisionWords("allowSession", "user")).toBe("Allowed for the session");
    expect(decisionWords("allowAlways", "user")).toBe("Always allowed");
    expect(decisionWords("deny", "rule")).toBe("Denied");
    expect(decisionWords("denyAndStop", "user")).toBe("Denied and stopped");
    expect(decisionWords("cancelled", "shutdown")).toBe("Not run (cancelled)");
  });

  it("colours by outcome", () => {
    expect(decisionTone("allowAlways")).toBe("allow");
    expect(decisionTone("denyAndStop")).toBe("deny");
    expect(decisionTone("cancelled")).toBe("cancelled");
  });
});

describe("audit log time", () => {
  const now = new Date(2026, 10, 21, 15, 0).getTime();

  it("shows the local time to the second today", () => {
    expect(formatLogTime(new Date(2026, 10, 21, 9, 5, 7).getTime(), now)).toBe("09:05:07");
  });

  it("adds the date on other days, and the year in other years", () => {
    const earlier = formatLogTime(new Date(2026, 2, 3, 14, 2, 5).getTime(), now);
    expect(earlier.startsWith("14:02:05 · ")).toBe(true);
    expect(earlier).toMatch(/3/);
    expect(earlier).not.toMatch(/2026/);
    expect(formatLogTime(new Date(2025, 2, 3, 8, 0, 0).getTime(), now)).toMatch(/^08:00:00 · .*2025/);
  });

  it("puts the newest decision first", () => {
    const sorted = newestFirst([entry(1, 100), entry(3, 300), entry(2, 300)]);
    expect(sorted.map((e) => e.seq)).toEqual([3, 2, 1]);
  });
});
