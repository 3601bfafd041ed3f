import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ProjectView } from "./ProjectView";
import { Sidebar } from "./Sidebar";

vi.mock("../session/ProjectSessions", () => ({ ProjectSessions: () => null }));

afterEach(cleanup);

describe("opening the usage view", () => {
  it("the sidebar's Warden section has Usage next to Agents, marked while it shows", () => {
    const onShowUsage = vi.fn();
    render(
      <Sidebar projects={[]} active={null} onActivate={vi.fn()} onClose={vi.fn()} onOpenFolder={vi.fn()} onShowAgents={vi.fn()} onShowUsage={onShowUsage} usageOpen />,
    );
    const button = screen.getByTestId("show-usage");
    expect(button.getAttribute("aria-current")).toBe("page");
    fireEvent.click(button);
    expect(onShowUsage).toHaveBeenCalledOnce();
  });

  it("the project view opens its project's usage", () => {
    const onShowUsage = vi.fn();
    const project = { id: "p1", name: "one", path: "/p/one" } as Parameters<typeof ProjectView>[0]["project"];
    render(<ProjectView project={project} now={0} onReveal={vi.fn()} onClose={vi.fn()} onShowUsage={onShowUsage} />);
    fireEvent.click(screen.getByTestId("project-usage"));
    expect(onShowUsage).toHaveBeenCalledOnce();
  });
});
