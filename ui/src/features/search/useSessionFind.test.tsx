import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Transcript } from "../../model/transcript";
import type { ChatReveal } from "./targets";
import { sessionTranscript } from "./testSession";
import { useSessionFind, type SearchJump } from "./useSessionFind";

// The store has "needle" three times in the output the window let go of (seq 9).
const sessionOutputs = vi.fn(async (_id: string, _seqs: number[], needle: string) => ({
  ok: true as const,
  value: needle === "needle" ? [{ seq: 9, count: 3 }] : [],
}));
vi.mock("../../ipc", () => ({ search: { sessionOutputs: (...args: [string, number[], string]) => sessionOutputs(...args) } }));

afterEach(() => {
  cleanup();
  sessionOutputs.mockClear();
});

/** The session view's part in finding: the bar, and every reveal request the chat gets. */
function Harness({ t, reveals, jump = null, outputMatches }: { t: Transcript; reveals: ChatReveal[]; jump?: SearchJump | null; outputMatches?: OutputSearch }) {
  const find = useSessionFind({ transcript: t, sessionId: "s1", loaded: true, jump, outputMatches });
  // Recorded as rendered (not in an effect): what the chat is given in the same commit.
  if (find.reveal && reveals.at(-1)?.token !== find.reveal.token) reveals.push(find.reveal);
  return <div ref={find.rootRef}>{find.bar}</div>;
}

type OutputSearch = (seqs: number[], needle: string) => Promise<{ ok: true; value: { seq: number; count: number }[] }>;

const count = () => screen.getByTestId("session-search-count").textContent;

describe("finding in a session", () => {
  it("opens on Ctrl+F, counts every match (outputs let go of by the store), steps with Enter and Shift+Enter", async () => {
    const reveals: ChatReveal[] = [];
    render(<Harness t={sessionTranscript()} reveals={reveals} />);
    expect(screen.queryByTestId("session-search")).toBeNull();
    const ctrlF = fireEvent.keyDown(window, { key: "f", ctrlKey: true });
    expect(ctrlF).toBe(false); // the webview's own find does not open
    const input = screen.getByTestId("session-search-input");
    expect(document.activeElement).toBe(input);

    fireEvent.change(input, { target: { value: "Needle" } });
    await waitFor(() => expect(count()).toBe("1 of 12"));
    expect(sessionOutputs).toHaveBeenCalledWith("s1", [9], "needle");
    expect(reveals.at(-1)).toMatchObject({ entry: 0, toolId: null, nthInRow: 0 });

    fireEvent.keyDown(input, { key: "Enter" });
    expect(count()).toBe("2 of 12");
    expect(reveals.at(-1)).toMatchObject({ entry: 1, thought: true });
    fireEvent.keyDown(input, { key: "Enter" });
    expect(reveals.at(-1)).toMatchObject({ entry: 2, toolId: "t1", nthInRow: 0 });

    fireEvent.keyDown(input, { key: "Enter", shiftKey: true });
    fireEvent.keyDown(input, { key: "Enter", shiftKey: true });
    fireEvent.keyDown(input, { key: "Enter", shiftKey: true });
    expect(count()).toBe("12 of 12");
    expect(reveals.at(-1)).toMatchObject({ entry: 4, toolId: "t2", nthInRow: 4 });

    fireEvent.click(screen.getByTestId("session-search-next"));
    expect(count()).toBe("1 of 12");
    // The same match asked for again is a new request.
    const tokens = new Set(reveals.map((r) => r.token));
    expect(tokens.size).toBe(reveals.length);
  });

  it("says when nothing matches, and Esc closes the bar without reaching the stop shortcut", async () => {
    render(<Harness t={sessionTranscript()} reveals={[]} />);
    fireEvent.keyDown(window, { key: "f", ctrlKey: true });
    const input = screen.getByTestId("session-search-input");
    fireEvent.change(input, { target: { value: "haystack" } });
    await waitFor(() => expect(count()).toBe("No matches"));
    expect(screen.getByTestId("session-search-next")).toHaveProperty("disabled", true);
    const seen: boolean[] = [];
    const listener = (e: KeyboardEvent) => seen.push(e.defaultPrevented);
    window.addEventListener("keydown", listener);
    fireEvent.keyDown(input, { key: "Escape" });
    window.removeEventListener("keydown", listener);
    expect(screen.queryByTestId("session-search")).toBeNull();
    expect(seen.every(Boolean)).toBe(true);
  });

  it("counts a read-only history's left-out outputs through its own search, not the store", async () => {
    // A Claude Code history is not stored: its transcript has "needle" five times in output 9.
    const history = vi.fn(async (_seqs: number[], needle: string) => ({ ok: true as const, value: needle === "needle" ? [{ seq: 9, count: 5 }] : [] }));
    const reveals: ChatReveal[] = [];
    render(<Harness t={sessionTranscript()} reveals={reveals} outputMatches={history} />);
    fireEvent.keyDown(window, { key: "f", ctrlKey: true });
    fireEvent.change(screen.getByTestId("session-search-input"), { target: { value: "needle" } });
    await waitFor(() => expect(count()).toBe("1 of 14"));
    expect(history).toHaveBeenCalledWith([9], "needle");
    expect(sessionOutputs).not.toHaveBeenCalled();
    // The last five matches are in that output: stepping back from the first lands on them.
    fireEvent.keyDown(screen.getByTestId("session-search-input"), { key: "Enter", shiftKey: true });
    expect(count()).toBe("14 of 14");
    expect(reveals.at(-1)).toMatchObject({ toolId: "t2" });
  });

  it("shows a project search hit once the transcript is read", () => {
    const reveals: ChatReveal[] = [];
    render(<Harness t={sessionTranscript()} reveals={reveals} jump={{ target: { type: "tool", id: "t2" }, words: ["grep"], token: 1 }} />);
    expect(reveals.at(-1)).toMatchObject({ entry: 4, toolId: "t2" });
  });
});
