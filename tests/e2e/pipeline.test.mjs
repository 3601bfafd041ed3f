// A pipeline in the real window: the project's `.warden/checks.toml` configures
// "plan → implement → review"; the New Session dialog offers it, the person writes the task and
// starts it (the implementer in bypass). The pinned Claude Code CLI, against the scripted mock
// model, plans in plan mode (its ExitPlanMode plan is captured, the planner stopped), the plan
// approval dialog opens by itself and the person approves an edited plan; a second Claude session
// implements it, a third reviews it read-only and approves. The strip over the session view shows
// each step as a chip (plan ✓ · implement ✓ · review ✓), the round and the status; a chip opens its
// session. Screenshots land in tests/artifacts/e2e/pipeline-plan.png and pipeline-strip.png.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { AGENT_MS, agentEnv, artifacts, assertPrerequisites, binary, cleanUp, evidence, openFirstSessionDialog, startMock, waitForMatch } from "./agent.mjs";
import { Driver, waitFor } from "./webdriver.mjs";

const scratch = mkdtempSync(path.join(tmpdir(), "warden-e2e-pipeline-"));
const home = path.join(scratch, "home");
const data = path.join(scratch, "data");
const project = path.join(scratch, "projects", "notes");
const done = path.join(project, "done.txt");

const CONFIG = `version = 1

[[pipeline]]
id = "plan-implement-review"
name = "Plan, implement, review"

[[pipeline.step]]
role = "plan"
agent = "claude"

[[pipeline.step]]
role = "implement"
agent = "claude"

[[pipeline.step]]
role = "review"
agent = "claude"
`;

const tool = (name, input, text) => ({ blocks: [{ type: "text", text }, { type: "toolUse", name, input }] });
const say = (text) => ({ blocks: [{ type: "text", text }] });

let anthropic;
let driver;

before(async () => {
  assertPrerequisites();
  mkdirSync(path.join(project, ".warden"), { recursive: true });
  writeFileSync(path.join(project, ".warden", "checks.toml"), CONFIG);
  anthropic = await startMock(scratch, [
    // The planner, in plan mode: its plan file, then the plan question (denied by the pipeline).
    tool("Write", { file_path: "{{planFile}}", content: "# Plan\n1. Write done.txt with one line\n" }, "Writing the plan."),
    tool("ExitPlanMode", {}, "Here is the plan."),
    // The implementer.
    tool("Write", { file_path: done, content: "done\n" }, "Writing done.txt."),
    say("Done: done.txt is written."),
    // The reviewer's structured answer.
    tool("StructuredOutput", { verdict: "approve", summary: "done.txt is as planned.", findings: [] }, "Reviewing."),
  ]);
  driver = await Driver.start(agentEnv(home, anthropic.url));
});

after(async () => {
  await cleanUp(driver, anthropic?.server, scratch);
});

describe("Pipelines", () => {
  it("plans, asks for the plan's approval, implements and reviews, shown as one strip", async () => {
    const app = await driver.launch(binary, [project, "--data-dir", data]);
    try {
      await openFirstSessionDialog(app);
      await waitForMatch(app, "[data-testid=pipeline-steps-hint]", /plan \(claude\) → implement \(claude\) → review \(claude\)/, "the project's pipeline");
      // Its steps can be changed (or a new pipeline defined) right here, in the step editor.
      await app.execute("document.querySelector('[data-testid=pipeline-change-steps]').scrollIntoView({ block: 'center' });");
      await app.click("[data-testid=pipeline-change-steps]");
      await waitFor("the step editor", () => app.exists("[data-testid=pipeline-editor]"), 10_000);
      const rows = await app.execute("return [...document.querySelectorAll('li[data-testid^=pipeline-editor-step-]')].map((li) => li.dataset.role);");
      assert.deepEqual(rows, ["plan", "implement", "review"]);
      await evidence(app, "pipeline-editor");
      // WebKit's driver does not click <option>s: pick it as a person's selection would fire.
      await app.execute(
        "const s = document.querySelector('[data-testid=pipeline-select]');" +
          "Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, 'value').set.call(s, 'plan-implement-review');" +
          "s.dispatchEvent(new Event('change', { bubbles: true }));",
      );
      await waitFor("the project's pipeline again", async () => !(await app.exists("[data-testid=pipeline-editor]")), 10_000);
      await app.click("[data-testid=mode-bypass]");
      await app.click("[data-testid=bypass-understand]");
      await app.type("[data-testid=pipeline-task]", "Write done.txt");
      await app.click("[data-testid=start-pipeline]");

      // The plan waits; its dialog opens by itself with the planner's plan.
      await waitFor("the plan approval dialog", () => app.exists("[data-testid=plan-approval]"), AGENT_MS);
      const plan = await app.execute("return document.querySelector('[data-testid=plan-text]').value;");
      assert.equal(plan, "# Plan\n1. Write done.txt with one line\n");
      assert.match(await app.textOf("[data-testid=pipeline-strip]"), /plan · claude awaiting approval/);
      assert.ok(!existsSync(done), "the planner changed nothing");
      await app.type("[data-testid=plan-text]", "2. Nothing else\n");
      await app.screenshot(path.join(artifacts, "pipeline-plan.png"));
      await app.click("[data-testid=plan-approve]");

      await waitFor("the pipeline to pass", () => app.exists("[data-testid=pipeline-strip][data-status=passed]"), AGENT_MS * 2);
      assert.equal(readFileSync(done, "utf8"), "done\n");
      assert.match(await app.textOf("[data-testid=pipeline-step-0]"), /plan · claude ✓/);
      assert.match(await app.textOf("[data-testid=pipeline-step-1]"), /implement · claude ✓/);
      assert.match(await app.textOf("[data-testid=pipeline-step-2]"), /review · claude ✓/);
      assert.match(await app.textOf("[data-testid=pipeline-status]"), /passed/);
      assert.match(await app.textOf("[data-testid=pipeline-round]"), /round 1\/3/);

      // A chip opens its step's session: the implementer's transcript shows the approved plan.
      await app.click("[data-testid=pipeline-step-1]");
      await waitForMatch(app, "[data-testid=chat-scroll]", /Nothing else/, "the implementer's prompt with the edited plan", AGENT_MS);
      await app.screenshot(path.join(artifacts, "pipeline-strip.png"));
    } catch (error) {
      await evidence(app, "pipeline-failure");
      throw error;
    } finally {
      await app.close();
    }
  });
});
