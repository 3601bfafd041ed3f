// Search in the real window (issue 19, item 7), on a generated stored Claude session of 20,000
// events (`warden-gen-session`, as the UI benchmark uses; its tool outputs are left out of the
// transcript the window reads, so their matches come from the store):
// - the project search (the session list's search button): hits listed, one clicked opens the
//   session with the hit's row marked;
// - Ctrl+F in the session: "1 of N", Enter and Shift+Enter move the current match, and the
//   virtualised chat shows the current row. How long the first count took is printed and kept in
//   tests/artifacts/e2e/search-timing.txt, not asserted; so is whether the webview has the CSS
//   Custom Highlight API the word marks use.
// Screenshots: tests/artifacts/e2e/project-search.png, session-find.png.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { artifacts, binary, evidence, root, waitForMatch } from "./agent.mjs";
import { Driver, waitFor } from "./webdriver.mjs";

const targetDir = process.env.CARGO_TARGET_DIR ?? path.join(root, "target");
const generator = process.env.WARDEN_GEN_SESSION ?? path.join(targetDir, "debug", "warden-gen-session");
const scratch = mkdtempSync(path.join(tmpdir(), "warden-e2e-search-"));
const data = path.join(scratch, "data");
const project = path.join(scratch, "projects", "ledger");
/** A word the generated answers use (a subagent is introduced in every turn that has one). */
const WORD = "subagent";
/** Reading and counting a 20,000-event session may take a while on a loaded machine. */
const SLOW_MS = 60_000;

let driver;
let sessionId;

before(async () => {
  assert.ok(process.env.DISPLAY, "run under xvfb-run (make test does)");
  assert.ok(existsSync(generator), `${generator} is missing: make test builds it`);
  mkdirSync(project, { recursive: true });
  writeFileSync(path.join(project, "README.md"), "# ledger\n");
  const out = execFileSync(generator, ["--data-dir", data, "--project", project, "--events", "20000", "--tool-calls", "2000", "--output-kb", "16"], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  sessionId = out.trim().split("\n").pop();
  driver = await Driver.start({ ...process.env, TAURI_WEBVIEW_AUTOMATION: "true" });
});

after(async () => {
  await driver?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

/** Presses Ctrl+F where the keyboard is (a key event the page's listener receives). */
const CTRL_F = `(document.activeElement || document.body).dispatchEvent(new KeyboardEvent("keydown", { key: "f", ctrlKey: true, bubbles: true, cancelable: true }));`;
const current = (app) => app.execute("const r = document.querySelector('[data-testid=session-view] .search-current'); return r ? Number(r.dataset.index) : null;");

describe("search in the window", () => {
  it("finds across the project's sessions and within a 20,000-event session", async () => {
    const app = await driver.launch(binary, ["--data-dir", data, project]);
    try {
      await app.waitForText(`[data-testid=session-row][data-session-id="${sessionId}"]`, SLOW_MS);

      // The project search: hits listed, the first opens its session at the hit.
      await app.click("[data-testid=project-search-open]");
      await app.type("[data-testid=project-search-input]", WORD);
      await waitForMatch(app, "[data-testid=project-search-status]", /\d+ match/, "the project search's hits", SLOW_MS);
      const hits = await app.execute("return document.querySelectorAll('[data-testid=project-search-hit]').length;");
      assert.ok(hits > 0, "the generated session has hits");
      await app.screenshot(path.join(artifacts, "project-search.png"));
      await app.click("[data-testid=project-search-hit]");
      await waitFor("the session open at the hit", async () => (await current(app)) !== null, SLOW_MS);
      assert.equal(await app.exists("[data-testid=project-search]"), false, "the dialog closed");

      // Ctrl+F: every match counted, Enter and Shift+Enter step through them.
      await app.execute(CTRL_F);
      await app.waitForText("[data-testid=session-search]");
      const started = Date.now();
      await app.type("[data-testid=session-search-input]", WORD);
      const first = await waitForMatch(app, "[data-testid=session-search-count]", /^1 of \d+$/, "the first count", SLOW_MS);
      const countMs = Date.now() - started;
      const total = Number(first.split(" of ")[1]);
      assert.ok(total > 1, `more than one match: ${first}`);
      const rowOfFirst = await current(app);
      assert.notEqual(rowOfFirst, null, "the first match's row is marked");

      await app.type("[data-testid=session-search-input]", "\uE007");
      await waitForMatch(app, "[data-testid=session-search-count]", new RegExp(`^2 of ${total}$`), "the second match");
      // Shift+Enter goes back, and once more wraps around to the last match.
      await app.type("[data-testid=session-search-input]", "\uE008\uE007\uE007\uE000");
      await waitForMatch(app, "[data-testid=session-search-count]", new RegExp(`^${total} of ${total}$`), "the last match");
      // The virtualised list renders the row once it has scrolled there.
      await waitFor("the last match's row to be marked", async () => (await current(app)) !== null, SLOW_MS);
      const rowOfLast = await current(app);
      assert.ok(rowOfLast !== null && rowOfLast >= rowOfFirst, `the last match's row (${rowOfLast}) is after the first's (${rowOfFirst})`);
      const shown = await app.execute(
        "const row = document.querySelector('[data-testid=session-view] .search-current'); const box = document.querySelector('[data-testid=session-view] [data-testid=chat-scroll]').getBoundingClientRect(); const r = row.getBoundingClientRect(); return r.bottom > box.top && r.top < box.bottom;",
      );
      assert.ok(shown, "the virtualised chat scrolled the current row into view");
      const highlights = await app.execute("return typeof CSS !== 'undefined' && !!CSS.highlights && CSS.highlights.has('search-match');");
      await app.screenshot(path.join(artifacts, "session-find.png"));
      const report = `Ctrl+F on a 20,000-event session: "${WORD}" counted (${total} matches, outputs from the store) ${countMs} ms after typing; CSS Custom Highlight API ${highlights ? "in use" : "not available (rows outlined only)"}.\n`;
      console.log(report.trim());
      writeFileSync(path.join(artifacts, "search-timing.txt"), report);
    } catch (error) {
      await evidence(app, "search-failure");
      throw error;
    } finally {
      await app.close();
    }
  });
});
