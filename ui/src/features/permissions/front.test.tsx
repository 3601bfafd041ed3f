import { act, cleanup, render } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { askToShow, useShowRequests } from "./front";

afterEach(cleanup);

function ProjectView({ project, open }: { project: string; open: (id: string) => void }) {
  useShowRequests(project, open);
  return null;
}

describe("bringing a session forward", () => {
  it("opens a session asked for before its project's view was on screen, once", () => {
    askToShow("/code/shop", "s1");
    const open = vi.fn();
    const view = render(<ProjectView project="/code/shop" open={open} />);
    expect(open).toHaveBeenCalledWith("s1");
    view.rerender(<ProjectView project="/code/shop" open={open} />);
    expect(open).toHaveBeenCalledTimes(1);
  });

  it("leaves a request for another project to that project's view", () => {
    const shop = vi.fn();
    const api = vi.fn();
    render(<ProjectView project="/code/shop" open={shop} />);
    act(() => askToShow("/code/api", "s9"));
    expect(shop).not.toHaveBeenCalled();
    render(<ProjectView project="/code/api" open={api} />);
    expect(api).toHaveBeenCalledWith("s9");
  });

  it("opens a session asked for while the view is on screen", () => {
    const open = vi.fn();
    render(<ProjectView project="/code/shop" open={open} />);
    act(() => askToShow("/code/shop", "s2"));
    expect(open).toHaveBeenCalledWith("s2");
  });
});
