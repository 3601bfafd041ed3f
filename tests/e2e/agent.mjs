// What the end-to-end tests of real agent sessions share: where the built app, the mock model
// server and the pinned Claude Code CLI are, the offline environment the agent runs in, and
// helpers for waiting on text and keeping evidence of a failure.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { waitFor } from "./webdriver.mjs";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const targetDir = process.env.CARGO_TARGET_DIR ?? path.join(root, "target");
export const binary = process.env.WARDEN_BIN ?? path.join(targetDir, "debug", "warden");
export const mockBinary = path.join(targetDir, "debug", "warden-mock-models");
/** A pinned agent CLI: its `WARDEN_TEST_…` variable, else the cache `make test` fills. */
const pinned = (variable, name) => process.env[variable] ?? path.join(root, ".cache", "agents", "node_modules", ".bin", name);
export const claude = pinned("WARDEN_TEST_CLAUDE", "claude");
export const codex = pinned("WARDEN_TEST_CODEX", "codex");
export const gemini = pinned("WARDEN_TEST_GEMINI", "gemini");
export const artifacts = path.join(root, "tests", "artifacts", "e2e");
mkdirSync(artifacts, { recursive: true });

/** Steps that wait on the agent: starting Node, a model round trip, a tool run. */
export const AGENT_MS = 60_000;

/**
 * Starts a mock model API (`anthropic`, `openai` or `gemini`) with `replies` (one per model
 * request, in order), writing the script into `scratch`. Returns the server process and its base
 * URL.
 */
export async function startMock(scratch, replies, api = "anthropic") {
  const file = path.join(scratch, `script-${api}.json`);
  writeFileSync(file, JSON.stringify(replies));
  const server = spawn(mockBinary, [api, file], { stdio: ["ignore", "pipe", "inherit"] });
  for await (const line of createInterface({ input: server.stdout })) return { server, url: line.trim() };
  throw new Error("the mock model server printed no URL");
}

/** The environment the app (and so the agent) runs in: a private HOME and the mock model. */
export function agentEnv(home, mockUrl, extra = {}) {
  return {
    ...process.env,
    TAURI_WEBVIEW_AUTOMATION: "true",
    HOME: home,
    WARDEN_CLAUDE: claude,
    ANTHROPIC_BASE_URL: mockUrl,
    ANTHROPIC_API_KEY: "dummy",
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
    DISABLE_TELEMETRY: "1",
    DISABLE_AUTOUPDATER: "1",
    DISABLE_ERROR_REPORTING: "1",
    ...extra,
  };
}

/** Waits until `css` matches an element whose text matches `pattern`. */
export function waitForMatch(app, css, pattern, what, timeoutMs = AGENT_MS) {
  return waitFor(
    what,
    async () => {
      const text = await app.textOf(css);
      return text && pattern.test(text) ? text : null;
    },
    timeoutMs,
  );
}

/** What the window showed when a step failed: a screenshot and its text, next to the log. */
export async function evidence(app, name) {
  await app.screenshot(path.join(artifacts, `${name}.png`)).catch(() => {});
  const text = await app.execute("return document.body.innerText;").catch((e) => String(e));
  writeFileSync(path.join(artifacts, `${name}.txt`), String(text));
}

/** Opens the New Session dialog of a project that has no session yet, once its agent list is in. */
export async function openFirstSessionDialog(app) {
  await app.waitForText("[data-testid=no-session]");
  await app.click("[data-testid=new-session-empty]");
  await app.waitForText("[data-testid=new-session-dialog]");
  await waitForMatch(app, "[data-testid=new-session-dialog]", /^(?![\s\S]*Looking for agents)/, "the agent list");
}

/** Starts a new session from a project that has none yet (default mode) and waits until it is ready. */
export async function startFirstSession(app) {
  await openFirstSessionDialog(app);
  await app.click("[data-testid=start-session]");
  await waitForMatch(app, "[data-testid=session-status]", /Ready/, "the session to be ready");
}

/** Fails early, saying how to fix it, when something an agent test needs is missing. */
export function assertPrerequisites() {
  assert.ok(process.env.DISPLAY, "run under xvfb-run (make test does)");
  assert.ok(existsSync(claude), `the pinned Claude Code CLI is missing at ${claude}: run make agents`);
  assert.ok(existsSync(mockBinary), `${mockBinary} is missing: make test builds it`);
}

/** Ends an agent test file: the WebDriver, the mock model, then the scratch folder. */
export async function cleanUp(driver, mock, scratch) {
  await driver?.stop();
  mock?.kill();
  try {
    rmSync(scratch, { recursive: true, force: true });
  } catch (error) {
    // GLib may still have its document portal mounted under the private HOME's cache.
    console.warn(`left ${scratch} behind: ${error.message}`);
  }
}

/**
 * Writes Codex's configuration into `<home>/.codex`: the mock Responses API at `url` as its
 * provider, no retries, no analytics (PROTOCOLS.md Appendix A §3); `extra` lines go first.
 * Returns the folder, for `CODEX_HOME`.
 */
export function codexHome(home, url, extra = []) {
  const dir = path.join(home, ".codex");
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, "config.toml"),
    [
      'model = "mock-model"',
      'model_provider = "mock"',
      ...extra,
      "[model_providers.mock]",
      'name = "Warden mock Responses API"',
      `base_url = "${url}"`,
      'wire_api = "responses"',
      'env_key = "WARDEN_MOCK_API_KEY"',
      "request_max_retries = 0",
      "stream_max_retries = 0",
      "[analytics]",
      "enabled = false",
      "[feedback]",
      "enabled = false",
      "",
    ].join("\n"),
  );
  return dir;
}
