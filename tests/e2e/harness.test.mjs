// The WebDriver harness itself: an app that exits during start-up (as the window did once when
// GTK could not initialise under load) or never opens its window fails its launch within
// seconds, with what the app printed, after one retry, instead of leaving WebKitWebDriver
// waiting for a window that never comes.
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { Driver } from "./webdriver.mjs";

let driver;
const home = mkdtempSync(path.join(tmpdir(), "warden-e2e-harness-"));

before(async () => {
  driver = await Driver.start({ ...process.env, HOME: home });
});

after(async () => {
  await driver?.stop();
  rmSync(home, { recursive: true, force: true });
});

/** Whether any process's command line contains `text` (Linux: /proc). */
function anyProcessRuns(text) {
  return readdirSync("/proc").filter((name) => /^\d+$/.test(name)).some((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ").includes(text);
    } catch {
      return false;
    }
  });
}

describe("the WebDriver harness", () => {
  it("reports an app that exits at once, with what it printed, within seconds", async () => {
    const started = Date.now();
    await assert.rejects(
      driver.launch("/bin/sh", ["-c", "echo 'Failed to initialize GTK (harness test)' >&2; exit 101"]),
      /the app did not start twice: \(1\) the app exited during start-up; it printed:\n[^]*Failed to initialize GTK \(harness test\)[^]*\(2\) the app exited/,
    );
    assert.ok(Date.now() - started < 15_000, `took ${Date.now() - started} ms`);
    // The fresh WebKitWebDriver it left behind still answers.
    assert.ok((await fetch(`${driver.url}/status`, { signal: AbortSignal.timeout(5_000) })).ok);
  });

  it("reports an app that exits during start-up, after trying once more", async () => {
    // It lives a second, long enough to be seen starting, then fails as the window did.
    await assert.rejects(driver.launch("/bin/sh", ["-c", "sleep 1; exit 101"]), /the app did not start twice: \(1\) the app exited during start-up; it printed nothing/);
  });

  it("gives up on an app that never opens its window and ends it", async () => {
    // A sleep of its own length, to find it afterwards among the machine's processes.
    const marker = `sleep ${600 + (process.pid % 1000)}`;
    const started = Date.now();
    await assert.rejects(
      driver.launch("/bin/sh", ["-c", `echo 'still starting' >&2; exec ${marker}`], { launchMs: 3_000 }),
      /\(1\) no window within 3000 ms; it printed:\nstill starting[^]*\(2\) no window within 3000 ms/,
    );
    assert.ok(Date.now() - started < 20_000, `took ${Date.now() - started} ms`);
    assert.ok(!anyProcessRuns(marker), "the app that never opened its window was left running");
  });
});
