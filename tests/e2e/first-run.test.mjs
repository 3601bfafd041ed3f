// End to end: the first run in the real webview. A fresh data folder, a private HOME and a PATH
// without any agent: the start screen explains Warden and finds no agent; Codex is installed
// from the window (a local package packed by the real npm stands in for the registry's, through
// WARDEN_AGENT_PACKAGE_CODEX), lands in Warden's own agents folder and is then listed; its
// login flow opens in a terminal inside the window.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { artifacts, binary, cleanUp } from "./agent.mjs";
import { Driver, waitFor } from "./webdriver.mjs";

let driver;
const scratch = mkdtempSync(path.join(tmpdir(), "warden-e2e-first-run-"));
const AGENTS = ["claude", "codex", "gemini", "claude-agent-acp", "codex-acp", "goose", "opencode"];

/** A package with a `codex` command that answers `--version` as Codex 0.169.0, packed by npm. */
function packedFixture() {
  const dir = path.join(scratch, "fixture");
  mkdirSync(path.join(dir, "bin"), { recursive: true });
  writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "warden-fixture-codex", version: "0.169.0", bin: { codex: "bin/codex.js" } }));
  writeFileSync(
    path.join(dir, "bin", "codex.js"),
    "#!/usr/bin/env node\n" +
      "const args = process.argv.slice(2);\n" +
      "console.log(args.includes('--version') ? 'codex-cli 0.169.0' : 'fixture login flow: ' + args.join(' '));\n",
  );
  const name = execFileSync("npm", ["pack", "--silent", "--pack-destination", scratch], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, npm_config_cache: path.join(scratch, "npm-cache") },
  }).trim();
  return path.join(scratch, name);
}

before(async () => {
  assert.ok(process.env.DISPLAY, "run under xvfb-run (make test does)");
  const home = path.join(scratch, "home");
  mkdirSync(home, { recursive: true });
  // PATH keeps node and npm but no folder with an agent in it.
  const dirs = (process.env.PATH ?? "").split(path.delimiter).filter((d) => d && !AGENTS.some((a) => existsSync(path.join(d, a))));
  const env = { ...process.env, HOME: home, TAURI_WEBVIEW_AUTOMATION: "true", PATH: dirs.join(path.delimiter) };
  for (const key of Object.keys(env)) {
    if (/^WARDEN_(CLAUDE|CODEX|GEMINI|CLAUDE_ACP|CODEX_ACP|GOOSE|OPENCODE)$/.test(key) || /API_KEY$|_BASE_URL$|^CLAUDE_CONFIG_DIR$|^CODEX_HOME$/.test(key)) delete env[key];
  }
  Object.assign(env, {
    WARDEN_AGENT_PACKAGE_CODEX: packedFixture(),
    // Everything npm needs is in the tarball: nothing may go to the network.
    npm_config_offline: "true",
    npm_config_cache: path.join(scratch, "npm-cache"),
  });
  driver = await Driver.start(env);
});

after(() => cleanUp(driver, null, scratch));

describe("First run", () => {
  it("explains Warden, finds no agent, installs one into Warden's folder, lists it and opens its login", async () => {
    const data = path.join(scratch, "data");
    mkdirSync(data, { recursive: true });
    const app = await driver.launch(binary, ["--data-dir", data]);
    try {
      const welcome = await app.waitForText("[data-testid=welcome-screen]", 30_000);
      assert.match(welcome, /Warden runs AI coding agents/);
      assert.match(await app.textOf("[data-testid=welcome-enforcement]"), /Enforcement: the agent asks, you decide/);
      assert.match(await app.textOf("[data-testid=welcome-verification]"), /Verification: see and undo what it did/);
      assert.match(await app.textOf("[data-testid=welcome-found]"), /No agent was found on this machine/);
      assert.match(await app.textOf("[data-testid=start-screen]"), /Open Folder…/, "the start screen is still there");
      const codex = "[data-testid=welcome-screen] [data-agent=codex]";
      assert.equal(await app.textOf(`${codex} [data-testid=install-command]`), "npm install @openai/codex@0.169.0", "the pinned version is what is shown");
      await app.screenshot(path.join(artifacts, "first-run.png"));

      await app.click(`${codex} [data-testid=install-button]`);
      await waitFor("the install to finish", async () => /^Installed/.test((await app.textOf(`${codex} [data-testid=install-status]`)) ?? ""), 120_000);
      assert.match(await app.textOf(`${codex} [data-testid=install-log]`), /added 1 package/, "npm's output is streamed");
      // Detected again after the install: found in Warden's own agents folder.
      const program = path.join(data, "agents", "codex", "node_modules", ".bin", "codex");
      await waitFor("Codex to be listed", async () => (await app.textOf(`${codex} [data-testid=agent-program]`)) === program, 30_000);
      assert.match(await app.textOf(`${codex} [data-testid=agent-version]`), /^0\.169\.0/);
      assert.match(await app.textOf("[data-testid=welcome-found]"), /Found Codex/);
      assert.deepEqual(readdirSync(path.join(data, "agents")), ["codex"], "nothing half-installed beside it");
      await app.screenshot(path.join(artifacts, "first-run-installed.png"));

      // Not logged in (no key, no ~/.codex/auth.json): its own login flow runs in a terminal here.
      assert.equal(await app.execute("return document.querySelector(arguments[0]).dataset.status;", [codex]), "notLoggedIn");
      await app.click(`${codex} [data-testid=agent-login-button]`);
      await waitFor("the login flow to end", async () => /finished/.test((await app.textOf(`${codex} [data-testid=login-state]`)) ?? ""), 30_000);
      // xterm.js draws its rows on the next animation frame.
      await waitFor("`codex login` to show in the terminal", async () => /fixture login flow: login/.test((await app.textOf(`${codex} [data-testid=login-terminal]`)) ?? ""), 10_000);
      await app.screenshot(path.join(artifacts, "first-run-login.png"));
    } finally {
      await app.close();
    }
  });
});
