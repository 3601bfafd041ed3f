import { act, cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { PermissionAnswer, PermissionRequest, WaitingRequest } from "../../ipc";
import { PermissionModal, type PermissionModalProps } from "./PermissionModal";
import * as typed from "../../model/testInputs";

// The rule parser is the backend's; this stand-in accepts `Tool` and `Tool(content)` only.
const ipc = vi.hoisted(() => ({
  parseRule: vi.fn(async (text: string) => {
    const rule = text.trim();
    return /^\w+(\([^()]+\))?$/.test(rule)
      ? { ok: true as const, value: rule }
      : { ok: false as const, error: { code: "internal" as const, message: `\`${rule}\` has no closing parenthesis` } };
  }),
}));
vi.mock("../../ipc", () => ({ permissions: { parseRule: ipc.parseRule }, openLink: vi.fn() }));

afterEach(cleanup);
beforeEach(() => {
  ipc.parseRule.mockClear();
});

function request(over: Partial<PermissionRequest>): WaitingRequest {
  return {
    sessionId: "s1",
    project: "/code/shop",
    atMs: 1,
    request: {
      requestId: "r1",
      toolCallId: "t1",
      toolName: "Bash",
      title: "Create a marker file",
      input: typed.shell("touch made-by-bash.txt && ls", { description: "Create a marker file" }),
      rawInput: {},
      blockedPath: null,
      reason: null,
      rawSuggestions: null,
      suggestedRules: ["Bash(touch:*)"],
      outsideProject: [],
      ...over,
    },
  };
}

/** Renders the modal; `answers` records what it sent, each answer accepted at once. */
function show(over: Partial<PermissionRequest> = {}, props: Partial<PermissionModalProps> = {}) {
  const answers: PermissionAnswer[] = [];
  const onAnswer = vi.fn(async (answer: PermissionAnswer) => {
    answers.push(answer);
    return null;
  });
  const view = render(
    <PermissionModal
      waiting={request(over)}
      projectName="shop"
      projectPath="/code/shop"
      sessionTitle="Make the marker"
      more={0}
      onAnswer={onAnswer}
      armDelayMs={0}
      {...props}
    />,
  );
  return { ...view, answers, onAnswer };
}

/** A key pressed wherever the focus is (the modal's body, at first). */
async function press(key: string, target: Element = document.activeElement ?? document.body) {
  await act(async () => {
    fireEvent.keyDown(target, { key });
  });
}

const modal = () => screen.getByTestId("permission-modal");
const buttons = () => within(modal()).getAllByRole("button") as HTMLButtonElement[];

describe("the permission modal", () => {
  it("says who asks and shows a command with its working folder, then the agent's description", () => {
    show({}, { more: 2 });
    expect(modal().dataset.tool).toBe("Bash");
    // The heading is Warden's; the agent's title and description are quoted as its words.
    expect(screen.getByRole("dialog", { name: "Run this command?" })).toBeTruthy();
    const text = modal().textContent!;
    expect(text).toContain("Claude Code");
    expect(text).toContain("shop");
    expect(text).toContain("Make the marker");
    expect(screen.getByTestId("permission-command").textContent).toBe("$ touch made-by-bash.txt && ls");
    expect(within(screen.getByTestId("permission-agent-words")).getByText("Create a marker file")).toBeTruthy();
    expect(screen.getByTestId("permission-agent-words").textContent).toMatch(/^Claude Code says \(its own words, not checked by Warden\):/);
    expect(screen.getByText("/code/shop")).toBeTruthy();
    expect(screen.getByTestId("permission-queue-count").textContent).toBe("2 more waiting");
    // The rule an allow-for-later answer adds is shown before choosing it.
    expect(modal().textContent).toContain("Bash(touch:*)");
    // Each answer shows its key; the keyboard starts in the modal, on no button.
    const ids = ["permission-allow-once", "permission-allow-session", "permission-allow-always", "permission-deny", "permission-deny-stop"];
    expect(ids.map((id) => screen.getByTestId(id).querySelector("kbd")?.textContent)).toEqual(["Enter", "S", "A", "Esc", "X"]);
    expect(modal().contains(document.activeElement)).toBe(true);
    expect(document.activeElement?.tagName).not.toBe("BUTTON");
  });

  it("shows a new file's content as added lines, and an edit as a diff", () => {
    const { unmount } = show({ toolName: "Write", title: "Write notes.md", input: typed.write("/code/shop/notes.md", "# Notes\nhello\n") });
    const rows = () => Array.from(modal().querySelectorAll<HTMLElement>("[data-diff]")).map((r) => `${r.dataset.diff}:${r.textContent!.slice(1)}`);
    expect(screen.getByText("/code/shop/notes.md")).toBeTruthy();
    expect(rows()).toEqual(["add:# Notes", "add:hello"]);
    unmount();

    show({ toolName: "Edit", title: "Edit app.js", input: typed.edit("/code/shop/app.js", [["a\nold", "a\nnew"]]) });
    expect(rows()).toEqual(["ctx:a", "del:old", "add:new"]);
  });

  it("shows one diff per edit of a MultiEdit", () => {
    show({ toolName: "MultiEdit", input: typed.edit("/f.js", [["a", "b"], ["c", "d"]]) });
    expect(screen.getAllByTestId("diff")).toHaveLength(2);
    expect(screen.getByRole("group", { name: "Edit 2 of 2 to /f.js" })).toBeTruthy();
  });

  it("shows other tools' input as readable JSON", () => {
    show({ toolName: "mcp__gh__issue", title: "Create an issue", input: typed.other({ title: "Bug" }), rawInput: { title: "Bug" }, suggestedRules: [] });
    expect(within(screen.getByTestId("permission-preview")).getByText(/"title": "Bug"/)).toBeTruthy();
  });

  it("allows once on Enter", async () => {
    const { answers } = show();
    await press("Enter");
    expect(answers).toEqual([{ decision: "allowOnce" }]);
  });

  it("does not answer on a stray click beside the modal", async () => {
    const { answers } = show();
    await act(async () => {
      fireEvent.mouseDown(modal().parentElement!);
    });
    expect(answers).toEqual([]);
    expect(modal()).toBeTruthy();
  });

  it("denies on Esc, and stops the turn on X", async () => {
    const first = show();
    await press("Escape");
    expect(first.answers).toEqual([{ decision: "deny", message: null }]);
    cleanup();
    const second = show();
    await press("x");
    expect(second.answers).toEqual([{ decision: "denyAndStop", message: null }]);
  });

  it("allows for the session on S with the suggested rules", async () => {
    const { answers } = show();
    await press("s");
    expect(answers).toEqual([{ decision: "allowSession" }]);
  });

  it("on A shows the rule to add, takes an edit and sends the edited rule on Enter", async () => {
    const { answers } = show({ suggestedRules: ["Bash(npm test --watch:*)"] });
    await press("a");
    const field = screen.getByTestId("permission-rule-input") as HTMLInputElement;
    expect(field.value).toBe("Bash(npm test --watch:*)");
    expect(document.activeElement).toBe(field);
    fireEvent.change(field, { target: { value: "Bash(npm test:*)" } });
    await press("Enter", field);
    expect(ipc.parseRule).toHaveBeenCalledWith("Bash(npm test:*)");
    expect(answers).toEqual([{ decision: "allowAlways", rules: ["Bash(npm test:*)"] }]);
  });

  it("confirms the suggested rule as it is with the confirm button", async () => {
    const { answers } = show();
    fireEvent.click(screen.getByTestId("permission-allow-always"));
    await act(async () => {
      fireEvent.click(screen.getByTestId("permission-confirm"));
    });
    expect(answers).toEqual([{ decision: "allowAlways", rules: ["Bash(touch:*)"] }]);
    expect(ipc.parseRule).not.toHaveBeenCalled();
  });

  it("blocks confirming while a rule is invalid and says why under the field", async () => {
    const { answers } = show();
    await press("a");
    const field = screen.getByTestId("permission-rule-input");
    fireEvent.change(field, { target: { value: "Bash(npm" } });
    await waitFor(() => expect(screen.getByTestId("permission-rule-error").textContent).toContain("no closing parenthesis"));
    expect((screen.getByTestId("permission-confirm") as HTMLButtonElement).disabled).toBe(true);
    await press("Enter", field);
    expect(answers).toEqual([]);
    fireEvent.change(field, { target: { value: "Bash(npm:*)" } });
    await waitFor(() => expect((screen.getByTestId("permission-confirm") as HTMLButtonElement).disabled).toBe(false));
    expect(screen.queryByTestId("permission-rule-error")).toBeNull();
  });

  it("steps back from the rule fields on Esc instead of denying", async () => {
    const { answers } = show();
    await press("a");
    await press("Escape", screen.getByTestId("permission-rule-input"));
    expect(answers).toEqual([]);
    expect(screen.queryByTestId("permission-rule-input")).toBeNull();
    expect(screen.getByTestId("permission-allow-once")).toBeTruthy();
  });

  it("ignores the shortcuts while typing a message, and Enter there denies with it", async () => {
    const { answers } = show();
    await press("d");
    const message = screen.getByTestId("permission-message") as HTMLTextAreaElement;
    expect(document.activeElement).toBe(message);
    for (const key of ["s", "a", "x"]) await press(key, message);
    expect(answers).toEqual([]);
    fireEvent.change(message, { target: { value: "Not that folder" } });
    await press("Enter", message);
    expect(answers).toEqual([{ decision: "deny", message: "Not that folder" }]);
  });

  it("turns the buttons off while the answer is on its way, and back on with the error", async () => {
    let reply: (error: string | null) => void = () => {};
    const onAnswer = vi.fn(() => new Promise<string | null>((resolve) => (reply = resolve)));
    show({}, { onAnswer });
    fireEvent.click(screen.getByTestId("permission-allow-once"));
    expect(buttons().every((b) => b.disabled)).toBe(true);
    await press("Enter");
    await press("x");
    expect(onAnswer).toHaveBeenCalledTimes(1);
    await act(async () => reply("The session is not running"));
    expect(screen.getByTestId("permission-error").textContent).toBe("The session is not running");
    expect(buttons().every((b) => !b.disabled)).toBe(true);
  });

  it("stays off after the backend took the answer, until the question leaves the list", async () => {
    show();
    await act(async () => {
      fireEvent.click(screen.getByTestId("permission-deny"));
    });
    expect(buttons().every((b) => b.disabled)).toBe(true);
    expect(screen.getByRole("status").textContent).toMatch(/Answered/);
    cleanup();
    // Shown again (a remount) while still listed: already answered, nothing to click.
    show({}, { answered: true });
    expect(buttons().every((b) => b.disabled)).toBe(true);
  });

  it("ignores keys and clicks alike in the first moments after a question appears", async () => {
    const { answers } = show({}, { armDelayMs: 60_000 });
    await press("Enter");
    await press("Escape");
    for (const id of ["permission-allow-once", "permission-allow-session", "permission-deny", "permission-deny-stop", "permission-allow-always"]) {
      await act(async () => {
        fireEvent.click(screen.getByTestId(id));
      });
    }
    expect(answers).toEqual([]);
    expect(screen.queryByTestId("permission-rule-input")).toBeNull();
    expect(modal().dataset.armed).toBe("false");
  });

  it("warns in red about paths outside the project and offers no project rule for them", () => {
    show({ outsideProject: ["/etc/hosts", "/home/me/.ssh/config"] });
    const warning = screen.getByTestId("permission-outside");
    expect(warning.textContent).toContain("Outside the project — project rules never allow this");
    expect(warning.textContent).toContain("/etc/hosts");
    expect(warning.textContent).toContain("/home/me/.ssh/config");
    expect((screen.getByTestId("permission-allow-always") as HTMLButtonElement).disabled).toBe(true);
  });

  it("asks for a rule first when S has no suggestion to add", async () => {
    const { answers } = show({ suggestedRules: [] });
    await press("s");
    const field = screen.getByTestId("permission-rule-input") as HTMLInputElement;
    expect(field.value).toBe("");
    expect((screen.getByTestId("permission-confirm") as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(field, { target: { value: "Bash(ls:*)" } });
    await press("Enter", field);
    expect(answers).toEqual([{ decision: "allowSession", rules: ["Bash(ls:*)"] }]);
  });

  describe("a plan approval", () => {
    const plan = { toolName: "ExitPlanMode", title: "Present the plan", input: { type: "plan" as const, plan: "x" }, plan: "## The plan\n\n1. Edit\n2. Test", suggestedRules: [] };

    it("renders the plan and approves it on Enter, to ask before changes", async () => {
      const { answers } = show(plan);
      expect(within(screen.getByTestId("permission-plan")).getByRole("heading", { name: "The plan" })).toBeTruthy();
      expect(screen.queryByTestId("permission-allow-session")).toBeNull();
      await press("Enter");
      expect(answers).toEqual([{ decision: "allowOnce", mode: "default" }]);
    });

    it("approves into accept edits when picked", async () => {
      const { answers } = show(plan);
      fireEvent.change(screen.getByTestId("permission-plan-mode"), { target: { value: "acceptEdits" } });
      await act(async () => {
        fireEvent.click(screen.getByTestId("permission-approve-plan"));
      });
      expect(answers).toEqual([{ decision: "allowOnce", mode: "acceptEdits" }]);
    });

    it("keeps planning on Esc, with what to change", async () => {
      const { answers } = show(plan);
      const message = screen.getByTestId("permission-message");
      fireEvent.change(message, { target: { value: "Add tests first" } });
      await press("Escape", message);
      expect(answers).toEqual([{ decision: "deny", message: "Add tests first" }]);
    });
  });
});
