// Codex and Gemini CLI in the real window: the pinned `codex` (app-server, against the mock
// OpenAI Responses API) and `gemini --acp` (against the mock Gemini API) each start from the New
// Session dialog, ask through the same permission modal, and do the work once allowed.
// Screenshots of both modals land in tests/artifacts/e2e/.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { AGENT_MS, agentEnv, artifacts, assertPrerequisites, binary, cleanUp, codex, codexHome, evidence, gemini, startMock, waitForMatch } from "./agent.mjs";
import { Driver, waitFor } from "./webdriver.mjs";

const scratch = mkdtempSync(path.join(tmpdir(), "warden-e2e-agents-"));
const home = path.join(scratch, "home");
const data = path.join(scratch, "data");
const project = path.join(scratch, "projects", "garden");
const text = (t) => ({ blocks: [{ type: "text", text: t }] });
const tool = (name, input) => ({ blocks: [{ type: "toolUse", name, input }] });
let openai;
let google;
let driver;


/** Gemini CLI's settings: API-key login, no folder trust prompt, nothing sent anywhere. */
function geminiSettings() {
  const dir = path.join(home, ".gemini");
  mkdirSync(dir, { recursive: true });
  const settings = {
    security: { auth: { selectedType: "gemini-api-key" }, folderTrust: { enabled: false } },
    privacy: { usageStatisticsEnabled: false },
    telemetry: { enabled: false },
    general: { disableAutoUpdate: true, disableUpdateNag: true },
  };
  writeFileSync(path.join(dir, "settings.json"), JSON.stringify(settings));
}

before(async () => {
  assertPrerequisites();
  assert.ok(existsSync(codex), `the pinned Codex CLI is missing at ${codex}: run make agents`);
  assert.ok(existsSync(gemini), `the pinned Gemini CLI is missing at ${gemini}: run make agents`);
  mkdirSync(project, { recursive: true });
  mkdirSync(path.join(home, "tmp"), { recursive: true });
  writeFileSync(path.join(project, "README.md"), "# garden\n");
  const codexScript = [
    tool("exec_command", { cmd: "touch planted-by-codex.txt", sandbox_permissions: "require_escalated", justification: "Plant a marker file" }),
    text("Planted the marker file."),
  ];
  const geminiScript = [
    tool("write_file", { file_path: path.join(project, "seeds.txt"), content: "tomato\nbasil\n" }),
    text("Wrote seeds.txt."),
  ];
  openai = await startMock(scratch, codexScript, "openai");
  google = await startMock(scratch, geminiScript, "gemini");
  geminiSettings();
  driver = await Driver.start(
    agentEnv(home, "http://127.0.0.1:9", {
      WARDEN_CODEX: codex,
      WARDEN_GEMINI: gemini,
      CODEX_HOME: codexHome(home, openai.url, ['approval_policy = "on-request"']),
      // Codex refuses to set up its sandbox helper under the temporary folder: TMPDIR must not
      // contain CODEX_HOME.
      TMPDIR: path.join(home, "tmp"),
      WARDEN_MOCK_API_KEY: "dummy",
      GEMINI_API_KEY: "dummy",
      GOOGLE_GEMINI_BASE_URL: google.url,
      GEMINI_CLI_NO_RELAUNCH: "true",
    }),
  );
});

after(async () => {
  google?.server.kill();
  await cleanUp(driver, openai?.server, scratch);
});

/** Opens the New Session dialog and starts a session of `agent` (the agent select's value). */
async function startSession(app, agent, label, first) {
  if (first) {
    await app.waitForText("[data-testid=no-session]");
    await app.click("[data-testid=new-session-empty]");
  } else {
    await app.click("[data-testid=new-session]");
  }
  await app.waitForText("[data-testid=new-session-dialog]");
  await waitFor(`${agent} to be offered`, () =>
    app.execute(`return [...document.querySelectorAll('[data-testid=agent-select] option')].some(o => o.value === '${agent}' && !o.disabled);`),
  AGENT_MS);
  await app.execute(
    `const s = document.querySelector('[data-testid=agent-select]'); s.value = '${agent}'; s.dispatchEvent(new Event('change', { bubbles: true }));`,
  );
  // What the agent's protocol keeps Warden from enforcing is said where the agent is chosen.
  const limits = await waitForMatch(app, "[data-testid=mode-limits]", /tools it runs itself|before every command/, `${agent}'s limits in the dialog`);
  assert.match(limits, agent === "codex" ? /asks before every command/ : /tools it runs itself without asking do not/);
  await app.screenshot(path.join(artifacts, `new-session-${agent}.png`));
  await app.click("[data-testid=start-session]");
  // The header of the new session (not the one before it) says ready, with the agent's name.
  await waitForMatch(app, ".session-facts", new RegExp(`Ready[\\s\\S]*${label}`), `the ${agent} session to be ready`);
}

describe("Codex and Gemini CLI in the window", () => {
  it("ask through the permission modal and act once allowed", async () => {
    const app = await driver.launch(binary, [project, "--data-dir", data]);
    try {
      await startSession(app, "codex", "Codex", true);
      await app.type("[data-testid=prompt-box] textarea", "Plant a marker\uE007");
      const modal = await waitForMatch(app, "[data-testid=permission-modal]", /touch planted-by-codex\.txt/, "Codex's question");
      assert.match(modal, /Codex/, "the modal names the agent");
      await app.screenshot(path.join(artifacts, "codex-permission.png"));
      // Answers count only once the question is armed (a moment after it appears).
      await waitFor("the question to arm", () => app.exists("[data-testid=permission-modal][data-armed=true]"));
      await app.click("[data-testid=permission-allow-once]");
      await waitForMatch(app, "[data-testid=session-view]", /Planted the marker file\./, "Codex's answer");
      await waitForMatch(app, "[data-testid=turn-end]", /Turn 1/, "Codex's turn to end");
      await waitFor("the file Codex made", () => existsSync(path.join(project, "planted-by-codex.txt")), AGENT_MS);
      await app.screenshot(path.join(artifacts, "codex-session.png"));

      await startSession(app, "gemini", "Gemini CLI", false);
      await app.type("[data-testid=prompt-box] textarea", "Write the seed list\uE007");
      await waitForMatch(app, "[data-testid=permission-modal]", /seeds\.txt/, "Gemini's question");
      await app.screenshot(path.join(artifacts, "gemini-permission.png"));
      // Answers count only once the question is armed (a moment after it appears).
      await waitFor("the question to arm", () => app.exists("[data-testid=permission-modal][data-armed=true]"));
      await app.click("[data-testid=permission-allow-once]");
      await waitForMatch(app, "[data-testid=session-view]", /Wrote seeds\.txt\./, "Gemini's answer");
      // Gemini wrote through Warden (fs/write_text_file), so the file journal has it.
      assert.equal(readFileSync(path.join(project, "seeds.txt"), "utf8"), "tomato\nbasil\n");
      await waitFor("the write in the Files count", async () => (await app.textOf("[data-testid=files-count]")).trim() === "1", AGENT_MS);
      await app.screenshot(path.join(artifacts, "gemini-session.png"));
    } catch (error) {
      await evidence(app, "agents-sessions-failure");
      throw error;
    } finally {
      await app.close();
    }
  });
});
