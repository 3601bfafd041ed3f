import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { ToolView } from "../../model/transcript";
import { toolMap, view } from "./testData";
import { ancestry, ROW_ESTIMATE, Timeline } from "./Timeline";

// jsdom lays nothing out: give the scroller a height, its content the virtualiser's total size
// and every element a row's height, and make scrollTo move the scroller and fire `scroll`, as a
// browser would.
const VIEWPORT = 240;
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
      return this.dataset.testid === "timeline" ? VIEWPORT : 0;
    },
  });
  // The scroller's content is as tall as the virtualiser says (the inner box's style height).
  Object.defineProperty(HTMLElement.prototype, "scrollHeight", {
    configurable: true,
    get(this: HTMLElement) {
      const inner = this.firstElementChild;
      return inner instanceof HTMLElement ? Number.parseFloat(inner.style.height) || 0 : 0;
    },
  });
  Object.defineProperty(HTMLElement.prototype, "offsetHeight", {
    configurable: true,
    get: () => ROW_ESTIMATE,
  });
  Object.defineProperty(HTMLElement.prototype, "scrollTo", {
    configurable: true,
    value(this: HTMLElement, options: ScrollToOptions) {
      const top = options.top ?? this.scrollTop;
      // Like a browser: no scroll event when nothing moves.
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

function transcript(count: number, extra: ToolView[] = []) {
  const views = Array.from({ length: count }, (_, i) => view({ id: `t${i}`, title: `Call ${i}` }));
  return { tools: toolMap(...views, ...extra), timeline: views.map((v) => v.call.id) };
}

const renderedIds = () => screen.queryAllByTestId("tool-row").map((row) => row.dataset.toolId);

/** Lets the virtualiser's scroll reconciliation (requestAnimationFrame) settle. */
async function settle() {
  for (let i = 0; i < 5; i++) {
    await act(() => new Promise((resolve) => requestAnimationFrame(() => resolve(undefined))));
  }
}

describe("Timeline", () => {
  it("renders the top-level calls in order, nested calls under their parent", () => {
    const child = view({ id: "c", parent: "t1", title: "Nested" });
    const t = transcript(3, [child]);
    t.tools.get("t1")!.children.push("c");
    render(<Timeline transcript={t} version={1} selectedId="t1" onSelect={vi.fn()} />);
    expect(screen.getByTestId("timeline")).toBeTruthy();
    expect(renderedIds()).toEqual(["t0", "t1", "c", "t2"]);
    expect(screen.getAllByTestId("tool-row")[1]!.className).toContain("tl-selected");
  });

  it("says when there are no tool calls", () => {
    render(<Timeline transcript={{ tools: new Map(), timeline: [] }} version={0} selectedId={null} onSelect={vi.fn()} />);
    expect(screen.getByText("No tool calls yet.")).toBeTruthy();
  });

  it("keeps only the rows near the viewport in the DOM", () => {
    const t = transcript(2000);
    render(<Timeline transcript={t} version={1} selectedId={null} onSelect={vi.fn()} />);
    const ids = renderedIds();
    expect(ids.length).toBeGreaterThan(VIEWPORT / ROW_ESTIMATE - 1);
    expect(ids.length).toBeLessThan(60);
  });

  it("shows calls added later when the version moves", () => {
    const t = transcript(2);
    const { rerender } = render(<Timeline transcript={t} version={1} selectedId={null} onSelect={vi.fn()} />);
    const added = view({ id: "new", title: "Late call" });
    t.tools.set("new", added);
    t.timeline.push("new");
    rerender(<Timeline transcript={t} version={2} selectedId={null} onSelect={vi.fn()} />);
    expect(screen.getByText("Late call")).toBeTruthy();
  });

  it("scrolls a call selected elsewhere into view", async () => {
    const t = transcript(2000);
    const onSelect = vi.fn();
    const { rerender } = render(<Timeline transcript={t} version={1} selectedId={null} onSelect={onSelect} />);
    rerender(<Timeline transcript={t} version={1} selectedId="t1500" onSelect={onSelect} />);
    await settle();
    expect(screen.getByTestId("timeline").scrollTop).toBeGreaterThan(1400 * ROW_ESTIMATE);
    expect(renderedIds()).toContain("t1500");
    const row = screen.getAllByTestId("tool-row").find((r) => r.dataset.toolId === "t1500")!;
    expect(row.className).toContain("tl-selected");
  });

  it("does not scroll when the selection was made in the timeline itself", async () => {
    const t = transcript(2000);
    let selected: string | null = null;
    const onSelect = vi.fn((id: string) => (selected = id));
    const { rerender } = render(<Timeline transcript={t} version={1} selectedId={null} onSelect={onSelect} />);
    const scroller = screen.getByTestId("timeline");
    scroller.scrollTop = 0;
    fireEvent.scroll(scroller);
    fireEvent.click(screen.getByRole("button", { name: "Call 3" }));
    expect(onSelect).toHaveBeenCalledWith("t3");
    const spy = vi.spyOn(scroller, "scrollTo");
    rerender(<Timeline transcript={t} version={1} selectedId={selected} onSelect={onSelect} />);
    await settle();
    expect(spy).not.toHaveBeenCalled();
  });

  it("unfolds a subagent to reveal a nested call selected elsewhere", async () => {
    const child = view({ id: "c", parent: "t1", title: "Nested" });
    const t = transcript(3, [child]);
    t.tools.get("t1")!.children.push("c");
    const { rerender } = render(<Timeline transcript={t} version={1} selectedId={null} onSelect={vi.fn()} />);
    fireEvent.click(screen.getByRole("button", { name: "Hide the call made by Call 1" }));
    expect(renderedIds()).not.toContain("c");
    rerender(<Timeline transcript={t} version={1} selectedId="c" onSelect={vi.fn()} />);
    await settle();
    expect(renderedIds()).toContain("c");
  });

  it("follows new calls while scrolled to the end, and stays put once scrolled up", async () => {
    const t = transcript(100);
    const { rerender } = render(<Timeline transcript={t} version={1} selectedId={null} onSelect={vi.fn()} />);
    await settle();
    const scroller = screen.getByTestId("timeline");
    expect(scroller.scrollTop).toBe(100 * ROW_ESTIMATE - VIEWPORT);
    const add = (n: number, version: number) => {
      for (let i = 0; i < n; i++) {
        const v = view({ id: `n${version}-${i}` });
        t.tools.set(v.call.id, v);
        t.timeline.push(v.call.id);
      }
      rerender(<Timeline transcript={t} version={version} selectedId={null} onSelect={vi.fn()} />);
    };
    add(10, 2);
    await settle();
    expect(scroller.scrollTop).toBe(110 * ROW_ESTIMATE - VIEWPORT);
    scroller.scrollTop = 0;
    fireEvent.scroll(scroller);
    add(10, 3);
    await settle();
    expect(scroller.scrollTop).toBe(0);
  });

  it("moves focus between row titles with the arrow keys", () => {
    render(<Timeline transcript={transcript(3)} version={1} selectedId={null} onSelect={vi.fn()} />);
    const first = screen.getByRole("button", { name: "Call 0" });
    first.focus();
    fireEvent.keyDown(first, { key: "ArrowDown" });
    expect(document.activeElement).toBe(screen.getByRole("button", { name: "Call 1" }));
    fireEvent.keyDown(document.activeElement!, { key: "ArrowUp" });
    expect(document.activeElement).toBe(first);
  });
});

describe("ancestry", () => {
  it("follows parents up to the top-level call, stopping at unknown parents and cycles", () => {
    const tools = toolMap(
      view({ id: "a" }),
      view({ id: "b", parent: "a" }),
      view({ id: "c", parent: "b" }),
      view({ id: "orphan", parent: "missing" }),
      view({ id: "x", parent: "y" }),
      view({ id: "y", parent: "x" }),
    );
    expect(ancestry("c", tools)).toEqual(["a", "b", "c"]);
    expect(ancestry("orphan", tools)).toEqual(["orphan"]);
    expect(ancestry("x", tools)).toEqual(["y", "x"]);
  });
});
