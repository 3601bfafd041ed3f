// The agent's commands and questions in the real window, with the pinned Claude Code CLI against
// the scripted mock model: typing `/` lists Claude's commands (a command of the person's own in
// ~/.claude/commands among them) and Warden's actions; picking one and sending runs it; an
// AskUserQuestion shows as a dialog whose answers the model reads. Screenshots of the list and
// the dialog land in tests/artifacts/e2e/.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { AGENT_MS, agentEnv, artifacts, assertPrerequisites, binary, cleanUp, evidence, startFirstSession, startMock, waitForMatch } from "./agent.mjs";
import { Driver, waitFor } from "./webdriver.mjs";

const scratch = mkdtempSync(path.join(tmpdir(), "warden-e2e-questions-"));
const home = path.join(scratch, "home");
const data = path.join(scratch, "data");
const project = path.join(scratch, "projects", "shop");
let mock;
let driver;

const say = (text) => ({ blocks: [{ type: "text", text }] });
const ask = {
  blocks: [
    { type: "text", text: "Let me ask." },
    {
      type: "toolUse",
      name: "AskUserQuestion",
      input: {
        questions: [
          { question: "Which colour?", header: "Colour", multiSelect: false, options: [{ label: "Red", description: "warm" }, { label: "Blue", description: "cool" }] },
          { question: "Which sizes?", header: "Sizes", multiSelect: true, options: [{ label: "S", description: "small" }, { label: "L", description: "large" }] },
        ],
      },
    },
  ],
};

before(async () => {
  assertPrerequisites();
  mkdirSync(path.join(home, ".claude", "commands"), { recursive: true });
  writeFileSync(path.join(home, ".claude", "commands", "greet.md"), "---\ndescription: Greets someone\nargument-hint: <name>\n---\nSay hello to $ARGUMENTS.\n");
  mkdirSync(project, { recursive: true });
  const started = await startMock(scratch, [say("Hello, Alice."), ask, say("Blue and S it is.")]);
  mock = started.server;
  driver = await Driver.start(agentEnv(home, started.url));
});

after(() => cleanUp(driver, mock, scratch));

const input = "[data-testid=prompt-box] textarea";

describe("the agent's commands and questions in the window", () => {
  it("completes a slash command and answers a question in its dialog", async () => {
    const app = await driver.launch(binary, [project, "--data-dir", data]);
    try {
      await startFirstSession(app);

      // The whole list first (the agent's commands, then Warden's actions, marked), as shown.
      await app.type(input, "/");
      await waitFor("the command list", () => app.exists("[data-testid=slash-item-greet]"), AGENT_MS);
      assert.ok(await app.exists("[data-testid=slash-badge-warden]"), "Warden's own actions are in the list, marked");
      await app.screenshot(path.join(artifacts, "slash-list.png"));
      await app.type(input, "gr");
      await waitFor("the list narrowed to /greet", async () => /Greets someone/.test(await app.textOf("[data-testid=slash-list]")), AGENT_MS);
      await app.type(input, "\uE004"); // Tab picks it
      await waitFor("the completed command", async () => (await app.execute("return document.querySelector(arguments[0]).value;", [input])) === "/greet ");
      await app.type(input, "Alice\uE007");
      await waitForMatch(app, "[data-testid=chat-scroll]", /Hello, Alice\./, "the command's answer");

      await app.type(input, "Pick for me\uE007");
      await waitFor("the question dialog", () => app.exists("[data-testid=question-dialog][data-armed=true]"), AGENT_MS);
      await app.screenshot(path.join(artifacts, "question-dialog.png"));
      await app.click("[data-testid=question-0-option-1]");
      await app.click("[data-testid=question-1-option-0]");
      await app.click("[data-testid=question-submit]");
      await waitForMatch(app, "[data-testid=chat-scroll]", /Blue and S it is\./, "the model's reply after the answer");
    } catch (e) {
      await evidence(app, "questions-failure");
      throw e;
    } finally {
      await app.close();
    }
  });
});
