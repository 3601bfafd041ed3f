import { describe, expect, it } from "vitest";
import { keyAction } from "./keys";

const key = (k: string, code: string, mods: { ctrl?: boolean; shift?: boolean; alt?: boolean; type?: string } = {}) => ({
  type: mods.type ?? "keydown",
  ctrlKey: mods.ctrl ?? false,
  shiftKey: mods.shift ?? false,
  altKey: mods.alt ?? false,
  metaKey: false,
  key: k,
  code,
});

describe("terminal keys", () => {
  it("Ctrl+` toggles, whatever the layout calls the key", () => {
    expect(keyAction(key("`", "Backquote", { ctrl: true }))).toBe("toggle");
    expect(keyAction(key("²", "Backquote", { ctrl: true }))).toBe("toggle");
  });

  it("Ctrl+Shift+C and Ctrl+Shift+V copy and paste; Ctrl+C and Ctrl+V go to the program", () => {
    expect(keyAction(key("C", "KeyC", { ctrl: true, shift: true }))).toBe("copy");
    expect(keyAction(key("V", "KeyV", { ctrl: true, shift: true }))).toBe("paste");
    expect(keyAction(key("c", "KeyC", { ctrl: true }))).toBeNull();
    expect(keyAction(key("v", "KeyV", { ctrl: true }))).toBeNull();
  });

  it("only key presses count, and not with Alt", () => {
    expect(keyAction(key("`", "Backquote", { ctrl: true, type: "keyup" }))).toBeNull();
    expect(keyAction(key("`", "Backquote", { ctrl: true, alt: true }))).toBeNull();
    expect(keyAction(key("`", "Backquote"))).toBeNull();
  });
});
