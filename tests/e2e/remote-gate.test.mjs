// The task gate of a remote project in the real window, over a real OpenSSH server on
// 127.0.0.1: the Checks panel of a session on the host shows the host project's
// .warden/checks.toml as not trusted, the trust dialog lists its command, trusting it writes the
// decision into the HOST's data folder (not the window's), and when the agent's turn ends the
// check runs on the host and its row and log come back into the panel; "Review with…" runs the
// reviewer on the host and its finding shows in the review view.
// Screenshots land in tests/artifacts/e2e/remote-checks.png, remote-checks-trust.png,
// remote-review.png and remote-reviewer-session.png.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { AGENT_MS, agentEnv, artifacts, assertPrerequisites, binary, claude, cleanUp, evidence, startMock, waitForMatch } from "./agent.mjs";
import { claudeHostEnv, openRemoteProject, remotePlaces, startSshd, stopHost } from "./remote-host.mjs";
import { Driver, waitFor } from "./webdriver.mjs";

const { scratch, appHome, appData, hostHome, hostData, hostProject } = remotePlaces("remote-gate", "shop");

let driver;
let mock;
let sshd;

const say = (text) => ({ blocks: [{ type: "text", text }] });
const tool = (name, input, text) => ({ blocks: [{ type: "text", text }, { type: "toolUse", name, input }] });
const note = path.join(hostProject, "note.txt");

const CHECKS = `version = 1

[[check]]
id = "greet"
name = "greeting"
run = ["sh", "-c", "echo checked-on-the-host-in-$(basename $PWD)"]
`;

before(async () => {
  assertPrerequisites();
  assert.ok(existsSync("/usr/sbin/sshd"), "the remote test needs Debian's openssh-server (make deps-test installs it)");
  for (const dir of [appHome, appData, hostHome, hostData, hostProject]) mkdirSync(dir, { recursive: true });
  mkdirSync(path.join(hostProject, ".warden"), { recursive: true });
  writeFileSync(path.join(hostProject, ".warden", "checks.toml"), CHECKS);
  // Warden is already on the host (the install is remote.test.mjs's subject): this build.
  mkdirSync(path.join(hostHome, ".local", "bin"), { recursive: true });
  symlinkSync(binary, path.join(hostHome, ".local", "bin", "warden"));
  const findings = {
    verdict: "needs-attention",
    summary: "The note shouts.",
    findings: [{ severity: "medium", title: "Shouting note", body: "", file: "note.txt", line_start: 1, line_end: 1, confidence: 0.8, recommendation: "Lower case." }],
  };
  const started = await startMock(scratch, [
    tool("Write", { file_path: note, content: "HELLO\n" }, "I'll write the note."),
    say("Written."),
    tool("StructuredOutput", findings, "Reviewed."),
  ]);
  mock = started.server;
  sshd = await startSshd(path.join(scratch, "sshd"), appHome, claudeHostEnv({ hostHome, hostData, claude, mockUrl: started.url }));
  driver = await Driver.start(agentEnv(appHome, started.url, { PATH: `${sshd.binDir}:${process.env.PATH}`, WARDEN_CLAUDE: path.join(scratch, "no-claude-here") }));
});

after(async () => {
  await stopHost(hostData, sshd);
  await cleanUp(driver, mock, scratch);
});

async function shot(app, name) {
  await app.screenshot(path.join(artifacts, `${name}.png`));
}

/** The trust records in a data folder's checks folder. */
function trustRecords(data) {
  const folder = path.join(data, "checks");
  return existsSync(folder) ? readdirSync(folder).filter((f) => f.endsWith(".trust.json")) : [];
}

describe("the task gate of a remote project", () => {
  it("shows the host's checks in the Checks panel, trusts them on the host and shows the check that ran there", async () => {
    const app = await driver.launch(binary, ["--data-dir", appData]);
    try {
      await openRemoteProject(app, hostProject);

      // A session on the host, its Checks panel: the host project's file, not trusted yet.
      await app.click("[data-testid=new-session-empty]");
      await app.waitForText("[data-testid=new-session-dialog]");
      await waitForMatch(app, "[data-testid=new-session-dialog]", /^(?![\s\S]*Looking for agents)/, "the host's agent list", AGENT_MS);
      await app.click("[data-testid=start-session]");
      await waitForMatch(app, "[data-testid=session-status]", /Ready/, "the session to be ready", AGENT_MS);
      await app.click("[data-testid=checks-open]");
      await waitForMatch(app, "[data-testid=checks-config]", /not trusted yet/, "the host's checks file shown as not trusted", AGENT_MS);
      await app.click("[data-testid=checks-review-trust]");
      const dialog = await waitForMatch(app, "[data-testid=trust-dialog]", /checked-on-/, "the trust dialog with the host's command");
      assert.match(dialog, new RegExp(hostProject.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")), "the file is the host's");
      await shot(app, "remote-checks-trust");
      await app.click("[data-testid=trust-accept]");
      await waitFor("the dialog to close", async () => !(await app.exists("[data-testid=trust-dialog]")));
      await waitForMatch(app, "[data-testid=checks-config]", /is trusted/, "the checks file trusted");
      assert.equal(trustRecords(hostData).length, 1, "the decision is kept in the host's data folder");
      assert.equal(trustRecords(appData).length, 0, "and not in the window's");
      await app.click("[data-testid=checks-close]");

      // A turn that ends by itself: the check runs on the host; its row and log come back.
      await app.type("[data-testid=prompt-box] textarea", "Write a note\uE007");
      await waitFor("the question about Write", () => app.exists("[data-testid=permission-modal][data-tool=Write]"), AGENT_MS);
      await waitFor("the question to arm", () => app.exists("[data-testid=permission-modal][data-armed=true]"));
      await app.click("[data-testid=permission-allow-once]");
      await waitFor("the task to pass", () => app.exists("[data-testid=task-chip][data-phase=passed]"), AGENT_MS);
      await app.click("[data-testid=task-chip]");
      const row = "[data-testid=check-row][data-check=greet]";
      await waitForMatch(app, "[data-testid=checks-verdict]", /The gate passed/, "the verdict in the panel");
      assert.equal(await app.execute(`return document.querySelector('${row}').dataset.status;`), "passed");
      await app.click(`${row} button.disclosure`);
      await waitForMatch(app, `${row} [data-testid=check-log]`, /checked-on-the-host-in-shop/, "the check's output, read from the host's log", AGENT_MS);
      await shot(app, "remote-checks");
      await app.click("[data-testid=checks-close]");

      // Review with… runs the reviewer on the host (the host's Claude): its finding comes back
      // into the review view, anchored on the host's change.
      await app.click("[data-testid=review-with]");
      await waitFor("the host's reviewers", async () => (await app.execute("const s = document.querySelector('[data-testid=review-agent]'); return s && !s.disabled ? s.value : null;")) === "claude", AGENT_MS);
      await app.click("[data-testid=review-start]");
      await app.waitForText("[data-testid=review-view]");
      await waitFor("the reviewer's verdict", () => app.exists("[data-testid=review-column][data-phase=completed]"), AGENT_MS * 2);
      assert.match(await app.textOf("[data-testid=review-inside]"), /note\.txt[\s\S]*Shouting note/);
      await shot(app, "remote-review");
      // The reviewer's session is the host's too: it opens, read from there.
      const reviewed = await app.execute("return document.querySelector('[data-testid=session-view]').dataset.sessionId;");
      await app.click("[data-testid=review-open-session]");
      await waitFor(
        "the reviewer's session in front",
        async () => (await app.execute("const v = document.querySelector('[data-testid=session-view]'); return v && v.dataset.loaded ? v.dataset.sessionId : null;")) !== reviewed,
        AGENT_MS,
      );
      await waitForMatch(app, "[data-testid=session-view]", /Write a note|note\.txt|review/i, "the reviewer's transcript from the host", AGENT_MS);
      assert.equal(await app.exists("[data-testid=session-view] .inline-error"), false, "read without an error");
      await shot(app, "remote-reviewer-session");
    } catch (error) {
      await evidence(app, "remote-gate-failure");
      throw error;
    } finally {
      await app.close();
    }
  });
});
