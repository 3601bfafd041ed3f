import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { VirtualLines, visibleRange } from "./VirtualLines";

afterEach(cleanup);

function drawnLines(): number[] {
  return [...screen.getByTestId("lines").querySelectorAll("[data-line]")].map((el) => Number(el.getAttribute("data-line")));
}

describe("VirtualLines", () => {
  it("puts only a window of a hundred thousand lines in the page, and scrolling moves it", () => {
    const lines = Array.from({ length: 100_000 }, (_, i) => `line ${i}`);
    render(<VirtualLines count={lines.length} lineHeight={18} fallbackHeight={180} overscan={5} renderLine={(i) => lines[i]} testId="lines" />);
    const view = screen.getByTestId("lines");
    // The spacer is as high as every line, so the scrollbar is the whole log's.
    expect((view.firstElementChild as HTMLElement).style.height).toBe(`${100_000 * 18}px`);
    const first = drawnLines();
    expect(first[0]).toBe(0);
    expect(first.length).toBe(10 + 5); // 180 px of 18 px lines, and the overscan below
    expect(view.textContent).toContain("line 0");
    expect(view.textContent).not.toContain("line 5000");

    view.scrollTop = 50_000 * 18;
    fireEvent.scroll(view);
    const later = drawnLines();
    expect(later[0]).toBe(50_000 - 5);
    expect(later.length).toBe(5 + 10 + 5);
    expect(view.textContent).toContain("line 50000");
    expect(view.textContent).not.toContain("line 0\n");
    expect(screen.queryByText("line 0")).toBeNull();
    expect(view.querySelectorAll("[data-line]").length).toBeLessThan(30);
  });

  it("computes the range at the ends without going past them", () => {
    expect(visibleRange(3, 18, 0, 400, 10)).toEqual([0, 3]);
    expect(visibleRange(100, 10, 950, 100, 2)).toEqual([93, 100]);
    expect(visibleRange(0, 10, 0, 100, 2)).toEqual([0, 0]);
  });

  it("follows the end as lines are added while it is at the end", () => {
    const { rerender } = render(<VirtualLines count={5} lineHeight={18} fallbackHeight={90} renderLine={(i) => `l${i}`} follow testId="lines" />);
    const view = screen.getByTestId("lines");
    // jsdom lays nothing out: give the view the sizes a browser would.
    Object.defineProperty(view, "scrollHeight", { configurable: true, get: () => 1000 * 18 });
    Object.defineProperty(view, "clientHeight", { configurable: true, get: () => 90 });
    rerender(<VirtualLines count={1000} lineHeight={18} fallbackHeight={90} renderLine={(i) => `l${i}`} follow testId="lines" />);
    expect(view.scrollTop).toBe(1000 * 18);
    expect(drawnLines()).toContain(999);
  });
});
