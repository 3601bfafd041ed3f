// A remote project in the real window, over a real OpenSSH server on 127.0.0.1: File › Open
// Remote Project… (here its start-screen button) with an ~/.ssh/config alias; the host starts
// without Warden, so the window offers the install and performs it; then connected, a session
// with the real Claude Code CLI on the host against the mock model, its permission question
// answered in the window, the file it wrote seen in Files and rolled back on the host; a
// terminal runs on the host; with the host unreachable and the ssh process killed the window
// shows "reconnecting… (attempt N)", and the connection comes back when the host does; closed,
// the project is a recent remote project that one click opens again; a host that stays away is
// reported gone, and Reconnect brings it back. Closed while the host's agent asks something, the
// question leaves the window (it waits on the host, unanswered) and is back when it reopens.
// Screenshots land in tests/artifacts/e2e/remote-*.png.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { AGENT_MS, agentEnv, artifacts, assertPrerequisites, binary, claude, cleanUp, evidence, startMock, waitForMatch } from "./agent.mjs";
import { ALIAS, claudeHostEnv, fillRemoteDialog, remotePlaces, startSshd, stopHost } from "./remote-host.mjs";
import { Driver, waitFor } from "./webdriver.mjs";

const { scratch, appHome, appData, hostHome, hostData, hostProject } = remotePlaces("remote", "shop");
const hello = path.join(hostProject, "hello.txt");
const later = path.join(hostProject, "later.txt");

let driver;
let mock;
let sshd;

const tool = (name, input, text) => ({ blocks: [{ type: "text", text }, { type: "toolUse", name, input }] });
const say = (text) => ({ blocks: [{ type: "text", text }] });

before(async () => {
  assertPrerequisites();
  assert.ok(existsSync("/usr/sbin/sshd"), "the remote test needs Debian's openssh-server (make deps-test installs it)");
  for (const dir of [appHome, appData, hostHome, hostData, hostProject]) mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(hostProject, "README.md"), "# shop\n");
  const started = await startMock(scratch, [
    tool("Write", { file_path: hello, content: "written on the host\n" }, "I'll create hello.txt."),
    say("Created it."),
    // Streamed slowly, so the question comes after the person has turned to another screen.
    { ...tool("Write", { file_path: later, content: "answered after the reopen\n" }, "I'll create later.txt now."), chunkDelayMs: 400 },
    say("Created it too."),
  ]);
  mock = started.server;
  sshd = await startSshd(path.join(scratch, "sshd"), appHome, claudeHostEnv({ hostHome, hostData, claude, mockUrl: started.url }));
  // The window's own environment: its private HOME (with the ~/.ssh/config alias) and the ssh
  // shim first on PATH (see remote-host.mjs). Claude Code is missing HERE: a session that starts
  // proves the New Session dialog listed the host's agents, not this machine's.
  driver = await Driver.start(agentEnv(appHome, started.url, { PATH: `${sshd.binDir}:${process.env.PATH}`, WARDEN_CLAUDE: path.join(scratch, "no-claude-here") }));
});

after(async () => {
  await stopHost(hostData, sshd);
  await cleanUp(driver, mock, scratch);
});

/** The window's ssh processes to the test host (found by the alias and this test's HOME). */
function sshProcesses() {
  const lines = execFileSync("ps", ["-eo", "pid=,args="]).toString().split("\n");
  return lines
    .map((l) => l.trim().match(/^(\d+)\s+(.*)$/))
    .filter((m) => m && m[2].includes(`${appHome}/.ssh/config`) && m[2].includes(ALIAS) && m[2].includes("serve --stdio"))
    .map((m) => Number(m[1]));
}

/** What the terminal in front shows, one string per screen row. */
function screenRows(app) {
  return app.execute("return [...document.querySelectorAll('[data-testid=terminal-view] .xterm-rows > div')].map((r) => r.textContent);");
}

async function shot(app, name) {
  await app.screenshot(path.join(artifacts, `${name}.png`));
}

describe("a remote project over ssh", () => {
  it("opens through the dialog, installs Warden there, runs a session with a question and rolls its file back", async () => {
    const app = await driver.launch(binary, ["--data-dir", appData]);
    try {
      await app.waitForText("[data-testid=start-screen]");
      await app.click("[data-testid=open-remote]");
      await app.waitForText("[data-testid=remote-dialog]");

      // Bad input is named before anything runs.
      await app.type("[data-testid=remote-destination]", "-oProxyCommand=touch /tmp/x");
      await app.type("[data-testid=remote-folder]", "projects/shop");
      await app.type("[data-testid=remote-ssh-options]", "-o ProxyCommand=touch /tmp/x");
      await app.click("[data-testid=remote-connect]");
      const problems = await waitForMatch(app, "[data-testid=remote-dialog]", /option[\s\S]*relative/, "the problems of the bad input");
      assert.match(problems, /ssh would read it as an option/);
      assert.match(problems, /ProxyCommand is refused: it runs a command on this machine/);
      await shot(app, "remote-dialog-invalid");

      await fillRemoteDialog(app, { "remote-destination": ALIAS, "remote-folder": hostProject, "remote-ssh-options": "-o ConnectTimeout=20" });
      await shot(app, "remote-dialog");
      await app.click("[data-testid=remote-connect]");

      // The host has no Warden: the window says so and offers to install the matching one.
      const offer = await waitForMatch(app, "[data-testid=remote-install-offer]", /not installed|another version/i, "the install offer", AGENT_MS);
      assert.match(offer, /~\/\.local\/bin\/warden/);
      assert.ok(sshd.knownHost(), "OpenSSH learnt the host key into the private known_hosts (accept-new)");
      await shot(app, "remote-install-offer");
      await app.click("[data-testid=remote-install]");
      await waitFor("the install to finish and the project to open", async () => !(await app.exists("[data-testid=remote-dialog]")), AGENT_MS * 2);
      assert.ok(existsSync(path.join(hostHome, ".local", "bin", "warden")), "Warden was installed in the host's ~/.local/bin");

      // Connected: the project is listed with its host, and the header says where it runs.
      await waitForMatch(app, "[data-testid=project-view]", /shop/, "the remote project");
      await waitForMatch(app, "[data-testid=host-chip]", new RegExp(`ssh: ${ALIAS}`), "the host chip");
      await waitForMatch(app, "[data-testid=remote-project-row]", new RegExp(ALIAS), "the sidebar row with its host");

      // Its host's own Agents screen (Claude Code found there, not here) and its usage there.
      await app.click("[data-testid=project-host-agents]");
      await waitForMatch(app, "[data-testid=agents-screen]", new RegExp(`Agents on ssh: ${ALIAS}[\\s\\S]*Claude Code`), "the host's agents", AGENT_MS);
      await waitForMatch(app, "[data-testid=agents-screen]", /^(?![\s\S]*Looking for agents)/, "the host's agents checked", AGENT_MS);
      await shot(app, "remote-host-agents");
      await app.click("[data-testid=agents-close]");
      await app.click("[data-testid=project-usage]");
      await waitForMatch(app, "[data-testid=usage-view]", new RegExp(`Usage of shop on ssh: ${ALIAS}`), "the host's usage", AGENT_MS);
      await shot(app, "remote-host-usage");
      await app.click("[data-testid=usage-close]");
      await app.waitForText("[data-testid=project-view]");

      // A session on the host: the New Session dialog lists the host's agents.
      await app.click("[data-testid=new-session-empty]");
      await app.waitForText("[data-testid=new-session-dialog]");
      await waitForMatch(app, "[data-testid=new-session-dialog]", /^(?![\s\S]*Looking for agents)/, "the host's agent list", AGENT_MS);
      await app.click("[data-testid=start-session]");
      await waitForMatch(app, "[data-testid=session-status]", /Ready/, "the session to be ready", AGENT_MS);
      await waitForMatch(app, "[data-testid=session-facts] [data-testid=host-chip]", new RegExp(`ssh: ${ALIAS}`), "the host in the session header");

      // Its question comes to the window; nothing is written before the answer.
      await app.type("[data-testid=prompt-box] textarea", "Create hello.txt\uE007");
      await waitFor("the question about Write", () => app.exists("[data-testid=permission-modal][data-tool=Write]"), AGENT_MS);
      assert.ok(!existsSync(hello), "nothing is written on the host before the answer");
      await shot(app, "remote-permission");
      await waitFor("the question to arm", () => app.exists("[data-testid=permission-modal][data-armed=true]"));
      await app.click("[data-testid=permission-allow-once]");
      await waitForMatch(app, "[data-testid=turn-end]", /Turn 1/, "the turn to end", AGENT_MS);
      assert.equal(readFileSync(hello, "utf8"), "written on the host\n", "the agent wrote the file on the host");
      await shot(app, "remote-session");

      // Files shows the change; reverting the turn removes the file on the host.
      await app.click("[data-testid=files-open]");
      await waitFor("hello.txt in Files", async () => {
        const rows = await app.execute("return [...document.querySelectorAll('[data-testid=file-row]')].map(r => r.dataset.path);");
        return rows.includes("hello.txt");
      }, AGENT_MS);
      await app.click("[data-testid=file-row][data-path='hello.txt']");
      await waitForMatch(app, "[data-testid=file-diff]", /written on the host/, "the diff of hello.txt");
      await shot(app, "remote-files");
      await app.click("[data-testid=files-close]");
      await app.click("[data-testid=turn-files]");
      await waitForMatch(app, "[data-testid=turn-revert]", /Revert turn 1/, "the panel on turn 1");
      // The button waits for the journal's answer, which comes from the host.
      await waitFor("Revert to be ready", () => app.execute("return document.querySelector('[data-testid=turn-revert]')?.disabled === false;"), AGENT_MS);
      await app.click("[data-testid=turn-revert]");
      await waitForMatch(app, "[data-testid=revert-confirm-dialog]", /hello\.txt/, "the confirmation");
      await app.click("[data-testid=revert-confirm]");
      await waitFor("the redo offer", () => app.exists("[data-testid=revert-redo]"), AGENT_MS);
      assert.ok(!existsSync(hello), "the rollback removed the file on the host");
      assert.deepEqual(readdirSync(hostProject).sort(), ["README.md"]);
      await shot(app, "remote-rollback");
      await app.click("[data-testid=revert-close]");
      await app.click("[data-testid=files-close]");

      // A terminal runs on the host, in the project folder there, with the host's HOME.
      await app.click("[data-testid=terminal-toggle]");
      await app.waitForText("[data-testid=terminal-panel]");
      await waitFor("the host's prompt", async () => (await screenRows(app)).some((r) => r.trim() !== ""), AGENT_MS);
      // The answer is not in the typed line, and comes only when HOME and the folder are the host's.
      await app.type("[data-testid=terminal-view] .xterm-helper-textarea", `test "$HOME" = ${hostHome} && test "$(pwd)" = ${hostProject} && echo on-host-$((6*7))\uE007`);
      await waitFor("the host's answer", async () => (await screenRows(app)).some((r) => r.trim() === "on-host-42"), AGENT_MS);
      await shot(app, "remote-terminal");
      await app.click("[data-testid=terminal-toggle]");

      // The host's sshd goes away and the window's ssh process dies: the window says it is
      // reconnecting (attempt N) while the host is unreachable, and is connected again once the
      // host is back.
      await sshd.stop();
      const pids = sshProcesses();
      assert.ok(pids.length > 0, "the window's ssh process to the host is found");
      for (const pid of pids) process.kill(pid, "SIGKILL");
      await waitForMatch(app, "[data-testid=session-facts] [data-testid=host-chip]", /reconnecting… \(attempt [2-9]\)/, "the reconnecting state", 30_000);
      await waitForMatch(app, "[data-testid=remote-banner]", /reconnecting… \(attempt \d+ of \d+\)[\s\S]*keep running/, "the banner");
      const placeholder = await app.execute("return document.querySelector('[data-testid=prompt-box] textarea')?.placeholder;");
      assert.match(String(placeholder), /Reconnecting to ssh: .*prompts wait/, "no prompt is taken (and lost) while the host is away");
      await shot(app, "remote-reconnecting");
      await sshd.restart();
      await waitFor(
        "the connection to come back",
        async () => (await app.execute("return document.querySelector('[data-testid=session-facts] [data-testid=host-chip]')?.dataset.state;")) === "connected",
        60_000,
      );

      // Closed, it is a recent remote project on the start screen, listed with its host, and
      // one click opens it again (the host's session is still in its list).
      await app.click("[data-testid=remote-project-row] button.close");
      await waitForMatch(app, "[data-testid=recent-remote]", new RegExp(`ssh: ${ALIAS}[\\s\\S]*shop[\\s\\S]*-o ConnectTimeout=20`), "the recent remote project with its host and ssh options");
      await shot(app, "remote-recent");
      await app.click("[data-testid=recent-remote-open]");
      await waitForMatch(app, "[data-testid=project-view] [data-testid=host-chip]", new RegExp(`ssh: ${ALIAS}`), "the project open again", AGENT_MS);
      await waitFor("its session in the list", () => app.exists("[data-testid=session-row]"), AGENT_MS);

      // Closed while its agent asks something: the question (asked while the person looks at
      // another screen, so the strip points at it) leaves the window when the project closes,
      // nothing is answered, and it waits on the host; reopened, the same question is back and
      // its answer goes through.
      if (!(await app.exists("[data-testid=session-status]"))) await app.click("[data-testid=session-row]");
      await waitForMatch(app, "[data-testid=session-status]", /Ready/, "the session in its tab", AGENT_MS);
      await app.type("[data-testid=prompt-box] textarea", "Create later.txt\uE007");
      await app.click("[data-testid=show-agents]");
      await waitForMatch(app, "[data-testid=permission-attention]", /shop|Write/, "the strip pointing at the host's question", AGENT_MS);
      await shot(app, "remote-question-elsewhere");
      await app.click("[data-testid=remote-project-row] button.close");
      await waitFor("the remote project to close", async () => !(await app.exists("[data-testid=remote-project-row]")));
      await new Promise((resolve) => setTimeout(resolve, 1000));
      assert.equal(await app.exists("[data-testid=permission-attention]"), false, "no strip for a question of a closed remote project");
      assert.equal(await app.exists("[data-testid=permission-modal]"), false);
      assert.ok(!existsSync(later), "closing answered nothing");
      await shot(app, "remote-closed-with-question");
      await app.click("[data-testid=agents-close]");
      await app.click("[data-testid=recent-remote-open]");
      const modal = "[data-testid=permission-modal][data-tool=Write]";
      await waitForMatch(app, "[data-testid=project-view] [data-testid=host-chip]", new RegExp(`ssh: ${ALIAS}`), "the project open again", AGENT_MS);
      await waitFor("the same question back", async () => (await app.exists(modal)) || (await app.exists("[data-testid=permission-attention]")), AGENT_MS);
      // In its tab when the tab comes back in front; else the strip's Show brings it there.
      try {
        await waitFor("the question in its tab", () => app.exists(modal), 5_000);
      } catch {
        await app.click("[data-testid=permission-attention-show]");
        await waitFor("the question's dialog", () => app.exists(modal), AGENT_MS);
      }
      await waitForMatch(app, "[data-testid=permission-modal]", /later\.txt/, "the question about later.txt");
      await shot(app, "remote-question-back");
      await waitFor("the question to arm", () => app.exists("[data-testid=permission-modal][data-armed=true]"));
      await app.click("[data-testid=permission-allow-once]");
      await waitFor("the second turn to end", async () => (await app.execute("return document.querySelectorAll('[data-testid=turn-end]').length;")) >= 2, AGENT_MS);
      assert.equal(readFileSync(later, "utf8"), "answered after the reopen\n");

      // A host that stays away is reported gone (not retried for ever), with Reconnect.
      await sshd.stop();
      for (const pid of sshProcesses()) process.kill(pid, "SIGKILL");
      await waitForMatch(app, "[data-testid=remote-banner][data-state=gone]", /host gone: /, "the host reported gone", 90_000);
      await shot(app, "remote-gone");
      await sshd.restart();
      await app.click("[data-testid=remote-reconnect]");
      await waitFor(
        "connected again after Reconnect",
        async () => (await app.execute("return document.querySelector('[data-testid=project-view] [data-testid=host-chip]')?.dataset.state;")) === "connected",
        AGENT_MS,
      );
      assert.equal(await app.exists("[data-testid=remote-banner]"), false, "the banner is gone once connected");
    } catch (error) {
      await evidence(app, "remote-failure");
      throw error;
    } finally {
      await app.close();
    }
  });
});
