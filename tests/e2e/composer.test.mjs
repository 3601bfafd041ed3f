// The prompt box in the real window, with the pinned Claude Code CLI against the scripted mock of
// the Anthropic API: an `@` mention chosen with the keyboard becomes a chip (in the box and in
// the chat), a pasted image a thumbnail (in the box and in the chat), `/` completes the agent's
// own commands and Warden's (one runs), prompts typed during a turn are queued, reordered and
// sent in order as each turn ends, and a draft and the focus survive a restart and a Resume.
// Screenshots land in tests/artifacts/e2e/composer-*.png.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import * as agent from "./agent.mjs";
import { AGENT_MS, artifacts, assertPrerequisites, binary, cleanUp, evidence, startFirstSession, startMock, waitForMatch } from "./agent.mjs";
import { Driver, waitFor } from "./webdriver.mjs";

const scratch = mkdtempSync(path.join(tmpdir(), "warden-e2e-composer-"));
const home = path.join(scratch, "home");
const data = path.join(scratch, "data");
const project = path.join(scratch, "projects", "demo");
let mock;
let driver;

/** A 1×1 red PNG. */
const RED_DOT = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";

/** What the model says, one reply per request, in order. */
function script() {
  const slow = Array.from({ length: 60 }, (_, i) => `Step ${i + 1}.`).join(" ");
  return [
    { blocks: [{ type: "text", text: "main.rs prints a greeting." }] },
    { blocks: [{ type: "text", text: "It is a single red dot." }] },
    { blocks: [{ type: "text", text: "Hello, Alice!" }] },
    { blocks: [{ type: "text", text: slow }], chunkDelayMs: 150 },
    { blocks: [{ type: "text", text: "Answer to the second one." }] },
    { blocks: [{ type: "text", text: "Answer to the first one." }] },
  ];
}

const view = "[data-testid=session-view]";
const input = "[data-testid=prompt-input]";

before(async () => {
  assertPrerequisites();
  mkdirSync(home, { recursive: true });
  mkdirSync(path.join(project, "src"), { recursive: true });
  mkdirSync(path.join(home, ".claude", "commands"), { recursive: true });
  writeFileSync(path.join(project, "README.md"), "# demo\n");
  writeFileSync(path.join(project, "src", "main.rs"), 'fn main() {\n    println!("hello");\n}\n');
  // A command of the person's own (~/.claude/commands): offered after `/` and run. A project's
  // `.claude/` is not read (Warden starts Claude without the repository's settings).
  writeFileSync(path.join(home, ".claude", "commands", "greet.md"), "---\ndescription: Greet someone by name\nargument-hint: <name>\n---\nSay hello to $ARGUMENTS.\n");
  const started = await startMock(scratch, script());
  mock = started.server;
  driver = await Driver.start(agent.agentEnv(home, started.url));
});

after(() => cleanUp(driver, mock, scratch));

/** The number of elements matching `css`. */
const count = (app, css) => app.execute("return document.querySelectorAll(arguments[0]).length;", [css]);

/** Waits until the running turn is over (the box offers Send again). */
const turnOver = (app, what) => waitFor(what, () => app.exists("[data-testid=prompt-box][aria-busy=false]"), AGENT_MS);

describe("the prompt box", () => {
  it("mentions, images, commands and the queue", async () => {
    const app = await driver.launch(binary, [project, "--data-dir", data]);
    try {
      await startFirstSession(app);
      // The box has the keyboard as soon as the new session can take a prompt.
      await waitFor("the box to have the focus", () => app.execute("return document.activeElement?.getAttribute('data-testid') === 'prompt-input';"));

      // @: the finder's popup, driven by the keyboard; the choice is a chip.
      await app.type(input, "What does @mai");
      await waitForMatch(app, "[data-testid=mention-popup]", /src\/main\.rs/, "the finder to offer src/main.rs", 15_000);
      assert.ok(await app.exists("[data-testid=mention-option][aria-selected=true] mark"), "the matched characters are marked");
      await app.screenshot(path.join(artifacts, "composer-mention-popup.png"));
      await app.type(input, "\uE007");
      await waitForMatch(app, "[data-testid=mention-chip]", /main\.rs/, "the chip in the box");
      assert.equal(await app.execute("return document.querySelector(arguments[0]).value;", [input]), "What does @src/main.rs ");
      await app.type(input, "do?\uE007");
      await waitForMatch(app, "[data-testid=user-message]", /@src\/main\.rs/, "the prompt in the chat");
      await waitFor("the chip in the chat", () => app.exists("[data-testid=user-message] [data-testid=chat-mention-chip][data-path='src/main.rs']"), AGENT_MS);
      await waitForMatch(app, view, /main\.rs prints a greeting/, "the answer");
      await turnOver(app, "the first turn to end");

      // An image pasted into the box: a thumbnail there, and in the chat once sent.
      await app.execute(
        `const box = document.querySelector(arguments[0]);
         const bytes = Uint8Array.from(atob(arguments[1]), (c) => c.charCodeAt(0));
         const data = new DataTransfer();
         data.items.add(new File([bytes], "dot.png", { type: "image/png" }));
         box.focus();
         box.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));`,
        [input, RED_DOT],
      );
      await waitFor("the thumbnail in the box", () => app.exists("[data-testid=prompt-box] [data-testid=image-thumb] img[src^='data:image/png']"));
      await app.type(input, "What is in this picture?");
      await app.screenshot(path.join(artifacts, "composer-image.png"));
      await app.type(input, "\uE007");
      await waitFor("the image in the chat", () => app.exists("[data-testid=user-message] [data-testid=chat-image][src^='data:image/png']"), AGENT_MS);
      await waitForMatch(app, view, /single red dot/, "the answer about the image");
      await turnOver(app, "the image turn to end");

      // /: the agent's commands and Warden's, marked; the person's own command runs.
      await app.type(input, "/");
      await waitFor("the command list", () => app.exists("[data-testid=slash-list]"));
      assert.ok(await app.exists("[data-testid=slash-badge-warden]"), "Warden's own actions are in the list, marked");
      await app.type(input, "gre");
      await waitFor("the person's /greet", () => app.exists("[data-testid=slash-item-greet]"), AGENT_MS);
      await app.screenshot(path.join(artifacts, "composer-slash.png"));
      await app.type(input, "\uE007");
      // /greet takes an argument: it is completed in the box for it.
      await waitFor("the completed command", async () => (await app.execute("return document.querySelector(arguments[0]).value;", [input])) === "/greet ");
      await app.type(input, "Alice\uE007");
      await waitForMatch(app, view, /Hello, Alice!/, "the command's answer");
      await turnOver(app, "the command's turn to end");

      // The queue: two prompts typed during a slow turn, the second moved first, sent in order.
      await app.type(input, "Count slowly\uE007");
      await waitForMatch(app, view, /Step 3\./, "the slow answer to stream");
      await app.type(input, "first queued\uE007");
      await app.type(input, "second queued\uE007");
      await waitFor("two queued prompts", async () => (await count(app, "[data-testid=queued-prompt]")) === 2);
      await app.click("[data-testid=queued-prompt][data-index='1'] [data-testid=queued-up]");
      await waitForMatch(app, "[data-testid=queued-prompt][data-index='0']", /second queued/, "the second prompt moved first");
      await app.screenshot(path.join(artifacts, "composer-queue.png"));
      await waitForMatch(app, view, /Answer to the first one\./, "both queued prompts answered", AGENT_MS * 2);
      const prompts = await app.execute("return Array.from(document.querySelectorAll('[data-testid=user-message] .user-text')).map((e) => e.innerText);");
      assert.deepEqual(prompts.slice(-3), ["Count slowly", "second queued", "first queued"], "sent in the queue's order, each after the turn before ended");
      assert.equal(await count(app, "[data-testid=queued-prompt]"), 0, "the queue is empty");

      // A draft left in the box survives the restart below.
      await app.type(input, "an unsent thought");
      // WebKit writes localStorage to disk a moment after the change.
      await new Promise((r) => setTimeout(r, 2000));
    } catch (error) {
      await evidence(app, "composer-failure");
      throw error;
    } finally {
      await app.close();
    }
  });

  it("keeps the draft across a restart and has the focus after Resume", async () => {
    const app = await driver.launch(binary, [project, "--data-dir", data]);
    try {
      await app.waitForText("[data-testid=session-row]");
      await app.click("[data-testid=session-row]");
      await app.click("[data-testid=resume-session]");
      await waitForMatch(app, "[data-testid=session-status]", /Ready/, "the resumed session to be ready");
      await waitFor("the box to have the focus after Resume", () =>
        app.execute("return document.activeElement?.getAttribute('data-testid') === 'prompt-input' && !document.activeElement.disabled;"),
      );
      assert.equal(await app.execute("return document.querySelector(arguments[0]).value;", [input]), "an unsent thought");
    } catch (error) {
      await evidence(app, "composer-restart-failure");
      throw error;
    } finally {
      await app.close();
    }
  });
});
