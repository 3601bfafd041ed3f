// Per-hunk decisions in the real window: the pinned Claude Code CLI (against the scripted mock
// model, in bypass) rewrites a file with three separate changes; in the Files panel the person
// keeps hunk 1, reverts hunk 2 (through the confirmation with the backend's hunk plan) and
// comments on a line of hunk 3. The file on disk then holds hunks 1 and 3 only. A screenshot of
// the decisions lands in tests/artifacts/e2e/files-hunks.png.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { AGENT_MS, agentEnv, artifacts, assertPrerequisites, binary, cleanUp, evidence, openFirstSessionDialog, startMock, waitForMatch } from "./agent.mjs";
import { Driver, waitFor } from "./webdriver.mjs";

const scratch = mkdtempSync(path.join(tmpdir(), "warden-e2e-hunks-"));
const home = path.join(scratch, "home");
const data = path.join(scratch, "data");
const project = path.join(scratch, "projects", "stats");
const statsPy = path.join(project, "stats.py");
const ORIGINAL = "def total(items):\n    return sum(items)\n\n\ndef mean(items):\n    return total(items) / len(items)\n\n\nprint(total([1, 2, 3]))\n";
const REWRITTEN =
  "def total(items):\n    return sum(items, 0)\n\n\ndef mean(items):\n    if not items:\n        return 0\n    return total(items) / len(items)\n\n\nprint(total([1, 2, 3]))\nprint(mean([]))\n";
// Hunk 2 (the guard) reverted, hunks 1 and 3 kept as the agent wrote them.
const EXPECTED = "def total(items):\n    return sum(items, 0)\n\n\ndef mean(items):\n    return total(items) / len(items)\n\n\nprint(total([1, 2, 3]))\nprint(mean([]))\n";
let mock;
let driver;

function script() {
  return [
    { blocks: [{ type: "text", text: "Rewriting stats.py." }, { type: "toolUse", name: "Write", input: { file_path: statsPy, content: REWRITTEN } }] },
    { blocks: [{ type: "text", text: "Done: explicit start value, an empty-list guard, and a demo." }] },
  ];
}

before(async () => {
  assertPrerequisites();
  mkdirSync(home, { recursive: true });
  mkdirSync(project, { recursive: true });
  writeFileSync(statsPy, ORIGINAL);
  const started = await startMock(scratch, script());
  mock = started.server;
  driver = await Driver.start(agentEnv(home, started.url));
});

after(() => cleanUp(driver, mock, scratch));

const hunkState = (app, n) => app.execute("const h = document.querySelector(`[data-testid=hunk][data-hunk='${arguments[0]}']`); return h ? h.dataset.state : null;", [n]);

describe("per-hunk decisions", () => {
  it("keeps one hunk, reverts another and comments on a third", async () => {
    const app = await driver.launch(binary, [project, "--data-dir", data]);
    try {
      await openFirstSessionDialog(app);
      await app.click("[data-testid=mode-bypass]");
      await app.click("[data-testid=bypass-understand]");
      await app.click("[data-testid=start-session]");
      await waitForMatch(app, "[data-testid=session-status]", /Ready/, "the session to be ready");
      await app.type("[data-testid=prompt-box] textarea", "Make mean safe for empty lists\uE007");
      await waitForMatch(app, "[data-testid=turn-end]", /Turn 1/, "the turn to end");
      assert.equal(readFileSync(statsPy, "utf8"), REWRITTEN, "the agent's rewrite landed");

      await app.click("[data-testid=files-open]");
      await waitFor("stats.py in the panel", () => app.exists("[data-testid=file-row][data-path='stats.py']"), AGENT_MS);
      await app.click("[data-testid=file-row][data-path='stats.py'] .file-pick");
      await waitFor("three hunks", async () => (await app.execute("return document.querySelectorAll('[data-testid=hunk]').length;")) === 3);

      await app.click("[data-testid=hunk][data-hunk='1'] [data-testid=hunk-keep]");
      await waitFor("hunk 1 kept", async () => (await hunkState(app, 1)) === "kept");

      await app.click("[data-testid=hunk][data-hunk='2'] [data-testid=hunk-revert]");
      const confirm = await waitForMatch(app, "[data-testid=revert-confirm-dialog]", /revert hunk 2 of stats\.py/, "the hunk plan");
      assert.match(confirm, /if not items/, "the confirmation shows the hunk's lines");
      await app.click("[data-testid=revert-confirm]");
      await waitFor("the redo offer", () => app.exists("[data-testid=revert-redo]"), AGENT_MS);
      await app.click("[data-testid=revert-close]");
      await waitFor("hunk 2 reverted", async () => (await hunkState(app, 2)) === "reverted");
      assert.equal(readFileSync(statsPy, "utf8"), EXPECTED, "only hunk 2 went back");

      await app.click("[data-testid=hunk][data-hunk='3'] [data-testid=hunk-line]");
      await app.click("[data-testid=hunk][data-hunk='3'] [data-testid=hunk-comment]");
      await app.type("[data-testid=hunk-comment-text]", "Printing mean([]) hides the guard: test it instead.");
      await app.click("[data-testid=hunk-comment-save]");
      await waitForMatch(app, "[data-testid=hunk][data-hunk='3'] [data-testid=hunk-comment-item]", /line 12:\s*Printing mean/, "the comment under hunk 3");
      await app.screenshot(path.join(artifacts, "files-hunks.png"));
      assert.equal(await hunkState(app, 1), "kept", "the keep stands after the revert");
    } catch (error) {
      await evidence(app, "hunks-failure");
      throw error;
    } finally {
      await app.close();
    }
  });
});
