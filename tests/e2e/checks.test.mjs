// The task gate in the real window: a project whose `.warden/checks.toml` is not trusted yet is
// reviewed and trusted in the trust dialog (every command shown); the pinned Claude Code CLI,
// against the scripted mock model, ends its turn without the marker the check wants, so the
// check fails and the feedback composer waits (feedback "ask", the default); Send carries the
// message to the agent as a feedback turn, whose file write still asks for permission; the
// scripted fix creates the marker, the check passes, and the chip says so. Screenshots of the
// trust dialog, the composer, the Checks panel and the chat land in tests/artifacts/e2e/.
// The trusted file also has a webhook to a receiver on 127.0.0.1: "Checks and webhooks" shows
// its delivery log (the task's `task.finished`), and Redeliver sends it again. The check takes
// a few seconds while it fails: its log shows its first line while it still runs. The window is
// 1280x800, and the session header stays one line there (screenshot session-header-1280.png).
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { AGENT_MS, agentEnv, artifacts, assertPrerequisites, binary, cleanUp, evidence, startFirstSession, startMock, waitForMatch } from "./agent.mjs";
import { Driver, waitFor } from "./webdriver.mjs";

const scratch = mkdtempSync(path.join(tmpdir(), "warden-e2e-checks-"));
const home = path.join(scratch, "home");
const data = path.join(scratch, "data");
const project = path.join(scratch, "projects", "shop");
const marker = path.join(project, "fixed.txt");

/** A check that fails, with a tsc-style finding, until the marker exists. */
const CHECKS = `version = 1

[[check]]
id = "marker"
name = "Marker file"
shell = "test -f fixed.txt && echo 'marker present' || { echo 'looking for fixed.txt'; sleep 6; echo 'src/app.js(2,3): error TS2304: fixed.txt is missing: create it in the project folder'; exit 2; }"
parse = "tsc"
timeout = "30s"
`;

/** The webhook entry sending `task.finished` to the receiver on `port`. */
const webhook = (port) => `
[[webhook]]
id = "local"
url = "http://127.0.0.1:${port}/hook"
events = ["task.finished"]
signature = "none"
allow_private = true
timeout = "5s"
`;

/** Bodies the receiver got, each answered 200 "ok". */
const received = [];
let receiver;

const tool = (name, input, text) => ({ blocks: [{ type: "text", text }, { type: "toolUse", name, input }] });
const say = (text) => ({ blocks: [{ type: "text", text }] });

/** What the model says, one reply per request, in order. */
function script() {
  return [
    // Round 1: the person's prompt; the agent says it is done without the marker.
    say("All done, I think."),
    // Round 2: the feedback turn; the fix writes the marker (asked like any other write).
    tool("Write", { file_path: marker, content: "fixed\n" }, "The check wants fixed.txt; creating it."),
    say("Created fixed.txt; the check should pass now."),
  ];
}

let driver;

before(async () => {
  assertPrerequisites();
  mkdirSync(home, { recursive: true });
  mkdirSync(path.join(project, ".warden"), { recursive: true });
  mkdirSync(path.join(project, "src"), { recursive: true });
  writeFileSync(path.join(project, "src", "app.js"), "export const ready = false;\n");
  receiver = createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      received.push(Buffer.concat(chunks).toString("utf8"));
      res.writeHead(200, { "content-type": "text/plain" }).end("ok");
    });
  });
  await new Promise((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  writeFileSync(path.join(project, ".warden", "checks.toml"), CHECKS + webhook(receiver.address().port));
  const started = await startMock(scratch, script());
  mock = started.server;
  driver = await Driver.start(agentEnv(home, started.url));
});
let mock;

after(async () => {
  receiver?.close();
  await cleanUp(driver, mock, scratch);
});

async function prompt(app, text) {
  await app.type("[data-testid=prompt-box] textarea", `${text}\uE007`);
}

/** Waits for the header's task chip to be in `phase`; returns its text. */
async function chip(app, phase, timeoutMs = AGENT_MS) {
  await waitFor(`the task chip to say ${phase}`, () => app.exists(`[data-testid=task-chip][data-phase=${phase}]`), timeoutMs);
  return app.textOf("[data-testid=task-chip]");
}

describe("the task gate in the window", () => {
  it("trusts the checks file in the dialog, proposes feedback when the check fails, sends it, and passes after the fix", async () => {
    const app = await driver.launch(binary, [project, "--data-dir", data]);
    try {
      // The screen's size: the width the header must fit in one line at.
      await fetch(`${app.base}/window/rect`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ x: 0, y: 0, width: 1280, height: 800 }) });
      await waitFor("the window to be 1280 px wide", async () => (await app.execute("return window.innerWidth;")) === 1280);
      await startFirstSession(app);

      // The checks file is not trusted: the panel says so, and the dialog shows its command.
      await app.click("[data-testid=checks-open]");
      await waitForMatch(app, "[data-testid=checks-config]", /not trusted yet/, "the checks file shown as not trusted");
      await app.click("[data-testid=checks-review-trust]");
      const dialog = await waitForMatch(app, "[data-testid=trust-dialog]", /test -f fixed\.txt/, "the trust dialog with the command");
      assert.match(dialog, /marker/, "the check's id is shown");
      assert.match(dialog, /through the shell/, "and that it runs through the shell");
      await app.screenshot(path.join(artifacts, "checks-trust-dialog.png"));
      await app.click("[data-testid=trust-accept]");
      await waitFor("the dialog to close", async () => !(await app.exists("[data-testid=trust-dialog]")));
      await waitForMatch(app, "[data-testid=checks-config]", /is trusted/, "the checks file trusted");
      await app.click("[data-testid=checks-close]");

      // Round 1: the agent ends its turn; the check runs, and its log shows its output before
      // it ends.
      await prompt(app, "Make the project ready");
      await chip(app, "checking");
      await app.click("[data-testid=task-chip]");
      const row = "[data-testid=check-row][data-check=marker]";
      await waitFor("the check's row while it runs", () => app.exists(`${row}[data-status=running]`), AGENT_MS);
      await app.click(`${row} .disclosure`);
      await waitForMatch(app, `${row} [data-testid=check-log]`, /looking for fixed\.txt/, "the running check's output");
      assert.equal(await app.execute(`return document.querySelector(${JSON.stringify(row)}).dataset.status;`), "running", "shown before the check ended");
      assert.doesNotMatch(await app.textOf(`${row} [data-testid=check-log]`), /TS2304/, "what it prints later is not there yet");
      await app.screenshot(path.join(artifacts, "checks-log-running.png"));
      await waitForMatch(app, `${row} [data-testid=check-log]`, /TS2304/, "the rest of the output once it comes");
      await app.click("[data-testid=checks-close]");

      // The check fails; the composer waits for the person.
      assert.match(await chip(app, "needsYou"), /Needs you/);
      await waitForMatch(app, "[data-testid=task-bar]", /failed in round 1/, "the bar above the prompt box");
      assert.ok(!existsSync(marker), "no marker yet");
      await app.click("[data-testid=task-bar-open]");
      const composer = await waitForMatch(app, "[data-testid=feedback-composer]", /Send to Claude Code \(round 2 of 3\)/, "the composer");
      assert.match(composer, /fixed\.txt is missing/, "the finding is listed");
      const text = await app.execute("return document.querySelector('[data-testid=composer-text]').value;");
      assert.match(String(text), /## Check `marker` failed/, "the exact text to send is shown");
      await waitForMatch(app, "[data-testid=check-row][data-check=marker]", /Failed/, "the failed check's row");
      assert.match(await app.textOf("[data-testid=finding-place]"), /src\/app\.js:2/, "the finding's file:line");
      await app.screenshot(path.join(artifacts, "checks-composer.png"));

      // Send: a feedback turn; its write still asks for permission.
      await app.click("[data-testid=composer-send]");
      await waitFor("the panel to step aside once the feedback is sent", async () => !(await app.exists("[data-testid=checks-panel]")), AGENT_MS);
      await waitFor("the write's permission question", () => app.exists("[data-testid=permission-modal][data-tool=Write]"), AGENT_MS);
      await waitFor("the question to arm", () => app.exists("[data-testid=permission-modal][data-armed=true]"));
      await app.click("[data-testid=permission-allow-once]");

      // Round 2 passes.
      assert.match(await chip(app, "passed"), /Passed/);
      assert.ok(existsSync(marker), "the scripted fix created the marker");
      await waitForMatch(app, "[data-testid=feedback-message]", /feedback from checks[\s\S]*marker/i, "the feedback turn shown as feedback");
      assert.equal(
        await app.execute("return [...document.querySelectorAll('[data-testid=user-message]')].some((m) => m.innerText.includes('## Check'));"),
        false,
        "the feedback is never shown as the person's words",
      );
      await app.screenshot(path.join(artifacts, "checks-chat-passed.png"));

      // At 1280 px the header's facts stay on one line: every item on the same row, nothing
      // cut off at the right.
      const facts = await app.execute(`
        const row = document.querySelector("[data-testid=session-facts]");
        const tops = [...row.children].map((c) => Math.round(c.getBoundingClientRect().top + c.getBoundingClientRect().height / 2));
        return { width: window.innerWidth, rows: new Set(tops).size, overflow: row.scrollWidth - row.clientWidth, buttons: [...row.querySelectorAll("button")].map((b) => b.getAttribute("aria-label") ?? b.innerText) };`);
      assert.equal(facts.width, 1280, "the window is 1280 px wide");
      assert.equal(facts.rows, 1, `one line of facts: ${JSON.stringify(facts)}`);
      assert.ok(facts.overflow <= 0, `nothing cut off: ${JSON.stringify(facts)}`);
      for (const label of ["Permissions", "Checks", "Terminal"]) assert.ok(facts.buttons.includes(label), `the ${label} button is there, named: ${facts.buttons}`);
      await app.screenshot(path.join(artifacts, "session-header-1280.png"));

      await app.click("[data-testid=task-chip]");
      await waitForMatch(app, "[data-testid=checks-verdict]", /The gate passed/, "the passing round in the panel");
      assert.equal(await app.execute("return document.querySelector('[data-testid=check-row]').dataset.status;"), "passed");
      const rounds = await app.execute("return [...document.querySelectorAll('[data-testid=checks-round] option')].map((o) => o.textContent);");
      assert.deepEqual(rounds, ["1 of 3", "2 of 3"], "both rounds can be compared");
      await app.screenshot(path.join(artifacts, "checks-panel-passed.png"));

      // The webhook got the task's `task.finished`; the settings view shows it, and Redeliver
      // sends the same body again.
      await waitFor("the receiver to get task.finished", () => received.some((b) => b.includes('"task.finished"')), AGENT_MS);
      await app.click("[data-testid=checks-open-settings]");
      const entry = "[data-testid=checks-settings-entry][data-id=local]";
      await waitForMatch(app, entry, /Webhook[\s\S]*project[\s\S]*trusted/, "the webhook with its source and trust");
      await waitForMatch(app, `${entry} [data-testid=webhook-delivery][data-status=delivered]`, /task\.finished[\s\S]*HTTP 200/, "the delivery in the log");
      const before = received.length;
      await app.click(`${entry} [data-testid=webhook-redeliver]`);
      await waitForMatch(app, `${entry} [data-testid=webhook-result]`, /Redelivered \(delivery \d+\): HTTP 200/, "the redelivery's result");
      assert.equal(received.length, before + 1, "one more request");
      assert.equal(received.at(-1), received.find((b) => b.includes('"task.finished"')), "the same body");
      await waitForMatch(app, `${entry} [data-testid=webhook-delivery]`, /2 attempts/, "the second attempt in the log");
      await app.execute("document.querySelector('[data-testid=checks-settings-entry][data-id=local] [data-testid=webhook-attempt]').open = true;");
      await app.screenshot(path.join(artifacts, "checks-webhooks.png"));
    } catch (error) {
      await evidence(app, "checks-failure");
      throw error;
    } finally {
      await app.close();
    }
  });
});
