import { describe, expect, it } from "vitest";
import { terminalTheme } from "./theme";

describe("terminal theme", () => {
  it("takes the app's background, text and accent colours", () => {
    const vars: Record<string, string> = { "--bg": "#101010", "--fg": "#fafafa", "--accent": "#123456" };
    const theme = terminalTheme(true, (name) => vars[name] ?? "");
    expect(theme).toMatchObject({ background: "#101010", foreground: "#fafafa", cursor: "#123456", cursorAccent: "#101010" });
  });

  it("picks a palette that reads on the background, with all sixteen colours", () => {
    const light = terminalTheme(false, () => "");
    const dark = terminalTheme(true, () => "");
    expect(light.background).toBe("#ffffff");
    expect(dark.background).toBe("#1e1f22");
    // Bright white text must not vanish on a dark background, nor black on a light one.
    expect(dark.brightWhite).not.toBe(dark.background);
    expect(light.black).not.toBe(light.background);
    expect(light.red).not.toBe(dark.red);
    for (const theme of [light, dark]) {
      const colours = [theme.black, theme.red, theme.green, theme.yellow, theme.blue, theme.magenta, theme.cyan, theme.white,
        theme.brightBlack, theme.brightRed, theme.brightGreen, theme.brightYellow, theme.brightBlue, theme.brightMagenta, theme.brightCyan, theme.brightWhite];
      expect(colours.every((c) => /^#[0-9a-f]{6}$/.test(c ?? ""))).toBe(true);
    }
  });
});
