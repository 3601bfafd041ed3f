//! `warden-gen-session --data-dir DIR --project PATH [--tool-calls 2000] [--events 20000]
//! [--output-kb 16] [--turns N] [--seed N] [--start-ms MS]`
//!
//! Writes one stopped Claude session of exactly `--events` events into `DIR/sessions.db`, through
//! the same store the app uses, and prints its id. The content is what a long real session looks
//! like: turns of prompts, visible reasoning and markdown answers streamed in several chunks, tool
//! calls (Bash with ANSI-coloured output, Read of whole files, Edit, Grep, Write, to-do lists,
//! subagents with their own nested calls) that go pending → running → completed or failed, plan
//! updates and turns that end with usage and cost. Used by the UI benchmark
//! (`tests/e2e/bench-session.mjs`) to measure opening and scrolling a 20,000-event session.
//!
//! The same seed gives the same session (ids, text, sizes, timing); only the timestamps follow
//! the clock, so that the session ends "now", unless `--start-ms` pins them too.

use serde_json::{json, Value};
use std::path::Path;
use std::time::Instant;
use warden_core::session::*;
use warden_engine::{Store, SESSIONS_DB};

const USAGE: &str = "usage: warden-gen-session --data-dir DIR --project PATH [--tool-calls 2000] [--events 20000] \
[--output-kb 16] [--turns N] [--seed N] [--start-ms MS]";

const MODEL: &str = "claude-sonnet-4-5-20250929";
const CLAUDE_VERSION: &str = "2.1.329";

struct Args {
    data_dir: String,
    project: String,
    tool_calls: usize,
    events: usize,
    output_kb: usize,
    turns: Option<usize>,
    seed: u64,
    start_ms: Option<u64>,
}

fn parse_args() -> anyhow::Result<Args> {
    let mut args = Args {
        data_dir: String::new(),
        project: String::new(),
        tool_calls: 2000,
        events: 20_000,
        output_kb: 16,
        turns: None,
        seed: 1,
        start_ms: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        if flag == "-h" || flag == "--help" {
            println!("{USAGE}");
            std::process::exit(0);
        }
        const KNOWN: [&str; 8] =
            ["--data-dir", "--project", "--tool-calls", "--events", "--output-kb", "--turns", "--seed", "--start-ms"];
        anyhow::ensure!(KNOWN.contains(&flag.as_str()), "unknown option {flag}\n{USAGE}");
        let value = it.next().ok_or_else(|| anyhow::anyhow!("{flag} needs a value\n{USAGE}"))?;
        let number = |v: &str| v.parse::<u64>().map_err(|_| anyhow::anyhow!("{flag}: not a number: {v}"));
        match flag.as_str() {
            "--data-dir" => args.data_dir = value,
            "--project" => args.project = value,
            "--tool-calls" => args.tool_calls = number(&value)? as usize,
            "--events" => args.events = number(&value)? as usize,
            "--output-kb" => args.output_kb = number(&value)? as usize,
            "--turns" => args.turns = Some(number(&value)?.max(1) as usize),
            "--seed" => args.seed = number(&value)?,
            "--start-ms" => args.start_ms = Some(number(&value)?),
            _ => unreachable!("checked above"),
        }
    }
    anyhow::ensure!(!args.data_dir.is_empty() && !args.project.is_empty(), "{USAGE}");
    Ok(args)
}

fn main() -> std::process::ExitCode {
    match run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("warden-gen-session: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn run() -> anyhow::Result<()> {
    let args = parse_args()?;
    let begun = Instant::now();
    let project = warden_engine::resolve_project_dir(&args.project)?.to_string_lossy().into_owned();

    let mut gen = Gen::new(args.seed, project.clone(), args.output_kb.max(1) * 1024);
    let session_id = SessionId(gen.rng.uuid());
    let turns = args.turns.unwrap_or_else(|| (args.tool_calls / 20).max(1));
    let items = gen.session(&session_id, turns, args.tool_calls);
    let events = materialise(items, args.events, &mut gen.rng)?;

    let span: u64 = events.iter().map(|(dt, _)| dt).sum();
    let start_ms = args.start_ms.unwrap_or_else(|| warden_engine::now_ms().saturating_sub(span));
    let store = Store::open(&Path::new(&args.data_dir).join(SESSIONS_DB))?.store;
    anyhow::ensure!(
        store.session(&session_id)?.is_none(),
        "session {session_id} (seed {}) is already in {}; pass another --seed",
        args.seed,
        store.path().display()
    );
    let record = SessionRecord::new(
        session_id.clone(),
        project,
        AgentKind::Claude,
        Some(MODEL.into()),
        PermissionMode::Default,
        start_ms,
    );
    store.create_session(&record)?;
    let mut at_ms = start_ms;
    let mut bytes = 0usize;
    for (i, (dt, kind)) in events.into_iter().enumerate() {
        at_ms += dt;
        let event = SessionEvent { session_id: session_id.clone(), seq: i as u64 + 1, at_ms, kind };
        bytes += serde_json::to_string(&event.kind).map(|s| s.len()).unwrap_or(0);
        store.append(&event)?;
    }
    let stored = store.session(&session_id)?.expect("just written");
    eprintln!(
        "warden-gen-session: {} events ({} tool calls, {} turns, {:.1} MB of event JSON, {:.1} h of session) in {:.1} s",
        stored.last_seq,
        gen.tool_calls_made,
        stored.turns,
        bytes as f64 / 1e6,
        span as f64 / 3.6e6,
        begun.elapsed().as_secs_f64()
    );
    println!("{session_id}");
    Ok(())
}

// --- the event script --------------------------------------------------------------------------

/// One step of the script: an event as it is, or a text that is streamed as several chunks.
enum Item {
    Event { dt: u64, kind: SessionEventKind },
    Text { thought: bool, message_id: MessageId, part: u32, parent: Option<ToolCallId>, text: String },
}

/// Splits every text into chunks so that the whole script has exactly `total` events, and gives
/// each event the milliseconds since the one before.
fn materialise(items: Vec<Item>, total: usize, rng: &mut Rng) -> anyhow::Result<Vec<(u64, SessionEventKind)>> {
    let fixed = items.iter().filter(|i| matches!(i, Item::Event { .. })).count();
    let lengths: Vec<usize> = items
        .iter()
        .filter_map(|i| match i {
            Item::Text { text, .. } => Some(text.chars().count()),
            Item::Event { .. } => None,
        })
        .collect();
    let needed = fixed + lengths.len();
    anyhow::ensure!(
        total >= needed,
        "--events {total} is too few for this session: its tool calls and turns alone need {needed} (lower --tool-calls or --turns)"
    );
    let capacity: usize = lengths.iter().sum();
    anyhow::ensure!(fixed + capacity >= total, "--events {total} is more than this session's text can be split into");
    let chunks = allocate(total - fixed, &lengths);

    let mut out = Vec::with_capacity(total);
    let mut text_index = 0;
    for item in items {
        match item {
            Item::Event { dt, kind } => out.push((dt, kind)),
            Item::Text { thought, message_id, part, parent, text } => {
                for piece in split(&text, chunks[text_index], rng) {
                    let chunk =
                        MessageChunk { message_id: message_id.clone(), part, parent: parent.clone(), text: piece };
                    let kind = if thought {
                        SessionEventKind::AgentThoughtChunk(chunk)
                    } else {
                        SessionEventKind::AgentMessageChunk(chunk)
                    };
                    // The engine merges streamed text every 25 ms; a chunk is one such tick or a few.
                    out.push((rng.range(25, 90), kind));
                }
                text_index += 1;
            }
        }
    }
    debug_assert_eq!(out.len(), total);
    Ok(out)
}

/// `total` chunks over texts of these lengths: at least one each, the rest by length.
fn allocate(total: usize, lengths: &[usize]) -> Vec<usize> {
    let mut chunks = vec![1usize; lengths.len()];
    let mut extra = total - lengths.len();
    let room: usize = lengths.iter().map(|l| l - 1).sum();
    if room > 0 {
        let share = extra as f64 / room as f64;
        for (c, l) in chunks.iter_mut().zip(lengths) {
            let more = (((l - 1) as f64) * share).floor() as usize;
            *c += more;
            extra -= more;
        }
    }
    // What rounding left over goes to the longest texts that still have room.
    let mut order: Vec<usize> = (0..lengths.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(lengths[i]));
    while extra > 0 {
        for &i in &order {
            if extra == 0 {
                break;
            }
            if chunks[i] < lengths[i] {
                chunks[i] += 1;
                extra -= 1;
            }
        }
    }
    chunks
}

/// `text` in `n` non-empty pieces of roughly equal size, cut after a space where one is near.
fn split(text: &str, n: usize, rng: &mut Rng) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let len = chars.len();
    let mut cuts = Vec::with_capacity(n + 1);
    cuts.push(0);
    for i in 1..n {
        let target = i * len / n;
        let jitter = (len / n / 3).max(1);
        let mut pos = target + rng.below(jitter as u64) as usize;
        if let Some(space) = chars[pos.min(len - 1)..(pos + 12).min(len)].iter().position(|c| *c == ' ') {
            pos += space + 1;
        }
        let lowest = cuts[i - 1] + 1;
        let highest = len - (n - i);
        cuts.push(pos.clamp(lowest, highest));
    }
    cuts.push(len);
    cuts.windows(2).map(|w| chars[w[0]..w[1]].iter().collect()).collect()
}

// --- the generator -----------------------------------------------------------------------------

struct Gen {
    rng: Rng,
    project: String,
    output_bytes: usize,
    items: Vec<Item>,
    tool_calls_made: usize,
    session_cost: f64,
    context_tokens: u64,
    plan: Vec<(String, String, PlanEntryStatus)>,
}

/// One tool call, with everything it will report.
struct Call {
    id: ToolCallId,
    parent: Option<ToolCallId>,
    name: &'static str,
    input: Value,
    output: String,
    raw_output: Option<Value>,
    failed: bool,
    duration_ms: u64,
    plan: Option<Vec<PlanEntry>>,
}

impl Gen {
    fn new(seed: u64, project: String, output_bytes: usize) -> Self {
        Self {
            rng: Rng::new(seed),
            project,
            output_bytes,
            items: Vec::new(),
            tool_calls_made: 0,
            session_cost: 0.0,
            context_tokens: 18_000,
            plan: Vec::new(),
        }
    }

    fn event(&mut self, dt: u64, kind: SessionEventKind) {
        self.items.push(Item::Event { dt, kind });
    }

    fn text(&mut self, thought: bool, message_id: &MessageId, part: u32, parent: &Option<ToolCallId>, text: String) {
        self.items.push(Item::Text { thought, message_id: message_id.clone(), part, parent: parent.clone(), text });
    }

    fn session(&mut self, id: &SessionId, turns: usize, tool_calls: usize) -> Vec<Item> {
        self.event(
            0,
            SessionEventKind::Started(SessionStarted {
                agent: AgentKind::Claude,
                cwd: self.project.clone(),
                program: "/home/dev/.local/bin/claude".into(),
                pid: Some(48_213),
                version: Some(CLAUDE_VERSION.into()),
                model: Some(MODEL.into()),
                permission_mode: PermissionMode::Default,
                resumed: false,
            }),
        );
        self.event(3, SessionEventKind::Status(SessionStatus::Starting));
        let tools = [
            "Task",
            "Bash",
            "Glob",
            "Grep",
            "Read",
            "Edit",
            "Write",
            "NotebookEdit",
            "WebFetch",
            "TodoWrite",
            "WebSearch",
        ];
        self.event(
            1400,
            SessionEventKind::AgentInfo(AgentInfo {
                agent_session_id: id.0.clone(),
                model: Some(MODEL.into()),
                version: Some(CLAUDE_VERSION.into()),
                tools: tools.iter().map(|t| t.to_string()).collect(),
            }),
        );
        self.event(2, SessionEventKind::Status(SessionStatus::Ready));

        // Tool calls per turn: uneven, like real work, and adding up exactly.
        let weights: Vec<f64> = (0..turns).map(|_| 0.3 + self.rng.unit() * 1.4).collect();
        let budgets = spread(tool_calls, &weights);
        for (i, budget) in budgets.into_iter().enumerate() {
            self.turn(TurnId(i as u32 + 1), budget);
        }

        let idle = self.rng.range(20_000, 600_000);
        self.event(idle, SessionEventKind::Status(SessionStatus::Stopping));
        self.event(
            180,
            SessionEventKind::AgentExited(AgentExited {
                code: Some(0),
                signal: None,
                expected: true,
                stderr_tail: String::new(),
            }),
        );
        self.event(1, SessionEventKind::Status(SessionStatus::Stopped));
        std::mem::take(&mut self.items)
    }

    fn turn(&mut self, turn: TurnId, mut budget: usize) {
        let pause = if turn.0 == 1 { self.rng.range(3_000, 30_000) } else { self.rng.range(10_000, 300_000) };
        let prompt = self.prompt();
        self.event(pause, SessionEventKind::UserMessage(UserMessage { turn, text: prompt, origin: MessageOrigin::Person, attachments: Vec::new() }));
        self.event(2, SessionEventKind::Status(SessionStatus::Running));
        let mut turn_ms = 0u64;
        let mut messages = 0u64;
        self.plan.clear();

        if budget >= 5 {
            let call = self.todo_write(None, true);
            turn_ms += self.step(None, vec![call], true);
            budget -= 1;
            messages += 1;
        }
        while budget > 0 {
            let roll = self.rng.unit();
            let calls = if budget >= 4 && roll < 0.04 {
                let children = self.rng.range(2, (budget as u64 - 1).min(7) + 1) as usize;
                budget -= 1 + children;
                turn_ms += self.subagent(children);
                messages += 1;
                continue;
            } else if budget >= 2 && roll < 0.18 {
                let n = self.rng.range(2, (budget as u64).min(3) + 1) as usize;
                (0..n).map(|_| if self.rng.chance(0.6) { self.read(None) } else { self.grep(None) }).collect()
            } else if !self.plan.is_empty() && roll < 0.26 {
                vec![self.todo_write(None, false)]
            } else {
                vec![self.single(None)]
            };
            budget -= calls.len();
            let thinking = self.rng.chance(0.55);
            turn_ms += self.step(None, calls, thinking);
            messages += 1;
        }
        // The closing answer.
        let message_id = MessageId(self.rng.message_id());
        let mut part = 0;
        if self.rng.chance(0.6) {
            let thought = self.thought();
            self.text(true, &message_id, part, &None, thought);
            part += 1;
        }
        let summary = self.summary();
        self.text(false, &message_id, part, &None, summary);
        messages += 1;

        let output_tokens = self.rng.range(400, 2_500) * messages.max(1);
        let input_tokens = self.rng.range(3, 40) * messages.max(1);
        let cache_creation = self.rng.range(2_000, 12_000);
        let cache_read = self.context_tokens * messages.max(1);
        self.context_tokens = (self.context_tokens + cache_creation).min(160_000);
        let context = self.context_tokens + input_tokens / messages.max(1);
        let cost = input_tokens as f64 * 3e-6
            + output_tokens as f64 * 15e-6
            + cache_read as f64 * 0.3e-6
            + cache_creation as f64 * 3.75e-6;
        self.session_cost += cost;
        turn_ms += messages * self.rng.range(1_500, 6_000);
        let dt = self.rng.range(30, 200);
        self.event(
            dt,
            SessionEventKind::TurnEnded(TurnEnded {
                turn,
                stop_reason: StopReason::EndTurn,
                error: None,
                duration_ms: turn_ms,
                usage: Usage {
                    input_tokens,
                    output_tokens,
                    cache_read_tokens: cache_read,
                    cache_creation_tokens: cache_creation,
                },
                cost_usd: Some(round6(cost)),
                session_cost_usd: round6(self.session_cost),
                context_tokens: Some(context),
                context_window: Some(200_000),
            }),
        );
        self.event(1, SessionEventKind::Status(SessionStatus::Ready));
    }

    /// One assistant message: maybe reasoning, a few words, then its tool calls, which are
    /// announced while it streams, start once it is complete and finish one after another.
    /// Returns the time the calls took.
    fn step(&mut self, parent: Option<ToolCallId>, calls: Vec<Call>, thinking: bool) -> u64 {
        let message_id = MessageId(self.rng.message_id());
        let mut part = 0;
        if thinking {
            let thought = self.thought();
            self.text(true, &message_id, part, &parent, thought);
            part += 1;
        }
        if parent.is_some() || self.rng.chance(0.8) || !thinking {
            let said = self.step_text(&calls);
            self.text(false, &message_id, part, &parent, said);
        }
        self.start_calls(&calls);
        let mut took = 0;
        for call in calls {
            took += call.duration_ms;
            self.finish_call(call);
        }
        took
    }

    fn start_calls(&mut self, calls: &[Call]) {
        for call in calls {
            let (kind, title, _) = describe(call.name, &Value::Null, &self.project);
            let dt = self.rng.range(20, 400);
            self.event(
                dt,
                SessionEventKind::ToolCall(ToolCall {
                    id: call.id.clone(),
                    parent: call.parent.clone(),
                    name: call.name.into(),
                    kind,
                    title,
                    input: ToolInput::from_claude(call.name, &Value::Null),
                    raw_input: Value::Null,
                    locations: Vec::new(),
                    status: ToolCallStatus::Pending,
                }),
            );
        }
        for call in calls {
            let (_, title, locations) = describe(call.name, &call.input, &self.project);
            let dt = self.rng.range(50, 2_500);
            self.event(
                dt,
                SessionEventKind::ToolCallUpdate(ToolCallUpdate {
                    id: call.id.clone(),
                    status: Some(ToolCallStatus::Running),
                    title: Some(title),
                    input: Some(ToolInput::from_claude(call.name, &call.input)),
                    raw_input: Some(call.input.clone()),
                    locations: Some(locations),
                    ..Default::default()
                }),
            );
            if let Some(entries) = &call.plan {
                self.event(1, SessionEventKind::Plan(Plan { entries: entries.clone() }));
            }
        }
    }

    fn finish_call(&mut self, call: Call) {
        self.event(
            call.duration_ms,
            SessionEventKind::ToolCallUpdate(ToolCallUpdate {
                id: call.id,
                status: Some(if call.failed { ToolCallStatus::Failed } else { ToolCallStatus::Completed }),
                output: Some(ToolOutput::new(call.output, call.raw_output)),
                duration_ms: Some(call.duration_ms),
                ..Default::default()
            }),
        );
    }

    /// An `Agent` call with `children` calls of its own, and the subagent's report as its output.
    fn subagent(&mut self, children: usize) -> u64 {
        let area = self.rng.pick(AREAS);
        let description = format!("Survey {area}");
        let prompt = format!(
            "Find every place in this repository that touches {area}. For each, give the file, the \
             function and one line on what it does. Do not change anything; report back in a list."
        );
        let id = ToolCallId(self.rng.tool_id());
        self.tool_calls_made += 1;
        let parent_msg = MessageId(self.rng.message_id());
        let intro = format!("I'll have a subagent map out {area} while I keep the context small.");
        self.text(false, &parent_msg, 0, &None, intro);
        let mut agent = Call {
            id: id.clone(),
            parent: None,
            name: "Agent",
            input: json!({"description": description, "prompt": prompt, "subagent_type": "general-purpose"}),
            output: String::new(),
            raw_output: None,
            failed: false,
            duration_ms: 0,
            plan: None,
        };
        self.start_calls(std::slice::from_ref(&agent));
        let parent = Some(id.clone());
        let mut took = 0;
        let mut left = children;
        while left > 0 {
            let n = if left >= 2 && self.rng.chance(0.3) { 2 } else { 1 };
            let calls: Vec<Call> = (0..n)
                .map(|_| match self.rng.below(3) {
                    0 => self.read(parent.clone()),
                    1 => self.grep(parent.clone()),
                    _ => self.bash(parent.clone()),
                })
                .collect();
            left -= n;
            took += self.step(parent.clone(), calls, false);
        }
        let report = self.report(area);
        let closing = MessageId(self.rng.message_id());
        self.text(false, &closing, 0, &parent, report.clone());
        took += self.rng.range(2_000, 20_000);
        agent.duration_ms = took;
        agent.raw_output = Some(json!({
            "status": "completed",
            "prompt": prompt,
            "agentId": self.rng.hex(17),
            "content": [{"type": "text", "text": report}],
            "totalDurationMs": took,
            "totalTokens": self.rng.range(8_000, 60_000),
            "totalToolUseCount": children,
        }));
        agent.output = report;
        self.finish_call(agent);
        took
    }

    fn new_call(&mut self, parent: Option<ToolCallId>, name: &'static str, input: Value) -> Call {
        self.tool_calls_made += 1;
        Call {
            id: ToolCallId(self.rng.tool_id()),
            parent,
            name,
            input,
            output: String::new(),
            raw_output: None,
            failed: false,
            duration_ms: self.rng.range(8, 120),
            plan: None,
        }
    }

    fn single(&mut self, parent: Option<ToolCallId>) -> Call {
        match self.rng.below(100) {
            0..=31 => self.bash(parent),
            32..=56 => self.read(parent),
            57..=76 => self.edit(parent),
            77..=90 => self.grep(parent),
            _ => self.write(parent),
        }
    }

    fn path(&mut self) -> (String, Lang) {
        let (file, lang) = *self.rng.pick(FILES);
        (format!("{}/{file}", self.project), lang)
    }

    fn bash(&mut self, parent: Option<ToolCallId>) -> Call {
        let big = self.output_bytes;
        let (command, description, mut output, failed) = match self.rng.below(10) {
            0..=2 => {
                let target = self.sized(big);
                let failed = self.rng.chance(0.2);
                let crate_name = self.rng.pick(&["api", "core", "worker"]).to_string();
                (
                    "cargo test --workspace 2>&1 | tail -n 400".to_owned(),
                    format!("Run the {crate_name} tests"),
                    self.cargo_test(target, failed),
                    failed,
                )
            }
            3..=4 => {
                let target = self.sized(big);
                let failed = self.rng.chance(0.15);
                (
                    "cd web && npx vitest run --reporter=verbose".to_owned(),
                    "Run the web tests".to_owned(),
                    self.vitest(target, failed),
                    failed,
                )
            }
            5 => {
                let target = self.sized(big);
                (
                    "cargo clippy --workspace --all-targets -- -D warnings".to_owned(),
                    "Lint".to_owned(),
                    self.clippy(target),
                    self.rng.chance(0.3),
                )
            }
            6 => {
                let target = self.sized(big);
                (
                    "git diff --color=always".to_owned(),
                    "Show the changes so far".to_owned(),
                    self.git_diff(target),
                    false,
                )
            }
            7 => (
                "git log --oneline --color=always -n 40".to_owned(),
                "Recent history".to_owned(),
                self.git_log(40),
                false,
            ),
            8 => ("git status --short".to_owned(), "What changed".to_owned(), self.git_status(), false),
            _ => {
                let dir = self
                    .rng
                    .pick(&["crates/api/src", "crates/core/src", "web/src/components", "migrations"])
                    .to_string();
                (format!("ls -la --color=always {dir}"), format!("List {dir}"), self.ls(), false)
            }
        };
        if failed {
            output = format!("{output}\nerror: process didn't exit successfully (exit status: 101)");
        }
        let mut call = self.new_call(parent, "Bash", json!({"command": command, "description": description}));
        call.duration_ms = if output.len() > 4_000 { self.rng.range(2_000, 95_000) } else { self.rng.range(40, 900) };
        call.failed = failed;
        call.raw_output = Some(if failed {
            Value::String(format!("Error: Exit code 101\n{output}"))
        } else {
            json!({"stdout": output, "stderr": "", "interrupted": false, "isImage": false})
        });
        call.output = if failed { format!("Exit code 101\n{output}") } else { output };
        call
    }

    fn read(&mut self, parent: Option<ToolCallId>) -> Call {
        let (path, lang) = self.path();
        let target = self.sized(self.output_bytes);
        let content = self.code(lang, target);
        let lines = content.lines().count();
        let numbered: String = content.lines().enumerate().map(|(i, l)| format!("{:>6}→{l}\n", i + 1)).collect();
        let mut call = self.new_call(parent, "Read", json!({"file_path": path}));
        call.raw_output = Some(json!({"type": "text", "file": {
            "filePath": path, "content": content, "numLines": lines, "startLine": 1, "totalLines": lines}}));
        call.output = numbered;
        call
    }

    fn grep(&mut self, parent: Option<ToolCallId>) -> Call {
        let word = format!("{}_{}", self.rng.pick(VERBS), self.rng.pick(NOUNS));
        let glob = self.rng.pick(&["*.rs", "*.ts", "*.tsx", "*"]).to_string();
        let target = self.output_bytes / 6 + self.rng.below(self.output_bytes as u64 / 5) as usize;
        let mut out = String::new();
        let mut files = Vec::new();
        while out.len() < target {
            let (file, lang) = *self.rng.pick(FILES);
            if !files.contains(&file) {
                files.push(file);
            }
            let line = self.code_line(lang);
            out.push_str(&format!("{file}:{}:{}\n", self.rng.range(1, 900), line.replace("NAME", &word)));
        }
        let lines = out.lines().count();
        let mut call = self.new_call(
            parent,
            "Grep",
            json!({"pattern": word, "path": self.project, "glob": glob, "output_mode": "content", "-n": true}),
        );
        call.raw_output = Some(
            json!({"mode": "content", "numFiles": files.len(), "filenames": [], "content": out, "numLines": lines}),
        );
        call.output = out;
        call
    }

    fn edit(&mut self, parent: Option<ToolCallId>) -> Call {
        let (path, lang) = self.path();
        let (old_len, new_len, original_len) =
            (self.rng.range(120, 700) as usize, self.rng.range(80, 600) as usize, self.sized(self.output_bytes) / 2);
        let old_string = self.code(lang, old_len);
        let added = self.code(lang, new_len);
        let new_string = format!("{}\n{added}", old_string.trim_end());
        let original = self.code(lang, original_len);
        let start = self.rng.range(10, 400);
        let snippet: String =
            new_string.lines().enumerate().map(|(i, l)| format!("{:>6}→{l}\n", start as usize + i)).collect();
        let failed = self.rng.chance(0.04);
        let mut call = self.new_call(
            parent,
            "Edit",
            json!({"file_path": path, "old_string": old_string, "new_string": new_string, "replace_all": false}),
        );
        call.failed = failed;
        if failed {
            call.output = "<tool_use_error>String to replace not found in file.\nString: ".to_owned()
                + &old_string
                + "</tool_use_error>";
            call.raw_output = Some(Value::String("Error: String to replace not found in file.".into()));
        } else {
            call.output = format!(
                "The file {path} has been updated. Here's the result of running `cat -n` on a snippet of the edited file:\n{snippet}"
            );
            let minus: Vec<String> = old_string.lines().map(|l| format!("-{l}")).collect();
            let plus: Vec<String> = new_string.lines().map(|l| format!("+{l}")).collect();
            call.raw_output = Some(json!({
                "filePath": path, "oldString": old_string, "newString": new_string, "originalFile": original,
                "structuredPatch": [{"oldStart": start, "oldLines": minus.len(), "newStart": start, "newLines": plus.len(),
                    "lines": minus.into_iter().chain(plus).collect::<Vec<_>>()}],
                "userModified": false, "replaceAll": false}));
        }
        call
    }

    fn write(&mut self, parent: Option<ToolCallId>) -> Call {
        let (path, lang) = self.path();
        let size = self.output_bytes / 8 + self.rng.below(self.output_bytes as u64 / 3) as usize;
        let content = self.code(lang, size);
        let mut call = self.new_call(parent, "Write", json!({"file_path": path, "content": content}));
        call.output = format!("File created successfully at: {path}");
        call.raw_output = Some(
            json!({"type": "create", "filePath": path, "content": content, "structuredPatch": [], "originalFile": null}),
        );
        call
    }

    /// A `TodoWrite`: a new list at the start of a turn, or the next entry ticked off.
    fn todo_write(&mut self, parent: Option<ToolCallId>, fresh: bool) -> Call {
        if fresh || self.plan.is_empty() {
            let n = self.rng.range(3, 8) as usize;
            self.plan = (0..n)
                .map(|_| {
                    let verb = self.rng.pick(TODO_VERBS);
                    let noun = self.rng.pick(NOUNS).replace('_', " ");
                    let place = self.rng.pick(AREAS);
                    (
                        format!("{verb} {noun} handling in {place}"),
                        format!("{verb}ing {noun} handling"),
                        PlanEntryStatus::Pending,
                    )
                })
                .collect();
            self.plan[0].2 = PlanEntryStatus::InProgress;
        } else if let Some(i) = self.plan.iter().position(|e| e.2 != PlanEntryStatus::Completed) {
            self.plan[i].2 = PlanEntryStatus::Completed;
            if let Some(next) = self.plan.get_mut(i + 1) {
                next.2 = PlanEntryStatus::InProgress;
            }
        }
        let status = |s: PlanEntryStatus| match s {
            PlanEntryStatus::Pending => "pending",
            PlanEntryStatus::InProgress => "in_progress",
            PlanEntryStatus::Completed => "completed",
        };
        let todos: Vec<Value> = self
            .plan
            .iter()
            .map(|(content, active, s)| json!({"content": content, "status": status(*s), "activeForm": active}))
            .collect();
        let entries = self
            .plan
            .iter()
            .map(|(content, _, s)| PlanEntry { id: None, content: content.clone(), status: *s })
            .collect();
        let mut call = self.new_call(parent, "TodoWrite", json!({"todos": todos}));
        call.output = "Todos have been modified successfully. Ensure that you continue to use the todo list to track your progress. Please proceed with the current tasks if applicable".into();
        call.raw_output = Some(json!({"oldTodos": [], "newTodos": todos}));
        call.plan = Some(entries);
        call
    }

    /// A size around `mean`: half to one and a half times it.
    fn sized(&mut self, mean: usize) -> usize {
        mean / 2 + self.rng.below(mean as u64 + 1) as usize
    }

    // --- text ----------------------------------------------------------------------------------

    fn prompt(&mut self) -> String {
        let noun = self.rng.pick(NOUNS).replace('_', " ");
        let area = self.rng.pick(AREAS);
        let verb = self.rng.pick(VERBS);
        let (file, _) = *self.rng.pick(FILES);
        match self.rng.below(8) {
            0 => format!("Add pagination to the {noun} listing in {area}, with tests for the first and the last page."),
            1 => format!(
                "The {noun} tests fail since yesterday's merge:\n\n```\nthread 'routes::{noun_}::tests::{verb}_{noun_}' panicked at {file}:{line}:9:\nassertion `left == right` failed\n  left: 1250\n right: 1200\n```\n\nFind out why and fix it.",
                noun_ = noun.replace(' ', "_"),
                line = self.rng.range(20, 400)
            ),
            2 => format!("Refactor `{verb}_{}` in {file}: it does too much. Split it and keep the behaviour.", noun.replace(' ', "_")),
            3 => format!("Review {area} for error handling that swallows errors, and fix what you find."),
            4 => format!("Listing 10k {noun}s through {area} takes seconds. Measure first, then make it faster."),
            5 => "Run the whole test suite and clippy, and fix everything that fails.".to_owned(),
            6 => format!("Write the missing docs for {area} (module docs and the public functions)."),
            _ => format!("Rename {noun} to {} everywhere, including the migrations and the UI.", self.rng.pick(NOUNS).replace('_', " ")),
        }
    }

    fn sentence(&mut self) -> String {
        let noun = self.rng.pick(NOUNS);
        let verb = self.rng.pick(VERBS);
        let (file, _) = *self.rng.pick(FILES);
        let area = self.rng.pick(AREAS);
        match self.rng.below(12) {
            0 => format!("Let me look at how `{verb}_{noun}` is wired into {area} first."),
            1 => format!("The failure is in `{file}`: the {noun} total is computed before the discount is applied."),
            2 => "Now I'll run the tests again to confirm the fix.".to_owned(),
            3 => format!("`{verb}_{noun}` is only called from two places, so changing its signature is safe."),
            4 => format!("There is a second copy of this logic in `{file}`; both need the same change."),
            5 => format!("The {noun} struct derives `Clone` but the test builds it by hand, which is why the new field is missing there."),
            6 => format!("I should check whether {area} already has a helper for this before writing one."),
            7 => "That matches what the stack trace says.".to_owned(),
            8 => format!("The migration adds the column as `NOT NULL` without a default, which breaks existing {noun} rows."),
            9 => format!("Reading `{file}` to see the current error type."),
            10 => format!("Searching for other callers of `{verb}_{noun}`."),
            _ => format!("This keeps {area} unchanged for callers that pass no {noun}."),
        }
    }

    fn sentences(&mut self, lo: u64, hi: u64) -> String {
        let n = self.rng.range(lo, hi + 1);
        (0..n).map(|_| self.sentence()).collect::<Vec<_>>().join(" ")
    }

    fn thought(&mut self) -> String {
        let paragraphs = self.rng.range(1, 4);
        (0..paragraphs).map(|_| self.sentences(2, 6)).collect::<Vec<_>>().join("\n\n")
    }

    fn step_text(&mut self, calls: &[Call]) -> String {
        let mut text = self.sentences(1, 3);
        if calls.len() > 1 || self.rng.chance(0.2) {
            text.push_str("\n\n");
            for _ in 0..self.rng.range(2, 5) {
                text.push_str(&format!("- {}\n", self.sentence()));
            }
        }
        text
    }

    fn summary(&mut self) -> String {
        let (file, lang) = *self.rng.pick(FILES);
        let mut md = format!("## Summary\n\n{}\n\n### What changed\n\n", self.sentences(2, 4));
        for _ in 0..self.rng.range(2, 6) {
            let (f, _) = *self.rng.pick(FILES);
            md.push_str(&format!("- **`{f}`** — {}\n", self.sentence()));
        }
        let fence = match lang {
            Lang::Rust => "rust",
            Lang::Ts => "tsx",
            Lang::Text => "toml",
        };
        let size = self.rng.range(300, 1_400) as usize;
        let code = self.code(lang, size);
        md.push_str(&format!("\nThe core of the change, in `{file}`:\n\n```{fence}\n{code}```\n\n"));
        if self.rng.chance(0.5) {
            md.push_str("### Checks\n\n| Check | Result |\n| --- | --- |\n");
            md.push_str(&format!("| `cargo test --workspace` | {} passed |\n", self.rng.range(120, 480)));
            md.push_str(&format!("| `npx vitest run` | {} passed |\n", self.rng.range(40, 200)));
            md.push_str("| `cargo clippy -- -D warnings` | clean |\n\n");
        }
        md.push_str("### Next steps\n\n");
        for i in 1..=self.rng.range(1, 4) {
            md.push_str(&format!("{i}. {}\n", self.sentence()));
        }
        md.push_str("\nRun it yourself with:\n\n```sh\ncargo test -p api && npm --prefix web test\n```\n");
        md
    }

    fn report(&mut self, area: &str) -> String {
        let mut md = format!("## {area}: where it lives\n\n");
        for _ in 0..self.rng.range(4, 10) {
            let (f, _) = *self.rng.pick(FILES);
            let verb = self.rng.pick(VERBS);
            let noun = self.rng.pick(NOUNS);
            md.push_str(&format!("- `{f}:{}` — `{verb}_{noun}`: {}\n", self.rng.range(1, 600), self.sentence()));
        }
        md.push_str(&format!("\n**Notes.** {}\n", self.sentences(1, 3)));
        md
    }

    // --- code and terminal output --------------------------------------------------------------

    /// Source text of about `bytes` bytes: functions, structs and imports that read like code.
    fn code(&mut self, lang: Lang, bytes: usize) -> String {
        let mut out = String::new();
        while out.len() < bytes {
            let noun = *self.rng.pick(NOUNS);
            let name = format!("{}_{noun}", self.rng.pick(VERBS));
            let block: Vec<u64> = match (lang, self.rng.below(4)) {
                (Lang::Rust, 0) => [8].into_iter().chain((0..self.rng.range(2, 6)).map(|_| 9)).chain([7]).collect(),
                (Lang::Rust, 1) => (0..self.rng.range(1, 4)).map(|_| 10).collect(),
                (Lang::Rust, _) => {
                    let body = [2, 3, 4, 5, 11];
                    let mut lines = vec![0, 1];
                    lines.extend((0..self.rng.range(2, 7)).map(|_| *self.rng.pick(&body)));
                    lines.extend([6, 7]);
                    lines
                }
                (Lang::Ts, 0) => (0..self.rng.range(1, 4)).map(|_| 4).collect(),
                (Lang::Ts, _) => {
                    let body = [1, 5, 6, 7, 9];
                    let mut lines = vec![8, 0];
                    lines.extend((0..self.rng.range(2, 7)).map(|_| *self.rng.pick(&body)));
                    lines.extend([2, 3]);
                    lines
                }
                (Lang::Text, _) => {
                    [0].into_iter().chain((0..self.rng.range(2, 6)).map(|_| self.rng.range(1, 4))).collect()
                }
            };
            for kind in block {
                out.push_str(&self.line(lang, kind, noun).replace("NAME", &name));
                out.push('\n');
            }
            out.push('\n');
        }
        out
    }

    /// One line of code of any kind.
    fn code_line(&mut self, lang: Lang) -> String {
        let kinds = match lang {
            Lang::Rust => 12,
            Lang::Ts => 10,
            Lang::Text => 4,
        };
        let kind = self.rng.below(kinds);
        let noun = self.rng.pick(NOUNS);
        self.line(lang, kind, noun)
    }

    fn line(&mut self, lang: Lang, kind: u64, noun: &str) -> String {
        let ty = camel(noun);
        match lang {
            Lang::Rust => match kind {
                0 => format!("/// Returns the {} for the given {noun}.", self.rng.pick(NOUNS).replace('_', " ")),
                1 => format!("pub fn NAME(&self, {noun}: &{ty}) -> Result<{ty}, Error> {{"),
                2 => format!("    let {noun} = self.{noun}s.get(&id).ok_or(Error::NotFound(id))?;"),
                3 => format!("    if {noun}.amount.is_zero() {{ return Ok({ty}::default()); }}"),
                4 => format!("    let total: Money = {noun}.items.iter().map(|i| i.amount).sum();"),
                5 => format!("    tracing::debug!(id = %{noun}.id, \"NAME\");"),
                6 => format!("    Ok({ty} {{ total, ..{noun}.clone() }})"),
                7 => "}".to_owned(),
                8 => format!("#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]\npub struct {ty} {{"),
                9 => format!("    pub {noun}_id: Uuid,"),
                10 => format!("use crate::{{db::Pool, error::Error, {noun}::{ty}}};"),
                _ => format!(
                    "    assert_eq!(NAME(&{noun}).unwrap().total, Money::cents({}));",
                    self.rng.range(100, 99_999)
                ),
            },
            Lang::Ts => match kind {
                0 => format!("export function NAME({noun}: {ty}): {ty} {{"),
                1 => format!("  const [{noun}, set{ty}] = useState<{ty} | null>(null);"),
                2 => format!("  return <{ty}Row key={{{noun}.id}} value={{{noun}}} onChange={{set{ty}}} />;"),
                3 => "}".to_owned(),
                4 => format!("import {{ {ty} }} from \"../api/types\";"),
                5 => format!("  if (!{noun}) return null;"),
                6 => format!("  const total = {noun}.items.reduce((sum, i) => sum + i.amount, 0);"),
                7 => format!("  await client.post(`/api/{noun}s/${{id}}`, {{ body: JSON.stringify({noun}) }});"),
                8 => format!("// {}", self.sentence()),
                _ => format!("  expect(NAME({noun}).total).toBe({});", self.rng.range(100, 99_999)),
            },
            Lang::Text => match kind {
                0 => format!("[{noun}]"),
                1 => format!("{noun} = \"{}\"", self.rng.pick(VERBS)),
                2 => format!("# {}", self.sentence()),
                _ => format!("{noun}_limit = {}", self.rng.range(1, 1000)),
            },
        }
    }

    fn cargo_test(&mut self, bytes: usize, failed: bool) -> String {
        let mut out = String::new();
        for krate in ["ledger-core", "ledger-db", "ledger-api", "ledger-worker"] {
            out.push_str(&format!(
                "{GREEN_BOLD}   Compiling{RESET} {krate} v0.4.{} ({}/crates/{krate})\n",
                self.rng.below(9),
                self.project
            ));
        }
        out.push_str(&format!(
            "{GREEN_BOLD}    Finished{RESET} `test` profile [unoptimized + debuginfo] target(s) in {}.{:02}s\n",
            self.rng.range(3, 90),
            self.rng.below(100)
        ));
        let mut failures = Vec::new();
        while out.len() < bytes {
            let (file, _) = *self.rng.pick(FILES);
            out.push_str(&format!("{GREEN_BOLD}     Running{RESET} unittests {file} (target/debug/deps/ledger_api-{})\n\nrunning {} tests\n", self.rng.hex(16), self.rng.range(8, 40)));
            for _ in 0..self.rng.range(8, 40) {
                let name =
                    format!("{}::tests::{}_{}", self.rng.pick(NOUNS), self.rng.pick(VERBS), self.rng.pick(NOUNS));
                if failed && self.rng.chance(0.04) {
                    out.push_str(&format!("test {name} ... {RED}FAILED{RESET}\n"));
                    failures.push(name);
                } else {
                    out.push_str(&format!("test {name} ... {GREEN}ok{RESET}\n"));
                }
            }
            out.push_str(&format!("\ntest result: {GREEN}ok{RESET}. {} passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.{:02}s\n\n", self.rng.range(8, 40), self.rng.below(100)));
        }
        if failed {
            if failures.is_empty() {
                failures.push(format!("{}::tests::{}_rounds_half_up", self.rng.pick(NOUNS), self.rng.pick(VERBS)));
            }
            out.push_str("failures:\n\n");
            for name in &failures {
                out.push_str(&format!("---- {name} stdout ----\n\nthread '{name}' panicked at crates/core/src/money.rs:{}:9:\nassertion `left == right` failed\n  left: 1250\n right: 1200\nnote: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n\n", self.rng.range(20, 400)));
            }
            out.push_str(&format!(
                "\ntest result: {RED}FAILED{RESET}. {} passed; {} failed; 0 ignored\n",
                self.rng.range(100, 400),
                failures.len()
            ));
        }
        out
    }

    fn vitest(&mut self, bytes: usize, failed: bool) -> String {
        let mut out = format!("\n {CYAN_BOLD}RUN{RESET} {CYAN}v3.2.4{RESET} {}/web\n\n", self.project);
        let mut files = 0;
        while out.len() < bytes {
            files += 1;
            let (file, _) = *self.rng.pick(FILES);
            let file = file.replace(".tsx", ".test.tsx").replace(".rs", ".test.ts");
            for _ in 0..self.rng.range(3, 15) {
                let name = format!(
                    "{} {} when the {} is empty",
                    self.rng.pick(VERBS),
                    self.rng.pick(NOUNS),
                    self.rng.pick(NOUNS)
                );
                if failed && self.rng.chance(0.03) {
                    out.push_str(&format!(" {RED}×{RESET} {file} > {name} {DIM}{}ms{RESET}\n   {RED}→ expected 1250 to be 1200 // Object.is equality{RESET}\n", self.rng.range(1, 90)));
                } else {
                    out.push_str(&format!(
                        " {GREEN}✓{RESET} {file} > {name} {DIM}{}ms{RESET}\n",
                        self.rng.range(1, 90)
                    ));
                }
            }
        }
        let status = if failed { format!("{RED}1 failed{RESET} | ") } else { String::new() };
        out.push_str(&format!("\n {DIM}Test Files{RESET}  {status}{GREEN_BOLD}{files} passed{RESET} ({files})\n      {DIM}Tests{RESET}  {GREEN_BOLD}{} passed{RESET}\n   {DIM}Duration{RESET}  {}.{:02}s\n", files * 7, self.rng.range(2, 30), self.rng.below(100)));
        out
    }

    fn clippy(&mut self, bytes: usize) -> String {
        let mut out = String::new();
        while out.len() < bytes {
            let (file, lang) = *self.rng.pick(FILES);
            let line = self.rng.range(10, 700);
            let code = self.code_line(lang).replace("NAME", "value");
            let lint = self.rng.pick(&[
                "needless_borrow",
                "redundant_clone",
                "clippy::too_many_arguments",
                "manual_let_else",
                "uninlined_format_args",
            ]);
            out.push_str(&format!(
                "{YELLOW_BOLD}warning{RESET}{BOLD}: this could be simpler ({lint}){RESET}\n   {BLUE_BOLD}-->{RESET} {file}:{line}:{col}\n    {BLUE_BOLD}|{RESET}\n{BLUE_BOLD}{line:>3} |{RESET} {code}\n    {BLUE_BOLD}|{RESET}     {YELLOW_BOLD}^^^^^^^^^{RESET} {YELLOW_BOLD}help: try{RESET}\n    {BLUE_BOLD}={RESET} {BOLD}note{RESET}: `#[warn(clippy::{lint})]` on by default\n\n",
                col = self.rng.range(5, 40)
            ));
        }
        out.push_str(&format!(
            "{YELLOW_BOLD}warning{RESET}{BOLD}: `ledger-api` (lib) generated {} warnings{RESET}\n",
            self.rng.range(3, 40)
        ));
        out
    }

    fn git_diff(&mut self, bytes: usize) -> String {
        let mut out = String::new();
        while out.len() < bytes {
            let (file, lang) = *self.rng.pick(FILES);
            out.push_str(&format!(
                "{BOLD}diff --git a/{file} b/{file}{RESET}\n{BOLD}--- a/{file}{RESET}\n{BOLD}+++ b/{file}{RESET}\n"
            ));
            for _ in 0..self.rng.range(1, 4) {
                let at = self.rng.range(1, 500);
                out.push_str(&format!("{CYAN}@@ -{at},12 +{at},14 @@{RESET}\n"));
                for _ in 0..self.rng.range(6, 20) {
                    let line = self.code_line(lang).replace("NAME", "value");
                    match self.rng.below(4) {
                        0 => out.push_str(&format!("{RED}-{line}{RESET}\n")),
                        1 => out.push_str(&format!("{GREEN}+{line}{RESET}\n")),
                        _ => out.push_str(&format!(" {line}\n")),
                    }
                }
            }
        }
        out
    }

    fn git_log(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| {
                let hash = self.rng.hex(7);
                let s = self.sentence();
                format!("{YELLOW}{hash}{RESET} {s}\n")
            })
            .collect()
    }

    fn git_status(&mut self) -> String {
        (0..self.rng.range(2, 12))
            .map(|_| {
                let (f, _) = *self.rng.pick(FILES);
                let mark = self.rng.pick(&[" M", "M ", "??", "A "]);
                format!("{mark} {f}\n")
            })
            .collect()
    }

    fn ls(&mut self) -> String {
        let mut out = format!("total {}\n", self.rng.range(20, 200));
        for _ in 0..self.rng.range(6, 30) {
            let name = format!("{}_{}", self.rng.pick(VERBS), self.rng.pick(NOUNS));
            if self.rng.chance(0.3) {
                out.push_str(&format!(
                    "drwxr-xr-x  4 dev dev  4096 Mar  3 11:{:02} {BLUE_BOLD}{name}{RESET}\n",
                    self.rng.below(60)
                ));
            } else {
                out.push_str(&format!(
                    "-rw-r--r--  1 dev dev {:>5} Mar  3 11:{:02} {name}.rs\n",
                    self.rng.range(200, 40_000),
                    self.rng.below(60)
                ));
            }
        }
        out
    }
}

const RESET: &str = "\x1b[0m";
const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";
const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const YELLOW: &str = "\x1b[33m";
const CYAN: &str = "\x1b[36m";
const GREEN_BOLD: &str = "\x1b[1m\x1b[32m";
const YELLOW_BOLD: &str = "\x1b[1m\x1b[33m";
const BLUE_BOLD: &str = "\x1b[1m\x1b[34m";
const CYAN_BOLD: &str = "\x1b[1m\x1b[36m";

#[derive(Clone, Copy)]
enum Lang {
    Rust,
    Ts,
    Text,
}

const FILES: &[(&str, Lang)] = &[
    ("crates/api/src/routes/invoices.rs", Lang::Rust),
    ("crates/api/src/routes/customers.rs", Lang::Rust),
    ("crates/api/src/db/pool.rs", Lang::Rust),
    ("crates/api/src/db/migrations.rs", Lang::Rust),
    ("crates/api/src/auth/session.rs", Lang::Rust),
    ("crates/api/src/error.rs", Lang::Rust),
    ("crates/api/src/main.rs", Lang::Rust),
    ("crates/core/src/money.rs", Lang::Rust),
    ("crates/core/src/invoice.rs", Lang::Rust),
    ("crates/core/src/tax.rs", Lang::Rust),
    ("crates/worker/src/jobs/reminders.rs", Lang::Rust),
    ("crates/worker/src/queue.rs", Lang::Rust),
    ("web/src/pages/Invoices.tsx", Lang::Ts),
    ("web/src/components/InvoiceTable.tsx", Lang::Ts),
    ("web/src/components/MoneyInput.tsx", Lang::Ts),
    ("web/src/api/client.ts", Lang::Ts),
    ("web/src/hooks/usePagination.ts", Lang::Ts),
    ("web/src/state/session.ts", Lang::Ts),
    ("web/src/utils/format.ts", Lang::Ts),
    ("Cargo.toml", Lang::Text),
    ("config/ledger.toml", Lang::Text),
];

const NOUNS: &[&str] = &[
    "invoice",
    "customer",
    "payment",
    "tax_rate",
    "line_item",
    "currency",
    "reminder",
    "session",
    "ledger",
    "account",
    "refund",
    "discount",
    "period",
    "statement",
];
const VERBS: &[&str] = &[
    "create", "update", "list", "find", "apply", "compute", "validate", "render", "parse", "load", "store", "cancel",
    "retry", "format",
];
const TODO_VERBS: &[&str] = &["Fix", "Test", "Refactor", "Document", "Check", "Add"];
const AREAS: &[&str] = &[
    "the invoice routes",
    "the tax calculation",
    "the reminder worker",
    "the payment webhooks",
    "the session middleware",
    "the invoice table",
    "the database layer",
    "the money formatting",
];

/// `Task` → `TaskName`, `line_item` → `LineItem`.
fn camel(name: &str) -> String {
    name.split('_')
        .map(|w| {
            let mut c = w.chars();
            c.next().map(|f| f.to_uppercase().chain(c).collect::<String>()).unwrap_or_default()
        })
        .collect()
}

fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// `total` split in proportion to `weights`, adding up exactly.
fn spread(total: usize, weights: &[f64]) -> Vec<usize> {
    let sum: f64 = weights.iter().sum();
    let mut out: Vec<usize> = weights.iter().map(|w| (total as f64 * w / sum).floor() as usize).collect();
    let mut left = total - out.iter().sum::<usize>();
    let mut i = 0;
    while left > 0 {
        out[i % weights.len()] += 1;
        left -= 1;
        i += 1;
    }
    out
}

/// Kind, title and locations of a Claude tool call, as the engine's Claude adapter describes them.
fn describe(name: &str, input: &Value, project: &str) -> (ToolKind, String, Vec<ToolLocation>) {
    let text = |key: &str| input.get(key).and_then(Value::as_str).unwrap_or("").to_owned();
    let shown = |p: String| p.strip_prefix(&format!("{project}/")).map(str::to_owned).unwrap_or(p);
    let location = |key: &str| {
        input
            .get(key)
            .and_then(Value::as_str)
            .map(|p| vec![ToolLocation { path: p.into(), line: None }])
            .unwrap_or_default()
    };
    match name {
        "Read" => (ToolKind::Read, format!("Read {}", shown(text("file_path"))), location("file_path")),
        "Write" => (ToolKind::Edit, format!("Write {}", shown(text("file_path"))), location("file_path")),
        "Edit" => (ToolKind::Edit, format!("Edit {}", shown(text("file_path"))), location("file_path")),
        "Bash" => {
            let command = text("command");
            let first: String = command.lines().next().unwrap_or("").chars().take(80).collect();
            let more = if first.len() < command.len() { "…" } else { "" };
            (ToolKind::Execute, format!("Run {first}{more}"), Vec::new())
        }
        "Grep" => (ToolKind::Search, format!("Search \"{}\"", text("pattern")), location("path")),
        "Agent" => {
            let d = text("description");
            (ToolKind::Think, if d.is_empty() { "Run a subagent".into() } else { format!("Subagent: {d}") }, Vec::new())
        }
        "TodoWrite" => (ToolKind::Think, "Update the to-do list".into(), Vec::new()),
        other => (ToolKind::Other, other.into(), Vec::new()),
    }
}

// --- a small seeded random number generator (SplitMix64) ---------------------------------------

struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Self(seed ^ 0x5eed_a11c_e5ca_1ab1)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// 0 ≤ x < n (0 when n is 0).
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next() % n
        }
    }

    /// lo ≤ x < hi.
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi.saturating_sub(lo))
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    fn hex(&mut self, n: usize) -> String {
        (0..n).map(|_| char::from_digit(self.below(16) as u32, 16).unwrap_or('0')).collect()
    }

    fn base62(&mut self, n: usize) -> String {
        const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        (0..n).map(|_| ALPHABET[self.below(62) as usize] as char).collect()
    }

    fn uuid(&mut self) -> String {
        let h = self.hex(32);
        format!("{}-{}-4{}-a{}-{}", &h[0..8], &h[8..12], &h[13..16], &h[17..20], &h[20..32])
    }

    fn tool_id(&mut self) -> String {
        format!("toolu_01{}", self.base62(22))
    }

    fn message_id(&mut self) -> String {
        format!("msg_01{}", self.base62(22))
    }
}
