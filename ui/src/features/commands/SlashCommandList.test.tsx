import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { AgentCommand } from "../../ipc";
import { SlashCommandList } from "./SlashCommandList";
import { commandText, filterSlash, slashItems, slashQuery, type SlashItem } from "./slashItems";

afterEach(cleanup);

const agent: AgentCommand[] = [
  { name: "greet", description: "Greets someone", argumentHint: "<name>", aliases: [] },
  { name: "code-review", description: "Review the diff", argumentHint: null, aliases: ["review"] },
  { name: "compact", description: "Compact the conversation", argumentHint: null, aliases: [] },
];
const actions = { newSession: vi.fn(), review: vi.fn() };

describe("slash items", () => {
  it("lists the agent's commands, then Warden's actions that have a handler", () => {
    const items = slashItems(agent, actions);
    expect(items.map((i) => `${i.source}:${i.name}`)).toEqual(["agent:greet", "agent:code-review", "agent:compact", "warden:new", "warden:review"]);
    expect(slashItems(null, {}).length).toBe(0);
  });

  it("opens only while the command's name is being typed", () => {
    expect(slashQuery("/", 1)).toBe("");
    expect(slashQuery("/gr", 3)).toBe("gr");
    expect(slashQuery("/greet Alice", 12)).toBeNull();
    expect(slashQuery("hello /x", 8)).toBeNull();
    expect(slashQuery("/greet", 0)).toBeNull();
  });

  it("ranks names starting with the text first, then aliases, then names containing it", () => {
    const items = slashItems(agent, actions);
    expect(filterSlash(items, "re").map((i) => i.key)).toEqual(["warden:review", "agent:code-review", "agent:greet"]);
    expect(filterSlash(items, "C").map((i) => i.name)).toEqual(["code-review", "compact"]);
    expect(filterSlash(items, "zzz")).toEqual([]);
    expect(commandText(items[0] as SlashItem)).toBe("/greet ");
  });
});

function show(query: string) {
  const onPick = vi.fn();
  const onDismiss = vi.fn();
  const view = render(<SlashCommandList items={slashItems(agent, actions)} query={query} onPick={onPick} onDismiss={onDismiss} />);
  return { onPick, onDismiss, view };
}

const key = (k: string, extra: Partial<KeyboardEventInit> = {}) => fireEvent.keyDown(window, { key: k, ...extra });

describe("SlashCommandList", () => {
  it("shows each row with its description, hint and Warden's mark", () => {
    show("");
    expect(screen.getByTestId("slash-item-greet").textContent).toContain("<name>");
    expect(screen.getByTestId("slash-item-greet").textContent).toContain("Greets someone");
    expect(screen.getByTestId("slash-item-warden-new").textContent).toContain("Warden");
    expect(screen.queryByTestId("slash-item-greet")?.querySelector("[data-testid='slash-badge-warden']")).toBeNull();
  });

  it("moves with the arrows and picks with Enter or Tab, before the text field sees the key", () => {
    const { onPick } = show("");
    const seen = vi.fn();
    window.addEventListener("keydown", seen);
    key("ArrowDown");
    expect(screen.getByTestId("slash-item-code-review").getAttribute("aria-selected")).toBe("true");
    key("ArrowUp");
    key("ArrowUp");
    expect(screen.getByTestId("slash-item-warden-review").getAttribute("aria-selected")).toBe("true");
    key("Enter");
    expect(onPick).toHaveBeenLastCalledWith(expect.objectContaining({ key: "warden:review", action: "review" }));
    key("ArrowDown");
    key("Tab");
    expect(onPick).toHaveBeenLastCalledWith(expect.objectContaining({ key: "agent:greet" }));
    expect(seen).not.toHaveBeenCalled();
    window.removeEventListener("keydown", seen);
  });

  it("leaves Shift+Enter to the text field, closes on Esc", () => {
    const { onPick, onDismiss } = show("gr");
    key("Enter", { shiftKey: true });
    expect(onPick).not.toHaveBeenCalled();
    key("Escape");
    expect(onDismiss).toHaveBeenCalledTimes(1);
  });

  it("filters by what is typed and picks with the mouse", () => {
    const { onPick } = show("comp");
    expect(screen.getAllByRole("option").map((o) => o.getAttribute("data-testid"))).toEqual(["slash-item-compact"]);
    fireEvent.mouseDown(screen.getByTestId("slash-item-compact"));
    expect(onPick).toHaveBeenCalledWith(expect.objectContaining({ name: "compact" }));
  });

  it("shows nothing and takes no keys when nothing matches", () => {
    const { onPick, onDismiss } = show("zzz");
    expect(screen.queryByTestId("slash-list")).toBeNull();
    key("Enter");
    key("Escape");
    expect(onPick).not.toHaveBeenCalled();
    expect(onDismiss).not.toHaveBeenCalled();
  });
});
