// Updates in the real window: a local HTTP server on 127.0.0.1 serves a manifest and an
// artifact signed with a throwaway key (the Tauri CLI's signer), the debug build is pointed at
// it (WARDEN_UPDATE_ENDPOINT / WARDEN_UPDATE_PUBKEY, read by debug builds only) and at a scratch
// AppImage (APPIMAGE, as the AppImage runtime sets it). With the start-up check turned on the
// dialog opens by itself; a tampered artifact is refused in words and changes nothing; the
// genuine one replaces the AppImage and Warden restarts into it.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import { once } from "node:events";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { Driver, waitFor } from "./webdriver.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const binary = process.env.WARDEN_BIN ?? path.join(process.env.CARGO_TARGET_DIR ?? path.join(root, "target"), "debug", "warden");
const tauri = path.join(root, "ui", "node_modules", ".bin", "tauri");
const artifacts = path.join(root, "tests", "artifacts", "e2e");
mkdirSync(artifacts, { recursive: true });

const scratch = mkdtempSync(path.join(tmpdir(), "warden-e2e-updates-"));
const OFFERED = "99.0.0";
const INSTALLED = Buffer.from("\x7fELF the installed Warden");
/** The new "AppImage": a real ELF executable that exits at once, so the restart into it ends. */
const genuine = readFileSync("/bin/true");
const tampered = Buffer.from(genuine);
tampered[tampered.length - 1] ^= 0x01;

let server;
let routes = new Map();
let driver;

function signer(...args) {
  return execFileSync(tauri, ["signer", ...args], { encoding: "utf8", timeout: 30_000 });
}

before(async () => {
  assert.ok(process.env.DISPLAY, "run under xvfb-run (make test does)");
  signer("generate", "--ci", "-p", "test-password", "-w", path.join(scratch, "key"));
  const pubkey = readFileSync(path.join(scratch, "key.pub"), "utf8").trim();
  writeFileSync(path.join(scratch, "artifact"), genuine);
  signer("sign", "-p", "test-password", "--app-version", OFFERED, "-f", path.join(scratch, "key"), path.join(scratch, "artifact"));
  const signature = readFileSync(path.join(scratch, "artifact.sig"), "utf8").trim();

  server = http.createServer((req, res) => {
    const body = routes.get(req.url);
    res.writeHead(body ? 200 : 404, { "content-length": body ? body.length : 0 });
    res.end(body);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const base = `http://127.0.0.1:${server.address().port}`;
  const platform = { url: `${base}/artifact`, signature };
  const manifest = {
    version: OFFERED,
    notes: "## What's new\n\n- Sessions start faster.\n- The update dialog shows its progress.",
    pub_date: "2026-12-01T10:00:00Z",
    platforms: { "linux-x86_64": platform, "linux-aarch64": platform },
  };
  routes.set("/latest.json", Buffer.from(JSON.stringify(manifest)));

  driver = await Driver.start({
    ...process.env,
    TAURI_WEBVIEW_AUTOMATION: "true",
    WARDEN_UPDATE_ENDPOINT: `${base}/latest.json`,
    WARDEN_UPDATE_PUBKEY: pubkey,
    APPIMAGE: path.join(scratch, "Warden.AppImage"),
  });
});

after(async () => {
  await driver?.stop();
  server?.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe("updates in the window", () => {
  it("offers the update at start, refuses a tampered download, installs the genuine one and restarts", async () => {
    const appimage = path.join(scratch, "Warden.AppImage");
    writeFileSync(appimage, INSTALLED);
    chmodSync(appimage, 0o755);
    const data = path.join(scratch, "data");
    mkdirSync(data, { recursive: true });
    writeFileSync(path.join(data, "warden.json"), JSON.stringify({ checkForUpdatesAtStart: true }));
    routes.set("/artifact", tampered);

    const app = await driver.launch(binary, ["--data-dir", data]);
    try {
      assert.equal(await app.waitForText("[data-testid=update-version]"), OFFERED, "the start-up check opened the dialog");
      assert.match(await app.textOf("[data-testid=update-notes]"), /Sessions start faster/);
      // The setting is shown once it is read, after the dialog itself.
      await waitFor("the start-up check setting", () => app.exists("[data-testid=update-check-at-start]"));
      assert.equal(await app.execute("return document.querySelector('[data-testid=update-check-at-start]').checked;"), true);
      await app.screenshot(path.join(artifacts, "update-dialog.png"));

      await app.click("[data-testid=update-install]");
      const error = await app.waitForText("[data-testid=update-error]", 30_000);
      assert.match(error, /signature check.*unchanged/s);
      assert.deepEqual(readFileSync(appimage), INSTALLED, "the AppImage is byte-identical");
      await app.screenshot(path.join(artifacts, "update-tampered.png"));

      routes.set("/artifact", genuine);
      await app.click("[data-testid=update-retry]");
      await waitFor("the AppImage to be the new version", () => readFileSync(appimage).equals(genuine), 30_000);
      // Then Warden restarts into it (here: the new "AppImage" exits at once).
      for (const pid of app.pids) {
        await waitFor(`the old Warden (pid ${pid}) to quit for the restart`, () => !alive(pid), 30_000);
      }
    } finally {
      await app.close();
    }
  });
});

function alive(pid) {
  try {
    return !/^\S+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}
