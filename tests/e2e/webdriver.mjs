// A small W3C WebDriver client for WebKitWebDriver, enough to drive Warden's window: start the
// app, find elements, click, read text, run a script. No dependencies beyond Node itself.
import { spawn, execFileSync } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import net from "node:net";

/** How long to wait for the UI to reach an expected state before failing. */
export const UI_TIMEOUT_MS = 15_000;

/** How long a launch may take before it counts as failed (it takes 1–3 s; more under load). */
const LAUNCH_MS = 45_000;

async function freePort() {
  const server = net.createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address();
  server.close();
  await once(server, "close");
  return port;
}

/** Polls `probe` until it returns a truthy value or `timeoutMs` passes; returns that value. */
export async function waitFor(what, probe, timeoutMs = UI_TIMEOUT_MS) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${lastError.message}` : ""}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A running WebKitWebDriver process. */
export class Driver {
  static async start(env) {
    const driver = new Driver(env);
    await driver.spawn();
    return driver;
  }

  constructor(env) {
    this.env = env;
    this.proc = null;
    this.url = "";
  }

  /** Starts WebKitWebDriver on a free port and waits until it listens. */
  async spawn() {
    const port = await freePort();
    this.proc = spawn("WebKitWebDriver", [`--port=${port}`], { env: this.env, stdio: ["ignore", "inherit", "inherit"] });
    this.url = `http://127.0.0.1:${port}`;
    await waitFor("WebKitWebDriver to listen", async () => (await fetch(`${this.url}/status`)).ok, 10_000);
  }

  /**
   * Launches `binary args…` under automation and returns the session for its window. A launch
   * whose app exits during start-up (under heavy load GTK has failed to initialise) would leave
   * WebKitWebDriver waiting for a window that never comes: the app's exit, or LAUNCH_MS, ends
   * the wait, and the launch is tried once more with a fresh WebKitWebDriver — said in the log,
   * so a flaky start is seen, never hidden. A second failure fails the test.
   */
  async launch(binary, args) {
    const body = {
      capabilities: {
        alwaysMatch: { "webkitgtk:browserOptions": { binary, args } },
      },
    };
    for (let attempt = 1; ; attempt += 1) {
      const before = children(this.proc.pid);
      const abort = new AbortController();
      let started = [];
      let exited = false;
      const watch = setInterval(() => {
        const fresh = children(this.proc.pid).filter((pid) => !before.includes(pid));
        if (fresh.length > 0) started = fresh;
        if (started.length > 0 && started.every((pid) => !running(pid))) {
          exited = true;
          abort.abort();
        }
      }, 250);
      const limit = setTimeout(() => abort.abort(), LAUNCH_MS);
      try {
        const value = await request("POST", `${this.url}/session`, body, abort.signal);
        const launched = children(this.proc.pid).filter((pid) => !before.includes(pid));
        return new Session(this.url, value.sessionId, launched);
      } catch (error) {
        const why = exited ? "the app exited during start-up" : abort.signal.aborted ? `no window within ${LAUNCH_MS} ms` : error.message;
        if (attempt >= 2) throw new Error(`the app did not start twice: ${why}`);
        console.log(`# the app did not start (${why}); starting WebKitWebDriver again and launching once more`);
        await this.stop();
        await this.spawn();
      } finally {
        clearInterval(watch);
        clearTimeout(limit);
      }
    }
  }

  async stop() {
    this.proc.kill("SIGTERM");
    if (this.proc.exitCode === null && this.proc.signalCode === null) await once(this.proc, "exit");
  }
}

async function request(method, url, body, signal) {
  const res = await fetch(url, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal,
  });
  const json = await res.json().catch(() => ({}));
  if (!res.ok) {
    const err = json.value ?? {};
    throw new Error(`${method} ${url} -> ${res.status} ${err.error ?? ""}: ${err.message ?? JSON.stringify(json)}`);
  }
  return json.value;
}


/** The ids of a process's children (Linux: /proc). */
function children(pid) {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** Whether a process is still running (a zombie counts as gone). */
function running(pid) {
  try {
    return !/^\S+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

/** Waits up to `ms` for a process to end; whether it did. */
async function ended(pid, ms) {
  const deadline = Date.now() + ms;
  while (running(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}

/** One automated app window. */
export class Session {
  constructor(base, id, pids = []) {
    this.base = `${base}/session/${id}`;
    /** The app processes WebKitWebDriver started for this session. */
    this.pids = pids;
  }

  /** Runs `script` in the page and returns its result. */
  execute(script, args = []) {
    return request("POST", `${this.base}/execute/sync`, { script, args });
  }

  /** The text of the first element matching `css`, or null when there is none. */
  async textOf(css) {
    return this.execute("const e = document.querySelector(arguments[0]); return e ? e.innerText : null;", [css]);
  }

  /** Waits until an element matching `css` exists and returns its text. */
  waitForText(css, timeoutMs) {
    return waitFor(`an element matching ${css}`, () => this.textOf(css), timeoutMs);
  }

  /** Clicks the first element matching `css` with a real WebDriver click. */
  async click(css) {
    const found = await request("POST", `${this.base}/element`, { using: "css selector", value: css });
    // A web element reference is an object with one key (the spec's element identifier).
    const [elementId] = Object.values(found);
    await request("POST", `${this.base}/element/${elementId}/click`, {});
  }

  /** Types `text` into the first element matching `css` (WebDriver key codes allowed: "\uE007" is Enter). */
  async type(css, text) {
    const found = await request("POST", `${this.base}/element`, { using: "css selector", value: css });
    const [elementId] = Object.values(found);
    await request("POST", `${this.base}/element/${elementId}/value`, { text });
  }

  /** Whether an element matching `css` exists. */
  exists(css) {
    return this.execute("return document.querySelector(arguments[0]) !== null;", [css]);
  }

  /** Runs `script` (which must call its last argument when done) and returns what it passed. */
  executeAsync(script, args = []) {
    return request("POST", `${this.base}/execute/async`, { script, args });
  }

  /**
   * Saves a picture of the whole X screen once the page has painted its current state. The
   * WebDriver screenshot can be stale in WebKitGTK, so this asks X for the real pixels.
   */
  async screenshot(file) {
    // Two animation frames: the DOM change is laid out and handed to the compositor.
    await this.executeAsync("const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(() => done(true)));");
    // The X server receives the frame a moment later; there is no event to wait on for that.
    await new Promise((r) => setTimeout(r, 400));
    execFileSync("import", ["-window", "root", file]);
  }

  /**
   * Closes the window, which quits the app, and makes sure the app is gone: one left running
   * would keep the test's output open and hang the test runner. The app's own exit is bounded
   * (agents stopped within seconds), so a process still there after that is ended by signal.
   */
  async close() {
    await request("DELETE", this.base).catch((e) => console.warn(`closing the window: ${e.message}`));
    for (const pid of this.pids) {
      if (await ended(pid, 15_000)) continue;
      console.warn(`the app (pid ${pid}) did not quit after its window closed; sending SIGTERM`);
      process.kill(pid, "SIGTERM");
      if (!(await ended(pid, 5_000))) process.kill(pid, "SIGKILL");
    }
  }
}
