// Benchmark: the window's figures (issue 22, item 2), Warden beside a minimal Tauri 2 window
// measured in the same run, on the same Tauri, WebKitGTK and X server (Xvfb).
//
// For each app, `--runs` times (3 by default; the table shows medians):
//   - first paint / UI settled: from asking WebKitWebDriver to start the app to the page's first
//     contentful paint, and to the moment after which nothing in the page changed for a second
//     (no DOM mutation, no resource or IPC response; Warden: its project view with the session
//     list and the Claude Code history entry; the minimal window: its page);
//   - idle memory: PSS (proportional set size, from /proc/<pid>/smaps_rollup) summed over the app
//     and every process below it (WebKitWebProcess, WebKitNetworkProcess, the sandbox helpers),
//     two seconds after settling;
//   - idle CPU: user + system time of that process tree over `--cpu-secs` seconds with nothing
//     open, as % of one core;
// and for Warden only:
//   - open: a generated Claude Code transcript (`--lines` JSONL lines, `--tool-calls` tool calls
//     with outputs of ~`--output-kb` KB; bench-claude-jsonl.mjs) opened through the Claude Code
//     history view: click on its row → the view has applied the transcript (`data-loaded`) → two
//     animation frames later (painted); the IPC call's own time is reported beside it;
//   - memory after opening it (PSS of the tree, two seconds later);
//   - focused CPU: a live Claude Code session (the pinned CLI on a loopback mock model, Ready)
//     in front with its prompt box focused (the caret blinking), CPU of the window's processes
//     (the app and WebKit; the agent CLI is counted apart) over `--cpu-secs` seconds;
// and the minimal window's focused CPU with its text box focused, for comparison. opcode is not
// on this machine: its figures are the ones issue 22 measured, shown as a fixed column.
//
// It builds nothing: `make bench-ui` builds the UI, the app, the minimal window and the mock
// model, then runs this under xvfb-run. It prints a Markdown report and writes it to
// tests/artifacts/bench/window.md. It is a benchmark, not a test: it fails only when an app
// cannot be driven at all.
//
// Options: --lines N --tool-calls N --output-kb N --runs N --cpu-secs N --keep (keeps the scratch
// folder) --only warden|minimal; or BENCH_LINES, BENCH_TOOL_CALLS, BENCH_OUTPUT_KB, BENCH_RUNS,
// BENCH_CPU_SECS in the environment. WARDEN_BIN, MINIMAL_WINDOW_BIN and WARDEN_MOCK_MODELS name
// the builds and BENCH_PROFILE says which profile they are (make bench-ui BENCH_PROFILE=release
// sets them all).
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { writeClaudeSession } from "./bench-claude-jsonl.mjs";
import { Driver, waitFor } from "./webdriver.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const targetDir = process.env.CARGO_TARGET_DIR ?? path.join(root, "target");
const binary = process.env.WARDEN_BIN ?? path.join(targetDir, "debug", "warden-window");
const minimalBinary = process.env.MINIMAL_WINDOW_BIN ?? path.join(targetDir, "debug", "minimal-window");
const mockBinary = process.env.WARDEN_MOCK_MODELS ?? path.join(targetDir, "debug", "warden-mock-models");
const agentsBin = path.join(process.env.WARDEN_AGENTS_DIR ?? path.join(root, ".cache", "agents"), "node_modules", ".bin");
const claude = process.env.WARDEN_TEST_CLAUDE ?? path.join(agentsBin, "claude");
const reportFile = path.join(root, "tests", "artifacts", "bench", "window.md");
/** Which builds are measured: make bench-ui says so; else the path tells. */
const profile = process.env.BENCH_PROFILE ?? (binary.includes("/release/") ? "release" : "debug");

const options = parseOptions(process.argv.slice(2));
const loadStart = os.loadavg().map((l) => l.toFixed(1)).join(" ");
/** WebDriver's script timeout; each in-page measurement gives up sooner (a WebDriver request is bounded at 60 s). */
const SCRIPT_TIMEOUT_MS = 180_000;
/** Quiet time after which the page counts as settled. */
const QUIET_MS = 1_000;
/** The Claude session id of the generated transcript. */
const HISTORY_ID = "0b3e5a59-22a2-4d6e-9b1c-2f0d7e4c9a11";

/** opcode's figures as issue 22 measured them (release build, Xvfb, medians of 3). */
const OPCODE = {
  firstPaint: 950,
  settled: 5_440,
  idlePss: 416,
  open: 4_250,
  openPss: 809,
  focusedCpu: 46,
  idleCpu: 0.57,
};

function parseOptions(argv) {
  const env = process.env;
  const o = {
    lines: Number(env.BENCH_LINES ?? 20_000),
    toolCalls: Number(env.BENCH_TOOL_CALLS ?? 2_000),
    outputKb: Number(env.BENCH_OUTPUT_KB ?? 16),
    runs: Number(env.BENCH_RUNS ?? 3),
    cpuSecs: Number(env.BENCH_CPU_SECS ?? 20),
    keep: false,
    only: null,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => Number(argv[++i]);
    if (flag === "--lines") o.lines = value();
    else if (flag === "--tool-calls") o.toolCalls = value();
    else if (flag === "--output-kb") o.outputKb = value();
    else if (flag === "--runs") o.runs = Math.max(1, value());
    else if (flag === "--cpu-secs") o.cpuSecs = Math.max(1, value());
    else if (flag === "--keep") o.keep = true;
    else if (flag === "--only") o.only = argv[++i];
    else throw new Error(`unknown option ${flag} (known: --lines --tool-calls --output-kb --runs --cpu-secs --keep --only)`);
  }
  if (o.only && !["warden", "minimal"].includes(o.only)) throw new Error("--only takes warden or minimal");
  return o;
}

// --- processes, memory and CPU -----------------------------------------------------------------

/** pid → { ppid, name } for every process we can see. */
function processTable() {
  const table = new Map();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // The name is in parentheses and may hold spaces; the fields after it are fixed.
      const close = stat.lastIndexOf(")");
      const ppid = Number(stat.slice(close + 2).split(" ")[1]);
      let name = stat.slice(stat.indexOf("(") + 1, close);
      const cmd = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0")[0];
      if (cmd) name = path.basename(cmd);
      table.set(Number(entry), { ppid, name });
    } catch {
      // The process went away while we looked.
    }
  }
  return table;
}

/** `rootPid` and every process below it, each with its kind. */
function tree(rootPid, appName) {
  const table = processTable();
  const children = new Map();
  for (const [pid, { ppid }] of table) {
    if (!children.has(ppid)) children.set(ppid, []);
    children.get(ppid).push(pid);
  }
  const out = [];
  const queue = [{ pid: rootPid, agent: false }];
  while (queue.length) {
    const { pid, agent } = queue.shift();
    const name = table.get(pid)?.name ?? "?";
    const kind = agent ? "agent" : kindOf(name, appName);
    out.push({ pid, name, kind });
    for (const child of children.get(pid) ?? []) queue.push({ pid: child, agent: kind === "agent" });
  }
  return out;
}

/** What a process of the app's tree is: the app, WebKit, or an agent the app started. */
function kindOf(name, appName) {
  if (name === appName) return "app";
  if (name.startsWith("WebKitWebProces")) return "web";
  if (name.startsWith("WebKitNetworkPr")) return "network";
  if (/^(bwrap|xdg-dbus-proxy)$/.test(name)) return "helper";
  // Anything else the app starts is an agent (the Claude CLI, its node, its tools).
  return "agent";
}

/** The window's processes: everything in the tree but agents. */
const windowProcs = (procs) => procs.filter((p) => p.kind !== "agent");

/** PSS in kB of each process, from smaps_rollup (shared pages split between their users). */
function pss(pid) {
  try {
    const match = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8").match(/^Pss:\s+(\d+) kB/m);
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/** PSS of the window's processes, in kB, total and by kind. */
function memory(rootPid, appName) {
  const sample = { total: 0, app: 0, web: 0, network: 0, helper: 0 };
  for (const p of windowProcs(tree(rootPid, appName))) {
    const kb = pss(p.pid);
    sample[p.kind] += kb;
    sample.total += kb;
  }
  return sample;
}

/** CPU time (user + system, ms) used so far, by process, for the window and for agents. */
function cpuTimes(rootPid, appName) {
  const tick = 1000 / 100; // USER_HZ is 100 on Linux
  const out = { window: 0, agent: 0, byKind: {} };
  for (const { pid, kind } of tree(rootPid, appName)) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      // Fields 14 and 15 of stat (utime, stime) are 12 and 13 after the name.
      const ms = (Number(fields[11]) + Number(fields[12])) * tick;
      out[kind === "agent" ? "agent" : "window"] += ms;
      out.byKind[kind] = (out.byKind[kind] ?? 0) + ms;
    } catch {}
  }
  return out;
}

/** CPU of the tree over `secs` seconds, as % of one core (window and agents apart). */
async function cpuOver(rootPid, appName, secs) {
  const before = cpuTimes(rootPid, appName);
  const t0 = performance.now();
  await sleep(secs * 1000);
  const after = cpuTimes(rootPid, appName);
  const wall = performance.now() - t0;
  const pct = (a, b) => ((a - b) / wall) * 100;
  const byKind = Object.fromEntries(Object.keys(after.byKind).map((k) => [k, pct(after.byKind[k], before.byKind[k] ?? 0)]));
  return { window: pct(after.window, before.window), agent: pct(after.agent, before.agent), byKind };
}

/** A CPU figure by kind of process, for the log. */
const kinds = (cpu) => Object.entries(cpu.byKind).map(([k, v]) => `${k} ${pct(v)}`).join(", ");

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// --- in-page measurements ----------------------------------------------------------------------

/**
 * Waits until `selector` exists, then until the page has been quiet for QUIET_MS (bounded), and
 * returns, in ms since the page's time origin: its first contentful paint, the last DOM mutation
 * seen and the last resource (page files and IPC calls) to arrive, with the time origin itself
 * (ms since the epoch) to relate them to the app's start.
 */
const SETTLE_SCRIPT = `
const [selector, quietMs, limitMs, done] = arguments;
const t0 = performance.now();
let lastMutation = 0;
const observer = new MutationObserver(() => { lastMutation = performance.now(); });
const lastResource = () => Math.max(0, ...performance.getEntriesByType('resource').map((e) => e.responseEnd));
const frames = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
(async () => {
  while (!document.querySelector(selector)) {
    if (performance.now() - t0 > limitMs) return done({ error: 'no ' + selector + ' in the page' });
    await new Promise((r) => setTimeout(r, 20));
  }
  const seen = performance.now();
  observer.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  for (;;) {
    await new Promise((r) => setTimeout(r, 100));
    const last = Math.max(lastMutation, lastResource(), seen);
    if (performance.now() - last >= quietMs || performance.now() - t0 > limitMs) break;
  }
  observer.disconnect();
  await frames();
  const paint = performance.getEntriesByType('paint');
  const fcp = paint.find((e) => e.name === 'first-contentful-paint') ?? paint.find((e) => e.name === 'first-paint');
  const nav = performance.getEntriesByType('navigation')[0];
  done({
    timeOrigin: performance.timeOrigin,
    fcp: fcp ? fcp.startTime : NaN,
    loadEnd: nav ? nav.loadEventEnd : NaN,
    lastMutation,
    lastResource: lastResource(),
    seen,
    resources: performance.getEntriesByType('resource').length,
  });
})();
`;

/**
 * Clicks the history row, and times it: click → loaded (data-loaded) → painted (two frames), and
 * the \`claude_history_events\` IPC call inside it (from its request to the end of its answer).
 */
const OPEN_SCRIPT = `
const [rowSel, viewSel, limitMs, done] = arguments;
const row = document.querySelector(rowSel);
if (!row) return done({ error: 'no ' + rowSel + ' in the page' });
const frames = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
// The IPC call is a fetch of ipc://localhost/<command>: timed from the request to its answer's
// headers, and the answer's body read and parsed.
const calls = [];
const realFetch = window.fetch;
window.fetch = function (input, init) {
  const url = String(input && input.url ? input.url : input);
  const call = { url, start: performance.now(), headers: NaN, body: NaN };
  calls.push(call);
  return realFetch.call(this, input, init).then((res) => {
    call.headers = performance.now();
    for (const read of ['json', 'text', 'arrayBuffer']) {
      const real = res[read].bind(res);
      res[read] = () => real().then((v) => { call.body = performance.now(); call.size = v.length ?? v.byteLength ?? v.events?.length; return v; });
    }
    return res;
  });
};
let finished = false;
let observer;
const t0 = performance.now();
const finish = async () => {
  if (finished) return;
  finished = true;
  observer.disconnect();
  const loadedMs = performance.now() - t0;
  await frames();
  const paintedMs = performance.now() - t0;
  window.fetch = realFetch;
  const ipc = calls.filter((c) => c.url.includes('claude_history_events'))
    .map((c) => ({ startMs: c.start - t0, endMs: c.headers - t0, bodyMs: c.body - t0, size: c.size }));
  const applied = performance.getEntriesByName('warden:history-applied').filter((m) => m.startTime >= t0).at(-1);
  // Rows drawn before their text arrived (a history sends the texts far from the end later).
  const loading = document.querySelectorAll('[data-testid=text-loading]').length;
  const texts = calls.filter((c) => c.url.includes('claude_history_texts')).length;
  done({ loadedMs, paintedMs, appliedMs: applied ? applied.startTime - t0 : NaN, loading, texts, ipc, domNodes: document.getElementsByTagName('*').length });
};
observer = new MutationObserver(() => { if (document.querySelector(viewSel)) finish(); });
observer.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-loaded'] });
setTimeout(() => { if (!finished) { finished = true; observer.disconnect(); done({ error: 'the view did not load within ' + limitMs + ' ms' }); } }, limitMs);
row.click();
`;

/**
 * Opens the last Bash row of the timeline and waits until its output is shown (a large one is
 * read back from the transcript): the time from the click, and how much text arrived.
 */
const EXPAND_SCRIPT = `
const [limitMs, done] = arguments;
const rows = [...document.querySelectorAll('[data-testid=timeline] [data-testid=tool-row]')];
const row = rows.reverse().find((r) => /cargo test/.test(r.textContent) && r.querySelector('button[aria-expanded=false]'));
if (!row) return done({ error: 'no closed Bash row in the timeline' });
const t0 = performance.now();
row.querySelector('button[aria-expanded=false]').click();
(async () => {
  for (;;) {
    const section = [...document.querySelectorAll('section[aria-label=Output]')].at(-1);
    const text = section ? section.textContent : '';
    if (section && !/Loading output/.test(text)) return done({ ms: performance.now() - t0, chars: text.length, failed: /could not be read/.test(text) });
    if (performance.now() - t0 > limitMs) return done({ error: 'the output did not arrive within ' + limitMs + ' ms' });
    await new Promise((r) => setTimeout(r, 20));
  }
})();
`;

// --- statistics and the report -----------------------------------------------------------------

function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
const median = (values) => percentile(values.filter((v) => Number.isFinite(v)), 50);
const secs = (v) => (Number.isFinite(v) ? `${(v / 1000).toFixed(2)} s` : "–");
const mb = (kb) => (Number.isFinite(kb) ? `${(kb / 1024).toFixed(0)} MB` : "–");
const pct = (v) => (Number.isFinite(v) ? `${v.toFixed(2)} %` : "–");
const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? (a / b).toFixed(2) : "–");

function machine() {
  const cpus = os.cpus();
  let webkit = "?";
  try {
    webkit = execFileSync("dpkg-query", ["-W", "-f=${Version}", "libwebkit2gtk-4.1-0"], { encoding: "utf8" });
  } catch {
    try {
      webkit = execFileSync("pkg-config", ["--modversion", "webkit2gtk-4.1"], { encoding: "utf8" }).trim();
    } catch {}
  }
  return `${cpus[0]?.model.trim() ?? "?"} × ${cpus.length}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GB RAM, ` +
    `${os.type()} ${os.release()}, WebKitGTK ${webkit}, app ${path.relative(root, binary)} (${profile} build)`;
}

/** tauri, wry and webkit2gtk as a Cargo.lock pins them, to show both apps use the same. */
function pinned(lockFile) {
  try {
    const lock = readFileSync(lockFile, "utf8");
    return ["tauri", "wry", "webkit2gtk"]
      .map((name) => `${name} ${lock.match(new RegExp(`name = "${name}"\\nversion = "([^"]+)"`))?.[1] ?? "?"}`)
      .join(", ");
  } catch {
    return "?";
  }
}

// --- the apps ----------------------------------------------------------------------------------

/** Launches `bin` under WebKitWebDriver and measures first paint and settling. */
async function launchAndSettle(driver, bin, args, selector) {
  const spawnMs = Date.now();
  const app = await driver.launch(bin, args);
  await fetch(`${app.base}/timeouts`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ script: SCRIPT_TIMEOUT_MS }),
  });
  const s = await app.executeAsync(SETTLE_SCRIPT, [selector, QUIET_MS, 40_000]);
  if (s.error) {
    await app.close();
    throw new Error(s.error);
  }
  const offset = s.timeOrigin - spawnMs;
  const settled = offset + Math.max(s.lastMutation, s.lastResource, s.seen, Number.isFinite(s.loadEnd) ? s.loadEnd : 0);
  return { app, firstPaintMs: offset + s.fcp, settledMs: settled, detail: s };
}

/** The app's own process (the one WebKitWebDriver started). */
function rootOf(app) {
  if (!app.pids.length) throw new Error("WebKitWebDriver started no process we can see");
  return app.pids[0];
}

/** One run of the minimal window: start-up, idle memory and CPU, CPU with its text box focused. */
async function runMinimal(driver) {
  const name = path.basename(minimalBinary);
  const { app, firstPaintMs, settledMs } = await launchAndSettle(driver, minimalBinary, [], "textarea");
  try {
    const pid = rootOf(app);
    await sleep(2_000);
    const idlePss = memory(pid, name);
    const idleCpu = await cpuOver(pid, name, options.cpuSecs);
    await app.execute("document.querySelector('textarea').focus();");
    await sleep(1_000);
    const focused = await app.execute("return document.activeElement?.tagName;");
    const focusedCpu = await cpuOver(pid, name, options.cpuSecs);
    return { firstPaintMs, settledMs, idlePss, idleCpu, focusedCpu, focused };
  } finally {
    await app.close();
  }
}

/** One run of Warden: start-up, idle, opening the history, then a live session focused. */
async function runWarden(driver, scratch, run) {
  const name = path.basename(binary);
  // A fresh data folder per run, so every run starts the same way.
  const dataDir = path.join(scratch, `data-${run}`);
  const project = path.join(scratch, "ledger");
  const rowSel = `[data-testid=history-row]`;
  const { app, firstPaintMs, settledMs, detail } = await launchAndSettle(driver, binary, ["--data-dir", dataDir, project], rowSel);
  try {
    const pid = rootOf(app);
    await sleep(2_000);
    const idlePss = memory(pid, name);
    const idleCpu = await cpuOver(pid, name, options.cpuSecs);
    if (run === 1) await shot(app, "warden-idle");

    const viewSel = `[data-testid=session-view][data-loaded="true"]`;
    const cpuBefore = cpuTimes(pid, name);
    const open = await app.executeAsync(OPEN_SCRIPT, [rowSel, viewSel, 50_000]);
    const cpuAfter = cpuTimes(pid, name);
    if (open.error) throw new Error(open.error);
    open.cpuMs = cpuAfter.window - cpuBefore.window;
    await sleep(2_000);
    const openPss = memory(pid, name);
    if (run === 1) await shot(app, "warden-history-open");
    // A large output the transcript came without reads back when its row is opened.
    const expanded = await app.executeAsync(EXPAND_SCRIPT, [20_000]);
    if (expanded.error) log(`  expanding a tool row: ${expanded.error}`);
    if (run === 1) await shot(app, "warden-history-output");

    // A live session: New Session, the default agent (Claude Code on the mock model), Ready.
    await app.click("[data-testid=new-session]");
    await app.waitForText("[data-testid=new-session-dialog]", 30_000);
    await waitFor("the agent list", async () => !/Looking for agents/.test((await app.textOf("[data-testid=new-session-dialog]")) ?? ""), 60_000);
    await app.click("[data-testid=start-session]");
    await waitFor("the session to be ready", async () => /Ready/.test((await app.textOf("[data-testid=session-status]")) ?? ""), 90_000);
    await app.click("[data-testid=prompt-box] textarea");
    await sleep(2_000);
    const focused = await app.execute("return document.activeElement?.closest('[data-testid=prompt-box]') ? 'prompt box' : document.activeElement?.tagName;");
    const focusedCpu = await cpuOver(pid, name, options.cpuSecs);
    if (run === 1) await shot(app, "warden-live-focused");
    return { firstPaintMs, settledMs, idlePss, idleCpu, open, openPss, expanded, focusedCpu, focused, detail };
  } finally {
    await app.close();
  }
}

/** A picture of the screen, for looking at what was measured. */
async function shot(app, name) {
  const file = path.join(path.dirname(reportFile), `${name}.png`);
  await app.screenshot(file).catch((e) => log(`no screenshot ${name}: ${e.message}`));
}

async function startMock(scratch) {
  const file = path.join(scratch, "mock-script.json");
  writeFileSync(file, "[]");
  const server = spawn(mockBinary, ["anthropic", file], { stdio: ["ignore", "pipe", "inherit"] });
  for await (const line of createInterface({ input: server.stdout })) return { server, url: line.trim() };
  throw new Error("the mock model server printed no URL");
}

// --- the run -----------------------------------------------------------------------------------

async function main() {
  if (!process.env.DISPLAY) throw new Error("run under xvfb-run (make bench-ui does)");
  const wanted = [["the app", binary, "warden"], ["the minimal window", minimalBinary, "minimal"], ["the mock model server", mockBinary, "warden"], ["the pinned Claude Code CLI", claude, "warden"]];
  for (const [what, file, who] of wanted) {
    if ((!options.only || options.only === who) && !existsSync(file)) throw new Error(`${what} is not built: ${file} (make bench-ui builds it)`);
  }
  const scratch = mkdtempSync(path.join(os.tmpdir(), "warden-bench-"));
  const home = path.join(scratch, "home");
  const claudeConfig = path.join(home, ".claude");
  const project = path.join(scratch, "ledger");
  mkdirSync(project, { recursive: true });
  writeFileSync(path.join(project, "README.md"), "# ledger\n");
  mkdirSync(path.join(root, "tests", "artifacts", "bench"), { recursive: true });

  log(`generating a ${options.lines}-line Claude Code transcript (${options.toolCalls} tool calls, ~${options.outputKb} KB outputs)…`);
  const genStart = performance.now();
  const generated = writeClaudeSession({ configDir: claudeConfig, project, id: HISTORY_ID, lines: options.lines, toolCalls: options.toolCalls, outputKb: options.outputKb });
  log(`${generated.file}: ${(generated.bytes / 1e6).toFixed(1)} MB in ${((performance.now() - genStart) / 1000).toFixed(1)} s`);

  const mock = options.only === "minimal" ? null : await startMock(scratch);
  const env = {
    ...process.env,
    TAURI_WEBVIEW_AUTOMATION: "true",
    HOME: home,
    CLAUDE_CONFIG_DIR: claudeConfig,
    WARDEN_CLAUDE: claude,
    ANTHROPIC_BASE_URL: mock?.url ?? "http://127.0.0.1:9",
    ANTHROPIC_API_KEY: "dummy",
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
    DISABLE_TELEMETRY: "1",
    DISABLE_AUTOUPDATER: "1",
    DISABLE_ERROR_REPORTING: "1",
  };
  const driver = await Driver.start(env);
  const warden = [];
  const minimal = [];
  try {
    for (let run = 1; run <= options.runs; run++) {
      // The two apps alternate, so drift in the machine's load touches both alike.
      if (options.only !== "warden") {
        log(`run ${run}/${options.runs}: minimal window`);
        const m = await runMinimal(driver);
        minimal.push(m);
        log(`  paint ${secs(m.firstPaintMs)}, settled ${secs(m.settledMs)}, PSS ${mb(m.idlePss.total)}, idle CPU ${pct(m.idleCpu.window)}, focused ${pct(m.focusedCpu.window)} (${m.focused}; ${kinds(m.focusedCpu)})`);
      }
      if (options.only !== "minimal") {
        log(`run ${run}/${options.runs}: Warden`);
        const w = await runWarden(driver, scratch, run);
        warden.push(w);
        const ipc = w.open.ipc.at(-1);
        log(`  a large output read back on opening its row: ${secs(w.expanded.ms)}, ${w.expanded.chars} characters${w.expanded.failed ? " (failed)" : ""}`);
        log(`  paint ${secs(w.firstPaintMs)}, settled ${secs(w.settledMs)}, PSS ${mb(w.idlePss.total)}, idle CPU ${pct(w.idleCpu.window)}`);
        log(`  open ${secs(w.open.paintedMs)} (IPC ${secs(ipc ? ipc.endMs - ipc.startMs : NaN)}, body read+parsed at ${secs(ipc?.bodyMs)}, applied ${secs(w.open.appliedMs)}, loaded ${secs(w.open.loadedMs)}; rows waiting for their text when painted: ${w.open.loading}, text pages asked: ${w.open.texts}), PSS after ${mb(w.openPss.total)}, focused ${pct(w.focusedCpu.window)} (${w.focused}; ${kinds(w.focusedCpu)})`);
      }
    }
  } finally {
    await driver.stop();
    mock?.server.kill();
    if (!options.keep) rmSync(scratch, { recursive: true, force: true });
    else log(`kept ${scratch}`);
  }

  const report = render({ warden, minimal, generated });
  writeFileSync(reportFile, report);
  process.stdout.write(`\n${report}\nwritten to ${path.relative(root, reportFile)}\n`);
}

function render({ warden, minimal, generated }) {
  const lines = [];
  const o = options;
  const w = (f) => median(warden.map(f));
  const m = (f) => median(minimal.map(f));
  const ipcMs = (r) => {
    const c = r.open.ipc.at(-1);
    return c ? c.endMs - c.startMs : NaN;
  };
  lines.push("# The window: Warden, a minimal Tauri 2 window, and opcode");
  lines.push("");
  lines.push(`${new Date().toISOString()} · ${machine()} · minimal window ${path.relative(root, minimalBinary)} · Warden: ${pinned(path.join(root, "Cargo.lock"))}; minimal window: ${pinned(path.join(root, "tests", "minimal-window", "Cargo.lock"))} · load average ${loadStart} at the start, ${os.loadavg().map((l) => l.toFixed(1)).join(" ")} at the end`);
  lines.push("");
  lines.push(
    `Medians of ${o.runs} runs (Xvfb 1280×800×24). The history: a generated Claude Code transcript of ${generated.lines.toLocaleString("en")} lines, ` +
      `${generated.toolCalls.toLocaleString("en")} tool calls, outputs ~${o.outputKb} KB, ${(generated.bytes / 1e6).toFixed(1)} MB. CPU over ${o.cpuSecs} s. ` +
      "The opcode column is **not measured here**: it is copied from issue 22 (opcode, release build, same kind of machine, medians of 3).",
  );
  lines.push("");
  lines.push("| figure | Warden | minimal window | opcode (from issue 22) | Warden / minimal | Warden / opcode | target |");
  lines.push("|---|--:|--:|--:|--:|--:|---|");
  const row = (figure, wv, mv, ov, fmt, target) =>
    lines.push(`| ${figure} | ${fmt(wv)} | ${fmt(mv)} | ${fmt(ov)} | ${ratio(wv, mv)} | ${ratio(wv, ov)} | ${target} |`);
  const fp = w((r) => r.firstPaintMs);
  const st = w((r) => r.settledMs);
  lines.push(
    `| first paint / UI settled | ${secs(fp)} / ${secs(st)} | ${secs(m((r) => r.firstPaintMs))} / ${secs(m((r) => r.settledMs))} | ` +
      `${secs(OPCODE.firstPaint)} / ${secs(OPCODE.settled)} | ${ratio(fp, m((r) => r.firstPaintMs))} / ${ratio(st, m((r) => r.settledMs))} | ` +
      `${ratio(fp, OPCODE.firstPaint)} / ${ratio(st, OPCODE.settled)} | no worse than 0.53 s / 1.29 s |`,
  );
  row("idle memory, whole process tree (PSS)", w((r) => r.idlePss.total), m((r) => r.idlePss.total), OPCODE.idlePss * 1024, mb, "≤ 1.25 × minimal window");
  row(`open the ${generated.lines.toLocaleString("en")}-line session, click → settled`, w((r) => r.open.paintedMs), NaN, OPCODE.open, secs, "≤ 1.0 s");
  row("memory after opening it (PSS)", w((r) => r.openPss.total), NaN, OPCODE.openPss * 1024, mb, `≤ 0.5 × opcode (${(OPCODE.openPss / 2).toFixed(0)} MB)`);
  row("CPU, live session open, prompt box focused", w((r) => r.focusedCpu.window), m((r) => r.focusedCpu.window), OPCODE.focusedCpu, pct, "< 1 % of a core");
  row("idle CPU", w((r) => r.idleCpu.window), m((r) => r.idleCpu.window), OPCODE.idleCpu, pct, "no worse than 0.13 %");
  lines.push("");
  if (warden.length) {
    lines.push(
      `Outputs over 4 KB come without their text when a history opens; opening such a row read its output back in ${secs(w((r) => r.expanded?.ms ?? NaN))} ` +
        `(median; ${warden.map((r) => r.expanded?.chars ?? 0).join(" / ")} characters shown).`,
    );
    lines.push("");
  }
  lines.push("The minimal window's focused figure is its text box focused (the caret blinking); it opens no session. CPU is of the window's processes (the app and its WebKit processes); the agent CLI of the live session is shown apart below.");
  lines.push("");
  lines.push("## Per run");
  lines.push("");
  lines.push("| app | run | first paint | settled | idle PSS (app / web / network / helpers) | idle CPU | open: IPC / body parsed / applied / loaded / painted | PSS after open | focused CPU: app / web (agent) |");
  lines.push("|---|--:|--:|--:|---|--:|---|--:|---|");
  const split = (cpu) => `${pct(cpu.byKind.app ?? 0)} / ${pct((cpu.byKind.web ?? 0) + (cpu.byKind.network ?? 0) + (cpu.byKind.helper ?? 0))}`;
  const parts = (p) => `${mb(p.total)} (${mb(p.app)} / ${mb(p.web)} / ${mb(p.network)} / ${mb(p.helper)})`;
  minimal.forEach((r, i) =>
    lines.push(`| minimal | ${i + 1} | ${secs(r.firstPaintMs)} | ${secs(r.settledMs)} | ${parts(r.idlePss)} | ${pct(r.idleCpu.window)} | – | – | ${pct(r.focusedCpu.window)}: ${split(r.focusedCpu)} |`),
  );
  warden.forEach((r, i) =>
    lines.push(
      `| Warden | ${i + 1} | ${secs(r.firstPaintMs)} | ${secs(r.settledMs)} | ${parts(r.idlePss)} | ${pct(r.idleCpu.window)} | ` +
        `${secs(ipcMs(r))} / ${secs(r.open.ipc.at(-1)?.bodyMs)} / ${secs(r.open.appliedMs)} / ${secs(r.open.loadedMs)} / ${secs(r.open.paintedMs)} | ${parts(r.openPss)} | ` +
        `${pct(r.focusedCpu.window)}: ${split(r.focusedCpu)} (${pct(r.focusedCpu.agent)}) |`,
    ),
  );
  lines.push("");
  lines.push(
    "First paint is the page's first contentful paint, settled the last DOM change or resource (IPC included) before a quiet second, both from the moment WebKitWebDriver was asked to start the app. " +
      "Open: IPC is the `claude_history_events` call from its request to its answer's headers (read, convert, serialise, transfer), body parsed when the page has read and parsed the answer (times from the click); applied when the events are applied to the transcript; loaded adds rendering the view; painted two frames more. The chat texts far from the end come later, a page at a time as their rows are drawn (\`claude_history_texts\`); the first screen has all of its own. " +
      "Memory: PSS from /proc/<pid>/smaps_rollup of the app and every process below it (WebKitWebProcess, WebKitNetworkProcess, bwrap, xdg-dbus-proxy), agents left out. CPU: utime + stime from /proc/<pid>/stat.",
  );
  lines.push("");
  return lines.join("\n");
}

function log(message) {
  process.stderr.write(`bench-ui: ${message}\n`);
}

main().catch((e) => {
  process.stderr.write(`bench-ui: ${e.stack ?? e}\n`);
  process.exit(1);
});
