// Writes a long Claude Code transcript (a `<session id>.jsonl` as Claude Code 2.1 writes it) for
// the window benchmark (bench-session.mjs): the session Warden opens through its Claude Code
// history view. The shapes follow the transcripts Claude Code wrote for the engine's fixtures
// (src-tauri/crates/warden-engine/tests/fixtures/claude-history/): one line per content block of
// an assistant message (thinking, text, tool use) carrying the message's id and usage, user lines
// carrying tool results with the tool's structured result beside them (`toolUseResult`), and the
// bookkeeping lines Claude adds (attachments, queue operations, turn durations).
//
// The content is what a long working session looks like: prompts, reasoning, markdown answers
// with code, and tool calls (Bash with ANSI-coloured test output, Read of whole files, Grep,
// Edit, Write, to-do lists) whose outputs average `outputKb`. The same seed gives the same file
// except for the timestamps, which end "now".
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

/** A small deterministic random source (xorshift64*), so runs compare like with like. */
class Rng {
  constructor(seed) {
    this.s = BigInt(seed) * 0x9e3779b97f4a7c15n + 1n;
  }
  next() {
    let x = this.s & 0xffffffffffffffffn;
    x ^= x >> 12n;
    x ^= (x << 25n) & 0xffffffffffffffffn;
    x ^= x >> 27n;
    this.s = x;
    return Number(((x * 0x2545f4914f6cdd1dn) & 0xffffffffffffffffn) >> 11n) / 2 ** 53;
  }
  below(n) {
    return Math.floor(this.next() * n);
  }
  range(lo, hi) {
    return lo + this.below(hi - lo + 1);
  }
  pick(items) {
    return items[this.below(items.length)];
  }
  chance(p) {
    return this.next() < p;
  }
  hex(n) {
    let out = "";
    while (out.length < n) out += this.below(16).toString(16);
    return out;
  }
  uuid() {
    const h = this.hex(32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
}

const WORDS = (
  "the engine store session journal window event stream tool output parser request snapshot " +
  "worktree branch commit test build cache index query handler channel buffer reader writer " +
  "config option error result value state record transcript timeline permission prompt agent"
).split(" ");
const FILES = ["src/store/mod.rs", "src/engine/turn.rs", "src/ledger/entry.rs", "ui/src/App.tsx", "ui/src/chat/List.tsx",
  "src/parser/lines.rs", "src/api/routes.rs", "tests/ledger.rs", "src/config.rs", "ui/src/model/store.ts"];

/**
 * Writes the transcript of session `id` for `project` into `configDir/projects/<encoded>/` and
 * returns its path and line count. `lines` is the total number of lines, `toolCalls` how many
 * tool calls they hold, `outputKb` the mean size of a tool's output.
 */
export function writeClaudeSession({ configDir, project, id, lines = 20_000, toolCalls = 2_000, outputKb = 16, seed = 1 }) {
  const rng = new Rng(seed);
  const dir = path.join(configDir, "projects", encodeProject(project));
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${id}.jsonl`);
  const out = [];
  const turns = Math.max(1, Math.round(toolCalls / 10));
  // Fixed lines: per turn a prompt, an attachment, a closing answer and a turn duration; per
  // tool call a thinking block, a text block, the call and its result. The rest are extra
  // blocks of reasoning and answer spread over the turns.
  const fixed = turns * 4 + toolCalls * 4;
  const extra = Math.max(0, lines - fixed);
  const lineMs = 1_500;
  let now = Date.now() - lines * lineMs;
  let parent = null;
  let messages = 0;
  let cost = 0;
  const base = (type) => ({
    parentUuid: parent,
    isSidechain: false,
    type,
    uuid: rng.uuid(),
    timestamp: new Date((now += rng.range(200, 2 * lineMs))).toISOString(),
    userType: "external",
    entrypoint: "cli",
    cwd: project,
    sessionId: id,
    version: "2.1.329",
    gitBranch: "main",
  });
  const push = (line) => {
    if (out.length >= lines) return;
    parent = line.uuid ?? parent;
    out.push(JSON.stringify(line));
  };
  const usage = () => ({
    input_tokens: rng.range(2, 40),
    cache_creation_input_tokens: rng.range(0, 4_000),
    cache_read_input_tokens: rng.range(20_000, 140_000),
    output_tokens: rng.range(40, 2_000),
    service_tier: "standard",
    cache_creation: { ephemeral_1h_input_tokens: 0, ephemeral_5m_input_tokens: 0 },
  });
  const assistant = (msg, index, block, stop) => ({
    ...base("assistant"),
    message: {
      id: msg.id,
      type: "message",
      role: "assistant",
      model: "claude-sonnet-4-5-20250929",
      content: [block],
      stop_reason: stop,
      stop_sequence: null,
      usage: msg.usage,
    },
    requestId: msg.request,
    apiBlockIndex: index,
  });
  const newMessage = () => ({ id: `msg_01${rng.hex(22)}`, request: `req_011${rng.hex(21)}`, usage: usage(), blocks: 0 });
  const sentence = () => {
    const n = rng.range(8, 20);
    const words = Array.from({ length: n }, () => rng.pick(WORDS));
    words[0] = words[0][0].toUpperCase() + words[0].slice(1);
    return `${words.join(" ")}${rng.pick([".", ".", ".", ":", "?"])}`;
  };
  const paragraph = (lo, hi) => Array.from({ length: rng.range(lo, hi) }, sentence).join(" ");
  const answer = () => {
    const parts = [paragraph(2, 5)];
    if (rng.chance(0.4)) parts.push(`\`\`\`rust\n${code(rng.range(300, 1_200))}\`\`\``);
    if (rng.chance(0.5)) parts.push(Array.from({ length: rng.range(2, 5) }, () => `- ${sentence()}`).join("\n"));
    if (rng.chance(0.5)) parts.push(paragraph(1, 3));
    return parts.join("\n\n");
  };
  const code = (bytes) => {
    let text = "";
    let n = 1;
    while (text.length < bytes) {
      const noun = rng.pick(WORDS);
      text += rng.pick([
        `pub fn ${noun}_${n}(&self, ${noun}: &str) -> Result<(), Error> {\n`,
        `    let ${noun} = self.${rng.pick(WORDS)}.get(${noun})?;\n`,
        `    // The ${noun} is read once, then kept.\n`,
        `    if ${noun}.is_empty() { return Ok(()); }\n`,
        `}\n`,
      ]);
      n++;
    }
    return text;
  };
  const sized = () => Math.max(200, Math.round(outputKb * 1024 * (0.25 + rng.next() * 1.5)));
  const tool = () => {
    const kind = rng.pick(["Bash", "Bash", "Read", "Read", "Grep", "Edit", "Write", "TodoWrite"]);
    const file = `${project}/${rng.pick(FILES)}`;
    switch (kind) {
      case "Bash": {
        const size = sized();
        let stdout = "";
        let i = 0;
        while (stdout.length < size) {
          const ok = rng.chance(0.93);
          stdout += `test ${rng.pick(WORDS)}::${rng.pick(WORDS)}_${i++} ... ${ok ? "\u001b[32mok\u001b[0m" : "\u001b[31mFAILED\u001b[0m"}\n`;
        }
        return { name: "Bash", input: { command: "cargo test --workspace 2>&1 | tail -400", description: "Run the tests" }, text: stdout, result: { stdout, stderr: "", interrupted: false, isImage: false } };
      }
      case "Read": {
        const content = code(sized());
        const numbered = content.split("\n").map((l, n) => `${String(n + 1).padStart(6)}\u2192${l}`).join("\n");
        return { name: "Read", input: { file_path: file }, text: numbered, result: { type: "text", file: { filePath: file, content, numLines: content.split("\n").length, startLine: 1, totalLines: content.split("\n").length } } };
      }
      case "Grep": {
        const size = sized() / 2;
        let text = "";
        while (text.length < size) text += `${project}/${rng.pick(FILES)}:${rng.range(1, 900)}:    let ${rng.pick(WORDS)} = ${rng.pick(WORDS)}();\n`;
        return { name: "Grep", input: { pattern: rng.pick(WORDS), path: project, output_mode: "content", "-n": true }, text, result: { mode: "content", numFiles: 4, filenames: [], content: text, numLines: text.split("\n").length } };
      }
      case "Edit": {
        const old_string = code(rng.range(100, 600));
        const new_string = code(rng.range(100, 600));
        const text = `The file ${file} has been updated. Here's the result of running \`cat -n\` on a snippet of the edited file:\n${code(1_000)}`;
        return { name: "Edit", input: { file_path: file, old_string, new_string, replace_all: false }, text, result: { filePath: file, oldString: old_string, newString: new_string, originalFile: code(sized()), structuredPatch: [], userModified: false, replaceAll: false } };
      }
      case "Write": {
        const content = code(rng.range(500, 4_000));
        return { name: "Write", input: { file_path: file, content }, text: `File created successfully at: ${file}`, result: { type: "create", filePath: file, content, structuredPatch: [] } };
      }
      default: {
        const todos = Array.from({ length: rng.range(3, 7) }, (_, i) => ({ content: sentence(), status: i < 2 ? "completed" : i === 2 ? "in_progress" : "pending", activeForm: sentence() }));
        return { name: "TodoWrite", input: { todos }, text: "Todos have been modified successfully. Ensure that you continue to use the todo list to track your progress.", result: { oldTodos: [], newTodos: todos } };
      }
    }
  };

  let callsLeft = toolCalls;
  let extraLeft = extra;
  for (let turn = 0; turn < turns && out.length < lines; turn++) {
    const turnsLeft = turns - turn;
    const calls = Math.round(callsLeft / turnsLeft);
    const extras = Math.round(extraLeft / turnsLeft);
    callsLeft -= calls;
    extraLeft -= extras;
    const prompt = `${paragraph(1, 3)} Start with ${rng.pick(FILES)}.`;
    push({ ...base("user"), promptId: rng.uuid(), message: { role: "user", content: prompt }, permissionMode: "default" });
    push({ ...base("attachment"), attachment: { type: "todo_reminder", content: [], itemCount: 0 } });
    // Extra blocks go before the calls, between them, and into the closing answer.
    const slots = calls + 1;
    let extrasLeft = extras;
    for (let c = 0; c <= calls; c++) {
      const msg = newMessage();
      messages++;
      let index = 0;
      const here = Math.round(extrasLeft / (slots - c));
      extrasLeft -= here;
      for (let e = 0; e < here; e++) {
        const thinking = rng.chance(0.4);
        push(assistant(msg, index++, thinking ? { type: "thinking", thinking: paragraph(2, 6), signature: rng.hex(64) } : { type: "text", text: answer() }, c < calls ? "tool_use" : "end_turn"));
      }
      if (c === calls) {
        push(assistant(msg, index++, { type: "text", text: answer() }, "end_turn"));
        break;
      }
      push(assistant(msg, index++, { type: "thinking", thinking: paragraph(1, 4), signature: rng.hex(64) }, "tool_use"));
      push(assistant(msg, index++, { type: "text", text: paragraph(1, 2) }, "tool_use"));
      const t = tool();
      const callId = `toolu_01${rng.hex(22)}`;
      const use = assistant(msg, index++, { type: "tool_use", id: callId, name: t.name, input: t.input }, "tool_use");
      push(use);
      const failed = t.name === "Bash" && rng.chance(0.1);
      push({
        ...base("user"),
        message: { role: "user", content: [{ tool_use_id: callId, type: "tool_result", content: t.text, is_error: failed }] },
        toolUseResult: failed ? `Error: ${t.text.slice(0, 2_000)}` : t.result,
        sourceToolAssistantUUID: use.uuid,
      });
    }
    cost += 0.05 + rng.next() * 0.4;
    push({ ...base("system"), subtype: "turn_duration", durationMs: rng.range(5_000, 300_000), isMeta: false });
  }
  // Bookkeeping lines fill up to the exact count if the turns came out short.
  while (out.length < lines) push({ type: "queue-operation", operation: "dequeue", timestamp: new Date((now += 10)).toISOString(), sessionId: id });
  const text = `${out.join("\n")}\n`;
  writeFileSync(file, text);
  return { file, lines: out.length, bytes: Buffer.byteLength(text), messages, toolCalls };
}

/** The folder name Claude Code keeps a project's transcripts under (short paths only). */
export function encodeProject(project) {
  const name = project.replace(/[^a-zA-Z0-9]/g, "-");
  if (name.length > 200) throw new Error(`project path too long for the benchmark: ${project}`);
  return name;
}
