// The Review with… dialog's git base option: the name is checked while typed (no options,
// ranges or shell syntax reach the backend), a good one starts a `base` review, and the
// backend's refusal (a base git does not know) is shown.
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Transcript } from "../../model/transcript";
import { baseNameProblem, ReviewDialog } from "./ReviewDialog";

const agents = vi.fn();
const start = vi.fn();
vi.mock("../../ipc", () => ({
  reviews: {
    agents: (...args: unknown[]) => agents(...args),
    start: (...args: unknown[]) => start(...args),
  },
}));

const codex = { kind: "codex", name: "Codex", status: { type: "ready" } };

beforeEach(() => {
  agents.mockResolvedValue({ ok: true, value: [codex] });
});
afterEach(() => {
  cleanup();
  vi.clearAllMocks();
});

function open(onStarted = vi.fn()) {
  render(<ReviewDialog sessionId="s1" transcript={new Transcript()} scope={{ type: "session" }} onClose={vi.fn()} onStarted={onStarted} />);
  fireEvent.change(screen.getByTestId("review-scope"), { target: { value: "base" } });
  return onStarted;
}

describe("the git base of a review", () => {
  it("refuses names git could read as an option, a range or more than a name", () => {
    for (const bad of ["--output=/tmp/x", "-p", "a b", "main..x", "$(x)", "HEAD:src", ""]) expect(baseNameProblem(bad), bad).not.toBeNull();
    for (const good of ["main", "origin/main", "v1.2", "HEAD~3", "@{u}", "feature/x-y"]) expect(baseNameProblem(good), good).toBeNull();
  });

  it("starts a base review with the typed name, and cannot start with a refused one", async () => {
    start.mockResolvedValue({ ok: true, value: "review-1" });
    const onStarted = open();
    await waitFor(() => expect((screen.getByTestId("review-agent") as HTMLSelectElement).value).toBe("codex"));
    const field = screen.getByTestId("review-base");
    fireEvent.change(field, { target: { value: "main..x" } });
    expect(screen.getByTestId("review-base-problem").textContent).toContain("not a range");
    expect((screen.getByTestId("review-start") as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(field, { target: { value: " origin/main " } });
    expect(screen.queryByTestId("review-base-problem")).toBeNull();
    fireEvent.click(screen.getByTestId("review-start"));
    await waitFor(() => expect(onStarted).toHaveBeenCalledWith({ type: "base", base: "origin/main" }));
    expect(start).toHaveBeenCalledWith("s1", { type: "base", base: "origin/main" }, "codex", null, null, null);
  });

  it("shows the backend's answer for a base git does not know", async () => {
    start.mockResolvedValue({ ok: false, error: { kind: "internal", message: "git knows no branch or commit 'nope' in this project" } });
    const onStarted = open();
    await waitFor(() => expect((screen.getByTestId("review-agent") as HTMLSelectElement).value).toBe("codex"));
    fireEvent.change(screen.getByTestId("review-base"), { target: { value: "nope" } });
    fireEvent.click(screen.getByTestId("review-start"));
    await waitFor(() => expect(screen.getByTestId("review-error").textContent).toContain("git knows no branch or commit 'nope'"));
    expect(onStarted).not.toHaveBeenCalled();
  });
});
