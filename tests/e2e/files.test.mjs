// The file journal in the real window: the pinned Claude Code CLI (against the scripted mock
// model, in bypass so nothing asks) edits a file and creates another in one turn; the Files panel
// lists both with a diff, and reverting the turn puts the project back exactly. A screenshot of
// the panel with a diff lands in tests/artifacts/e2e/files-panel.png.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { AGENT_MS, agentEnv, artifacts, assertPrerequisites, binary, cleanUp, evidence, openFirstSessionDialog, startMock, waitForMatch } from "./agent.mjs";
import { Driver, waitFor } from "./webdriver.mjs";

const scratch = mkdtempSync(path.join(tmpdir(), "warden-e2e-files-"));
const home = path.join(scratch, "home");
const data = path.join(scratch, "data");
const project = path.join(scratch, "projects", "ledger");
const mainPy = path.join(project, "main.py");
const ORIGINAL = 'def total(items):\n    return sum(items)\n\n\nprint(total([1, 2, 3]))\n';
let mock;

const tool = (name, input, text) => ({ blocks: [{ type: "text", text }, { type: "toolUse", name, input }] });

function script() {
  return [
    tool("Read", { file_path: mainPy }, "Reading main.py."),
    tool(
      "Edit",
      { file_path: mainPy, old_string: "    return sum(items)", new_string: "    # Empty lists total zero.\n    return sum(items, 0)" },
      "Making the start value explicit.",
    ),
    tool("Write", { file_path: path.join(project, "test_main.py"), content: "from main import total\n\n\ndef test_total():\n    assert total([]) == 0\n" }, "And a test."),
    { blocks: [{ type: "text", text: "Done: explicit start value and a test." }] },
  ];
}

let driver;

before(async () => {
  assertPrerequisites();
  mkdirSync(home, { recursive: true });
  mkdirSync(project, { recursive: true });
  writeFileSync(mainPy, ORIGINAL);
  const started = await startMock(scratch, script());
  mock = started.server;
  driver = await Driver.start(agentEnv(home, started.url));
});

after(() => cleanUp(driver, mock, scratch));

describe("the Files panel", () => {
  it("lists what a turn changed with its diff, and reverting the turn restores the project", async () => {
    const app = await driver.launch(binary, [project, "--data-dir", data]);
    try {
      await openFirstSessionDialog(app);
      await app.screenshot(path.join(artifacts, "new-session-dialog.png"));
      await app.click("[data-testid=mode-bypass]");
      await app.click("[data-testid=bypass-understand]");
      await app.click("[data-testid=start-session]");
      await waitForMatch(app, "[data-testid=session-status]", /Ready/, "the session to be ready");

      await app.type("[data-testid=prompt-box] textarea", "Make the start value explicit and add a test\uE007");
      await waitForMatch(app, "[data-testid=turn-end]", /Turn 1/, "the turn to end");
      assert.match(readFileSync(mainPy, "utf8"), /sum\(items, 0\)/, "the agent's edit landed");
      assert.ok(existsSync(path.join(project, "test_main.py")));
      await waitFor("the tool call's file link", () => app.exists("[data-testid=tool-files]"), AGENT_MS);

      await app.click("[data-testid=files-open]");
      await waitFor("both files in the panel", async () => {
        const rows = await app.execute("return [...document.querySelectorAll('[data-testid=file-row]')].map(r => r.dataset.path);");
        return rows.includes("main.py") && rows.includes("test_main.py");
      });
      await app.click("[data-testid=file-row][data-path='main.py']");
      await waitForMatch(app, "[data-testid=file-diff]", /sum\(items, 0\)/, "the diff of main.py");
      await app.screenshot(path.join(artifacts, "files-panel.png"));

      // The turn's own link in the chat opens the panel on that turn, where Revert takes the turn back.
      await app.click("[data-testid=files-close]");
      await app.click("[data-testid=turn-files]");
      await waitForMatch(app, "[data-testid=turn-revert]", /Revert turn 1/, "the panel opened on turn 1");
      await app.click("[data-testid=turn-revert]");
      const confirm = await waitForMatch(app, "[data-testid=revert-confirm-dialog]", /test_main\.py/, "the confirmation listing the changes");
      assert.match(confirm, /main\.py/, "the confirmation names every file");
      await app.screenshot(path.join(artifacts, "files-revert-confirm.png"));
      await app.click("[data-testid=revert-confirm]");
      // The result (with its redo offer) shows once the rollback is complete on disk.
      await waitFor("the redo offer", () => app.exists("[data-testid=revert-redo]"), AGENT_MS);
      assert.ok(!existsSync(path.join(project, "test_main.py")), "the file the agent created is gone");
      assert.equal(readFileSync(mainPy, "utf8"), ORIGINAL, "main.py is back byte for byte");
      assert.deepEqual(readdirSync(project).sort(), ["main.py"], "the project holds no files of Warden's");
    } catch (error) {
      await evidence(app, "files-failure");
      throw error;
    } finally {
      await app.close();
    }
  });
});
