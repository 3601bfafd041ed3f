// Review with… in the real window: the pinned Claude Code CLI (against the scripted mock model,
// in bypass) changes a file in a task; "Review with…" on the session header preselects Codex
// (another vendor), which reviews the task read-only against the mock Responses API and answers
// with findings through its output schema. The review view shows the reviewer's verdict and the
// findings by file with their severity, the one outside the task's changes apart; a finding's
// place opens the Files panel at its hunk (scrolled to, outlined, focused), one outside the
// changes says so, and the reviewer's own session opens in a tab. Screenshots land in
// tests/artifacts/e2e/review-findings.png and review-finding-diff.png.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { AGENT_MS, agentEnv, artifacts, assertPrerequisites, binary, cleanUp, codex, codexHome, evidence, openFirstSessionDialog, startMock, waitForMatch } from "./agent.mjs";
import { Driver, waitFor } from "./webdriver.mjs";

const scratch = mkdtempSync(path.join(tmpdir(), "warden-e2e-review-"));
const home = path.join(scratch, "home");
const data = path.join(scratch, "data");
const project = path.join(scratch, "projects", "ledger");
const ledger = path.join(project, "ledger.py");
const ORIGINAL = "def balance(entries):\n    return sum(entries)\n\n\ndef fee(amount):\n    return amount * 0.01\n";
const CHANGED = "def balance(entries):\n    return sum(entries) - 1\n\n\ndef fee(amount):\n    return amount * 0.01\n\n\ndef refund(amount):\n    return -fee(amount)\n";
const FINDINGS = {
  verdict: "needs-attention",
  summary: "balance() is off by one; refund() is fine.",
  findings: [
    { severity: "high", title: "balance() subtracts 1", body: "Every balance is now one less than the sum.", file: "ledger.py", line_start: 2, line_end: 2, confidence: 0.9, recommendation: "Return sum(entries)." },
    { severity: "low", title: "refund() lacks a docstring", body: "", file: "ledger.py", line_start: 9, line_end: 10, confidence: 0.4, recommendation: "Say what a refund is." },
    { severity: "medium", title: "fee() rounds nothing", body: "An old problem, not this task's.", file: "README.md", line_start: 1, line_end: 1, confidence: 0.5, recommendation: "" },
  ],
};
let anthropic;
let openai;
let driver;


before(async () => {
  assertPrerequisites();
  assert.ok(existsSync(codex), `the pinned Codex CLI is missing at ${codex}: run make agents`);
  mkdirSync(project, { recursive: true });
  mkdirSync(path.join(home, "tmp"), { recursive: true });
  writeFileSync(ledger, ORIGINAL);
  writeFileSync(path.join(project, "README.md"), "# ledger\n");
  anthropic = await startMock(scratch, [
    { blocks: [{ type: "text", text: "Changing ledger.py." }, { type: "toolUse", name: "Write", input: { file_path: ledger, content: CHANGED } }] },
    { blocks: [{ type: "text", text: "Done: balance adjusted and refund added." }] },
  ]);
  openai = await startMock(scratch, [{ blocks: [{ type: "text", text: JSON.stringify(FINDINGS) }] }], "openai");
  driver = await Driver.start(
    agentEnv(home, anthropic.url, {
      WARDEN_CODEX: codex,
      CODEX_HOME: codexHome(home, openai.url),
      // Codex refuses to set up its sandbox helper under the temporary folder.
      TMPDIR: path.join(home, "tmp"),
      WARDEN_MOCK_API_KEY: "dummy",
    }),
  );
});

after(async () => {
  openai?.server.kill();
  await cleanUp(driver, anthropic?.server, scratch);
});

describe("Review with…", () => {
  it("has Codex review Claude's task and shows its findings by file, opening the diff from a finding and the reviewer's session", async () => {
    const app = await driver.launch(binary, [project, "--data-dir", data]);
    try {
      await openFirstSessionDialog(app);
      await app.click("[data-testid=mode-bypass]");
      await app.click("[data-testid=bypass-understand]");
      await app.click("[data-testid=start-session]");
      await waitForMatch(app, "[data-testid=session-status]", /Ready/, "the session to be ready");
      await app.type("[data-testid=prompt-box] textarea", "Adjust the balance and add refunds\uE007");
      await waitForMatch(app, "[data-testid=turn-end]", /Turn 1/, "the turn to end");
      assert.equal(readFileSync(ledger, "utf8"), CHANGED, "Claude's change landed");

      await app.click("[data-testid=review-with]");
      await waitFor("the reviewers", async () => (await app.execute("const s = document.querySelector('[data-testid=review-agent]'); return s && !s.disabled ? s.value : null;")) === "codex", AGENT_MS);
      const scope = await app.execute("const s = document.querySelector('[data-testid=review-scope]'); return s.options[s.selectedIndex].text;");
      assert.match(scope, /^Task 1/, "the current task is what is reviewed");
      await app.type("[data-testid=review-instructions]", "Check the arithmetic.");
      await app.click("[data-testid=review-start]");

      // The view opens on the task's reviews: running first, then Codex's verdict.
      await app.waitForText("[data-testid=review-view]");
      await waitFor("Codex's verdict", () => app.exists("[data-testid=review-column][data-phase=completed]"), AGENT_MS * 2);
      const column = await app.textOf("[data-testid=review-column]");
      assert.match(column, /Codex/);
      assert.match(column, /Needs attention · 3 findings/);
      assert.match(column, /off by one/);
      const inside = await app.textOf("[data-testid=review-inside]");
      assert.match(inside, /ledger\.py/);
      assert.match(inside, /high\s*balance\(\) subtracts 1/i);
      assert.match(inside, /ledger\.py:2/);
      assert.match(await app.textOf("[data-testid=review-outside]"), /Outside this task's changes[\s\S]*README\.md[\s\S]*fee\(\) rounds nothing/);
      await app.screenshot(path.join(artifacts, "review-findings.png"));
      assert.equal(readFileSync(ledger, "utf8"), CHANGED, "the reviewer changed nothing");

      // A finding's place opens the Files panel at its hunk: refund() (lines 9–10) is in the
      // second hunk of ledger.py, not the first the panel would show anyway.
      const refund = "[data-testid=review-inside] [data-testid=review-finding][data-severity=low]";
      assert.match(await app.textOf(refund), /refund\(\) lacks a docstring[\s\S]*ledger\.py:9-10\s*· hunk 2/);
      await app.click(`${refund} [data-testid=review-place]`);
      await waitFor("the Files panel on ledger.py", () => app.exists("[data-testid=file-row][data-path='ledger.py']"), AGENT_MS);
      await waitFor("the finding's hunk marked", () => app.exists("[data-testid=hunk][data-focused=true]"), AGENT_MS);
      const focused = await app.execute(`
        const hunk = document.querySelector('[data-testid=hunk][data-focused=true]');
        const pane = hunk.closest('.files-diff-pane').getBoundingClientRect();
        const box = hunk.getBoundingClientRect();
        return {
          index: hunk.dataset.hunk,
          lines: [...hunk.querySelectorAll('[data-testid=hunk-line]')].map((l) => l.dataset.line),
          active: document.activeElement === hunk,
          outline: getComputedStyle(hunk).outlineStyle,
          visible: box.top >= pane.top - 1 && box.top < pane.bottom,
          marked: document.querySelectorAll('[data-testid=hunk][data-focused=true]').length,
          hunks: document.querySelectorAll('[data-testid=hunk]').length,
        };`);
      assert.deepEqual(
        { ...focused, lines: focused.lines.includes("9") && focused.lines.includes("10") },
        { index: "2", lines: true, active: true, outline: "solid", visible: true, marked: 1, hunks: 2 },
        "the second hunk, holding lines 9–10, is scrolled to, outlined and has the keyboard",
      );
      assert.equal(await app.exists("[data-testid=files-target-outside]"), false, "the finding is inside the shown changes");
      await app.screenshot(path.join(artifacts, "review-finding-diff.png"));
      await app.click("[data-testid=files-close]");

      // A finding outside the task's changes opens the Files panel with a word saying so.
      await app.click("[data-testid=review-outside] [data-testid=review-place]");
      await waitForMatch(app, "[data-testid=files-target-outside]", /outside the shown changes/, "the note on a finding outside the changes");
      assert.equal(await app.exists("[data-testid=hunk][data-focused=true]"), false);

      // The reviewer's own session opens in a tab of its own: its transcript, tools and cost.
      await app.click("[data-testid=files-close]");
      const reviewed = await app.execute("return document.querySelector('[data-testid=session-view]').dataset.sessionId;");
      await app.click("[data-testid=review-open-session]");
      await waitFor(
        "the reviewer's session in front",
        async () => (await app.execute("const v = document.querySelector('[data-testid=session-view]'); return v ? v.dataset.sessionId : null;")) !== reviewed,
        AGENT_MS,
      );
      await waitForMatch(app, "[data-testid=session-agent]", /Codex/, "the reviewer's session is Codex's");
    } catch (error) {
      await evidence(app, "review-failure");
      throw error;
    } finally {
      await app.close();
    }
  });
});
