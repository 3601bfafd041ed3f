import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Transcript } from "../../model/transcript";
import * as ev from "../../model/testTasks";
import * as rv from "../../model/testReviews";
import { findingKey, groupFindings, reviewFindingText, withReviewFindings } from "../../model/reviews";
import { FilesOpenerContext } from "../files/opener";
import { ReviewView } from "./ReviewView";

const prompt = vi.fn();
const feedback = vi.fn();
const falsePositives = vi.fn();
const mark = vi.fn();
vi.mock("../../ipc", () => ({
  sessions: { prompt: (...args: unknown[]) => prompt(...args) },
  checks: { feedback: (...args: unknown[]) => feedback(...args) },
  reviews: {
    falsePositives: (...args: unknown[]) => falsePositives(...args),
    markFalsePositive: (...args: unknown[]) => mark(...args),
  },
}));

const inside = rv.finding("high", "b() returns 0", "src/lib.rs", [2, 3]);
const nit = rv.finding("low", "naming", "src/lib.rs", [5, 5]);
const outside = rv.finding("medium", "old bug elsewhere", "src/other.rs", [1, 1], true);
const whole = rv.finding("low", "no tests", null, null);
const claudeOnMain = rv.finding("critical", "panics on start", "src/main.rs", [9, 9]);

function transcriptOf(kinds: Parameters<typeof ev.stream>[0]): Transcript {
  const t = new Transcript();
  t.apply(ev.stream(kinds));
  return t;
}

const reviewed = [
  ev.started(),
  ev.completed(1),
  rv.reviewStarted("review-1", rv.codex),
  rv.reviewStarted("review-2", rv.claude),
  rv.reviewStarted("review-3", { agent: "gemini", model: null, sessionId: "rev-gemini" }),
  rv.reviewCompleted("review-1", rv.codex, [nit, inside, outside, whole]),
  rv.reviewCompleted("review-2", rv.claude, [claudeOnMain]),
  rv.reviewFailed("review-3", { agent: "gemini", model: null, sessionId: "rev-gemini" }, "the reviewer's answer could not be read"),
];

beforeEach(() => {
  prompt.mockResolvedValue({ ok: true, value: 2 });
  feedback.mockResolvedValue({ ok: true, value: null });
  falsePositives.mockResolvedValue({ ok: true, value: [] });
  mark.mockImplementation(async (_s: string, _t: number, file: string | null, title: string) => ({ ok: true, value: [{ key: findingKey({ file, title }), file, title }] }));
});
afterEach(() => {
  cleanup();
  vi.clearAllMocks();
});

describe("the review model", () => {
  it("groups by file, worst first, with who flagged each file, the outside group apart and false positives left out", () => {
    const t = transcriptOf(reviewed);
    const grouped = groupFindings(t.reviews.forTask(1), new Set([findingKey(nit)]));
    expect(grouped.files.map((f) => [f.file, f.findings.map((p) => p.finding.title), f.flaggedBy, f.notFlaggedBy])).toEqual([
      ["src/main.rs", ["panics on start"], ["Claude Code"], ["Codex · gpt-5.5"]],
      ["src/lib.rs", ["b() returns 0"], ["Codex · gpt-5.5"], ["Claude Code"]],
    ]);
    expect(grouped.outside.map((f) => f.file)).toEqual(["src/other.rs"]);
    expect(grouped.general.map((p) => p.finding.title)).toEqual(["no tests"]);
    expect(grouped.hidden).toBe(1);
    // The reviewers' costs add up for the task's chip; the failed one's too.
    expect(t.reviews.costOfTask(1)).toBeCloseTo(0.05);
  });

  it("writes findings in the check findings' format, appended to a proposed feedback", () => {
    expect(reviewFindingText(inside)).toBe("- [high] b() returns 0 (src/lib.rs:2-3)\n  b() returns 0: why\n  Recommendation: Fix b() returns 0");
    const t = transcriptOf(reviewed);
    const picked = groupFindings(t.reviews.forTask(1), new Set()).files.flatMap((f) => f.findings);
    const text = withReviewFindings("Checks failed.", picked);
    expect(text).toContain("Checks failed.\n\n## Review by Claude Code\n- [critical] panics on start (src/main.rs:9)");
    expect(text).toContain("## Review by Codex · gpt-5.5\n- [high] b() returns 0 (src/lib.rs:2-3)");
  });
});

describe("the review view", () => {
  it("shows the reviews side by side: verdicts, a running one with its time, an error never as a pass", () => {
    const t = transcriptOf([...reviewed, rv.reviewStarted("review-4", { agent: "codex", model: null, sessionId: null })]);
    render(<ReviewView project="/p" sessionId="s1" transcript={t} group="task:1" onAsk={null} onClose={() => {}} />);
    const columns = screen.getAllByTestId("review-column");
    expect(columns.map((c) => c.dataset.phase)).toEqual(["completed", "completed", "error", "running"]);
    expect(within(columns[0]!).getByTestId("review-verdict").dataset.verdict).toBe("needsAttention");
    expect(within(columns[2]!).getByTestId("review-failed").textContent).toContain("could not be read");
    expect(within(columns[2]!).queryByTestId("review-verdict")).toBeNull();
    expect(within(columns[3]!).getByTestId("review-running").textContent).toMatch(/Reviewing… \d/);
    expect(within(columns[0]!).getByTestId("review-open-session")).toBeTruthy();
    expect(within(columns[3]!).queryByTestId("review-open-session")).toBeNull();
  });

  it("lists findings by file with severity badges and opens the Files panel at a finding's file", () => {
    const openFiles = vi.fn();
    render(
      <FilesOpenerContext.Provider value={openFiles}>
        <ReviewView project="/p" sessionId="s1" transcript={transcriptOf(reviewed)} group="task:1" onAsk={null} onClose={() => {}} />
      </FilesOpenerContext.Provider>,
    );
    const files = within(screen.getByTestId("review-inside")).getAllByTestId("review-file");
    expect(files.map((f) => f.dataset.file)).toEqual(["src/main.rs", "src/lib.rs"]);
    expect(within(files[1]!).getByTestId("review-flagged").textContent).toBe("flagged by Codex · gpt-5.5 · not by Claude Code");
    expect(within(files[1]!).getAllByTestId("severity-badge").map((b) => b.textContent)).toEqual(["high", "low"]);
    expect(within(screen.getByTestId("review-outside")).getByTestId("review-file").dataset.file).toBe("src/other.rs");
    // A finding's place opens the panel at its hunk and lines; the file's name at the file.
    fireEvent.click(within(files[1]!).getAllByTestId("review-place")[0]!);
    expect(openFiles).toHaveBeenCalledWith({ type: "session" }, "src/lib.rs", { hunk: "src/lib.rs#1", lineStart: 2, lineEnd: 3 });
    fireEvent.click(within(files[1]!).getByTestId("review-file-open"));
    expect(openFiles).toHaveBeenLastCalledWith({ type: "session" }, "src/lib.rs", undefined);
  });

  it("marks a false positive for the task: hidden, not sent, remembered through the store", async () => {
    render(<ReviewView project="/p" sessionId="s1" transcript={transcriptOf(reviewed)} group="task:1" onAsk={null} onClose={() => {}} />);
    await waitFor(() => expect(falsePositives).toHaveBeenCalledWith("s1", 1));
    const lib = () => screen.getAllByTestId("review-file").find((f) => f.dataset.file === "src/lib.rs")!;
    const nitRow = within(lib()).getAllByTestId("review-finding")[1]!;
    fireEvent.click(within(nitRow).getByTestId("review-false-positive"));
    await waitFor(() => expect(mark).toHaveBeenCalledWith("s1", 1, "src/lib.rs", "naming", true));
    await waitFor(() => expect(within(lib()).getAllByTestId("review-finding")).toHaveLength(1));
    expect(screen.getByTestId("review-hidden").textContent).toContain("1 marked as false positive");
  });

  it("keeps marks read from the store hidden in a later round", async () => {
    falsePositives.mockResolvedValue({ ok: true, value: [{ key: findingKey(inside), file: inside.file, title: inside.title }] });
    render(<ReviewView project="/p" sessionId="s1" transcript={transcriptOf(reviewed)} group="task:1" onAsk={null} onClose={() => {}} />);
    await waitFor(() => expect(screen.queryByText("b() returns 0")).toBeNull());
  });

  it("sends the picked findings as a new prompt when no feedback waits", async () => {
    render(<ReviewView project="/p" sessionId="s1" transcript={transcriptOf(reviewed)} group="task:1" onAsk={null} onClose={() => {}} />);
    const send = screen.getByTestId<HTMLButtonElement>("review-send-button");
    expect(send.disabled).toBe(true);
    expect(send.textContent).toBe("Send selected findings to Claude Code");
    const lib = screen.getAllByTestId("review-file").find((f) => f.dataset.file === "src/lib.rs")!;
    fireEvent.click(within(lib).getAllByTestId("review-pick")[0]!);
    const text = screen.getByTestId<HTMLTextAreaElement>("review-text").value;
    expect(text).toContain("- [high] b() returns 0 (src/lib.rs:2-3)\n  b() returns 0: why\n  Recommendation: Fix b() returns 0");
    expect(text).not.toContain("naming");
    fireEvent.click(send);
    await waitFor(() => expect(prompt).toHaveBeenCalledWith("s1", text));
    expect(feedback).not.toHaveBeenCalled();
    await waitFor(() => expect(screen.getByTestId("review-sent")).toBeTruthy());
  });

  it("adds the picked findings to the feedback the gate proposes", async () => {
    const t = transcriptOf([
      ev.started(),
      ev.completed(1),
      ev.checkStarted("tests", 1),
      ev.checkFinished("tests", 1, { status: "failed" }, [ev.failingFinding]),
      ev.gate(1, "blocked"),
      ev.proposed(1),
      rv.reviewStarted("review-1", rv.codex),
      rv.reviewCompleted("review-1", rv.codex, [inside]),
    ]);
    render(<ReviewView project="/p" sessionId="s1" transcript={t} group={null} onAsk={null} onClose={() => {}} />);
    fireEvent.click(screen.getAllByTestId("review-pick")[0]!);
    const text = screen.getByTestId<HTMLTextAreaElement>("review-text").value;
    expect(text.startsWith(ev.PROPOSED_TEXT.trimEnd())).toBe(true);
    expect(text).toContain("## Review by Codex · gpt-5.5\n- [high] b() returns 0");
    fireEvent.click(screen.getByTestId("review-send-button"));
    await waitFor(() => expect(feedback).toHaveBeenCalledWith("s1", 1, "send", text));
    expect(prompt).not.toHaveBeenCalled();
  });
});
