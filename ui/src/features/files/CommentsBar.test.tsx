import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { HunkComment } from "../../ipc";
import { FeedbackComposer } from "../checks/FeedbackComposer";
import { CommentsBar } from "./CommentsBar";

const prompt = vi.fn();
const markCommentsSent = vi.fn();
vi.mock("../../ipc", () => ({
  sessions: { prompt: (...a: unknown[]) => prompt(...a) },
  files: { markCommentsSent: (...a: unknown[]) => markCommentsSent(...a) },
}));

const comment = (id: number, text: string, startLine: number): HunkComment => ({
  id,
  sessionId: "s1",
  task: 1,
  path: "src/lib.rs",
  startLine,
  endLine: startLine + 1,
  quote: "@@ -3,1 +3,2 @@\n+let x = 1;\n+let y = 2;\n",
  text,
  createdMs: 0,
  sent: false,
});
const first = comment(1, "Name these better", 3);
const second = comment(2, "Why two lets?", 7);

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

  it("batches comments with the checks' findings in the composer; an unticked one is neither in the text nor marked", () => {
    const onSend = vi.fn();
    const proposed = { text: "Warden ran the project's checks.\n\n## Check `tests` failed\n", findings: [] };
    render(
      <FeedbackComposer round={1} maxRounds={3} agentName="Claude" proposed={proposed} comments={[first, second]} busy={false} onSend={onSend} onDismiss={vi.fn()} onAccept={vi.fn()} />,
    );
    const text = () => (screen.getByTestId("composer-text") as HTMLTextAreaElement).value;
    expect(text()).toContain("## Comments from the user on your changes");
    expect(text()).toContain("Name these better");
    fireEvent.click(screen.getAllByTestId("composer-comment")[1]!);
    expect(text()).not.toContain("Why two lets?");
    fireEvent.click(screen.getByTestId("composer-send"));
    expect(onSend).toHaveBeenCalledWith(text(), [first]);
  });
});
