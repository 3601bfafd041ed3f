import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { SessionRecord } from "../../ipc";
import { SessionList } from "./SessionList";

afterEach(cleanup);

const record = (id: string, title: string): SessionRecord => ({
  id,
  project: "/code/shop",
  agent: "claude",
  agentSessionId: null,
  title,
  model: null,
  permissionMode: "default",
  createdMs: 0,
  updatedMs: 0,
  status: "running",
  turns: 1,
  lastSeq: 1,
  costUsd: null,
});

describe("SessionList", () => {
  it("marks the sessions that wait for an answer, open in a tab or not", () => {
    render(
      <SessionList
        list={[record("s1", "Fix the tests"), record("s2", "Write docs"), record("s3", "Refactor")]}
        error={null}
        openIds={new Set(["s1"])}
        waiting={new Map([["s2", 1], ["s3", 2]])}
        activeId="s1"
        now={0}
        onOpen={vi.fn()}
        onNew={vi.fn()}
        history={null}
        onOpenHistory={vi.fn()}
      />,
    );
    const rows = screen.getAllByTestId("session-row");
    expect(rows.map((row) => row.dataset.waiting ?? "")).toEqual(["", "true", "true"]);
    expect(screen.getAllByTestId("session-waiting").map((mark) => mark.textContent)).toEqual(["asks", "asks 2"]);
  });
});
