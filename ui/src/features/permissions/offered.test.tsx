import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { PermissionAnswer, PermissionDecision, WaitingRequest } from "../../ipc";
import { offers } from "./Choices";
import { PermissionModal } from "./PermissionModal";
import * as typed from "../../model/testInputs";

vi.mock("../../ipc", () => ({ permissions: { parseRule: vi.fn() }, openLink: vi.fn() }));

afterEach(cleanup);

function waiting(offered: PermissionDecision[] | null): WaitingRequest {
  return {
    sessionId: "s1",
    project: "/code/shop",
    atMs: 1,
    request: {
      requestId: "r1",
      toolCallId: "t1",
      toolName: "Bash",
      title: "Run the tests",
      input: typed.shell("npm test"),
      rawInput: {},
      blockedPath: null,
      reason: null,
      rawSuggestions: null,
      suggestedRules: ["Bash(npm test:*)"],
      outsideProject: [],
      offered,
    },
  };
}

function show(offered: PermissionDecision[] | null) {
  const answers: PermissionAnswer[] = [];
  render(
    <PermissionModal
      waiting={waiting(offered)}
      projectName="shop"
      projectPath="/code/shop"
      sessionTitle="Tests"
      more={0}
      armDelayMs={0}
      agentName="Codex"
      onAnswer={async (answer) => {
        answers.push(answer);
        return null;
      }}
    />,
  );
  return answers;
}

async function press(key: string) {
  await act(async () => {
    fireEvent.keyDown(document.activeElement ?? document.body, { key });
  });
}

const ALL = ["permission-allow-once", "permission-allow-session", "permission-allow-always", "permission-deny", "permission-deny-stop"];
const shown = () => ALL.filter((id) => screen.queryByTestId(id) !== null);

describe("answers the agent offers", () => {
  it("offers every answer when the agent lists none", () => {
    expect(offers(null, "allowAlways")).toBe(true);
    expect(offers(undefined, "denyAndStop")).toBe(true);
    show(null);
    expect(shown()).toEqual(ALL);
  });

  it("shows exactly the offered answers, and names the agent", () => {
    show(["allowOnce", "allowSession", "deny"]);
    expect(shown()).toEqual(["permission-allow-once", "permission-allow-session", "permission-deny"]);
    expect(screen.getByTestId("permission-modal").textContent).toContain("Codex");
  });

  it("keeps the keys of offered answers and ignores the others", async () => {
    const answers = show(["allowOnce", "deny"]);
    await press("a");
    await press("x");
    await press("s");
    expect(answers).toEqual([]);
    // A not-offered "always" must not open the rule editor either.
    expect(screen.queryByTestId("permission-confirm")).toBeNull();
    await press("Escape");
    expect(answers).toEqual([{ decision: "deny", message: null }]);
  });

  it("does not deny on Esc or on the message's Enter when denying is not offered", async () => {
    const answers = show(["allowOnce", "denyAndStop"]);
    await press("Escape");
    const message = screen.getByTestId("permission-message");
    fireEvent.keyDown(message, { key: "Enter" });
    expect(answers).toEqual([]);
    await press("x");
    expect(answers).toEqual([{ decision: "denyAndStop", message: null }]);
  });

  it("answers Enter with allow once only when it is offered", async () => {
    const refused = show(["deny"]);
    await press("Enter");
    expect(refused).toEqual([]);
    cleanup();
    const allowed = show(["allowOnce"]);
    await press("Enter");
    expect(allowed).toEqual([{ decision: "allowOnce" }]);
  });
});
