import { act, cleanup, render, screen, waitFor } from "@testing-library/react";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { SessionEvent } from "../../ipc";
import { Transcript } from "../../model/transcript";
import type { ChatReveal } from "../search/targets";
import { ChatView } from "./ChatView";

// jsdom lays nothing out: the chat's scroller gets a height, every row the estimate, the
// content the virtualiser's total size, and scrollTo moves the scroller as a browser would.
const VIEWPORT = 400;
const ROW = 48;
const saved = {
  clientHeight: Object.getOwnPropertyDescriptor(HTMLElement.prototype, "clientHeight"),
  offsetHeight: Object.getOwnPropertyDescriptor(HTMLElement.prototype, "offsetHeight"),
  scrollHeight: Object.getOwnPropertyDescriptor(HTMLElement.prototype, "scrollHeight"),
  scrollTo: Object.getOwnPropertyDescriptor(HTMLElement.prototype, "scrollTo"),
};
beforeAll(() => {
  Object.defineProperty(HTMLElement.prototype, "clientHeight", {
    configurable: true,
    get(this: HTMLElement) {
      return this.dataset.testid === "chat-scroll" ? VIEWPORT : 0;
    },
  });
  Object.defineProperty(HTMLElement.prototype, "scrollHeight", {
    configurable: true,
    get(this: HTMLElement) {
      const inner = this.firstElementChild;
      return inner instanceof HTMLElement ? Number.parseFloat(inner.style.height) || 0 : 0;
    },
  });
  Object.defineProperty(HTMLElement.prototype, "offsetHeight", { configurable: true, get: () => ROW });
  Object.defineProperty(HTMLElement.prototype, "scrollTo", {
    configurable: true,
    value(this: HTMLElement, options: ScrollToOptions) {
      const top = options.top ?? this.scrollTop;
      if (top === this.scrollTop) return;
      this.scrollTop = top;
      this.dispatchEvent(new Event("scroll"));
    },
  });
});
afterAll(() => {
  for (const [key, descriptor] of Object.entries(saved)) {
    if (descriptor) Object.defineProperty(HTMLElement.prototype, key, descriptor);
    else delete (HTMLElement.prototype as unknown as Record<string, unknown>)[key];
  }
});
afterEach(cleanup);

/** 300 prompts, then a subagent call with a nested call that printed "needle", then a thought. */
function longTranscript(): Transcript {
  const events: SessionEvent[] = [];
  const add = (kind: SessionEvent["kind"]) => events.push({ sessionId: "s1", seq: events.length + 1, atMs: 0, kind });
  for (let i = 0; i < 300; i++) add({ type: "userMessage", data: { turn: i + 1, text: `prompt number ${i}` } });
  const call = (id: string, parent: string | null) =>
    add({
      type: "toolCall",
      data: { id, parent, name: "Bash", kind: "execute", title: `Run ${id}`, input: { type: "shell", command: id, cwd: null, description: null, timeoutMs: null }, rawInput: {}, locations: [], status: "pending" },
    });
  call("task", null); // entry 300
  call("inner", "task");
  add({ type: "toolCallUpdate", data: { id: "inner", status: "completed", title: null, rawInput: null, locations: null, output: { text: "found the needle", rawOutput: null }, durationMs: null } });
  add({ type: "agentThoughtChunk", data: { messageId: "m", part: 0, parent: null, text: "thinking first\nabout the needle" } }); // entry 301
  const t = new Transcript();
  t.apply(events);
  return t;
}

function chat(t: Transcript, reveal: ChatReveal | null) {
  return <ChatView transcript={t} version={t.version} selection={null} onSelectTool={() => {}} onResume={null} reveal={reveal} />;
}

const rendered = () => Array.from(document.querySelectorAll<HTMLElement>(".chat-row")).map((row) => Number(row.dataset.index));

describe("the chat and a search's reveal request", () => {
  it("scrolls the virtualised list to the row, marks it and opens the nested call's details", async () => {
    const t = longTranscript();
    const { rerender } = render(chat(t, null));
    // It follows the newest rows: the top of the list is not in the page.
    await waitFor(() => expect(rendered()).toContain(301));
    act(() => rerender(chat(t, { entry: 120, toolId: null, thought: false, nthInRow: 0, token: 1 })));
    await waitFor(() => expect(rendered()).toContain(120));
    expect(rendered()).not.toContain(301);
    expect(document.querySelector(".search-current")?.getAttribute("data-index")).toBe("120");
    expect(screen.getByText("prompt number 120")).toBeTruthy();

    act(() => rerender(chat(t, { entry: 300, toolId: "inner", thought: false, nthInRow: 0, token: 2 })));
    await waitFor(() => expect(document.querySelector(".search-current [data-tool-id='inner'] [data-testid='tool-details']")).not.toBeNull());
    expect(screen.getByText(/found the needle/)).toBeTruthy();
  });

  it("unfolds a thinking block holding the match", async () => {
    const t = longTranscript();
    const { rerender } = render(chat(t, null));
    await waitFor(() => expect(rendered()).toContain(301));
    expect(screen.queryByText(/about the needle/)).toBeNull();
    act(() => rerender(chat(t, { entry: 301, toolId: null, thought: true, nthInRow: 0, token: 1 })));
    await waitFor(() => expect(screen.getByText(/about the needle/)).toBeTruthy());
  });
});
