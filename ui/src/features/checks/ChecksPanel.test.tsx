import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ChecksOverview } from "../../ipc";
import { Transcript } from "../../model/transcript";
import * as ev from "../../model/testTasks";
import { FilesOpenerContext } from "../files/opener";
import { ChecksPanel, relativeTo } from "./ChecksPanel";
import type { OverviewState } from "./useChecksOverview";

const feedback = vi.fn();
const rerun = vi.fn();
const log = vi.fn();
const trust = vi.fn();
vi.mock("../../ipc", () => ({
  checks: {
    feedback: (...args: unknown[]) => feedback(...args),
    rerun: (...args: unknown[]) => rerun(...args),
    log: (...args: unknown[]) => log(...args),
    trust: (...args: unknown[]) => trust(...args),
  },
  // The person's hunk comments the composer batches in: none here (CommentsBar.test.tsx).
  files: { comments: async () => ({ ok: true, value: [] }) },
}));

export const trustedOverview: ChecksOverview = {
  project: "/p",
  projectFile: "/p/.warden/checks.toml",
  trust: "trusted",
  maxRounds: 3,
  budgetUsd: null,
  personalFile: "/data/checks/p.toml",
  personalFileExists: false,
  valid: true,
  errors: [],
  entries: [
    { id: "tests", kind: "check", source: "project", mayRun: true, notTrusted: null, disabled: null, overridden: [], file: ".warden/checks.toml", line: 3, summary: "cargo test", errors: [] },
  ],
  request: { file: "/p/.warden/checks.toml", sha256: "ab".repeat(32), commands: [], urls: [], reviews: [] },
};

function state(overview: ChecksOverview): OverviewState {
  return { overview, error: null, refresh: vi.fn(), set: vi.fn() };
}

function transcriptOf(kinds: Parameters<typeof ev.stream>[0]): Transcript {
  const t = new Transcript();
  t.apply(ev.stream(kinds));
  return t;
}

const failedRound = [
  ev.started(),
  ev.completed(1),
  ev.checkStarted("tests", 1),
  ev.checkStarted("lint", 1),
  ev.checkStarted("docs", 1),
  ev.checkFinished("tests", 1, { status: "failed" }, [ev.failingFinding]),
  ev.checkFinished("lint", 1, { status: "failed" }, [ev.secondFinding]),
  ev.checkFinished("docs", 1, { status: "error", reason: "timed out after 10 m" }, [], { exitCode: null }),
  ev.gate(1, "blocked"),
  ev.proposed(1),
];

beforeEach(() => {
  feedback.mockResolvedValue({ ok: true, value: null });
  rerun.mockResolvedValue({ ok: true, value: null });
  log.mockResolvedValue({ ok: true, value: { text: "running 3 tests\ntest tests::marker ... FAILED\n", nextOffset: 44, size: 44 } });
});
afterEach(() => {
  cleanup();
  vi.clearAllMocks();
});

describe("the Checks panel", () => {
  it("shows each check with its status, duration and why it ran; a failed one open with its findings and log", async () => {
    const openFiles = vi.fn();
    render(
      <FilesOpenerContext.Provider value={openFiles}>
        <ChecksPanel project="/p" sessionId="s1" transcript={transcriptOf(failedRound)} overview={state(trustedOverview)} onClose={() => {}} />
      </FilesOpenerContext.Provider>,
    );
    const rows = screen.getAllByTestId("check-row");
    expect(rows.map((r) => [r.dataset.check, r.dataset.status])).toEqual([
      ["tests", "failed"],
      ["lint", "failed"],
      ["docs", "error"],
    ]);
    expect(rows[0]!.textContent).toContain("Failed");
    expect(rows[0]!.textContent).toContain("changed: src/**");
    expect(rows[0]!.textContent).toContain("1.2 s");
    expect(within(rows[0]!).getByTestId("finding").textContent).toContain("test tests::marker ... FAILED");
    expect(within(rows[0]!).getByTestId("finding-place").textContent).toBe("src/lib.rs:12");
    fireEvent.click(within(rows[0]!).getByTestId("finding-place"));
    // At the line: the panel shows the hunk holding it.
    expect(openFiles).toHaveBeenCalledWith({ type: "session" }, "src/lib.rs", { lineStart: 12, lineEnd: 12 });
    await waitFor(() => expect(within(rows[0]!).getByTestId("check-log").textContent).toContain("running 3 tests"));
    expect(log).toHaveBeenCalledWith("/data/checks/logs/p/tests-1.log", 0);
    // An error is shown as such, with its reason, and starts closed.
    expect(rows[2]!.textContent).toContain("Could not run");
    fireEvent.click(within(rows[2]!).getByRole("button", { expanded: false }));
    expect(rows[2]!.textContent).toContain("timed out after 10 m");
    expect(screen.getByTestId("checks-verdict").dataset.verdict).toBe("blocked");
    expect(screen.getByTestId("checks-config").dataset.trust).toBe("trusted");
  });

  it("sends exactly the text in the composer, with a left-out finding removed and the person's edit kept", async () => {
    const closed = vi.fn();
    render(<ChecksPanel project="/p" sessionId="s1" transcript={transcriptOf(failedRound)} overview={state(trustedOverview)} onClose={closed} />);
    const composer = screen.getByTestId("feedback-composer");
    const send = within(composer).getByTestId("composer-send");
    expect(send.textContent).toBe("Send to Claude Code (round 2 of 3)");
    const text = within(composer).getByTestId<HTMLTextAreaElement>("composer-text");
    expect(text.value).toBe(ev.PROPOSED_TEXT);
    fireEvent.click(within(composer).getAllByTestId("composer-finding")[1]!);
    expect(text.value).not.toContain("lint");
    fireEvent.change(text, { target: { value: `${text.value}\nAlso keep the public API.` } });
    expect(within(composer).getAllByTestId<HTMLInputElement>("composer-finding")[0]!.disabled).toBe(true);
    fireEvent.click(send);
    await waitFor(() => expect(feedback).toHaveBeenCalledTimes(1));
    const [session, task, decision, sentText] = feedback.mock.calls[0]!;
    expect([session, task, decision]).toEqual(["s1", 1, "send"]);
    expect(sentText).toContain("tests::marker");
    expect(sentText).not.toContain("lint: unused variable");
    expect(sentText.endsWith("Also keep the public API.")).toBe(true);
    // Sent, the panel steps aside for the chat (and the permission questions of the new round).
    await waitFor(() => expect(closed).toHaveBeenCalled());
  });

  it("dismisses and accepts through the engine, and re-runs all or only the failed checks", async () => {
    render(<ChecksPanel project="/p" sessionId="s1" transcript={transcriptOf(failedRound)} overview={state(trustedOverview)} onClose={() => {}} />);
    fireEvent.click(screen.getByTestId("composer-dismiss"));
    await waitFor(() => expect(feedback).toHaveBeenLastCalledWith("s1", 1, "dismiss", null));
    await waitFor(() => expect(screen.getByTestId<HTMLButtonElement>("composer-accept").disabled).toBe(false));
    fireEvent.click(screen.getByTestId("composer-accept"));
    await waitFor(() => expect(feedback).toHaveBeenLastCalledWith("s1", 1, "accept", null));
    await waitFor(() => expect(screen.getByTestId<HTMLButtonElement>("checks-rerun-failed").disabled).toBe(false));
    fireEvent.click(screen.getByTestId("checks-rerun-failed"));
    await waitFor(() => expect(rerun).toHaveBeenLastCalledWith("s1", 1, true));
    await waitFor(() => expect(screen.getByTestId<HTMLButtonElement>("checks-rerun").disabled).toBe(false));
    fireEvent.click(screen.getByTestId("checks-rerun"));
    await waitFor(() => expect(rerun).toHaveBeenLastCalledWith("s1", 1, false));
  });

  it("opens a finding's file relative to the project, whichever way the tool printed it", () => {
    expect(relativeTo("/p", "/p/src/a.rs")).toBe("src/a.rs");
    expect(relativeTo("/p/", "./src/a.rs")).toBe("src/a.rs");
    expect(relativeTo("/p", "src/a.rs")).toBe("src/a.rs");
  });

  it("shows the engine's refusal", async () => {
    feedback.mockResolvedValue({ ok: false, error: { code: "sessionNotRunning", message: "the agent is not running" } });
    render(<ChecksPanel project="/p" sessionId="s1" transcript={transcriptOf(failedRound)} overview={state(trustedOverview)} onClose={() => {}} />);
    fireEvent.click(screen.getByTestId("composer-send"));
    expect((await screen.findByTestId("checks-error")).textContent).toBe("the agent is not running");
  });

  it("compares rounds, and no composer once the task passed", () => {
    const t = transcriptOf([...failedRound, ev.sent(2), ev.completed(2), ev.checkStarted("tests", 2), ev.checkFinished("tests", 2, { status: "passed" }), ev.gate(2, "passed"), ev.finished("passed", 2)]);
    render(<ChecksPanel project="/p" sessionId="s1" transcript={t} overview={state(trustedOverview)} onClose={() => {}} />);
    expect(screen.queryByTestId("feedback-composer")).toBeNull();
    expect(screen.getAllByTestId("check-row").map((r) => r.dataset.status)).toEqual(["passed"]);
    const select = screen.getByTestId<HTMLSelectElement>("checks-round");
    expect([...select.options].map((o) => o.textContent)).toEqual(["1 of 3", "2 of 3"]);
    fireEvent.change(select, { target: { value: "1" } });
    expect(screen.getAllByTestId("check-row").map((r) => r.dataset.status)).toEqual(["failed", "failed", "error"]);
    expect(screen.getByTestId("checks-sent").textContent).toContain("You sent feedback");
  });

  it("says not trusted and offers the review when the project file is not trusted", () => {
    const untrusted: ChecksOverview = {
      ...trustedOverview,
      trust: "notTrusted",
      entries: trustedOverview.entries.map((e) => ({ ...e, mayRun: false, notTrusted: "not approved" })),
    };
    const t = transcriptOf([ev.started(), ev.completed(1), ev.checkFinished("tests", 1, { status: "notTrusted", reason: "the project's checks file has not been approved" }), ev.gate(1, "passed")]);
    render(<ChecksPanel project="/p" sessionId="s1" transcript={t} overview={state(untrusted)} onClose={() => {}} />);
    expect(screen.getByTestId("checks-config").textContent).toContain("not trusted yet");
    expect(screen.getByTestId("check-row").dataset.status).toBe("notTrusted");
    fireEvent.click(screen.getByTestId("checks-review-trust"));
    expect(screen.getByTestId("trust-dialog")).toBeTruthy();
  });
});
