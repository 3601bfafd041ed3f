// The usage view in the real window: one turn of the pinned Codex (app-server) on gpt-5.5
// against the mock Responses API, whose reply carries rate-limit headers. The project's usage
// (from the project view) and every project's (from the sidebar) show the turn's tokens, its
// cost estimated from the price table and marked so, and Codex's rate limits. Screenshots land
// in tests/artifacts/e2e/.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { AGENT_MS, agentEnv, artifacts, assertPrerequisites, binary, cleanUp, codex, codexHome, evidence, startMock, waitForMatch } from "./agent.mjs";
import { Driver, waitFor } from "./webdriver.mjs";

const scratch = mkdtempSync(path.join(tmpdir(), "warden-e2e-usage-"));
const home = path.join(scratch, "home");
const data = path.join(scratch, "data");
const project = path.join(scratch, "projects", "ledger");
const resetsAt = Math.floor(Date.now() / 1000) + 2 * 3600;
let openai;
let driver;

before(async () => {
  assertPrerequisites();
  assert.ok(existsSync(codex), `the pinned Codex CLI is missing at ${codex}: run make agents`);
  mkdirSync(project, { recursive: true });
  mkdirSync(path.join(home, "tmp"), { recursive: true });
  writeFileSync(path.join(project, "README.md"), "# ledger\n");
  const headers = [
    ["x-codex-primary-used-percent", "42"],
    ["x-codex-primary-window-minutes", "300"],
    ["x-codex-primary-reset-at", String(resetsAt)],
    ["x-codex-secondary-used-percent", "5"],
    ["x-codex-secondary-window-minutes", "10080"],
  ];
  openai = await startMock(scratch, [{ blocks: [{ type: "text", text: "Counted." }], headers }], "openai");
  driver = await Driver.start(
    agentEnv(home, "http://127.0.0.1:9", {
      WARDEN_CODEX: codex,
      CODEX_HOME: codexHome(home, openai.url),
      TMPDIR: path.join(home, "tmp"),
      WARDEN_MOCK_API_KEY: "dummy",
    }),
  );
});

after(() => cleanUp(driver, openai?.server, scratch));

describe("Usage view", () => {
  it("shows a Codex turn's tokens, its estimated cost and Codex's rate limits, per project and overall", async () => {
    const app = await driver.launch(binary, [project, "--data-dir", data]);
    try {
      await app.waitForText("[data-testid=no-session]");
      await app.click("[data-testid=new-session-empty]");
      await app.waitForText("[data-testid=new-session-dialog]");
      await waitFor("Codex to be offered", () =>
        app.execute(`return [...document.querySelectorAll('[data-testid=agent-select] option')].some(o => o.value === 'codex' && !o.disabled);`),
      AGENT_MS);
      await app.execute(
        `const s = document.querySelector('[data-testid=agent-select]'); s.value = 'codex'; s.dispatchEvent(new Event('change', { bubbles: true }));`,
      );
      await app.type(`[data-testid=new-session-dialog] input[placeholder="The agent's default"]`, "gpt-5.5");
      await app.click("[data-testid=start-session]");
      await waitForMatch(app, ".session-facts", /Ready[\s\S]*Codex/, "the Codex session to be ready");
      await app.type("[data-testid=prompt-box] textarea", "Count this\uE007");
      await waitForMatch(app, "main", /Counted\./, "Codex's answer");
      await waitForMatch(app, ".session-facts", /Ready/, "the turn to end");

      await app.click("[data-testid=project-usage]");
      const totals = await waitForMatch(app, "[data-testid=usage-totals]", /Turns\s+1\b/, "the project's usage");
      // The mock counts 100 input and 10 output tokens; gpt-5.5 is in the price table.
      assert.match(totals, /Input\s+100\b/);
      assert.match(totals, /Output\s+10\b/);
      assert.match(totals, /\$0\.\d+\s*est\./, "the cost is estimated and marked");
      assert.match(await app.textOf("[data-testid=usage-note]"), /price table of \d{4}-\d{2}-\d{2}/);
      assert.match(await app.textOf("[data-testid=usage-models]"), /gpt-5\.5/);
      const limits = await waitForMatch(app, "[data-testid=usage-rate-limits]", /42% used/, "Codex's rate limits");
      assert.match(limits, /5 h window[\s\S]*weekly window[\s\S]*5% used/);
      await app.screenshot(path.join(artifacts, "usage-project.png"));

      await app.click("[data-testid=show-usage]");
      await waitForMatch(app, "[data-testid=usage-view] h1", /all projects/, "every project's usage");
      await waitForMatch(app, "[data-testid=usage-totals]", /Turns\s+1\b/, "every project's totals");
      await app.screenshot(path.join(artifacts, "usage-all.png"));
    } catch (error) {
      await evidence(app, "usage-failure");
      throw error;
    } finally {
      await app.close();
    }
  });
});
