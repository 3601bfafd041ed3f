import { act, cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { RuleSet } from "../../../ipc";
import { ProjectRules } from "./ProjectRules";

/** The rules file as the fake backend holds it. */
let stored: RuleSet = {};
const setProjectRules = vi.fn(async (_project: string, rules: RuleSet) => {
  stored = rules;
  return { ok: true, value: null };
});
const projectRules = vi.fn(async (_project: string) => ({ ok: true, value: stored }) as const);

// Normalises like the engine where the tests need it (`Tool(*)` is `Tool`), refuses the rest.
async function parseRule(text: string) {
  const rule = text.trim().replace(/^(\w+)\(\*\)$/, "$1");
  return /^[A-Z]\w*(\(.+\))?$/.test(rule)
    ? { ok: true, value: rule }
    : { ok: false, error: { code: "internal", message: `"${rule}" is not a rule: a tool name comes first` } };
}

vi.mock("../../../ipc", () => ({
  permissions: {
    projectRules: (project: string) => projectRules(project),
    setProjectRules: (project: string, rules: RuleSet) => setProjectRules(project, rules),
    parseRule: (text: string) => parseRule(text),
  },
}));

beforeEach(() => {
  stored = { allow: ["Read", "Bash(npm test:*)"], deny: ["Bash(rm:*)"] };
  setProjectRules.mockClear();
  projectRules.mockClear();
});
afterEach(cleanup);

const rows = (list: "allow" | "deny") => screen.getAllByTestId("rule-row").filter((r) => r.dataset.list === list);
const texts = (list: "allow" | "deny") => rows(list).map((r) => within(r).getByTestId("rule-text").textContent);
/** Opens a row's field for editing and returns it. */
function edit(row: HTMLElement): HTMLInputElement {
  fireEvent.click(within(row).getByTestId("rule-edit"));
  return within(row).getByRole("textbox") as HTMLInputElement;
}

async function shown() {
  render(<ProjectRules project="/code/api" />);
  await screen.findAllByTestId("rule-row");
}

describe("project rules", () => {
  it("lists the allow and deny rules of the project", async () => {
    await shown();
    expect(projectRules).toHaveBeenCalledWith("/code/api");
    expect(texts("allow")).toEqual(["Read", "Bash(npm test:*)"]);
    expect(texts("deny")).toEqual(["Bash(rm:*)"]);
    // As text, so the rules read (and copy) as what they are.
    expect(screen.getByTestId("rules-project").textContent).toMatch(/Bash\(rm:\*\)/);
    expect(screen.getByTestId("rule-help").textContent).toMatch(/WebFetch\(domain:example.com\)/);
  });

  it("adds a valid rule in its normal form and saves the whole set", async () => {
    await shown();
    const field = screen.getByTestId("rule-add-allow") as HTMLInputElement;
    fireEvent.change(field, { target: { value: "  WebFetch(*) " } });
    await act(async () => {
      fireEvent.submit(field.closest("form")!);
    });
    expect(setProjectRules).toHaveBeenCalledWith("/code/api", { allow: ["Read", "Bash(npm test:*)", "WebFetch"], deny: ["Bash(rm:*)"] });
    expect(texts("allow")).toContain("WebFetch");
    expect(field.value).toBe("");
  });

  it("refuses an invalid rule, says why, and keeps the text", async () => {
    await shown();
    const field = screen.getByTestId("rule-add-deny") as HTMLInputElement;
    fireEvent.change(field, { target: { value: "rm -rf" } });
    await act(async () => {
      fireEvent.click(screen.getByTestId("rule-add-deny-submit"));
    });
    expect(screen.getByTestId("rule-error").textContent).toMatch(/not a rule/);
    expect(setProjectRules).not.toHaveBeenCalled();
    expect(field.value).toBe("rm -rf");
  });

  it("saves an edited rule in place, normalised", async () => {
    await shown();
    const input = edit(rows("allow")[0]!);
    expect(input.value).toBe("Read");
    fireEvent.change(input, { target: { value: "Glob(*)" } });
    await act(async () => {
      fireEvent.keyDown(input, { key: "Enter" });
    });
    expect(setProjectRules).toHaveBeenCalledWith("/code/api", { allow: ["Glob", "Bash(npm test:*)"], deny: ["Bash(rm:*)"] });
    expect(texts("allow")).toEqual(["Glob", "Bash(npm test:*)"]);
  });

  it("keeps an invalid edit on screen with its error, unsaved", async () => {
    await shown();
    const row = rows("deny")[0]!;
    const input = edit(row);
    fireEvent.change(input, { target: { value: "Bash(rm:*" } });
    await act(async () => {
      fireEvent.click(within(row).getByTestId("rule-save"));
    });
    expect(within(row).getByTestId("rule-error").textContent).toMatch(/not a rule/);
    expect(input.value).toBe("Bash(rm:*");
    expect(setProjectRules).not.toHaveBeenCalled();
  });

  it("leaves a rule as it was on Esc", async () => {
    await shown();
    const input = edit(rows("allow")[0]!);
    fireEvent.change(input, { target: { value: "Grep" } });
    fireEvent.keyDown(input, { key: "Escape" });
    expect(texts("allow")).toEqual(["Read", "Bash(npm test:*)"]);
    expect(setProjectRules).not.toHaveBeenCalled();
  });

  it("removes a rule", async () => {
    await shown();
    await act(async () => {
      fireEvent.click(within(rows("allow")[1]!).getByTestId("rule-remove"));
    });
    expect(setProjectRules).toHaveBeenCalledWith("/code/api", { allow: ["Read"], deny: ["Bash(rm:*)"] });
    expect(rows("allow")).toHaveLength(1);
  });

  it("keeps a rule added elsewhere since the panel read the file", async () => {
    await shown();
    stored = { allow: [...(stored.allow ?? []), "Bash(git status)"], deny: stored.deny };
    await act(async () => {
      fireEvent.click(within(rows("deny")[0]!).getByTestId("rule-remove"));
    });
    expect(setProjectRules).toHaveBeenCalledWith("/code/api", { allow: ["Read", "Bash(npm test:*)", "Bash(git status)"], deny: [] });
  });

  it("shows an unreadable rules file and offers nothing that could overwrite it", async () => {
    projectRules.mockResolvedValueOnce({ ok: false, error: { code: "internal", message: "rules.json line 3: expected a string" } } as never);
    render(<ProjectRules project="/code/api" />);
    expect((await screen.findByTestId("rules-load-error")).textContent).toMatch(/line 3/);
    expect(screen.queryByTestId("rule-row")).toBeNull();
    expect(screen.queryByTestId("rule-add-allow")).toBeNull();
  });

  it("shows a failed write under the rule and keeps the edit", async () => {
    await shown();
    setProjectRules.mockResolvedValueOnce({ ok: false, error: { code: "internal", message: "permission denied" } } as never);
    const input = edit(rows("allow")[0]!);
    fireEvent.change(input, { target: { value: "Grep" } });
    await act(async () => {
      fireEvent.keyDown(input, { key: "Enter" });
    });
    expect(screen.getByTestId("rule-error").textContent).toMatch(/Not saved: permission denied/);
    expect(input.value).toBe("Grep");
  });
});
