// Permissions in the real window: the pinned Claude Code CLI against the scripted mock model
// asks for a command, a command padded with blank lines, a new file and an edit; the test
// answers in the modal like a person and checks the project folder after each answer.
// Screenshots of the modal for Bash, the padded command, Write and Edit land in
// tests/artifacts/e2e/.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { AGENT_MS, agentEnv, artifacts, assertPrerequisites, binary, cleanUp, evidence, startFirstSession, startMock, waitForMatch } from "./agent.mjs";
import { Driver, waitFor } from "./webdriver.mjs";

const scratch = mkdtempSync(path.join(tmpdir(), "warden-e2e-permissions-"));
const home = path.join(scratch, "home");
const data = path.join(scratch, "data");
const project = path.join(scratch, "projects", "shop");
const appJs = path.join(project, "src", "app.js");
const ORIGINAL = 'export function greet(name) {\n  return "Hello " + name;\n}\n';
let mock;

const tool = (name, input, text) => ({ blocks: [{ type: "text", text }, { type: "toolUse", name, input }] });
const say = (text) => ({ blocks: [{ type: "text", text }] });

/** Blank lines that push the padded command's last line out of a scrolling box. */
const PADDING = 60;
/** A harmless first line, then the padding, then the line that matters. */
const PADDED = `echo "running the tests"${"\n".repeat(PADDING + 1)}touch hidden-by-padding.txt`;

/** What the model says, one reply per request, in order. */
function script() {
  return [
    tool("Bash", { command: "touch made-by-bash.txt && ls", description: "Create a marker file" }, "I'll create the marker."),
    say("The marker is there."),
    tool("Bash", { command: PADDED, description: "Run the test suite" }, "Running the tests."),
    say("Understood, not run."),
    tool("Write", { file_path: path.join(project, "denied.txt"), content: "This file should never exist.\n" }, "Writing a file."),
    say("Understood, no file."),
    tool("Read", { file_path: appJs }, "Reading app.js first."),
    tool(
      "Edit",
      { file_path: appJs, old_string: '  return "Hello " + name;', new_string: "  return `Hello, ${name}!`;" },
      "Now the template literal.",
    ),
    say("Edited."),
    tool("Write", { file_path: path.join(project, "notes.md"), content: "# Notes\n\n- greet() uses a template literal\n" }, "Notes."),
    say("Notes written."),
    tool("Bash", { command: "touch bypassed.txt", description: "Touch in bypass" }, "Once more."),
    say("Done in bypass."),
  ];
}

let driver;

before(async () => {
  assertPrerequisites();
  mkdirSync(home, { recursive: true });
  mkdirSync(path.join(project, "src"), { recursive: true });
  writeFileSync(appJs, ORIGINAL);
  const started = await startMock(scratch, script());
  mock = started.server;
  driver = await Driver.start(agentEnv(home, started.url));
});

after(() => cleanUp(driver, mock, scratch));

const modal = "[data-testid=permission-modal]";

/** Waits for the modal to ask about `toolName` and returns its text. */
async function question(app, toolName, pattern) {
  await waitFor(`the question about ${toolName}`, () => app.exists(`${modal}[data-tool=${toolName}]`), AGENT_MS);
  return waitForMatch(app, modal, pattern, `the ${toolName} preview`);
}

/** Clicks an answer once the question is armed: clicks before that are ignored, like keys. */
async function answer(app, testId) {
  await waitFor("the question to arm", () => app.exists(`${modal}[data-armed=true]`));
  await app.click(`[data-testid=${testId}]`);
}

/**
 * Where the padded command's last line is: "visible" when it lies inside the modal's body and
 * the window, else what clips it.
 */
const LAST_LINE_PLACE = `
  const lines = [...document.querySelectorAll('[data-testid=permission-command-line]')];
  const last = lines.find((l) => l.textContent.includes('touch hidden-by-padding.txt'));
  if (!last) return 'missing';
  const line = last.getBoundingClientRect();
  const body = document.querySelector('[data-testid=permission-modal] .pm-body').getBoundingClientRect();
  const inside = line.height > 0 && line.top >= body.top && line.bottom <= body.bottom && line.bottom <= window.innerHeight;
  return inside ? 'visible' : 'clipped ' + JSON.stringify({ line: [line.top, line.bottom], body: [body.top, body.bottom], window: window.innerHeight });
`;

async function prompt(app, text) {
  await app.type("[data-testid=prompt-box] textarea", `${text}\uE007`);
}

/** Waits for turn `n` to end. The chat is virtualised, so only the newest turn line is looked at. */
async function turnEnds(app, n) {
  await waitFor(`turn ${n} to end`, async () => {
    const text = await app.execute(
      "const all = document.querySelectorAll('[data-testid=turn-end]'); return all.length ? all[all.length - 1].textContent : '';",
    );
    return new RegExp(`Turn ${n}\\b`).test(String(text));
  }, AGENT_MS);
}

describe("permissions in the window", () => {
  it("asks in a modal; allow runs the tool, deny leaves nothing, rules and bypass decide", async () => {
    const app = await driver.launch(binary, [project, "--data-dir", data]);
    try {
      await startFirstSession(app);

      // A command: the modal shows it with its working folder; Allow once runs it.
      await prompt(app, "Create the marker file");
      const bash = await question(app, "Bash", /touch made-by-bash\.txt && ls/);
      assert.match(bash, /shop/, "the modal names the project");
      assert.match(bash, /Create a marker file/, "and the agent's description");
      assert.ok(!existsSync(path.join(project, "made-by-bash.txt")), "nothing runs before the answer");
      await app.screenshot(path.join(artifacts, "permission-bash.png"));
      await answer(app, "permission-allow-once");
      await turnEnds(app, 1);
      assert.ok(existsSync(path.join(project, "made-by-bash.txt")), "allowed: the command ran");
      await waitForMatch(app, "[data-testid=timeline]", /touch made-by-bash\.txt|Create a marker file/, "the call in the timeline");
      await waitForMatch(app, "[data-testid=tool-decision]", /once/i, "the timeline says how it was allowed");

      // A command padded with blank lines: its last line is in view, the blank run one visible
      // mark, the agent's description quoted as its own words; denied, nothing runs.
      await prompt(app, "Run the tests");
      const padded = await question(app, "Bash", /touch hidden-by-padding\.txt/);
      assert.match(padded, new RegExp(`⋯ ${PADDING} blank lines ⋯`), "the blank run is one visible mark");
      assert.match(padded, /Claude Code says \(its own words, not checked by Warden\):\s*[“"]?Run the test suite/, "the description is the agent's");
      assert.equal(await app.execute(LAST_LINE_PLACE), "visible", "the command's last line is in view");
      await app.screenshot(path.join(artifacts, "permission-padded.png"));
      await answer(app, "permission-deny");
      await turnEnds(app, 2);
      assert.ok(!existsSync(path.join(project, "hidden-by-padding.txt")), "denied: the padded command did not run");

      // A new file, denied: no file, and the model carries on.
      await prompt(app, "Write denied.txt");
      await question(app, "Write", /This file should never exist/);
      await app.screenshot(path.join(artifacts, "permission-write.png"));
      await answer(app, "permission-deny");
      await turnEnds(app, 3);
      assert.ok(!existsSync(path.join(project, "denied.txt")), "denied: no file");

      // An edit, shown as a diff; always allowed with the suggested rule, which is kept.
      await prompt(app, "Use a template literal in greet");
      await question(app, "Edit", /Hello, \$\{name\}!/);
      await app.screenshot(path.join(artifacts, "permission-edit.png"));
      await answer(app, "permission-allow-always");
      await waitFor("the rule to add", () => app.exists("[data-testid=permission-rule-input]"));
      await app.click("[data-testid=permission-confirm]");
      await turnEnds(app, 4);
      assert.match(readFileSync(appJs, "utf8"), /`Hello, \$\{name\}!`/, "allowed: the edit landed");
      const rules = JSON.parse(readFileSync(path.join(data, "permissions.json"), "utf8"));
      assert.deepEqual(Object.values(rules)[0].allow, ["Edit(src/app.js)"], "the project rule was kept");

      // A new file allowed once.
      await prompt(app, "Write notes");
      await question(app, "Write", /template literal/);
      await answer(app, "permission-allow-once");
      await turnEnds(app, 5);
      assert.ok(existsSync(path.join(project, "notes.md")));

      // Bypass: only after the warning, marked while on, and nothing asks.
      await app.execute(
        "const s = document.querySelector('[data-testid=mode-switch]'); s.value = 'bypass'; s.dispatchEvent(new Event('change', { bubbles: true }));",
      );
      await app.waitForText("[data-testid=bypass-confirm]");
      await app.click("[data-testid=bypass-confirm]");
      await app.waitForText("[data-testid=bypass-badge]");
      await prompt(app, "Touch in bypass");
      await turnEnds(app, 6);
      assert.ok(existsSync(path.join(project, "bypassed.txt")), "bypass ran the command without asking");
      assert.equal(await app.exists(modal), false, "no question in bypass");

      // The Permissions panel lists the project rule and every decision.
      await app.click("[data-testid=permissions-open]");
      await waitForMatch(app, "[data-testid=rules-project]", /Edit\(src\/app\.js\)/, "the project rule in the panel");
      await waitFor("the audit log", async () => {
        const rows = await app.execute("return document.querySelectorAll('[data-testid=audit-row]').length;");
        return rows >= 6;
      });
      assert.ok(await app.exists("[data-testid=audit-row][data-source=mode]"), "the bypass decision is in the log");
      assert.ok(await app.exists("[data-testid=audit-row][data-decision=deny]"), "so is the denial");
      await app.screenshot(path.join(artifacts, "permissions-panel.png"));
    } catch (error) {
      await evidence(app, "permissions-failure");
      throw error;
    } finally {
      await app.close();
    }
  });
});
