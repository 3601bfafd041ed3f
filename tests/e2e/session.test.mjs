// A real session in the real window: the pinned Claude Code CLI talks to a scripted mock of the
// Anthropic API on 127.0.0.1, and the test works the window like a person: open a project, start
// a session, prompt, watch the answer stream and the tool calls land in the timeline, allow a
// command, stop a slow turn, close the tab (stopping the agent), reopen and resume.
// Screenshots (light and dark) land in tests/artifacts/e2e/.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import * as agent from "./agent.mjs";
import { AGENT_MS, artifacts, assertPrerequisites, binary, claude, cleanUp, evidence, startFirstSession, startMock, waitForMatch } from "./agent.mjs";
import { Driver, waitFor } from "./webdriver.mjs";

const scratch = mkdtempSync(path.join(tmpdir(), "warden-e2e-session-"));
const home = path.join(scratch, "home");
const data = path.join(scratch, "data");
const project = path.join(scratch, "projects", "demo");
let mock;
let mockUrl;

/** What the model says, one reply per request, in order. */
function script() {
  const slowText = Array.from({ length: 200 }, (_, i) => `Counting ${i + 1}.`).join(" ");
  return [
    {
      blocks: [
        { type: "thinking", thinking: "The person wants a summary. I should read the README before answering." },
        { type: "text", text: "I'll read the README first." },
        { type: "toolUse", name: "Read", input: { file_path: path.join(project, "README.md") } },
      ],
    },
    {
      blocks: [
        { type: "text", text: "Now the files in the folder." },
        { type: "toolUse", name: "Bash", input: { command: "touch notes.txt && ls -la --color=always", description: "List the project files" } },
      ],
    },
    {
      blocks: [
        {
          type: "text",
          text: "## Summary\n\nThe project **demo** has a README and one source file:\n\n```rust\nfn main() {\n    println!(\"hello\");\n}\n```\n\n- `README.md` describes it\n- `main.rs` prints a greeting",
        },
      ],
    },
    { blocks: [{ type: "text", text: slowText }], chunkDelayMs: 250 },
    { blocks: [{ type: "text", text: "Yes: resumed, with the whole conversation still in context." }] },
    { blocks: [{ type: "text", text: "Hello from the terminal." }] },
    { blocks: [{ type: "text", text: "Now in Warden, same conversation." }] },
  ];
}

let driver;

before(async () => {
  assertPrerequisites();
  mkdirSync(home, { recursive: true });
  mkdirSync(path.join(project, "src"), { recursive: true });
  writeFileSync(path.join(project, "README.md"), "# demo\n\nA tiny project for the end-to-end test.\n");
  writeFileSync(path.join(project, "src", "main.rs"), 'fn main() {\n    println!("hello");\n}\n');
  const started = await startMock(scratch, script());
  mock = started.server;
  mockUrl = started.url;
  driver = await Driver.start(agentEnv());
});

after(() => cleanUp(driver, mock, scratch));

/** The environment the app (and so the agent) runs in. */
const agentEnv = (extra = {}) => agent.agentEnv(home, mockUrl, extra);

const view = "[data-testid=session-view]";

describe("a Claude Code session in the window", () => {
  it("streams, shows tool calls, asks, stops a slow turn and resumes", async () => {
    const app = await driver.launch(binary, [project, "--data-dir", data]);
    try {
      // New session from the project, in the default (ask) mode.
      await startFirstSession(app);

      // Prompt: the answer streams in, the Read runs, the Bash command asks first.
      await app.type("[data-testid=prompt-box] textarea", "Summarise the README and list the files\uE007");
      await waitForMatch(app, "[data-testid=user-message]", /Summarise the README/, "the prompt in the chat");
      await waitForMatch(app, "[data-testid=permission-modal]", /touch notes\.txt/, "the permission question for the command");
      assert.match(await app.textOf("[data-testid=timeline]"), /README\.md/, "the Read is in the timeline");
      assert.ok(await app.exists("[data-testid=prompt-box][aria-busy=true]"), "the prompt box shows the turn is running");
      await app.screenshot(path.join(artifacts, "session-permission.png"));
      // Answers count only once the question is armed (a moment after it appears).
      await waitFor("the question to arm", () => app.exists("[data-testid=permission-modal][data-armed=true]"));
      await app.click("[data-testid=permission-allow-once]");

      await waitForMatch(app, view, /The project demo has a README/, "the final answer");
      await waitForMatch(app, "[data-testid=turn-end]", /Turn 1/, "the turn to end");
      const timeline = await app.textOf("[data-testid=timeline]");
      assert.match(timeline, /README\.md[\s\S]*ls -la|List the project files/, "both tool calls, in order");
      assert.ok(await app.exists("[data-testid=thought]"), "thinking is shown");
      assert.equal(await app.textOf("[data-testid=thought] .thought-text"), null, "thinking is collapsed by default");
      assert.ok(await app.exists(".markdown code.language-rust .hljs-keyword"), "code is highlighted");
      assert.equal((await app.execute("return document.querySelectorAll('[data-testid=agent-message]').length;")) >= 2, true);

      // Chat and timeline are linked: picking the command in the timeline selects it in the chat.
      await app.click("[data-testid=timeline] [data-testid=tool-row]:last-child button[aria-expanded]");
      await waitFor("the command's output", () => app.exists("[data-testid=timeline] .ansi, [data-testid=timeline] pre"));
      await app.screenshot(path.join(artifacts, "session-light.png"));

      // A slow turn, stopped halfway: the chat says it stopped.
      await app.type("[data-testid=prompt-box] textarea", "Count to two hundred slowly\uE007");
      await waitForMatch(app, view, /Counting 3\./, "the slow answer to stream");
      await app.click("[data-testid=stop]");
      await waitForMatch(app, "[data-testid=turn-stopped]", /Stopped/, "the turn to show it stopped");
      const streamed = await app.textOf(view);
      assert.ok(!/Counting 200\./.test(streamed), "the turn did not run to its end");
      await app.screenshot(path.join(artifacts, "session-stopped.png"));

      // Closing the tab of a live session asks; Stop and Close ends the agent.
      await app.click("[data-testid=tab-close]");
      await app.waitForText("[data-testid=close-running]");
      await app.click("[data-testid=stop-and-close]");
      await waitFor("the session to be listed as finished", () => app.exists("[data-testid=session-row][data-state=finished]"), AGENT_MS);

      // Reopen it from the list: the transcript is all there; Resume continues it.
      await app.click("[data-testid=session-row]");
      await waitForMatch(app, view, /The project demo has a README/, "the stored transcript");
      await app.click("[data-testid=resume-session]");
      await waitForMatch(app, "[data-testid=session-status]", /Ready/, "the resumed session to be ready");
      await app.type("[data-testid=prompt-box] textarea", "Are you back?\uE007");
      await waitForMatch(app, view, /resumed, with the whole conversation/, "the answer after resuming");
      const usage = await app.textOf("[data-testid=session-usage]");
      assert.match(usage, /3 turns/, "turns carry on across the resume");
    } catch (error) {
      await evidence(app, "session-failure");
      throw error;
    } finally {
      await app.close();
    }
  });

  it("shows the stored session in the dark theme", async () => {
    // The system's dark preference, as GTK passes it to the webview.
    const dark = await Driver.start(agentEnv({ GTK_THEME: "Adwaita:dark" }));
    const app = await dark.launch(binary, [project, "--data-dir", data]);
    try {
      await app.waitForText("[data-testid=session-row]");
      await app.click("[data-testid=session-row]");
      await waitForMatch(app, view, /The project demo has a README/, "the stored transcript");
      const isDark = await app.execute("return matchMedia('(prefers-color-scheme: dark)').matches;");
      assert.equal(isDark, true, "the window follows the system's dark theme");
      await app.click("[data-testid=timeline] [data-testid=tool-row]:last-child button[aria-expanded]");
      await app.screenshot(path.join(artifacts, "session-dark.png"));
    } finally {
      await app.close();
      await dark.stop();
    }
  });
});

describe("Claude Code sessions run outside Warden", () => {
  it("are listed, open read-only, and resume in Warden", async () => {
    // A session made in a terminal with Claude Code itself, before Warden sees the project.
    const env = agentEnv();
    execFileSync(claude, ["-p", "Say hello from the terminal"], { cwd: project, env, stdio: ["ignore", "pipe", "inherit"] });
    const app = await driver.launch(binary, [project, "--data-dir", data]);
    try {
      await waitForMatch(app, "[data-testid=claude-history]", /Say hello from the terminal/, "the terminal session in the list");
      await app.click("[data-testid=history-row]");
      await waitForMatch(app, view, /Hello from the terminal\./, "its transcript");
      assert.match(await app.textOf("[data-testid=session-status]"), /Claude Code history/);
      assert.equal(await app.exists("[data-testid=prompt-box]"), false, "a history is read-only until resumed");
      await app.screenshot(path.join(artifacts, "session-history.png"));
      await app.click("[data-testid=resume-session]");
      await waitForMatch(app, "[data-testid=session-status]", /Ready/, "the imported session to be ready");
      await app.type("[data-testid=prompt-box] textarea", "And now in Warden?\uE007");
      await waitForMatch(app, view, /Now in Warden, same conversation\./, "the answer in Warden");
      await waitFor("the history entry to become a Warden session", async () => !(await app.exists("[data-testid=history-row]")));
      assert.equal(await app.execute("return document.querySelectorAll('[data-testid=session-row]').length;"), 2);
    } catch (error) {
      await evidence(app, "history-failure");
      throw error;
    } finally {
      await app.close();
    }
  });
});
