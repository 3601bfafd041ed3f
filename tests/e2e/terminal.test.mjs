// The Terminal panel in the real window: Ctrl+` opens a real shell in the project folder, what is
// typed runs there and its output shows in xterm.js, with the theme's colours and a size the
// shell agrees with; tabs open, exit and close; quitting kills the shell. And "Open in terminal"
// runs the pinned Claude Code CLI's own interface on a stopped session. Screenshots land in
// tests/artifacts/e2e/terminal.png and terminal-agent.png.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { AGENT_MS, agentEnv, artifacts, assertPrerequisites, binary, cleanUp, evidence, startFirstSession, startMock, waitForMatch } from "./agent.mjs";
import { Driver, waitFor } from "./webdriver.mjs";

const scratch = mkdtempSync(path.join(tmpdir(), "warden-e2e-terminal-"));
const home = path.join(scratch, "home");
const data = path.join(scratch, "data");
const project = path.join(scratch, "projects", "workbench");
const agentProject = path.join(scratch, "projects", "with-agent");

let driver;
let mock;

before(async () => {
  assertPrerequisites();
  mkdirSync(home, { recursive: true });
  for (const dir of [project, agentProject]) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "README.md"), "# workbench\n");
  }
  // Claude Code's interface runs its first-run screens (and an online check) unless told they
  // are done; the key's approval is by its last 20 characters.
  const trusted = Object.fromEntries([agentProject, realpathSync(agentProject)].map((p) => [p, { hasTrustDialogAccepted: true }]));
  writeFileSync(
    path.join(home, ".claude.json"),
    JSON.stringify({ hasCompletedOnboarding: true, customApiKeyResponses: { approved: ["dummy"], rejected: [] }, projects: trusted }),
  );
  const started = await startMock(scratch, [{ blocks: [{ type: "text", text: "Hello from the mock model." }] }]);
  mock = started.server;
  // A private HOME and a plain bash: the person's own shell start-up files stay out of the test.
  driver = await Driver.start(agentEnv(home, started.url, { SHELL: "/bin/bash" }));
});

after(() => cleanUp(driver, mock, scratch));

/** Presses Ctrl+` with real key events (WebDriver actions), wherever the focus is. */
async function pressCtrlBackquote(app) {
  const keys = [
    { type: "keyDown", value: "\uE009" },
    { type: "keyDown", value: "`" },
    { type: "keyUp", value: "`" },
    { type: "keyUp", value: "\uE009" },
  ];
  const res = await fetch(`${app.base}/actions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ actions: [{ type: "key", id: "keyboard", actions: keys }] }),
  });
  assert.ok(res.ok, `the key actions were refused: ${await res.text()}`);
  await fetch(`${app.base}/actions`, { method: "DELETE" });
}

/** What the terminal in front shows, one string per screen row. */
function screenRows(app) {
  return app.execute("return [...document.querySelectorAll('[data-testid=terminal-view] .xterm-rows > div')].map((r) => r.textContent);");
}

/** Waits until the terminal in front shows a row that `test` accepts; returns all rows. */
function waitForRow(app, what, test) {
  return waitFor(what, async () => {
    const rows = await screenRows(app);
    return rows.some(test) ? rows : null;
  });
}

/** Types `line` and Enter into the terminal in front (its keyboard input is xterm.js's textarea). */
function typeLine(app, line) {
  return app.type("[data-testid=terminal-view] .xterm-helper-textarea", `${line}\uE007`);
}

/** The state and text of each terminal tab. */
function tabs(app) {
  return app.execute("return [...document.querySelectorAll('[data-testid=terminal-tab]')].map((t) => ({ state: t.dataset.state, text: t.innerText }));");
}

describe("the Terminal panel", () => {
  it("runs a real shell in the project and shows what it prints", async () => {
    const app = await driver.launch(binary, [project, "--data-dir", data]);
    let closed = false;
    try {
      await app.waitForText("[data-testid=no-session]");
      assert.equal(await app.exists("[data-testid=terminal-panel]"), false, "the panel starts hidden");
      await pressCtrlBackquote(app);
      await app.waitForText("[data-testid=terminal-panel]");
      await waitFor("the shell's tab to be named for it", async () => (await tabs(app))[0]?.text.includes("bash"));
      await waitFor("the prompt", async () => (await screenRows(app)).some((r) => r.trim() !== ""));

      // The answer is not in the typed line, so seeing it means the shell ran it.
      await typeLine(app, "echo warden-$((6*7))");
      await waitForRow(app, "warden-42 on the screen", (r) => r.trim() === "warden-42");
      await typeLine(app, "pwd; echo $$ > shell.pid");
      await waitForRow(app, "the project folder from pwd", (r) => r.trim() === realpathSync(project));

      // The size the shell was given is the size xterm.js fitted to the panel.
      await typeLine(app, "stty size");
      const rows = await waitForRow(app, "stty's answer", (r) => /^\d+ \d+\s*$/.test(r));
      const [shellRows, shellCols] = rows.find((r) => /^\d+ \d+\s*$/.test(r)).trim().split(" ").map(Number);
      assert.equal(shellRows, rows.length, "the shell has as many rows as the screen shows");
      assert.ok(shellCols > 40, `a panel as wide as the session area has more than 40 columns, got ${shellCols}`);

      // Palette colours come from xterm.js's own style rules, which the strict CSP would block
      // were they not mirrored into constructed style sheets.
      await typeLine(app, "printf '\\033[31mALERT\\033[0m\\n'");
      await waitForRow(app, "the red word", (r) => r.trim() === "ALERT");
      const colours = await app.execute(
        "const red = [...document.querySelectorAll('[data-testid=terminal-view] .xterm-rows span')].find((s) => s.textContent === 'ALERT');" +
          "const rows = document.querySelector('[data-testid=terminal-view] .xterm-rows');" +
          "return { red: red && getComputedStyle(red).color, text: getComputedStyle(rows).color, font: getComputedStyle(rows).fontFamily };",
      );
      assert.ok(["rgb(207, 34, 46)", "rgb(255, 123, 114)"].includes(colours.red), `ANSI red is the theme's red: ${JSON.stringify(colours)}`);
      assert.match(colours.font, /mono/i, "the terminal draws in the monospace font its style rules set");
      await app.screenshot(path.join(artifacts, "terminal.png"));

      // A second tab, whose shell exits: the tab says so.
      await app.click("[data-testid=terminal-new]");
      await waitFor("two tabs", async () => (await tabs(app)).length === 2 && (await tabs(app))[1].text.includes("bash"));
      await waitFor("the second prompt", async () => (await screenRows(app)).some((r) => r.trim() !== ""));
      await typeLine(app, "exit 3");
      await waitFor("the exit in the tab", async () => {
        const [, second] = await tabs(app);
        return second?.state === "exited" && second.text.includes("exited with code 3");
      });
      await app.click("[data-testid=terminal-tab]:nth-child(2) button[aria-label^=Close]");
      await waitFor("one tab again", async () => (await tabs(app)).length === 1);
      await waitForRow(app, "the first shell's screen, kept", (r) => r.trim() === "warden-42");

      // Hidden and shown again, the shell and its screen are still there.
      await pressCtrlBackquote(app);
      await waitFor("the panel to hide", async () => !(await app.exists("[data-testid=terminal-panel]")));
      await pressCtrlBackquote(app);
      await waitForRow(app, "the screen after showing the panel again", (r) => r.trim() === "warden-42");

      const shell = Number(readFileSync(path.join(project, "shell.pid"), "utf8").trim());
      assert.ok(shell > 0);
      await app.close();
      closed = true;
      const gone = await waitFor("the shell to die with the app", () => !isRunning(shell), 10_000).catch(() => false);
      assert.ok(gone, `the shell ${shell} outlived the app`);
    } catch (error) {
      if (!closed) await evidence(app, "terminal-failure");
      throw error;
    } finally {
      if (!closed) await app.close();
    }
  });
});

describe("Open in terminal", () => {
  it("runs the session's agent in its own interface, resuming the session once Warden's agent stopped", async () => {
    const app = await driver.launch(binary, [agentProject, "--data-dir", path.join(scratch, "data-agent")]);
    try {
      await startFirstSession(app);
      await app.type("[data-testid=prompt-box] textarea", "Say hello\uE007");
      await waitForMatch(app, "[data-testid=turn-end]", /Turn 1/, "the turn to end");
      const disabled = () => app.execute("return document.querySelector('[data-testid=terminal-open-agent]').disabled;");
      assert.equal(await disabled(), true, "two programs must not write one session: not while Warden's agent runs");

      await app.click("[data-testid=tab-close]");
      await app.waitForText("[data-testid=close-running]");
      await app.click("[data-testid=stop-and-close]");
      await waitFor("the session to be listed as finished", () => app.exists("[data-testid=session-row][data-state=finished]"), AGENT_MS);
      await app.click("[data-testid=session-row]");
      await waitFor("the button to be enabled", async () => (await disabled()) === false);
      await app.click("[data-testid=terminal-open-agent]");
      await waitFor("the agent's tab", async () => (await tabs(app))[0]?.text.includes("Claude Code (resumed)"), AGENT_MS);
      // The resumed conversation on Claude Code's own screen: --resume got the session's id.
      await waitForRow(app, "the conversation in Claude Code's interface", (r) => r.includes("Hello from the mock model."));
      const [tab] = await tabs(app);
      assert.equal(tab.state, "running", `the interface stays open: ${tab.text}`);
      await app.screenshot(path.join(artifacts, "terminal-agent.png"));
    } catch (error) {
      await evidence(app, "terminal-agent-failure");
      throw error;
    } finally {
      await app.close();
    }
  });
});

/** Whether a process is still there (a zombie counts as gone). */
function isRunning(pid) {
  try {
    return !/^\S+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}
