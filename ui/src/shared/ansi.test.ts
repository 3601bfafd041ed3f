import { describe, expect, it } from "vitest";
import { ansiColorCss, parseAnsi } from "./ansi";

const E = "\u001b";

describe("parseAnsi", () => {
  it("returns plain text as one unstyled segment", () => {
    expect(parseAnsi("hello\nworld\n")).toEqual([{ text: "hello\nworld\n", style: {} }]);
    expect(parseAnsi("")).toEqual([]);
  });

  it("applies the 8 basic and 8 bright colours, foreground and background", () => {
    expect(parseAnsi(`${E}[31mred${E}[0m plain`)).toEqual([
      { text: "red", style: { fg: 1 } },
      { text: " plain", style: {} },
    ]);
    expect(parseAnsi(`${E}[92;104mx`)).toEqual([{ text: "x", style: { fg: 10, bg: 12 } }]);
    expect(parseAnsi(`${E}[47mx${E}[49my`)).toEqual([
      { text: "x", style: { bg: 7 } },
      { text: "y", style: {} },
    ]);
  });

  it("applies 256-colour and truecolor, in ; and : forms", () => {
    expect(parseAnsi(`${E}[38;5;208mo`)).toEqual([{ text: "o", style: { fg: 208 } }]);
    expect(parseAnsi(`${E}[48;5;17mo`)).toEqual([{ text: "o", style: { bg: 17 } }]);
    expect(parseAnsi(`${E}[38;2;255;128;0mo`)).toEqual([{ text: "o", style: { fg: "#ff8000" } }]);
    expect(parseAnsi(`${E}[48;2;1;2;3;1mo`)).toEqual([{ text: "o", style: { bg: "#010203", bold: true } }]);
    expect(parseAnsi(`${E}[38:5:9mo`)).toEqual([{ text: "o", style: { fg: 9 } }]);
    expect(parseAnsi(`${E}[38:2::10:20:30mo`)).toEqual([{ text: "o", style: { fg: "#0a141e" } }]);
    expect(parseAnsi(`${E}[38:2:10:20:30mo`)).toEqual([{ text: "o", style: { fg: "#0a141e" } }]);
  });

  it("keeps parsing after an extended colour's arguments", () => {
    expect(parseAnsi(`${E}[38;5;1;4mu`)).toEqual([{ text: "u", style: { fg: 1, underline: true } }]);
    // Out-of-range values are clamped (truecolor) or ignored (palette).
    expect(parseAnsi(`${E}[38;2;300;0;0mx`)).toEqual([{ text: "x", style: { fg: "#ff0000" } }]);
    expect(parseAnsi(`${E}[38;5;999mx`)).toEqual([{ text: "x", style: {} }]);
  });

  it("sets and clears bold, dim, italic, underline, inverse and strike", () => {
    expect(parseAnsi(`${E}[1;2;3;4;7;9mx`)).toEqual([
      { text: "x", style: { bold: true, dim: true, italic: true, underline: true, inverse: true, strike: true } },
    ]);
    expect(parseAnsi(`${E}[1;3mx${E}[22my${E}[23mz`)).toEqual([
      { text: "x", style: { bold: true, italic: true } },
      { text: "y", style: { italic: true } },
      { text: "z", style: {} },
    ]);
    expect(parseAnsi(`${E}[4mx${E}[24my`)).toEqual([
      { text: "x", style: { underline: true } },
      { text: "y", style: {} },
    ]);
  });

  it("resets everything with 0, an empty sequence and 39/49", () => {
    expect(parseAnsi(`${E}[1;31;42mx${E}[my`)).toEqual([
      { text: "x", style: { bold: true, fg: 1, bg: 2 } },
      { text: "y", style: {} },
    ]);
    expect(parseAnsi(`${E}[1;31mx${E}[39my`)).toEqual([
      { text: "x", style: { bold: true, fg: 1 } },
      { text: "y", style: { bold: true } },
    ]);
  });

  it("carries the style across lines and merges runs that look the same", () => {
    expect(parseAnsi(`${E}[32ma\nb${E}[32mc`)).toEqual([{ text: "a\nbc", style: { fg: 2 } }]);
  });

  it("drops cursor moves, erases, OSC titles and links, charset switches and control characters", () => {
    expect(parseAnsi(`${E}[2K${E}[1Gdone${E}[?25h`)).toEqual([{ text: "done", style: {} }]);
    expect(parseAnsi(`${E}]0;my title\u0007text`)).toEqual([{ text: "text", style: {} }]);
    expect(parseAnsi(`${E}]8;;https://x.dev${E}\\link${E}]8;;${E}\\`)).toEqual([{ text: "link", style: {} }]);
    expect(parseAnsi(`${E}(Bab${E}7c${E}=`)).toEqual([{ text: "abc", style: {} }]);
    expect(parseAnsi("a\u0007b\u0008c\td")).toEqual([{ text: "abc\td", style: {} }]);
    expect(parseAnsi("\u009b31mred")).toEqual([{ text: "red", style: { fg: 1 } }]);
  });

  it("survives sequences cut off at the end or broken in the middle", () => {
    expect(parseAnsi(`ok${E}[3`)).toEqual([{ text: "ok", style: {} }]);
    expect(parseAnsi(`ok${E}`)).toEqual([{ text: "ok", style: {} }]);
    expect(parseAnsi(`ok${E}]0;unterminated title`)).toEqual([{ text: "ok", style: {} }]);
    expect(parseAnsi(`a${E}[3\nb`)).toEqual([{ text: "a\nb", style: {} }]);
    expect(parseAnsi(`a${E}[\u00e9b`)).toEqual([{ text: "a\u00e9b", style: {} }]);
  });

  it("keeps only the last redraw of a line rewritten with \\r", () => {
    expect(parseAnsi("10%\r50%\r100%\ndone\n")).toEqual([{ text: "100%\ndone\n", style: {} }]);
    expect(parseAnsi("a\r\nb\r\n")).toEqual([{ text: "a\nb\n", style: {} }]);
    // A trailing \r overwrites nothing: the line stays as last drawn.
    expect(parseAnsi("50%\r100%\r")).toEqual([{ text: "100%", style: {} }]);
  });

  it("keeps colours set in overwritten parts of a line", () => {
    expect(parseAnsi(`${E}[33mwait\rok${E}[0m!`)).toEqual([
      { text: "ok", style: { fg: 3 } },
      { text: "!", style: {} },
    ]);
  });
});

describe("ansiColorCss", () => {
  it("uses the theme's variables for the 16 colours", () => {
    expect(ansiColorCss(1)).toBe("var(--ansi-1)");
    expect(ansiColorCss(15)).toBe("var(--ansi-15)");
  });

  it("computes the xterm cube and grey ramp", () => {
    expect(ansiColorCss(16)).toBe("#000000");
    expect(ansiColorCss(196)).toBe("#ff0000");
    expect(ansiColorCss(208)).toBe("#ff8700");
    expect(ansiColorCss(231)).toBe("#ffffff");
    expect(ansiColorCss(232)).toBe("#080808");
    expect(ansiColorCss(255)).toBe("#eeeeee");
  });

  it("passes hex colours through", () => {
    expect(ansiColorCss("#ff8000")).toBe("#ff8000");
  });
});
