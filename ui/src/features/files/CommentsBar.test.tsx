import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { CommentsBar } from "./CommentsBar";

const prompt = vi.fn();
const markCommentsSent = vi.fn();
vi.mock("../../ipc", () => ({
  sessions: { prompt: (...a: unknown[]) => prompt(...a) },
  files: { markCommentsSent: (...a: unknown[]) => markCommentsSent(...a) },
}));

import { first, second } from "./testComments";

afterEach(() => {
  cleanup();
  prompt.mockReset();
  markCommentsSent.mockReset();
});

describe("the person's hunk comments reach the agent", () => {
  it("sends unsent comments as the person's prompt with file:lines and the quoted hunk, then marks them sent", async () => {
    prompt.mockResolvedValue({ ok: true, value: 2 });
    markCommentsSent.mockResolvedValue({ ok: true, value: null });
    const onSent = vi.fn();
    render(<CommentsBar project="/p" sessionId="s1" comments={[first, second]} blocked={null} onSent={onSent} />);
    expect(screen.getByTestId("comments-bar").textContent).toContain("2 comments not sent");
    fireEvent.click(screen.getByTestId("comments-send"));
    await waitFor(() => expect(onSent).toHaveBeenCalled());
    const [session, text] = prompt.mock.calls[0] as [string, string];
    expect(session).toBe("s1");
    expect(text).toContain("- Name these better (src/lib.rs:3-4)");
    expect(text).toContain("- Why two lets? (src/lib.rs:7-8)");
    expect(text).toContain("+let x = 1;");
    expect(markCommentsSent).toHaveBeenCalledWith("/p", [1, 2]);
  });

  it("does not send while the agent works or the checks' feedback waits, and says why", () => {
    render(<CommentsBar project="/p" sessionId="s1" comments={[first]} blocked="the agent is working" onSent={vi.fn()} />);
    expect(screen.getByTestId("comments-bar").textContent).toContain("1 comment not sent to the agent — the agent is working");
    expect((screen.getByTestId("comments-send") as HTMLButtonElement).disabled).toBe(true);
  });

  it("keeps the comments when the prompt fails", async () => {
    prompt.mockResolvedValue({ ok: false, error: { kind: "busy", message: "The agent is busy." } });
    const onSent = vi.fn();
    render(<CommentsBar project="/p" sessionId="s1" comments={[first]} blocked={null} onSent={onSent} />);
    fireEvent.click(screen.getByTestId("comments-send"));
    await screen.findByText("The agent is busy.");
    expect(onSent).not.toHaveBeenCalled();
    expect(markCommentsSent).not.toHaveBeenCalled();
  });

});
