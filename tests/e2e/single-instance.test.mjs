// One instance per data folder, for real: the built app under Xvfb on a private D-Bus session
// bus (the test starts its own, so it needs nothing from the machine's session). A second
// `warden PATH` on the same data folder hands PATH to the running window and exits; one on
// another data folder is an instance of its own; without any session bus the window still opens
// and the log says why a second launch will not be routed.
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { Driver, waitFor } from "./webdriver.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const binary = process.env.WARDEN_BIN ?? path.join(process.env.CARGO_TARGET_DIR ?? path.join(root, "target"), "debug", "warden");
const artifacts = path.join(root, "tests", "artifacts", "e2e");
mkdirSync(artifacts, { recursive: true });

const scratch = mkdtempSync(path.join(tmpdir(), "warden-e2e-single-"));
/** The private session bus, and its address. */
let bus;
let busAddress;
let driver;

/** Starts `dbus-daemon --session` and reads the address it listens on (bounded). */
async function startBus() {
  const proc = spawn("dbus-daemon", ["--session", "--nofork", "--print-address=1"], { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  proc.stdout.on("data", (chunk) => (out += chunk));
  const address = await waitFor("dbus-daemon to print its address", () => out.includes("\n") && out.trim(), 10_000);
  return { proc, address };
}

/** The well-known names on the private bus that belong to a Warden instance. */
function wardenNames() {
  const reply = execFileSync(
    "dbus-send",
    [`--bus=${busAddress}`, "--print-reply", "--dest=org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus.ListNames"],
    { encoding: "utf8", timeout: 5_000 },
  );
  return [...reply.matchAll(/string "(dev\.warden\.app[^"]*)"/g)].map((m) => m[1]);
}

function dataDir(name) {
  const dir = path.join(scratch, `data-${name}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

function projectDir(name) {
  const dir = path.join(scratch, "projects", name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "README.md"), `# ${name}\n`);
  return dir;
}

/** Runs `warden args…` from `cwd` outside WebDriver; the process and its output so far. */
function launchPlain(args, env, cwd = scratch) {
  const proc = spawn(binary, args, { env, cwd, stdio: ["ignore", "pipe", "pipe"] });
  const output = { text: "" };
  proc.stdout.on("data", (c) => (output.text += c));
  proc.stderr.on("data", (c) => (output.text += c));
  return { proc, output };
}

/** Waits up to `ms` for `proc` to exit; its exit code, or a failure with what it printed. */
async function exitCode(launched, ms) {
  const { proc, output } = launched;
  if (proc.exitCode === null && proc.signalCode === null) {
    const timer = setTimeout(() => proc.kill("SIGKILL"), ms);
    await once(proc, "exit");
    clearTimeout(timer);
  }
  assert.equal(proc.signalCode, null, `the second launch did not exit within ${ms} ms; it printed:\n${output.text}`);
  return proc.exitCode;
}

/** Ends a process this test started (SIGTERM, then SIGKILL), bounded. */
async function end(proc) {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  proc.kill("SIGTERM");
  const timer = setTimeout(() => proc.kill("SIGKILL"), 10_000);
  await once(proc, "exit");
  clearTimeout(timer);
}

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

before(async () => {
  assert.ok(process.env.DISPLAY, "run under xvfb-run (make test does)");
  ({ proc: bus, address: busAddress } = await startBus());
  driver = await Driver.start({ ...process.env, TAURI_WEBVIEW_AUTOMATION: "true", DBUS_SESSION_BUS_ADDRESS: busAddress });
});

after(async () => {
  await driver?.stop();
  if (bus) await end(bus);
  rmSync(scratch, { recursive: true, force: true });
});

describe("one Warden per data folder", () => {
  it("hands `warden PATH` to the running window, which opens it, and the second process exits", async () => {
    const data = dataDir("one");
    const env = { ...process.env, DBUS_SESSION_BUS_ADDRESS: busAddress };
    const app = await driver.launch(binary, ["--data-dir", data]);
    try {
      await app.waitForText("[data-testid=start-screen]");
      // The window claimed its name on the bus before it opened.
      const names = await waitFor("the window's D-Bus name", () => wardenNames().length === 1 && wardenNames());
      assert.match(names[0], /^dev\.warden\.app\.data[0-9a-f]{16}\.SingleInstance$/, "a name of its own data folder");

      const alpha = projectDir("alpha");
      const second = launchPlain([alpha, "--data-dir", data], env);
      assert.equal(await exitCode(second, 20_000), 0, `the second launch exits at once; it printed:\n${second.output.text}`);
      const sidebar = await app.waitForText("[data-testid=open-projects]");
      assert.match(sidebar, /alpha/, "the running window opened the project");
      assert.match(await app.waitForText("[data-testid=project-view]"), new RegExp(escape(alpha)));
      assert.deepEqual(wardenNames(), names, "still one instance");

      // A relative path is taken from where the second command ran.
      projectDir("beta");
      const third = launchPlain(["beta", "--data-dir", data], env, path.join(scratch, "projects"));
      assert.equal(await exitCode(third, 20_000), 0, third.output.text);
      await waitFor("beta in the sidebar", async () => /beta/.test(await app.textOf("[data-testid=open-projects]")));
      assert.match(await app.waitForText("[data-testid=project-view]"), new RegExp(escape(path.join(scratch, "projects", "beta"))));
      await app.screenshot(path.join(artifacts, "single-instance.png"));

      // Another data folder is another instance: it keeps running with a name of its own.
      const other = launchPlain([projectDir("gamma"), "--data-dir", dataDir("other")], env);
      try {
        await waitFor("the other instance's own D-Bus name", () => wardenNames().length === 2, 30_000);
        assert.equal(other.proc.exitCode, null, `the other instance still runs; it printed:\n${other.output.text}`);
        assert.doesNotMatch(await app.textOf("[data-testid=open-projects]"), /gamma/, "nothing was handed to the first window");
      } finally {
        await end(other.proc);
      }
    } finally {
      await app.close();
    }
  });

  it("opens the window as before without a session bus, and the log says a second launch is not routed", async () => {
    const runtime = mkdtempSync(path.join(scratch, "runtime-"));
    const env = { ...process.env, TAURI_WEBVIEW_AUTOMATION: "true", XDG_RUNTIME_DIR: runtime };
    delete env.DBUS_SESSION_BUS_ADDRESS;
    const busless = await Driver.start(env);
    const data = dataDir("busless");
    try {
      const app = await busless.launch(binary, ["--data-dir", data]);
      try {
        await app.waitForText("[data-testid=start-screen]");
        const logs = path.join(data, "logs");
        await waitFor("the warning in the log", () =>
          readdirSync(logs).some((f) => /no D-Bus session bus/.test(readFileSync(path.join(logs, f), "utf8"))),
        );
      } finally {
        await app.close();
      }
    } finally {
      await busless.stop();
    }
  });
});
