// End to end in the real webview: the built app under Xvfb, driven by WebKitWebDriver.
// Run by `make test` (through xvfb-run); screenshots land in tests/artifacts/e2e/.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { Driver, waitFor } from "./webdriver.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const binary = process.env.WARDEN_BIN ?? path.join(process.env.CARGO_TARGET_DIR ?? path.join(root, "target"), "debug", "warden");
const artifacts = path.join(root, "tests", "artifacts", "e2e");
mkdirSync(artifacts, { recursive: true });

let driver;
const scratch = mkdtempSync(path.join(tmpdir(), "warden-e2e-"));

before(async () => {
  assert.ok(process.env.DISPLAY, "run under xvfb-run (make test does)");
  driver = await Driver.start({ ...process.env, TAURI_WEBVIEW_AUTOMATION: "true" });
});

after(async () => {
  await driver?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

/** A fresh settings folder, so each test starts from a known state. */
function dataDir(name) {
  const dir = path.join(scratch, `data-${name}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** A project folder with a file in it. */
function projectDir(name) {
  const dir = path.join(scratch, "projects", name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "README.md"), `# ${name}\n`);
  return dir;
}

/** Starts Warden with `args`, runs `body` with the window, then quits it. */
async function withApp(args, body) {
  const session = await driver.launch(binary, args);
  try {
    await body(session);
  } finally {
    await session.close();
  }
}

describe("Warden window", () => {
  it("shows the start screen on first launch", async () => {
    await withApp(["--data-dir", dataDir("first")], async (app) => {
      const text = await app.waitForText("[data-testid=start-screen]");
      assert.match(text, /Open Folder…/, "the start screen offers to open a folder");
      assert.ok(await app.textOf("[data-testid=no-recent]"), "a first launch has no recent projects");
      assert.match(await app.textOf(".sidebar"), /No project open/);
      await app.screenshot(path.join(artifacts, "start-screen.png"));
    });
  });

  it("opens a project given on the command line in the sidebar", async () => {
    const project = projectDir("alpha");
    await withApp([project, "--data-dir", dataDir("cli")], async (app) => {
      const sidebar = await app.waitForText("[data-testid=open-projects]");
      assert.match(sidebar, /alpha/, "the project is listed in the sidebar");
      assert.match(await app.textOf("[data-testid=project-view]"), new RegExp(project.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
      await app.screenshot(path.join(artifacts, "project-open.png"));
    });
  });

  it("explains a missing path instead of crashing", async () => {
    const missing = path.join(scratch, "no-such-folder");
    await withApp([missing, "--data-dir", dataDir("missing")], async (app) => {
      const notice = await app.waitForText("[data-testid=notices]");
      assert.match(notice, /does not exist/, "the error says what is wrong");
      assert.ok(notice.includes(missing), "the error names the path");
      assert.ok(await app.textOf("[data-testid=start-screen]"), "the start screen is still usable");
      await app.screenshot(path.join(artifacts, "missing-path.png"));
      await app.click("[data-testid=notices] button[aria-label=Dismiss]");
      await waitFor("the notice to go away", async () => (await app.textOf("[data-testid=notices]")) === null);
    });
  });

  it("Open Folder… shows the system folder picker", async () => {
    await withApp(["--data-dir", dataDir("picker")], async (app) => {
      await app.waitForText("[data-testid=start-screen]");
      await app.click("button.primary");
      // The GTK file chooser is a native window, outside the webview: ask the X server for it.
      const windows = () => execFileSync("xwininfo", ["-root", "-tree"], { encoding: "utf8" });
      await waitFor("the folder picker window", () => windows().includes("Open Project Folder"));
      await app.screenshot(path.join(artifacts, "folder-picker.png"));
    });
  });

  it("explains a path that is a file", async () => {
    const file = path.join(projectDir("beta"), "README.md");
    await withApp([file, "--data-dir", dataDir("file")], async (app) => {
      assert.match(await app.waitForText("[data-testid=notices]"), /is a file, not a folder/);
    });
  });

  it("remembers recent projects across restarts and marks a deleted one as missing", async () => {
    const data = dataDir("recent");
    const kept = projectDir("kept");
    const doomed = projectDir("doomed");
    await withApp([kept, "--data-dir", data], (app) => app.waitForText("[data-testid=open-projects]"));
    await withApp([doomed, "--data-dir", data], (app) => app.waitForText("[data-testid=open-projects]"));
    rmSync(doomed, { recursive: true });
    await withApp(["--data-dir", data], async (app) => {
      const recent = await app.waitForText("[data-testid=recent-projects]");
      assert.match(recent, /doomed[\s\S]*missing[\s\S]*kept/, "newest first, the deleted one marked");
      await app.screenshot(path.join(artifacts, "recent-missing.png"));
      // Open the surviving one from the list: it moves into the sidebar.
      await app.click("[data-testid=recent-projects] li:not(.missing) button.recent-open");
      assert.match(await app.waitForText("[data-testid=open-projects]"), /kept/);
      // Close it again and forget the missing one.
      await app.click("[data-testid=open-projects] button[aria-label='Close kept']");
      await app.waitForText("[data-testid=start-screen]");
      await app.click("button[aria-label='Remove doomed from recent projects']");
      await waitFor("the missing project to be forgotten", async () => {
        const text = await app.textOf("[data-testid=recent-projects]");
        return text && !text.includes("doomed");
      });
    });
  });

  it("sets a damaged settings file aside and says so", async () => {
    const data = dataDir("corrupt");
    writeFileSync(path.join(data, "warden.json"), "{ this is not json");
    await withApp(["--data-dir", data], async (app) => {
      const notice = await app.waitForText("[data-testid=notices]");
      assert.match(notice, /could not be read/);
      assert.ok(await app.textOf("[data-testid=start-screen]"), "the app still starts");
      await app.screenshot(path.join(artifacts, "corrupt-settings.png"));
    });
    const asideFiles = readdirSync(data).filter((f) => f.startsWith("warden.json.corrupt-"));
    assert.equal(asideFiles.length, 1, "the damaged file is kept, not overwritten");
  });
});
