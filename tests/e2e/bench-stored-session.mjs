// Benchmark: open a long stored Warden session in the real webview, scroll it, and measure it.
//
// Generates a stored Claude session (20,000 events, 2,000 tool calls with outputs of ~16 KB by
// default) with `warden-gen-session`, starts the built app on it under WebKitWebDriver, and
// measures, inside the page:
//   - open time: click on the session's row → its view has applied the stored transcript
//     (`data-loaded="true"`) → two animation frames later (painted);
//   - the first interaction right after that: a tool row's details open (aria-expanded flips);
//   - scrolling the chat and the tool timeline frame by frame for ~3 s: a sweep from top to
//     bottom, and a steady 2,000 px/s from the top; with an idle page's frames for comparison;
//   - the number of DOM nodes (bounded when the lists are virtualised);
// and, from /proc, the CPU time the app and its web process spend on the open, and the
// resident memory of the app and its WebKit processes before opening, after opening, after
// scrolling and after closing the tab. The open is repeated (3 times by default; the tab is
// closed in between, or the app restarted when there is no close control) and the median
// reported.
//
// It builds nothing: build the UI, the app and the generator first (`npm --prefix ui run build`,
// `cargo build --features custom-protocol`, `cargo build -p warden-mock-models --bin
// warden-gen-session`), then run `xvfb-run -a -s "-screen 0 1280x800x24" node
// tests/e2e/bench-stored-session.mjs`. (`make bench-ui` runs the window's figures instead:
// bench-session.mjs.) It prints a Markdown report and writes it to
// tests/artifacts/bench/session-open.md. It is a benchmark, not a test: nothing here fails on
// a slow number, only on a UI that cannot be driven at all.
//
// Options: --events N --tool-calls N --output-kb N --runs N --scroll-ms N --keep (keeps the
// generated data folder), or BENCH_EVENTS, BENCH_TOOL_CALLS, BENCH_OUTPUT_KB, BENCH_RUNS in the
// environment; BENCH_CLOSE_WAIT_MS adds a memory sample that long after each tab close.
// WARDEN_BIN and WARDEN_GEN_SESSION name other builds (make bench-ui BENCH_PROFILE=release).
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Driver, waitFor } from "./webdriver.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const targetDir = process.env.CARGO_TARGET_DIR ?? path.join(root, "target");
const binary = process.env.WARDEN_BIN ?? path.join(targetDir, "debug", "warden-window");
const generator = process.env.WARDEN_GEN_SESSION ?? path.join(targetDir, "debug", "warden-gen-session");
const reportFile = path.join(root, "tests", "artifacts", "bench", "session-open.md");

const options = parseOptions(process.argv.slice(2));
const loadStart = os.loadavg().map((l) => l.toFixed(1)).join(" ");
/** How long one in-page measurement may take before it is given up. */
const SCRIPT_TIMEOUT_MS = 180_000;
/** The steady scroll speed, px per second: a fast flick of a wheel or trackpad. */
const WHEEL_PX_PER_S = 2_000;

function parseOptions(argv) {
  const env = process.env;
  const o = {
    events: Number(env.BENCH_EVENTS ?? 20_000),
    toolCalls: Number(env.BENCH_TOOL_CALLS ?? 2_000),
    outputKb: Number(env.BENCH_OUTPUT_KB ?? 16),
    runs: Number(env.BENCH_RUNS ?? 3),
    scrollMs: 3_000,
    keep: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => Number(argv[++i]);
    if (flag === "--events") o.events = value();
    else if (flag === "--tool-calls") o.toolCalls = value();
    else if (flag === "--output-kb") o.outputKb = value();
    else if (flag === "--runs") o.runs = Math.max(1, value());
    else if (flag === "--scroll-ms") o.scrollMs = value();
    else if (flag === "--keep") o.keep = true;
    else throw new Error(`unknown option ${flag} (known: --events --tool-calls --output-kb --runs --scroll-ms --keep)`);
  }
  return o;
}

// --- processes and memory ----------------------------------------------------------------------

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

/** Every process below `rootPid`. */
function descendants(rootPid) {
  const table = processTable();
  const children = new Map();
  for (const [pid, { ppid }] of table) {
    if (!children.has(ppid)) children.set(ppid, []);
    children.get(ppid).push(pid);
  }
  const out = [];
  const queue = [...(children.get(rootPid) ?? [])];
  while (queue.length) {
    const pid = queue.shift();
    out.push({ pid, name: table.get(pid).name });
    queue.push(...(children.get(pid) ?? []));
  }
  return out;
}

function statusKb(pid, field) {
  try {
    const match = readFileSync(`/proc/${pid}/status`, "utf8").match(new RegExp(`^${field}:\\s+(\\d+) kB`, "m"));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

function group(name) {
  if (name === path.basename(binary)) return "app";
  if (name.startsWith("WebKitWebProces")) return "web";
  if (name.startsWith("WebKitNetworkPr")) return "network";
  return "other";
}

/** CPU time (user + system, ms) used so far by the app and its WebKit processes, by kind. */
function cpuTimes(driver) {
  const tick = 1000 / 100; // USER_HZ is 100 on Linux
  const out = { app: 0, web: 0, network: 0, other: 0 };
  for (const { pid, name } of descendants(driver.proc.pid)) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      // Fields 14 and 15 of stat (utime, stime) are 12 and 13 after the name.
      out[group(name)] += (Number(fields[11]) + Number(fields[12])) * tick;
    } catch {}
  }
  return out;
}

/** Resident memory (VmRSS, VmHWM) of the app and its WebKit processes, by kind, in kB. */
function memory(driver, label) {
  const sample = { label, app: 0, web: 0, network: 0, other: 0, total: 0, webHwm: 0, appHwm: 0, processes: [] };
  for (const { pid, name } of descendants(driver.proc.pid)) {
    const rss = statusKb(pid, "VmRSS");
    const hwm = statusKb(pid, "VmHWM");
    const kind = group(name);
    sample[kind] += rss;
    sample.total += rss;
    if (kind === "web") sample.webHwm += hwm;
    if (kind === "app") sample.appHwm += hwm;
    sample.processes.push({ pid, name, rss, hwm });
  }
  return sample;
}

// --- in-page measurements ----------------------------------------------------------------------

/** Clicks the row, waits for the loaded view, two frames, then the first interaction. */
const OPEN_SCRIPT = `
const [id, limitMs, done] = arguments;
const row = document.querySelector('[data-testid=session-row][data-session-id="' + id + '"]');
if (!row) return done({ error: 'no [data-testid=session-row][data-session-id="' + id + '"] in the page' });
const loadedSel = '[data-testid=session-view][data-session-id="' + id + '"][data-loaded="true"]';
const frames = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
const nodes = () => document.getElementsByTagName('*').length;
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
  const view = document.querySelector(loadedSel);
  const domNodes = nodes();
  const viewNodes = view.getElementsByTagName('*').length;
  // The first interaction, straight away: open the details of a tool call in the timeline.
  const toggles = [...view.querySelectorAll('[data-testid=timeline] [data-testid=tool-row] button[aria-expanded]'),
                   ...view.querySelectorAll('[data-testid=tool-row] [aria-expanded], [data-testid=tool-row][aria-expanded]')];
  const toggle = toggles[0];
  let interaction = null;
  if (toggle) {
    const toolId = toggle.closest('[data-testid=tool-row]')?.getAttribute('data-tool-id');
    const scope = toggle.closest('[data-testid=timeline]') ?? view;
    const before = toggle.getAttribute('aria-expanded');
    const current = () => {
      const r = toolId ? scope.querySelector('[data-testid=tool-row][data-tool-id="' + toolId + '"]') : null;
      const t = r ? (r.matches('[aria-expanded]') ? r : r.querySelector('[aria-expanded]')) : toggle;
      return t ? t.getAttribute('aria-expanded') : before;
    };
    const t1 = performance.now();
    toggle.click();
    while (current() === before && performance.now() - t1 < limitMs) await new Promise((r) => setTimeout(r, 0));
    const flippedMs = performance.now() - t1;
    await frames();
    interaction = { flippedMs, paintedMs: performance.now() - t1, flipped: current() !== before };
    // Put it back as it was (not timed).
    const again = toolId ? scope.querySelector('[data-testid=tool-row][data-tool-id="' + toolId + '"] [aria-expanded]') : toggle;
    again?.click();
    await frames();
  }
  done({ loadedMs, paintedMs, domNodes, viewNodes, interaction });
};
observer = new MutationObserver(() => { if (document.querySelector(loadedSel)) finish(); });
observer.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-loaded'] });
const poll = () => {
  if (finished) return;
  if (document.querySelector(loadedSel)) return finish();
  if (performance.now() - t0 > limitMs) {
    finished = true;
    observer.disconnect();
    const view = document.querySelector('[data-testid=session-view][data-session-id="' + id + '"]');
    return done({ error: view ? 'the session view never got data-loaded="true"' : 'no [data-testid=session-view][data-session-id] appeared' });
  }
  setTimeout(poll, 50);
};
row.click();
setTimeout(poll, 50);
`;

/**
 * Scrolls a container from the top, one step per frame, for `durationMs`: all the way to the
 * bottom (like dragging the scroll bar) when `pxPerSecond` is 0, else at that steady speed (like
 * a fast wheel or trackpad).
 */
const SCROLL_SCRIPT = `
const [selector, durationMs, pxPerSecond, done] = arguments;
let el = document.querySelector(selector);
if (el && el.scrollHeight <= el.clientHeight) {
  // The element named may wrap the one that scrolls.
  el = [...el.querySelectorAll('*')].find((e) => e.scrollHeight > e.clientHeight + 1 && /auto|scroll/.test(getComputedStyle(e).overflowY)) ?? el;
}
if (!el) return done(null);
const frame = () => new Promise((r) => requestAnimationFrame(r));
(async () => {
  el.scrollTop = 0;
  for (let i = 0; i < 10; i++) await frame();
  await new Promise((r) => setTimeout(r, 300));
  const intervals = [];
  let maxNodes = document.getElementsByTagName('*').length;
  let start = await frame();
  let last = start;
  let n = 0;
  for (;;) {
    const max = el.scrollHeight - el.clientHeight;
    const f = Math.min(1, (last - start) / durationMs);
    el.scrollTop = pxPerSecond > 0 ? Math.min(max, ((last - start) / 1000) * pxPerSecond) : f * max;
    if (++n % 10 === 0) maxNodes = Math.max(maxNodes, document.getElementsByTagName('*').length);
    if (f >= 1) break;
    const ts = await frame();
    intervals.push(ts - last);
    last = ts;
  }
  const distance = el.scrollTop;
  // A full sweep: rows measured on the way may have moved the bottom; follow it (not timed).
  let atBottom = false;
  for (let i = 0; i < 30 && pxPerSecond === 0; i++) {
    await frame();
    const max = el.scrollHeight - el.clientHeight;
    atBottom = el.scrollTop >= max - 4;
    if (atBottom && i >= 3) break;
    el.scrollTop = max;
  }
  done({ intervals, scrollHeight: el.scrollHeight, clientHeight: el.clientHeight, atBottom, distance, maxNodes });
})();
`;

/** Frame intervals of the page doing nothing, for comparison with the scroll. */
const IDLE_SCRIPT = `
const [durationMs, done] = arguments;
const frame = () => new Promise((r) => requestAnimationFrame(r));
(async () => {
  const intervals = [];
  const start = await frame();
  let last = start;
  while (last - start < durationMs) {
    const ts = await frame();
    intervals.push(ts - last);
    last = ts;
  }
  done({ intervals, scrollHeight: NaN, clientHeight: NaN, atBottom: true, maxNodes: document.getElementsByTagName('*').length });
})();
`;

// --- statistics and the report -----------------------------------------------------------------

function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
const median = (values) => percentile(values.filter((v) => Number.isFinite(v)), 50);
const ms = (v) => (Number.isFinite(v) ? (v >= 100 ? v.toFixed(0) : v.toFixed(1)) : "–");
const mb = (kb) => (kb / 1024).toFixed(0);

function frameStats(result) {
  const iv = result.intervals;
  const total = iv.reduce((a, b) => a + b, 0);
  return {
    frames: iv.length,
    fps: total > 0 ? (iv.length * 1000) / total : NaN,
    p50: percentile(iv, 50),
    p95: percentile(iv, 95),
    max: Math.max(...iv),
    over50: iv.filter((v) => v > 50).length,
    scrollHeight: result.scrollHeight,
    distance: result.distance,
    atBottom: result.atBottom,
    maxNodes: result.maxNodes,
  };
}

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
    `${os.type()} ${os.release()}, WebKitGTK ${webkit}, app ${path.relative(root, binary)} (${binary.includes("/release/") ? "release" : "debug"} build)`;
}

// --- the run -----------------------------------------------------------------------------------

async function main() {
  if (!process.env.DISPLAY) throw new Error("run under xvfb-run (make bench-ui does)");
  for (const [what, file] of [["the app", binary], ["the generator", generator]]) {
    if (!existsSync(file)) throw new Error(`${what} is not built: ${file} (make bench-ui builds it)`);
  }
  const scratch = mkdtempSync(path.join(os.tmpdir(), "warden-bench-"));
  const dataDir = path.join(scratch, "data");
  const project = path.join(scratch, "ledger");
  mkdirSync(project, { recursive: true });
  writeFileSync(path.join(project, "README.md"), "# ledger\n");

  log(`generating ${options.events} events, ${options.toolCalls} tool calls, ~${options.outputKb} KB outputs…`);
  const genStart = performance.now();
  const generated = execFileSync(
    generator,
    ["--data-dir", dataDir, "--project", project, "--events", String(options.events), "--tool-calls", String(options.toolCalls), "--output-kb", String(options.outputKb)],
    { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
  );
  const genMs = performance.now() - genStart;
  const sessionId = generated.trim().split("\n").pop();
  const dbBytes = statSync(path.join(dataDir, "sessions.db")).size;
  log(`session ${sessionId}: sessions.db ${(dbBytes / 1e6).toFixed(1)} MB in ${(genMs / 1000).toFixed(1)} s`);

  const driver = await Driver.start({ ...process.env, TAURI_WEBVIEW_AUTOMATION: "true" });
  const runs = [];
  const samples = [];
  const notes = [];
  let app = null;
  const rowSelector = `[data-testid=session-row][data-session-id="${sessionId}"]`;
  const launch = async () => {
    app = await driver.launch(binary, ["--data-dir", dataDir, project]);
    // The in-page measurements wait longer than WebDriver's default 30 s script timeout.
    await fetch(`${app.base}/timeouts`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ script: SCRIPT_TIMEOUT_MS }),
    });
    await waitFor(`the session row ${rowSelector}`, () => app.execute("return !!document.querySelector(arguments[0]);", [rowSelector]), 30_000)
      .catch(async (e) => {
        throw new Error(`${e.message}\n${await uiContract(app)}`);
      });
  };
  try {
    await launch();
    for (let run = 1; run <= options.runs; run++) {
      log(`run ${run}/${options.runs}`);
      await settle(app);
      samples.push(memory(driver, `run ${run}: before opening`));
      if (run === 1) log(`measuring ${samples.at(-1).processes.map((p) => `${p.name} (${p.pid})`).join(", ")}`);
      const idle = await app.executeAsync(IDLE_SCRIPT, [1_000]);
      const cpuBefore = cpuTimes(driver);
      const open = await app.executeAsync(OPEN_SCRIPT, [sessionId, SCRIPT_TIMEOUT_MS - 10_000]);
      const cpuAfter = cpuTimes(driver);
      open.cpu = Object.fromEntries(Object.keys(cpuAfter).map((k) => [k, cpuAfter[k] - (cpuBefore[k] ?? 0)]));
      if (open.error) throw new Error(`${open.error}\n${await uiContract(app)}`);
      if (!open.interaction) notes.push(`run ${run}: no [data-testid=tool-row] with an aria-expanded control was found, so no interaction was timed.`);
      else if (!open.interaction.flipped) notes.push(`run ${run}: clicking the tool row's control did not flip aria-expanded.`);
      samples.push(memory(driver, `run ${run}: after opening`));
      const viewSel = `[data-testid=session-view][data-session-id="${sessionId}"]`;
      const scrolls = {};
      for (const [name, css] of [["chat", "[data-testid=chat-scroll]"], ["timeline", "[data-testid=timeline]"]]) {
        const sweep = await app.executeAsync(SCROLL_SCRIPT, [`${viewSel} ${css}`, options.scrollMs, 0]);
        if (!sweep) {
          notes.push(`run ${run}: no ${css} in the session view; the ${name} was not scrolled.`);
          continue;
        }
        scrolls[name] = frameStats(sweep);
        if (!sweep.atBottom) notes.push(`run ${run}: the ${name} sweep did not come to rest at the bottom (its height kept changing).`);
        const steady = await app.executeAsync(SCROLL_SCRIPT, [`${viewSel} ${css}`, options.scrollMs, WHEEL_PX_PER_S]);
        scrolls[`${name} steady`] = frameStats(steady);
      }
      samples.push(memory(driver, `run ${run}: after scrolling`));
      runs.push({ run, open, idle: frameStats(idle), ...scrolls });
      log(`  open ${ms(open.paintedMs)} ms, interaction ${ms(open.interaction?.paintedMs)} ms, ${open.domNodes} nodes`);

      if (run === options.runs) break;
      // Close the tab, so the next open reads the session again; else start the app again.
      const closeSel = `[data-testid=tab][data-session-id="${sessionId}"] [data-testid=tab-close]`;
      const canClose = await app.execute("return !!(document.querySelector(arguments[0]) || document.querySelector('[data-testid=tab-close]'));", [closeSel]);
      if (canClose) {
        await app.execute("(document.querySelector(arguments[0]) || document.querySelector('[data-testid=tab-close]')).click();", [closeSel]);
        await waitFor("the session view to close", async () => !(await app.execute("return !!document.querySelector(arguments[0]);", [viewSel])));
        await settle(app);
        samples.push(memory(driver, `run ${run}: tab closed`));
        if (process.env.BENCH_CLOSE_WAIT_MS) {
          await new Promise((r) => setTimeout(r, Number(process.env.BENCH_CLOSE_WAIT_MS)));
          samples.push(memory(driver, `run ${run}: tab closed + ${process.env.BENCH_CLOSE_WAIT_MS} ms`));
        }
      } else {
        if (run === 1) notes.push("No [data-testid=tab-close]: the app was restarted between runs.");
        await app.close();
        await launch();
      }
    }
  } finally {
    await app?.close();
    await driver.stop();
    if (!options.keep) rmSync(scratch, { recursive: true, force: true });
    else log(`kept ${scratch}`);
  }

  const report = render({ sessionId, dbBytes, genMs, runs, samples, notes });
  mkdirSync(path.dirname(reportFile), { recursive: true });
  writeFileSync(reportFile, report);
  process.stdout.write(`\n${report}\nwritten to ${path.relative(root, reportFile)}\n`);
}

/** Waits for the page to be idle-ish: a quiet second and two frames. */
async function settle(app) {
  await new Promise((r) => setTimeout(r, 1000));
  await app.executeAsync("const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(() => done(true)));");
}

/** Which parts of the UI contract the page has, for an error message. */
async function uiContract(app) {
  const found = await app.execute(`
    const q = (s) => document.querySelectorAll(s).length;
    return ['[data-testid=project-view]', '[data-testid=session-row]', '[data-testid=session-row][data-session-id]',
            '[data-testid=session-view]', '[data-testid=session-view][data-session-id]', '[data-testid=session-view][data-loaded=true]',
            '[data-testid=chat-scroll]', '[data-testid=timeline]', '[data-testid=tool-row]', '[data-testid=tab-close]']
      .map((s) => s + ': ' + q(s)).join('\\n');`).catch((e) => `could not inspect the page: ${e.message}`);
  return `UI contract, elements found:\n${found}`;
}

function render({ sessionId, dbBytes, genMs, runs, samples, notes }) {
  const lines = [];
  const o = options;
  lines.push(`# Opening a ${o.events.toLocaleString("en")}-event session in the webview`);
  lines.push("");
  lines.push(`${new Date().toISOString()} · ${machine()} · load average ${loadStart} at the start, ${os.loadavg().map((l) => l.toFixed(1)).join(" ")} at the end`);
  lines.push("");
  lines.push(
    `Session ${sessionId}: ${o.events.toLocaleString("en")} events, ${o.toolCalls.toLocaleString("en")} tool calls, ` +
      `outputs ~${o.outputKb} KB, sessions.db ${(dbBytes / 1e6).toFixed(1)} MB (generated in ${(genMs / 1000).toFixed(1)} s by warden-gen-session).`,
  );
  lines.push("");
  lines.push("## Open");
  lines.push("");
  lines.push("Click on the session's row → the view has the stored transcript applied (`data-loaded`) → painted (two frames later);");
  lines.push("then, straight away, a click on a tool row's disclosure → `aria-expanded` flips → painted.");
  lines.push("");
  lines.push("| run | click → loaded (ms) | click → painted (ms) | first interaction (ms) | open → interactive (ms) | DOM nodes (page) | DOM nodes (view) | CPU app / web process (ms) |");
  lines.push("|---|--:|--:|--:|--:|--:|--:|--:|");
  const cpu = (r) => `${ms(r.open.cpu.app)} / ${ms(r.open.cpu.web)}`;
  const interactive = (r) => r.open.paintedMs + (r.open.interaction?.paintedMs ?? NaN);
  for (const r of runs) {
    lines.push(`| ${r.run} | ${ms(r.open.loadedMs)} | ${ms(r.open.paintedMs)} | ${ms(r.open.interaction?.paintedMs)} | ${ms(interactive(r))} | ${r.open.domNodes} | ${r.open.viewNodes} | ${cpu(r)} |`);
  }
  lines.push(
    `| **median** | **${ms(median(runs.map((r) => r.open.loadedMs)))}** | **${ms(median(runs.map((r) => r.open.paintedMs)))}** | ` +
      `**${ms(median(runs.map((r) => r.open.interaction?.paintedMs ?? NaN)))}** | **${ms(median(runs.map(interactive)))}** | ` +
      `${median(runs.map((r) => r.open.domNodes))} | ${median(runs.map((r) => r.open.viewNodes))} | ` +
      `${ms(median(runs.map((r) => r.open.cpu.app)))} / ${ms(median(runs.map((r) => r.open.cpu.web)))} |`,
  );
  lines.push("");
  lines.push("## Scroll");
  lines.push("");
  lines.push(
    `From the top, one step per animation frame for ${(o.scrollMs / 1000).toFixed(1)} s: a *sweep* goes all the way to the bottom ` +
      `(like dragging the scroll bar); *steady* scrolls at ${WHEEL_PX_PER_S.toLocaleString("en")} px/s (a fast wheel or trackpad). ` +
      "Frame times are the intervals between animation frames; the idle rows show what the page does with nothing to do.",
  );
  lines.push("");
  lines.push("| list | run | height (px) | scrolled (px) | frames | fps | p50 (ms) | p95 (ms) | max (ms) | frames > 50 ms | max DOM nodes |");
  lines.push("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
  const labels = { idle: "idle, before opening", chat: "chat, sweep", "chat steady": "chat, steady", timeline: "timeline, sweep", "timeline steady": "timeline, steady" };
  for (const key of Object.keys(labels)) {
    for (const r of runs) {
      const s = r[key];
      if (!s) {
        lines.push(`| ${labels[key]} | ${r.run} | not found | | | | | | | | |`);
        continue;
      }
      const height = Number.isFinite(s.scrollHeight) ? s.scrollHeight : "–";
      const scrolled = Number.isFinite(s.distance) ? Math.round(s.distance) : "–";
      lines.push(
        `| ${labels[key]} | ${r.run} | ${height} | ${scrolled} | ${s.frames} | ${s.fps.toFixed(0)} | ${ms(s.p50)} | ${ms(s.p95)} | ${ms(s.max)} | ${s.over50} | ${s.maxNodes} |`,
      );
    }
    const all = runs.map((r) => r[key]).filter(Boolean);
    if (runs.length > 1 && all.length) {
      lines.push(
        `| **${labels[key]}** | **median** | | | ${median(all.map((s) => s.frames))} | ${median(all.map((s) => s.fps)).toFixed(0)} | ` +
          `**${ms(median(all.map((s) => s.p50)))}** | **${ms(median(all.map((s) => s.p95)))}** | ${ms(median(all.map((s) => s.max)))} | ` +
          `**${median(all.map((s) => s.over50))}** | ${median(all.map((s) => s.maxNodes))} |`,
      );
    }
  }
  lines.push("");
  lines.push("## Memory (resident, MB)");
  lines.push("");
  lines.push("VmRSS from /proc of the app and its WebKit processes (`other`: the sandbox and D-Bus proxy helpers); HWM is the peak (VmHWM).");
  lines.push("");
  lines.push("| when | app | WebKitWebProcess | WebKitNetworkProcess | other | total | app HWM | web HWM |");
  lines.push("|---|--:|--:|--:|--:|--:|--:|--:|");
  for (const s of samples) {
    lines.push(`| ${s.label} | ${mb(s.app)} | ${mb(s.web)} | ${mb(s.network)} | ${mb(s.other)} | **${mb(s.total)}** | ${mb(s.appHwm)} | ${mb(s.webHwm)} |`);
  }
  const first = samples.find((x) => x.label.endsWith("before opening"));
  const last = samples.at(-1);
  if (first && last && runs.length > 1) {
    lines.push("");
    lines.push(
      `Over ${runs.length} opens: WebKitWebProcess ${mb(first.web)} → ${mb(last.web)} MB, app ${mb(first.app)} → ${mb(last.app)} MB ` +
        `(before the first open → the last sample).`,
    );
  }
  if (notes.length) {
    lines.push("");
    lines.push("## Notes");
    lines.push("");
    for (const n of notes) lines.push(`- ${n}`);
  }
  lines.push("");
  return lines.join("\n");
}

function log(message) {
  process.stderr.write(`bench-session: ${message}\n`);
}

main().catch((e) => {
  process.stderr.write(`bench-session: ${e.stack ?? e}\n`);
  process.exit(1);
});
