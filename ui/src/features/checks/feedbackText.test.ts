import { describe, expect, it } from "vitest";
import { PROPOSED_TEXT, failingFinding, secondFinding } from "../../model/testTasks";
import { findingLine, keepFindings } from "./feedbackText";

const findings = [
  { check: "tests", finding: failingFinding },
  { check: "lint", finding: secondFinding },
];

describe("the feedback text with the findings the person kept", () => {
  it("is Warden's text unchanged with every finding kept", () => {
    expect(keepFindings(PROPOSED_TEXT, findings, new Set([0, 1]))).toBe(PROPOSED_TEXT);
  });

  it("drops a left-out finding with its explanation, and the section of a check with none left", () => {
    const onlyTests = keepFindings(PROPOSED_TEXT, findings, new Set([0]));
    expect(onlyTests).toContain("## Check `tests` failed");
    expect(onlyTests).toContain("  assertion failed: marker exists");
    expect(onlyTests).not.toContain("lint");
    const onlyLint = keepFindings(PROPOSED_TEXT, findings, new Set([1]));
    expect(onlyLint).not.toContain("tests::marker");
    expect(onlyLint).not.toContain("assertion failed");
    expect(onlyLint).toContain("- lint: unused variable (src/main.rs:3)");
    expect(onlyLint.startsWith("Warden ran the project's checks")).toBe(true);
  });

  it("drops a left-out reviewer's finding and its section like a check's", () => {
    const review = { severity: "error" as const, title: "[high] h() returns 0", body: "Because.", file: "src/lib.rs", line: 8 };
    const text = `${PROPOSED_TEXT}\n## Review \`reviewer codex\` needs attention (1 finding(s) that block)\n- [high] h() returns 0 (src/lib.rs:8)\n  Because.\n`;
    const all = [...findings, { check: "reviewer codex", finding: review }];
    const noReview = keepFindings(text, all, new Set([0, 1]));
    expect(noReview).not.toContain("reviewer codex");
    expect(noReview).not.toContain("Because.");
    expect(noReview).toContain("## Check `lint` failed");
    const onlyReview = keepFindings(text, all, new Set([2]));
    expect(onlyReview).toContain("- [high] h() returns 0 (src/lib.rs:8)\n  Because.");
    expect(onlyReview).not.toContain("lint");
  });

  it("names a finding as the message does", () => {
    expect(findingLine(failingFinding)).toBe("- test tests::marker ... FAILED (src/lib.rs:12)");
    expect(findingLine({ ...secondFinding, line: null })).toBe("- lint: unused variable (src/main.rs)");
    expect(findingLine({ ...secondFinding, file: null, line: null })).toBe("- lint: unused variable");
  });
});
