import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { ToolCallStatus, ToolKind } from "../../ipc";
import { StatusBadge } from "./StatusBadge";
import { ToolIcon } from "./ToolIcon";

afterEach(cleanup);

describe("StatusBadge", () => {
  it.each<[ToolCallStatus, string]>([
    ["pending", "pending"],
    ["awaitingPermission", "awaiting permission"],
    ["running", "running"],
    ["completed", "done"],
    ["failed", "failed"],
    ["denied", "denied"],
    ["cancelled", "cancelled"],
  ])("labels %s as %s", (status, label) => {
    render(<StatusBadge status={status} />);
    const badge = screen.getByText(label);
    expect(badge.dataset.status).toBe(status);
    expect(badge.className).toContain(`tl-status-${status}`);
  });
});

describe("ToolIcon", () => {
  it("draws a decorative icon for every kind", () => {
    const kinds: ToolKind[] = ["read", "edit", "delete", "move", "search", "execute", "think", "fetch", "other"];
    const { container } = render(
      <>
        {kinds.map((kind) => (
          <ToolIcon key={kind} kind={kind} />
        ))}
      </>,
    );
    const icons = container.querySelectorAll("svg");
    expect(icons).toHaveLength(kinds.length);
    for (const icon of icons) {
      expect(icon.getAttribute("aria-hidden")).toBe("true");
      expect(icon.children.length).toBeGreaterThan(0);
    }
  });
});
