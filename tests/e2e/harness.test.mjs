// The WebDriver harness itself: an app that exits during start-up (as the window did once when
// GTK could not initialise under load) fails its launch with that reason after one retry,
// instead of leaving WebKitWebDriver waiting for a window that never comes.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
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

describe("the WebDriver harness", () => {
  it("reports an app that exits during start-up, after trying once more", async () => {
    // It lives a second, long enough to be seen starting, then fails as the window did.
    await assert.rejects(driver.launch("/bin/sh", ["-c", "sleep 1; exit 101"]), /the app did not start twice: the app exited during start-up/);
    // The fresh WebKitWebDriver it left behind still answers.
    assert.ok((await fetch(`${driver.url}/status`)).ok);
  });
});
