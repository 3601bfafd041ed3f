// Worktrees in the real window (issue 18), each test on a git repository of its own:
// - a session in its own worktree: New Session "In a new worktree", the pinned Claude Code CLI
//   (against the scripted mock model, in bypass) writes a file there and not in the main folder;
//   the header chip shows the branch and "1 uncommitted", the Changes panel lists the file with
//   its diff; commit and merge through their dialogs put it on the main folder's branch;
// - best of two: Claude Code and Codex (each against its own mock) get the same prompt, each in
//   its own worktree, and write the same file differently; the compare view lists both; picking
//   Claude's leaves exactly its content on the base branch, and Codex's branch is gone;
// - the live view: a file written into the project while no turn runs shows in the open Files
//   panel by itself, labelled as made outside any turn; how long that took is printed (and kept
//   in tests/artifacts/e2e/worktrees-outside-latency.txt), not asserted.
// Screenshots in tests/artifacts/e2e/: worktree-new-session.png, worktree-session.png,
// worktree-changes.png, worktree-merged.png, best-of-new-session.png, best-of-compare.png,
// best-of-picked.png, files-outside-turn.png.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import {
  AGENT_MS,
  agentEnv,
  artifacts,
  assertPrerequisites,
  binary,
  cleanUp,
  codex,
  codexHome,
  evidence,
  openFirstSessionDialog,
  startMock,
  waitForMatch,
} from "./agent.mjs";
import { Driver, waitFor } from "./webdriver.mjs";

const scratch = mkdtempSync(path.join(tmpdir(), "warden-e2e-worktrees-"));
const say = (text) => ({ blocks: [{ type: "text", text }] });
const bash = (command, text) => ({ blocks: [{ type: "text", text }, { type: "toolUse", name: "Bash", input: { command, description: "Write the file" } }] });
/** Codex runs a command outside its sandbox; Warden's bypass mode answers its question. */
const exec = (cmd) => ({
  blocks: [{ type: "toolUse", name: "exec_command", input: { cmd, sandbox_permissions: "require_escalated", justification: "Write the file" } }],
});

/** Runs git in `dir` and returns its output, trimmed. */
function git(dir, ...args) {
  return execFileSync("git", ["-C", dir, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
}

/** A git repository on `main` with one commit (README.md) and an identity of its own, so the
 * app's commits and merges work under the test's private HOME (worktrees share this config). */
function repository(name) {
  const dir = path.join(scratch, "projects", name);
  mkdirSync(dir, { recursive: true });
  git(dir, "init", "--quiet", "--initial-branch=main");
  git(dir, "config", "user.name", "Warden Test");
  git(dir, "config", "user.email", "warden-test@example.invalid");
  git(dir, "config", "commit.gpgsign", "false");
  writeFileSync(path.join(dir, "README.md"), `# ${name}\n`);
  writeFileSync(path.join(dir, ".gitignore"), "node_modules/\n");
  git(dir, "add", "-A");
  git(dir, "commit", "--quiet", "-m", "Start");
  return dir;
}

/** The worktree folders of `project` other than the main one (git's own list). */
function worktreeFolders(project) {
  const main = path.resolve(git(project, "rev-parse", "--show-toplevel"));
  return git(project, "worktree", "list", "--porcelain")
    .split("\n")
    .filter((l) => l.startsWith("worktree "))
    .map((l) => l.slice("worktree ".length))
    .filter((p) => path.resolve(p) !== main);
}

/** The local branches of `project` under warden/. */
function wardenBranches(project) {
  return git(project, "branch", "--list", "warden/*", "--format=%(refname:short)").split("\n").filter(Boolean);
}

/** Sets a <select> as a person's choice would (WebKit's driver does not click <option>s). */
async function choose(app, css, value, index = 0) {
  const set = await app.execute(
    "const s = document.querySelectorAll(arguments[0])[arguments[2]];" +
      "if (!s || ![...s.options].some((o) => o.value === arguments[1] && !o.disabled)) return false;" +
      "Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, 'value').set.call(s, arguments[1]);" +
      "s.dispatchEvent(new Event('change', { bubbles: true })); return true;",
    [css, value, index],
  );
  assert.ok(set, `${css}[${index}] offers ${value}`);
}

/** Ticks a checkbox when it is not ticked yet. */
async function tick(app, css) {
  await waitFor(`${css} to be there and usable`, () => app.execute("const e = document.querySelector(arguments[0]); return !!e && !e.disabled;", [css]));
  if (!(await app.execute("return document.querySelector(arguments[0]).checked;", [css]))) await app.click(css);
}

/** Bypass mode in the open New Session dialog (nothing asks: the agents' work is scripted). */
async function bypass(app) {
  await app.click("[data-testid=mode-bypass]");
  await tick(app, "[data-testid=bypass-understand]");
}

let drivers = [];
let mocks = [];

/** A WebDriver whose app runs with `env` on top of the agent environment; ended after all tests. */
async function driverFor(home, anthropicUrl, extra = {}) {
  mkdirSync(home, { recursive: true });
  const driver = await Driver.start(agentEnv(home, anthropicUrl, extra));
  drivers.push(driver);
  return driver;
}

async function mock(dir, replies, api = "anthropic") {
  mkdirSync(dir, { recursive: true });
  const started = await startMock(dir, replies, api);
  mocks.push(started.server);
  return started.url;
}

before(() => {
  assertPrerequisites();
});

after(async () => {
  for (const driver of drivers) await driver.stop();
  for (const server of mocks) server.kill();
  await cleanUp(null, null, scratch);
});

describe("worktrees in the window", () => {
  it("runs a session in its own worktree, shows its changes, commits and merges them", async () => {
    const project = repository("greeter");
    const dir = path.join(scratch, "one");
    const url = await mock(dir, [bash("printf 'hello from the worktree\\n' > greeting.txt", "Writing greeting.txt."), say("Done: greeting.txt is written.")]);
    const driver = await driverFor(path.join(dir, "home"), url);
    const app = await driver.launch(binary, [project, "--data-dir", path.join(dir, "data")]);
    try {
      await openFirstSessionDialog(app);
      await tick(app, "[data-testid=new-session-worktree]");
      const dialog = "[data-testid=new-session-dialog]";
      await app.type(`${dialog} [data-testid=worktree-title]`, "Add a greeting");
      // The branch follows the title (the engine's slug rule), once the suggestion is back.
      await waitFor(
        "the suggested branch",
        async () => (await app.execute("return document.querySelector(arguments[0]).value;", [`${dialog} [data-testid=worktree-branch]`])) === "warden/add-a-greeting",
      );
      assert.equal(await app.execute("return document.querySelector(arguments[0]).value;", [`${dialog} [data-testid=worktree-base]`]), "main");
      await bypass(app);
      await app.screenshot(path.join(artifacts, "worktree-new-session.png"));
      await app.click("[data-testid=start-session]");
      await waitForMatch(app, "[data-testid=session-status]", /Ready/, "the worktree session to be ready");
      const folders = worktreeFolders(project);
      assert.equal(folders.length, 1, `one worktree: ${folders}`);
      const [worktree] = folders;
      assert.ok(!worktree.startsWith(project + path.sep), `the worktree is outside the project: ${worktree}`);
      assert.equal(git(worktree, "rev-parse", "--abbrev-ref", "HEAD"), "warden/add-a-greeting");

      await app.type("[data-testid=prompt-box] textarea", "Write a greeting\uE007");
      await waitForMatch(app, "[data-testid=turn-end]", /Turn 1/, "the turn to end");
      assert.equal(readFileSync(path.join(worktree, "greeting.txt"), "utf8"), "hello from the worktree\n", "the agent wrote in its worktree");
      assert.ok(!existsSync(path.join(project, "greeting.txt")), "the main folder is untouched");

      const chip = "[data-testid=worktree-chip]";
      await waitForMatch(app, chip, /1 uncommitted/, "the chip to count the uncommitted file");
      assert.match(await app.textOf(chip), /warden\/add-a-greeting/);
      assert.match(await app.textOf(chip), /main/, "the chip names the base");
      await app.screenshot(path.join(artifacts, "worktree-session.png"));

      await app.click("[data-testid=worktree-changes]");
      await waitFor("greeting.txt in the Changes panel", () => app.exists("[data-testid=changes-panel] [data-testid=changes-file][data-path='greeting.txt']"), AGENT_MS);
      await app.click("[data-testid=changes-file][data-path='greeting.txt'] .file-pick");
      await waitForMatch(app, "[data-testid=changes-panel] [data-testid=file-diff]", /hello from the worktree/, "the diff of greeting.txt");
      await app.screenshot(path.join(artifacts, "worktree-changes.png"));
      await app.click("[data-testid=changes-close]");
      await waitFor("the Changes panel to close", async () => !(await app.exists("[data-testid=changes-panel]")));

      // Commit, with a message the person writes.
      await app.click("[data-testid=worktree-commit]");
      await waitFor("the commit dialog", () => app.exists("[data-testid=worktree-commit-message]"));
      await app.type("[data-testid=worktree-commit-message]", "Add a greeting");
      await app.click("[data-testid=worktree-commit-confirm]");
      await waitFor("the commit on the branch", () => git(worktree, "log", "-1", "--format=%s") === "Add a greeting", AGENT_MS);
      await waitForMatch(app, chip, /all committed/, "the chip to show nothing uncommitted");
      assert.match(await app.textOf(chip), /\+1/, "one commit ahead of main");
      // The project's session list shows the worktree's state too.
      await waitForMatch(app, "[data-testid=session-tree-state]", /\+1 −0 · all committed/, "the session list to show the commit");

      // Merge into main (the default way, a merge commit).
      await app.click("[data-testid=worktree-merge]");
      await waitFor("the merge dialog", () => app.exists("[data-testid=worktree-merge-confirm]"));
      await app.click("[data-testid=worktree-merge-confirm]");
      await waitFor("greeting.txt in the main folder", () => existsSync(path.join(project, "greeting.txt")), AGENT_MS);
      assert.equal(readFileSync(path.join(project, "greeting.txt"), "utf8"), "hello from the worktree\n");
      assert.equal(git(project, "rev-parse", "--abbrev-ref", "HEAD"), "main", "the main folder stays on its branch");
      assert.equal(git(project, "show", "main:greeting.txt"), "hello from the worktree", "the file is committed on main");
      assert.equal(git(project, "status", "--porcelain"), "", "the main folder is clean");
      await app.screenshot(path.join(artifacts, "worktree-merged.png"));
    } catch (error) {
      await evidence(app, "worktree-session-failure");
      throw error;
    } finally {
      await app.close();
    }
  });

  it("runs best of two (Claude Code and Codex), compares them and keeps the one picked", async () => {
    assert.ok(existsSync(codex), `the pinned Codex CLI is missing at ${codex}: run make agents`);
    const project = repository("contest");
    const dir = path.join(scratch, "two");
    const home = path.join(dir, "home");
    const anthropic = await mock(dir, [bash("printf 'written by claude\\n' > result.txt", "Writing result.txt."), say("Claude: done.")]);
    const openai = await mock(dir, [exec("printf 'written by codex\\n' > result.txt"), say("Codex: done.")], "openai");
    mkdirSync(path.join(home, "tmp"), { recursive: true });
    const driver = await driverFor(home, anthropic, {
      WARDEN_CODEX: codex,
      CODEX_HOME: codexHome(home, openai),
      // Codex refuses to set up its sandbox helper under the temporary folder: TMPDIR must not
      // contain CODEX_HOME.
      TMPDIR: path.join(home, "tmp"),
      WARDEN_MOCK_API_KEY: "dummy",
    });
    const app = await driver.launch(binary, [project, "--data-dir", path.join(dir, "data")]);
    try {
      await openFirstSessionDialog(app);
      await tick(app, "[data-testid=new-session-best-of]");
      await waitFor("two member rows", async () => (await app.execute("return document.querySelectorAll('[data-testid=best-of-member]').length;")) === 2);
      await waitFor("Codex to be offered", () =>
        app.execute("return [...document.querySelectorAll('[data-testid=best-of-agent]')[1].options].some((o) => o.value === 'codex' && !o.disabled);"),
      AGENT_MS);
      await choose(app, "[data-testid=best-of-agent]", "claude", 0);
      await choose(app, "[data-testid=best-of-agent]", "codex", 1);
      await app.type("[data-testid=best-of-prompt]", "Write result.txt");
      await bypass(app);
      await app.screenshot(path.join(artifacts, "best-of-new-session.png"));
      await app.click("[data-testid=start-session]");

      // Both run, each in its own worktree, and write the same file differently.
      await waitFor("two worktrees", () => worktreeFolders(project).length === 2, AGENT_MS);
      const written = () =>
        worktreeFolders(project)
          .map((w) => (existsSync(path.join(w, "result.txt")) ? readFileSync(path.join(w, "result.txt"), "utf8") : null))
          .sort();
      await waitFor("both agents' result.txt", () => JSON.stringify(written()) === JSON.stringify(["written by claude\n", "written by codex\n"]), AGENT_MS * 2);
      assert.ok(!existsSync(path.join(project, "result.txt")), "the main folder is untouched");
      // The session list shows each member's state as its turn ends (sooner than its 15 s poll).
      await waitFor(
        "both members' uncommitted file in the session list",
        async () =>
          (await app.execute("return [...document.querySelectorAll('[data-testid=best-of-group] [data-testid=session-tree-state]')].map((e) => e.textContent);"))
            .filter((t) => /1 uncommitted/.test(t)).length === 2,
        10_000,
      );
      const branches = wardenBranches(project);
      assert.equal(branches.length, 2, `a branch each: ${branches}`);

      // The compare view lists both.
      if (!(await app.exists("[data-testid=compare-view]"))) {
        await waitFor("the group in the session list", () => app.exists("[data-testid=best-of-group] [data-testid=best-of-compare]"), AGENT_MS);
        await app.click("[data-testid=best-of-group] [data-testid=best-of-compare]");
      }
      await waitFor("the compare view", () => app.exists("[data-testid=compare-view]"), AGENT_MS);
      const members = () =>
        app.execute("return [...document.querySelectorAll('[data-testid=compare-member]')].map((m) => ({ session: m.dataset.session, agent: m.querySelector('.compare-agent')?.innerText ?? '', text: m.innerText }));");
      await waitFor("two members, each with result.txt", async () => {
        const m = await members();
        return m.length === 2 && m.every((x) => /result\.txt|1 file/.test(x.text));
      }, AGENT_MS);
      const listed = await members();
      const chosen = listed.find((m) => /Claude Code/.test(m.agent));
      const other = listed.find((m) => /Codex/.test(m.agent));
      assert.ok(chosen && other, `one member is Claude Code, the other Codex: ${JSON.stringify(listed)}`);
      const member = (m) => `[data-testid=compare-member][data-session='${m.session}']`;
      // Each one's diff against the base.
      for (const [m, content] of [[chosen, "written by claude"], [other, "written by codex"]]) {
        // Each column shows its first file's diff once its changes are read.
        const diff = `${member(m)} [data-testid=compare-diff] [data-testid=file-diff]`;
        await waitFor(`the diff of ${content}`, () => app.exists(diff), AGENT_MS);
        await waitForMatch(app, diff, new RegExp(content), `the diff of ${content}`);
      }
      await app.screenshot(path.join(artifacts, "best-of-compare.png"));

      // Pick Claude's: merged into main; Codex's worktree and branch are gone.
      const claudes = worktreeFolders(project).find((w) => readFileSync(path.join(w, "result.txt"), "utf8") === "written by claude\n");
      const chosenBranch = git(claudes, "rev-parse", "--abbrev-ref", "HEAD");
      await app.click(`${member(chosen)} [data-testid=compare-pick]`);
      await waitFor("the pick dialog", () => app.exists("[data-testid=compare-pick-confirm]"));
      await app.click("[data-testid=compare-pick-confirm]");
      await waitFor("result.txt merged into the main folder", () => existsSync(path.join(project, "result.txt")), AGENT_MS);
      assert.equal(readFileSync(path.join(project, "result.txt"), "utf8"), "written by claude\n", "exactly the chosen content");
      assert.equal(git(project, "show", "main:result.txt"), "written by claude");
      assert.equal(git(project, "rev-parse", "--abbrev-ref", "HEAD"), "main");
      assert.equal(git(project, "status", "--porcelain"), "", "the main folder is clean");
      await waitFor("the other branch to be gone", () => JSON.stringify(wardenBranches(project)) === JSON.stringify([chosenBranch]), AGENT_MS);
      assert.equal(worktreeFolders(project).length, 1, "only the chosen worktree is left (kept until discarded)");
      // The discarded member's tab closes with it: the chosen session's tab and the compare view stay.
      await waitFor("two tabs left", async () => (await app.execute("return document.querySelectorAll('[data-testid=tab]').length;")) === 2);
      await app.screenshot(path.join(artifacts, "best-of-picked.png"));
    } catch (error) {
      await evidence(app, "best-of-failure");
      throw error;
    } finally {
      await app.close();
    }
  });

  it("shows an edit made while no turn runs in the Files panel by itself, as outside any turn", async () => {
    const project = repository("live");
    const dir = path.join(scratch, "three");
    const url = await mock(dir, [bash("printf 'by the agent\\n' > first.txt", "Writing first.txt."), say("Done: first.txt.")]);
    const driver = await driverFor(path.join(dir, "home"), url);
    const app = await driver.launch(binary, [project, "--data-dir", path.join(dir, "data")]);
    try {
      await openFirstSessionDialog(app);
      await bypass(app);
      await app.click("[data-testid=start-session]");
      await waitForMatch(app, "[data-testid=session-status]", /Ready/, "the session to be ready");
      // One turn first: the project is watched while the session lives, from its first snapshot.
      await app.type("[data-testid=prompt-box] textarea", "Write first.txt\uE007");
      await waitForMatch(app, "[data-testid=turn-end]", /Turn 1/, "the turn to end");
      await app.click("[data-testid=files-open]");
      await waitFor("first.txt in the Files panel", () => app.exists("[data-testid=file-row][data-path='first.txt']"), AGENT_MS);

      // The person's editor writes a file; nobody refreshes anything.
      const row = "[data-testid=file-row][data-path='notes.md']";
      const appeared = app.executeAsync(
        "const done = arguments[arguments.length - 1];" +
          "const until = Date.now() + 25000;" +
          "const look = () => document.querySelector(arguments[0]) ? done(Date.now()) : Date.now() > until ? done(null) : requestAnimationFrame(look);" +
          "look();",
        [row],
      );
      // The page's watch is running before the write.
      await new Promise((r) => setTimeout(r, 300));
      const wrote = Date.now();
      writeFileSync(path.join(project, "notes.md"), "# Notes\n\nWritten in an editor between turns.\n");
      const shownAt = await appeared;
      assert.ok(shownAt, "notes.md did not show in the Files panel within 25 s");
      const latency = shownAt - wrote;
      const line = `outside edit → Files panel row: ${latency} ms (write in the test to the row in the page, same clock)`;
      console.log(line);
      writeFileSync(path.join(artifacts, "worktrees-outside-latency.txt"), `${line}\n`);
      assert.match(await app.textOf(row), /outside any turn/i, "the row says the change was made outside any turn");
      await app.click(`${row} .file-pick`);
      await waitForMatch(app, "[data-testid=file-diff]", /Written in an editor/, "the diff of notes.md");
      await app.screenshot(path.join(artifacts, "files-outside-turn.png"));
    } catch (error) {
      await evidence(app, "files-outside-turn-failure");
      throw error;
    } finally {
      await app.close();
    }
  });
});
