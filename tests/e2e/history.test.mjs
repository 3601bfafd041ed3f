// A long Claude Code session made outside Warden, opened through the Claude Code history view
// (issue 22, item 2): it opens at its end with every row there whole; the chat's texts far from
// the end come a page at a time as their rows are drawn, and Ctrl+F still counts and finds text
// that has not come yet: a word planted in the first answers (one plain text, one thinking
// block) and in an early tool output large enough to be left out. The transcript is
// bench-claude-jsonl.mjs's, shorter than the benchmark's so the debug build reads it quickly.
// Screenshots: tests/artifacts/e2e/history-long-open.png, history-long-found.png,
// history-long-top-loading.png (just scrolled to the top), history-long-top.png.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { artifacts, binary, evidence, waitForMatch } from "./agent.mjs";
import { writeClaudeSession } from "./bench-claude-jsonl.mjs";
import { Driver, waitFor } from "./webdriver.mjs";

const scratch = mkdtempSync(path.join(tmpdir(), "warden-e2e-history-"));
const home = path.join(scratch, "home");
const claudeConfig = path.join(home, ".claude");
const data = path.join(scratch, "data");
const project = path.join(scratch, "projects", "ledger");
const ID = "5c1d2e3f-4a5b-4c6d-8e7f-901a2b3c4d5e";
/** A word nothing else in the transcript says. */
const WORD = "quokkafjord";
/** Reading a 4,000-line transcript with a debug build on a loaded machine. */
const SLOW_MS = 60_000;

let driver;
/** The sentences planted, to find on screen. */
let planted;

before(async () => {
  assert.ok(process.env.DISPLAY, "run under xvfb-run (make test does)");
  mkdirSync(project, { recursive: true });
  writeFileSync(path.join(project, "README.md"), "# ledger\n");
  const { file } = writeClaudeSession({ configDir: claudeConfig, project, id: ID, lines: 4_000, toolCalls: 400, outputKb: 8 });
  planted = plant(file);
  driver = await Driver.start({ ...process.env, TAURI_WEBVIEW_AUTOMATION: "true", HOME: home, CLAUDE_CONFIG_DIR: claudeConfig });
});

after(async () => {
  await driver?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

/**
 * Puts WORD into the transcript far from its end: into the first long answer, the first long
 * thinking block and the start of the first tool output over 4 KB. Returns the answer's planted sentence.
 */
function plant(file) {
  const lines = readFileSync(file, "utf8").split("\n");
  const sentence = `The ${WORD} sentence is planted here.`;
  const done = { text: false, thinking: false, output: false };
  for (let i = 0; i < lines.length / 4; i++) {
    if (!lines[i]) continue;
    const line = JSON.parse(lines[i]);
    const block = Array.isArray(line.message?.content) ? line.message.content[0] : null;
    if (!block) continue;
    if (!done.text && block.type === "text" && block.text.length > 400) {
      block.text = `${sentence} ${block.text}`;
      done.text = true;
    } else if (!done.thinking && block.type === "thinking" && block.thinking.length > 400) {
      block.thinking = `${block.thinking} Thinking of ${WORD}.`;
      done.thinking = true;
    } else if (!done.output && block.type === "tool_result" && typeof block.content === "string" && block.content.length > 6_000) {
      block.content = `${WORD} at the start of a large output\n${block.content}`;
      done.output = true;
    } else continue;
    lines[i] = JSON.stringify(line);
  }
  assert.deepEqual(done, { text: true, thinking: true, output: true }, "the transcript has the texts to plant in");
  writeFileSync(file, lines.join("\n"));
  return { sentence };
}

/** Presses Ctrl+F where the keyboard is (a key event the page's listener receives). */
const CTRL_F = `(document.activeElement || document.body).dispatchEvent(new KeyboardEvent("keydown", { key: "f", ctrlKey: true, bubbles: true, cancelable: true }));`;
const view = "[data-testid=session-view]";

describe("a long Claude Code history", () => {
  it("opens at its end whole, reads the rest as it scrolls, and Ctrl+F finds text not read yet", async () => {
    const app = await driver.launch(binary, [project, "--data-dir", data]);
    try {
      await app.waitForText("[data-testid=history-row]", SLOW_MS);
      await app.click("[data-testid=history-row]");
      await app.waitForText(`${view}[data-loaded="true"]`, SLOW_MS);
      // The end of the chat is drawn with its own texts: none of its rows waits for one.
      await waitForMatch(app, "[data-testid=chat-scroll]", /Turn 40\b/, "the last turn's end", SLOW_MS);
      const waiting = await app.execute("return document.querySelectorAll('[data-testid=chat-scroll] [data-testid=text-loading]').length;");
      assert.equal(waiting, 0, "the first screen has all its texts");
      await app.screenshot(path.join(artifacts, "history-long-open.png"));

      // Ctrl+F: the word is in three places, none of them sent with the events.
      await app.execute(CTRL_F);
      await app.waitForText("[data-testid=session-search]");
      await app.type("[data-testid=session-search-input]", WORD);
      await waitForMatch(app, "[data-testid=session-search-count]", /\bof 3\b/, "three matches counted", SLOW_MS);
      // Each match in turn is shown: the answer's and the thinking's texts read in, the large
      // output read back, each with the word on screen.
      const seen = [];
      for (let n = 1; n <= 3; n++) {
        if (n > 1) await app.execute("document.querySelector('[data-testid=session-search-next]').click();");
        await waitForMatch(app, "[data-testid=session-search-count]", new RegExp(`^${n} of 3\\b`), `match ${n} current`, SLOW_MS);
        await waitForMatch(app, "[data-testid=chat-scroll] .search-current", new RegExp(WORD), `match ${n} on screen`, SLOW_MS);
        const row = (await app.textOf("[data-testid=chat-scroll] .search-current")) ?? "";
        seen.push(row.includes(planted.sentence) ? "answer" : row.includes("Thinking of") ? "thinking" : row.includes("large output") ? "output" : row.slice(0, 80));
        if (n === 1) await app.screenshot(path.join(artifacts, "history-long-found.png"));
      }
      assert.deepEqual([...seen].sort(), ["answer", "output", "thinking"], `the three planted places, in chat order: ${seen.join(", ")}`);

      // Scrolling to the very top reads the first texts in; no row stays waiting.
      await app.execute("const s = document.querySelector('[data-testid=chat-scroll]'); s.scrollTop = 0; s.dispatchEvent(new Event('scroll'));");
      // Most likely the rows still waiting for their texts (they come within a moment).
      await app.screenshot(path.join(artifacts, "history-long-top-loading.png"));
      await waitFor(
        "the top rows' texts",
        async () => (await app.execute("const s = document.querySelector('[data-testid=chat-scroll]'); return s.scrollTop < 5 && s.querySelectorAll('[data-testid=text-loading]').length === 0;")) === true,
        SLOW_MS,
      );
      await app.screenshot(path.join(artifacts, "history-long-top.png"));
    } catch (error) {
      await evidence(app, "history-long-failure");
      throw error;
    } finally {
      await app.close();
    }
  });
});
