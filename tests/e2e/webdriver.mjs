// A small W3C WebDriver client for WebKitWebDriver, enough to drive Warden's window: start the
// app, find elements, click, read text, run a script. No dependencies beyond Node itself.
import { spawn, execFileSync } from "node:child_process";
import { once } from "node:events";
import { readFileSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

/** How long to wait for the UI to reach an expected state before failing. */
export const UI_TIMEOUT_MS = 15_000;

/** How long a launch may take before it counts as failed (it takes 1–3 s; more under load). */
const LAUNCH_MS = 45_000;

/**
 * How long one WebDriver request may take. Every call is bounded: a request that never answers
 * (the app hung, WebKitWebDriver wedged) fails its test instead of holding the run until CI's
 * time limit. Scripts in the page get WebDriver's own 30 s script timeout before this.
 */
const REQUEST_MS = 60_000;

/** How much of WebKitWebDriver's output (which carries the app's stderr) is kept for errors. */
const OUTPUT_KEPT = 64 * 1024;
/** How much of it a failed launch quotes. */
const OUTPUT_QUOTED = 4 * 1024;

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
    /** The end of WebKitWebDriver's output, with the output of the apps it started. */
    this.output = "";
    /** How many characters of output there have been in all (`output` holds the last ones). */
    this.outputLength = 0;
  }

  /**
   * Starts WebKitWebDriver on a free port and waits until it listens. Its output (and so the
   * stderr of every app it launches) is passed on to this process's and the end of it kept, so
   * a launch that fails can say what the app printed.
   */
  async spawn() {
    const port = await freePort();
    this.proc = spawn("WebKitWebDriver", [`--port=${port}`], { env: this.env, stdio: ["ignore", "pipe", "pipe"] });
    for (const [stream, sink] of [[this.proc.stdout, process.stdout], [this.proc.stderr, process.stderr]]) {
      stream.setEncoding("utf8");
      stream.on("data", (text) => {
        sink.write(text);
        this.output = (this.output + text).slice(-OUTPUT_KEPT);
        this.outputLength += text.length;
      });
    }
    // A missing WebKitWebDriver is an error event; unheard, it would end the whole test run.
    let failed = null;
    this.proc.on("error", (e) => (failed = e));
    this.url = `http://127.0.0.1:${port}`;
    await waitFor(
      "WebKitWebDriver to listen",
      async () => {
        if (failed) throw new Error(`it could not be started: ${failed.message}`);
        if (this.proc.exitCode !== null || this.proc.signalCode !== null) throw new Error(`it exited (${this.proc.exitCode ?? this.proc.signalCode}):\n${this.output}`);
        return (await fetch(`${this.url}/status`, { signal: AbortSignal.timeout(2_000) })).ok;
      },
      10_000,
    );
  }

  /** The output since `mark` (an earlier `outputLength`), at most its last OUTPUT_QUOTED characters. */
  outputSince(mark) {
    const fresh = Math.min(this.outputLength - mark, this.output.length);
    const text = fresh > 0 ? this.output.slice(-fresh) : "";
    return text.length > OUTPUT_QUOTED ? `…${text.slice(-OUTPUT_QUOTED)}` : text;
  }

  /**
   * Launches `binary args…` under automation and returns the session for its window. A launch
   * whose app exits during start-up would leave WebKitWebDriver waiting for a window that never
   * comes: the app's exit, or LAUNCH_MS, ends the wait, and the launch is tried once more with a
   * fresh WebKitWebDriver — said in the log, so a flaky start is seen, never hidden. A second
   * failure fails the test, quoting what the app printed each time. `launchMs` shortens the wait
   * for a window (the harness's own test).
   *
   * The one flaky start seen ("Failed to initialize GTK", under load) was the X server resetting
   * after its last client left, just as the next app connected; `make test` runs Xvfb with
   * `-noreset` (Makefile, XVFB), so the retry is left for displays started some other way.
   */
  async launch(binary, args, { launchMs = LAUNCH_MS } = {}) {
    const reasons = [];
    for (let attempt = 1; ; attempt += 1) {
      // The app is started through `sh`, which writes its own pid and then becomes the app
      // (exec): the pid is known before the app runs, so even an app that exits at once is seen
      // to exit (WebKitWebDriver reaps it before a look at its children could find it).
      const pidFile = path.join(tmpdir(), `warden-e2e-launch-${process.pid}-${(launches += 1)}.pid`);
      const body = {
        capabilities: {
          alwaysMatch: { "webkitgtk:browserOptions": { binary: "/bin/sh", args: ["-c", 'echo $$ > "$0"; exec "$@"', pidFile, binary, ...args] } },
        },
      };
      const mark = this.outputLength;
      const abort = new AbortController();
      let exited = false;
      const watch = setInterval(() => {
        const pid = pidIn(pidFile);
        if (pid && !running(pid)) {
          exited = true;
          abort.abort();
        }
      }, 100);
      const limit = setTimeout(() => abort.abort(), launchMs);
      try {
        const value = await request("POST", `${this.url}/session`, body, abort.signal, launchMs + 5_000);
        const pid = pidIn(pidFile);
        return new Session(this.url, value.sessionId, pid ? [pid] : []);
      } catch (error) {
        const why = exited ? "the app exited during start-up" : abort.signal.aborted ? `no window within ${launchMs} ms` : error.message;
        // What the app printed is read once it is gone (or given up on), so its last words are in.
        const pid = pidIn(pidFile);
        if (pid && running(pid)) process.kill(pid, "SIGKILL");
        await new Promise((r) => setTimeout(r, 200));
        const printed = this.outputSince(mark).trim();
        reasons.push(`${why}${printed ? `; it printed:\n${printed}` : "; it printed nothing"}`);
        if (attempt >= 2) throw new Error(`the app did not start twice: ${reasons.map((r, i) => `(${i + 1}) ${r}`).join("\n")}`);
        console.log(`# the app did not start (${why}); starting WebKitWebDriver again and launching once more`);
        await this.stop();
        await this.spawn();
      } finally {
        clearInterval(watch);
        clearTimeout(limit);
        rmSync(pidFile, { force: true });
      }
    }
  }


  /** Ends WebKitWebDriver: SIGTERM, and SIGKILL if it is still there after five seconds. */
  async stop() {
    const gone = () => this.proc.exitCode !== null || this.proc.signalCode !== null;
    if (gone()) return;
    const exit = once(this.proc, "exit");
    this.proc.kill("SIGTERM");
    const timer = (ms) => new Promise((r) => setTimeout(r, ms).unref());
    await Promise.race([exit, timer(5_000)]);
    if (!gone()) {
      console.warn("WebKitWebDriver did not end on SIGTERM; sending SIGKILL");
      this.proc.kill("SIGKILL");
      await Promise.race([exit, timer(5_000)]);
    }
  }
}

/**
 * One WebDriver call, bounded by `timeoutMs` (and `signal`, when given): a call without an
 * answer fails with the request named, never waits for good.
 */
async function request(method, url, body, signal, timeoutMs = REQUEST_MS) {
  const bounded = AbortSignal.timeout(timeoutMs);
  let res;
  try {
    res = await fetch(url, {
      method,
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: signal ? AbortSignal.any([signal, bounded]) : bounded,
    });
  } catch (error) {
    if (bounded.aborted) throw new Error(`${method} ${url}: no answer within ${timeoutMs} ms`);
    throw error;
  }
  const json = await res.json().catch(() => ({}));
  if (!res.ok) {
    const err = json.value ?? {};
    throw new Error(`${method} ${url} -> ${res.status} ${err.error ?? ""}: ${err.message ?? JSON.stringify(json)}`);
  }
  return json.value;
}


/** Launches so far, naming each launch's pid file. */
let launches = 0;

/** The pid a launch wrote to `file`, once it has. */
function pidIn(file) {
  try {
    const pid = Number(readFileSync(file, "utf8").trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
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
    execFileSync("import", ["-window", "root", file], { timeout: 30_000 });
  }

  /**
   * Closes the window, which quits the app, and makes sure the app is gone: one left running
   * would keep the test's output open and hang the test runner. The app's own exit is bounded
   * (agents stopped within seconds), so a process still there after that is ended by signal.
   */
  async close() {
    await request("DELETE", this.base, undefined, undefined, 20_000).catch((e) => console.warn(`closing the window: ${e.message}`));
    for (const pid of this.pids) {
      if (await ended(pid, 15_000)) continue;
      console.warn(`the app (pid ${pid}) did not quit after its window closed; sending SIGTERM`);
      process.kill(pid, "SIGTERM");
      if (!(await ended(pid, 5_000))) process.kill(pid, "SIGKILL");
    }
  }
}
