// End to end: the Agents screen in the real webview. The app is given the pinned CLIs on PATH
// and dummy keys (it never starts them beyond `--version`).
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { artifacts, binary, claude, cleanUp, codex, gemini } from "./agent.mjs";
import { Driver, waitFor } from "./webdriver.mjs";

let driver;
const scratch = mkdtempSync(path.join(tmpdir(), "warden-e2e-agents-screen-"));

before(async () => {
  assert.ok(process.env.DISPLAY, "run under xvfb-run (make test does)");
  for (const program of [claude, codex, gemini]) assert.ok(existsSync(program), `${program} is missing: run make agents`);
  const bins = new Set([claude, codex, gemini].map((program) => path.dirname(program)));
  // A private home, so nothing of the machine's own agent set-up decides what the screen shows;
  // the dummy keys are what the login check finds.
  const home = path.join(scratch, "home");
  mkdirSync(home, { recursive: true });
  const env = { ...process.env, HOME: home, TAURI_WEBVIEW_AUTOMATION: "true", PATH: [...bins, process.env.PATH].join(path.delimiter) };
  for (const key of ["WARDEN_CLAUDE", "WARDEN_CODEX", "WARDEN_GEMINI", "CLAUDE_CONFIG_DIR", "CODEX_HOME", "ANTHROPIC_BASE_URL"]) delete env[key];
  Object.assign(env, { ANTHROPIC_API_KEY: "dummy", OPENAI_API_KEY: "dummy", GEMINI_API_KEY: "dummy" });
  driver = await Driver.start(env);
});

after(() => cleanUp(driver, null, scratch));

/** The card of one agent: its status, and the text of its version line. */
function card(app, key) {
  return app.execute(
    `const c = document.querySelector('[data-testid=agents-screen] [data-agent="' + arguments[0] + '"]');
     return c ? { status: c.dataset.status, version: c.querySelector('[data-testid=agent-version]').innerText,
                  badge: c.querySelector('[data-testid=agent-status]').innerText } : null;`,
    [key],
  );
}

describe("Agents screen", () => {
  it("lists Claude Code, Codex and Gemini CLI as ready with their versions, and adds a custom agent", async () => {
    const data = path.join(scratch, "data");
    mkdirSync(data, { recursive: true });
    const app = await driver.launch(binary, ["--data-dir", data]);
    try {
      await app.waitForText("[data-testid=start-screen]");
      await app.click("[data-testid=show-agents]");
      await app.waitForText("[data-testid=agent-list]");
      // Detection runs every agent's --version; the list is complete once the screen is no longer busy.
      await waitFor("agent detection", () => app.execute("return document.querySelector('[data-testid=agents-screen]').getAttribute('aria-busy') === 'false';"), 60_000);
      for (const [key, version] of [["claude", "2.1.329"], ["codex", "0.169.0"], ["gemini", "0.61.0"]]) {
        const shown = await card(app, key);
        assert.equal(shown?.status, "ready", `${key} is ready: ${JSON.stringify(shown)}`);
        assert.equal(shown.badge, "Ready");
        assert.match(shown.version, new RegExp(`^${version.replace(/\./g, "\\.")}`), `${key} shows its version`);
      }
      // goose is not on this PATH: it is offered with its installer, which asks before running.
      assert.equal((await card(app, "goose"))?.status, "notInstalled");

      await app.click("[data-testid=custom-agent-add]");
      await app.waitForText("[data-testid=custom-agent-dialog]");
      await app.type("[data-testid=custom-agent-name]", "Local Agent");
      await app.type("[data-testid=custom-agent-command]", "/bin/cat");
      await app.type("[data-testid=custom-agent-args]", '--acp "two words"');
      await app.click("[data-testid=custom-agent-save]");
      const custom = await waitFor("the custom agent's card", () => card(app, "custom:Local Agent"), 30_000);
      assert.equal(custom.badge, "Installed · login unknown", "Warden cannot know a custom agent's login");
      // The engine keeps custom agents, for the window and `warden run` alike.
      const saved = JSON.parse(readFileSync(path.join(data, "custom-agents.json"), "utf8"));
      assert.deepEqual(saved, [{ name: "Local Agent", command: "/bin/cat", args: ["--acp", "two words"], env: [] }]);

      await app.execute("document.querySelector('[data-testid=agents-screen]').scrollTop = 0;");
      await app.screenshot(path.join(artifacts, "agents-screen.png"));
      await app.execute("const s = document.querySelector('[data-testid=agents-screen]'); s.scrollTop = s.scrollHeight;");
      await app.screenshot(path.join(artifacts, "agents-screen-custom.png"));
    } finally {
      await app.close();
    }
  });
});
