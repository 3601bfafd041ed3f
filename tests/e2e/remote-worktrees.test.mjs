// A remote project's worktrees in the real window, over a real OpenSSH server on 127.0.0.1 (see
// remote-host.mjs): the host has Warden already (the install is remote.test.mjs's subject) and
// a git repository; New Session "In a new worktree" on the host (the options come from the
// host's repository), the real Claude Code CLI there (against the mock model, in bypass) writes a
// file into the host's worktree and not into its main folder; the session header's worktree
// line counts the uncommitted file, the Changes view lists it with its diff read on the host;
// Commit… and Merge… put it on the host's main branch; PR shows the host's answer (no `gh`
// there); Discard… removes the folder and branch on the host. Then best of two Claude Code sessions on
// the host, each in its own worktree there: the compare view shows both with their diffs, and
// Pick keeps exactly the chosen change on the host's main branch and removes the other.
// Screenshots: tests/artifacts/e2e/remote-worktree-new-session.png, remote-worktree.png (the
// session's worktree line), remote-worktree-changes.png, remote-worktree-merged.png,
// remote-worktree-pr.png, remote-best-of-compare.png, remote-best-of-picked.png.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { AGENT_MS, agentEnv, artifacts, assertPrerequisites, binary, claude, cleanUp, evidence, startMock, waitForMatch } from "./agent.mjs";
import { ALIAS, claudeHostEnv, openRemoteProject, remotePlaces, startSshd, stopHost } from "./remote-host.mjs";
import { Driver, waitFor } from "./webdriver.mjs";

const { scratch, appHome, appData, hostHome, hostData, hostProject } = remotePlaces("remote-worktrees", "greeter");

let driver;
let mock;
let sshd;

const say = (text) => ({ blocks: [{ type: "text", text }] });
const bash = (command, text) => ({ blocks: [{ type: "text", text }, { type: "toolUse", name: "Bash", input: { command, description: "Write the file" } }] });
/**
 * Best of two: both members share the host's mock model and each writes its own worktree's
 * name. The answer streams slowly, so the second member's first request arrives while the
 * first member's is still answered: each takes one tool call, whatever their order.
 */
const writeOwnName = { ...bash('basename "$PWD" > result.txt', "Writing result.txt."), chunkDelayMs: 400 };

function git(dir, ...args) {
  return execFileSync("git", ["-C", dir, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
}

/** The worktree folders of the host's repository other than the main one (git's own list). */
function worktreeFolders() {
  return git(hostProject, "worktree", "list", "--porcelain")
    .split("\n")
    .filter((l) => l.startsWith("worktree "))
    .map((l) => l.slice("worktree ".length))
    .filter((p) => path.resolve(p) !== path.resolve(hostProject));
}

async function tick(app, css) {
  await waitFor(`${css} to be there and usable`, () => app.execute("const e = document.querySelector(arguments[0]); return !!e && !e.disabled;", [css]));
  if (!(await app.execute("return document.querySelector(arguments[0]).checked;", [css]))) await app.click(css);
}

before(async () => {
  assertPrerequisites();
  assert.ok(existsSync("/usr/sbin/sshd"), "the remote test needs Debian's openssh-server (make deps-test installs it)");
  for (const dir of [appHome, appData, hostHome, hostData, hostProject, path.join(hostHome, ".local", "bin")]) mkdirSync(dir, { recursive: true });
  // The host's repository, with an identity of its own (the host's engine commits there).
  git(hostProject, "init", "--quiet", "--initial-branch=main");
  git(hostProject, "config", "user.name", "Warden Test");
  git(hostProject, "config", "user.email", "warden-test@example.invalid");
  git(hostProject, "config", "commit.gpgsign", "false");
  writeFileSync(path.join(hostProject, "README.md"), "# greeter\n");
  git(hostProject, "add", "-A");
  git(hostProject, "commit", "--quiet", "-m", "Start");
  // Warden of this very build is on the host already, where the window's install would put it.
  symlinkSync(binary, path.join(hostHome, ".local", "bin", "warden"));
  const started = await startMock(scratch, [
    bash("printf 'hello from the host worktree\\n' > greeting.txt", "Writing greeting.txt."),
    say("Done: greeting.txt is written."),
    writeOwnName,
    writeOwnName,
    say("Done."),
    say("Done."),
  ]);
  mock = started.server;
  sshd = await startSshd(path.join(scratch, "sshd"), appHome, claudeHostEnv({ hostHome, hostData, claude, mockUrl: started.url }));
  // No Claude Code on the window's side: the session that starts is the host's.
  driver = await Driver.start(agentEnv(appHome, started.url, { PATH: `${sshd.binDir}:${process.env.PATH}`, WARDEN_CLAUDE: path.join(scratch, "no-claude-here") }));
});

after(async () => {
  await stopHost(hostData, sshd);
  await cleanUp(driver, mock, scratch);
});

describe("a remote project's worktree over ssh", () => {
  it("starts a session in a new worktree on the host, shows its line and Changes, commits and merges there", async () => {
    const app = await driver.launch(binary, ["--data-dir", appData]);
    try {
      await openRemoteProject(app, hostProject);

      // New Session offers a worktree of the host's repository: its branch suggestion and base
      // are the host's.
      await app.click("[data-testid=new-session-empty]");
      await app.waitForText("[data-testid=new-session-dialog]");
      await waitForMatch(app, "[data-testid=new-session-dialog]", /^(?![\s\S]*Looking for agents)/, "the host's agent list", AGENT_MS);
      await tick(app, "[data-testid=new-session-worktree]");
      const dialog = "[data-testid=new-session-dialog]";
      await app.type(`${dialog} [data-testid=worktree-title]`, "Add a greeting");
      await waitFor(
        "the host's suggested branch",
        async () => (await app.execute("return document.querySelector(arguments[0]).value;", [`${dialog} [data-testid=worktree-branch]`])) === "warden/add-a-greeting",
        AGENT_MS,
      );
      assert.equal(await app.execute("return document.querySelector(arguments[0]).value;", [`${dialog} [data-testid=worktree-base]`]), "main");
      await app.click("[data-testid=mode-bypass]");
      await tick(app, "[data-testid=bypass-understand]");
      await app.screenshot(path.join(artifacts, "remote-worktree-new-session.png"));
      await app.click("[data-testid=start-session]");
      await waitForMatch(app, "[data-testid=session-status]", /Ready/, "the worktree session on the host to be ready", AGENT_MS);
      const folders = worktreeFolders();
      assert.equal(folders.length, 1, `one worktree on the host: ${folders}`);
      const [worktree] = folders;
      assert.ok(worktree.startsWith(hostData), `the worktree is in the host's data folder: ${worktree}`);
      assert.equal(git(worktree, "rev-parse", "--abbrev-ref", "HEAD"), "warden/add-a-greeting");

      await app.type("[data-testid=prompt-box] textarea", "Write a greeting\uE007");
      await waitForMatch(app, "[data-testid=turn-end]", /Turn 1/, "the turn to end", AGENT_MS);
      assert.equal(readFileSync(path.join(worktree, "greeting.txt"), "utf8"), "hello from the host worktree\n", "the agent wrote in the host's worktree");
      assert.ok(!existsSync(path.join(hostProject, "greeting.txt")), "the host's main folder is untouched");

      // The worktree line: the host's state of the branch.
      const chip = "[data-testid=worktree-chip]";
      await waitForMatch(app, chip, /1 uncommitted/, "the chip to count the uncommitted file", AGENT_MS);
      assert.match(await app.textOf(chip), /warden\/add-a-greeting/);
      assert.match(await app.textOf(chip), /main/, "the chip names the base");
      await waitForMatch(app, "[data-testid=session-facts] [data-testid=host-chip]", new RegExp(`ssh: ${ALIAS}`), "the host in the session header");
      await app.screenshot(path.join(artifacts, "remote-worktree.png"));

      // The Changes view, read on the host.
      await app.click("[data-testid=worktree-changes]");
      await waitFor("greeting.txt in the Changes panel", () => app.exists("[data-testid=changes-panel] [data-testid=changes-file][data-path='greeting.txt']"), AGENT_MS);
      await app.click("[data-testid=changes-file][data-path='greeting.txt'] .file-pick");
      await waitForMatch(app, "[data-testid=changes-panel] [data-testid=file-diff]", /hello from the host worktree/, "the diff of greeting.txt");
      await app.screenshot(path.join(artifacts, "remote-worktree-changes.png"));
      await app.click("[data-testid=changes-close]");
      await waitFor("the Changes panel to close", async () => !(await app.exists("[data-testid=changes-panel]")));

      // Commit… and Merge… on the host.
      await app.click("[data-testid=worktree-commit]");
      await waitFor("the commit dialog", () => app.exists("[data-testid=worktree-commit-message]"));
      await app.type("[data-testid=worktree-commit-message]", "Add a greeting");
      await app.click("[data-testid=worktree-commit-confirm]");
      await waitFor("the commit on the host's branch", () => git(worktree, "log", "-1", "--format=%s") === "Add a greeting", AGENT_MS);
      await waitForMatch(app, chip, /all committed/, "the chip to show nothing uncommitted", AGENT_MS);
      await app.click("[data-testid=worktree-merge]");
      await waitFor("the merge dialog", () => app.exists("[data-testid=worktree-merge-confirm]"));
      await app.click("[data-testid=worktree-merge-confirm]");
      await waitFor("greeting.txt in the host's main folder", () => existsSync(path.join(hostProject, "greeting.txt")), AGENT_MS);
      assert.equal(git(hostProject, "show", "main:greeting.txt"), "hello from the host worktree", "the file is committed on the host's main");
      assert.equal(git(hostProject, "status", "--porcelain"), "", "the host's main folder is clean");
      await app.screenshot(path.join(artifacts, "remote-worktree-merged.png"));
      await app.execute("[...document.querySelectorAll('.dialog-buttons button')].find((b) => b.textContent === 'Close')?.click();");
      await waitFor("the merge dialog to close", async () => !(await app.exists("[data-testid=worktree-merge-done]")));

      // PR runs the host's `gh`, which this host lacks: the window shows the host's message.
      await app.click("[data-testid=worktree-pr]");
      await waitForMatch(app, "[data-testid=worktree-pr-error]", /`gh` is not installed/, "the host's answer to PR", AGENT_MS);
      await app.screenshot(path.join(artifacts, "remote-worktree-pr.png"));
      await app.execute("document.querySelector('[data-testid=worktree-pr-result] .dialog-buttons button')?.click();");
      await waitFor("the PR dialog to close", async () => !(await app.exists("[data-testid=worktree-pr-result]")));
      // Discard… on the host: nothing is lost (all merged), the folder and branch go.
      await app.click("[data-testid=worktree-discard]");
      await waitForMatch(app, "[data-testid=worktree-discard-nothing]", /Nothing is lost/, "the discard dialog, read on the host");
      await app.click("[data-testid=worktree-discard-confirm]");
      await waitFor("the worktree to be gone on the host", () => !existsSync(worktree), AGENT_MS);
      await waitFor("the chip to say so", () => app.exists("[data-testid=worktree-chip][data-state=discarded]"), AGENT_MS);
      assert.equal(git(hostProject, "branch", "--list", "warden/add-a-greeting"), "", "its branch is gone on the host");

      // Best of two on the host: two Claude Code sessions, each in its own worktree there.
      await app.click("[data-testid=new-session]");
      await app.waitForText("[data-testid=new-session-dialog]");
      await waitForMatch(app, "[data-testid=new-session-dialog]", /^(?![\s\S]*Looking for agents)/, "the host's agent list", AGENT_MS);
      await tick(app, "[data-testid=new-session-best-of]");
      await waitFor("two member rows", async () => (await app.execute("return document.querySelectorAll('[data-testid=best-of-member]').length;")) === 2);
      assert.deepEqual(await app.execute("return [...document.querySelectorAll('[data-testid=best-of-agent]')].map((s) => s.value);"), ["claude", "claude"]);
      await app.type("[data-testid=best-of-prompt]", "Write result.txt");
      await app.click("[data-testid=mode-bypass]");
      await tick(app, "[data-testid=bypass-understand]");
      await app.click("[data-testid=start-session]");
      const members = () => worktreeFolders().filter((w) => /write-result-txt/.test(w));
      await waitFor("two worktrees on the host", () => members().length === 2, AGENT_MS);
      const written = () => members().map((w) => (existsSync(path.join(w, "result.txt")) ? readFileSync(path.join(w, "result.txt"), "utf8") : null)).sort();
      await waitFor(
        "each member's result.txt",
        () => JSON.stringify(written()) === JSON.stringify(["warden-write-result-txt-1\n", "warden-write-result-txt-2\n"]),
        AGENT_MS * 2,
      );

      // The compare view: both members with their diffs, read on the host.
      if (!(await app.exists("[data-testid=compare-view]"))) {
        await waitFor("the group in the session list", () => app.exists("[data-testid=best-of-group] [data-testid=best-of-compare]"), AGENT_MS);
        await app.click("[data-testid=best-of-group] [data-testid=best-of-compare]");
      }
      await waitFor("the compare view", () => app.exists("[data-testid=compare-view]"), AGENT_MS);
      const columns = () =>
        app.execute("return [...document.querySelectorAll('[data-testid=compare-member]')].map((m) => ({ session: m.dataset.session, branch: m.querySelector('[data-testid=compare-branch]')?.textContent ?? '' }));");
      await waitFor("two members", async () => (await columns()).length === 2, AGENT_MS);
      const member = (m) => `[data-testid=compare-member][data-session='${m.session}']`;
      for (const m of await columns()) {
        const diff = `${member(m)} [data-testid=compare-diff] [data-testid=file-diff]`;
        await waitForMatch(app, diff, new RegExp(m.branch.replace("/", "-")), `the diff of ${m.branch}`);
      }
      await app.screenshot(path.join(artifacts, "remote-best-of-compare.png"));

      // Pick the first: its change alone lands on the host's main, the other is removed there.
      const chosen = (await columns()).find((m) => m.branch === "warden/write-result-txt-1");
      assert.ok(chosen, "the first member is listed");
      await app.click(`${member(chosen)} [data-testid=compare-pick]`);
      await waitFor("the pick dialog", () => app.exists("[data-testid=compare-pick-confirm]"));
      await app.click("[data-testid=compare-pick-confirm]");
      await waitFor("result.txt merged on the host", () => existsSync(path.join(hostProject, "result.txt")), AGENT_MS);
      assert.equal(git(hostProject, "show", "main:result.txt"), "warden-write-result-txt-1", "exactly the chosen change");
      await waitFor("the other member's worktree to be gone", () => members().length === 1, AGENT_MS);
      // The folder goes first, then the branch (worktrees::discard): wait for both.
      await waitFor("and its branch", () => git(hostProject, "branch", "--list", "warden/write-result-txt-2") === "", AGENT_MS);
      await app.screenshot(path.join(artifacts, "remote-best-of-picked.png"));
    } catch (error) {
      await evidence(app, "remote-worktree-failure");
      throw error;
    } finally {
      await app.close();
    }
  });
});
