//! `WARDEN_FAKE_MODE=acp-terminal`: an ACP agent that runs its commands in the client's
//! terminals (`terminal/*`), which none of the pinned real agents does (Gemini CLI 0.61.0, the
//! Claude and Codex adapters run commands themselves).
//!
//! Each prompt is one scripted turn:
//!
//! 1. Call `c1` (execute) asks permission; once allowed it runs
//!    `sh -c 'printf made > made.txt; echo out-line; exit 3'` in a terminal embedded in the
//!    call, waits for its exit, reads its output and releases it.
//! 2. Call `c2` runs `sleep 600` in a terminal, kills it, waits, reads and releases it.
//! 3. It asks for a terminal outside the project (`cwd: /`), for the output of the released
//!    terminal, and for `rm made.txt` (which a deny rule may forbid).
//!
//! Every answer Warden gives is appended to the file `WARDEN_FAKE_TRANSCRIPT` as a JSON line
//! `{"step": …, "answer": …}`, for the test to read.

use serde_json::{json, Value};
use std::io::{BufRead, Write};

struct Agent {
    lines: std::io::Lines<std::io::StdinLock<'static>>,
    next_id: u64,
    session: String,
    cwd: String,
    transcript: Option<std::fs::File>,
}

/// Serves ACP on stdin and stdout until stdin ends.
pub fn serve() {
    let transcript = std::env::var_os("WARDEN_FAKE_TRANSCRIPT")
        .map(|path| std::fs::OpenOptions::new().create(true).append(true).open(path).expect("transcript file"));
    let mut agent =
        Agent { lines: std::io::stdin().lock().lines(), next_id: 0, session: "fake-acp".into(), cwd: String::new(), transcript };
    while let Some(message) = agent.read() {
        let (Some(id), Some(method)) = (message.get("id").cloned(), message["method"].as_str()) else { continue };
        match method {
            "initialize" => {
                agent.record("initialize", message["params"]["clientCapabilities"].clone());
                let info = json!({"protocolVersion": 1, "agentCapabilities": {}, "agentInfo": {"name": "fake-acp", "version": "1.0.0"}});
                agent.send(json!({"jsonrpc": "2.0", "id": id, "result": info}));
            }
            "session/new" => {
                agent.cwd = message["params"]["cwd"].as_str().unwrap_or_default().to_owned();
                agent.send(json!({"jsonrpc": "2.0", "id": id, "result": {"sessionId": agent.session}}));
            }
            "session/prompt" => {
                agent.turn();
                agent.send(json!({"jsonrpc": "2.0", "id": id, "result": {"stopReason": "end_turn"}}));
            }
            other => {
                let error = json!({"code": -32601, "message": format!("fake agent: no {other}")});
                agent.send(json!({"jsonrpc": "2.0", "id": id, "error": error}));
            }
        }
    }
}

impl Agent {
    fn turn(&mut self) {
        let command = "printf made > made.txt; echo out-line; exit 3";
        self.update(json!({"sessionUpdate": "tool_call", "toolCallId": "c1", "title": command, "kind": "execute", "status": "pending", "rawInput": {"command": command}}));
        let options = json!([{"optionId": "allow", "name": "Allow", "kind": "allow_once"}, {"optionId": "reject", "name": "Reject", "kind": "reject_once"}]);
        let answer = self.call("session/request_permission", json!({"toolCall": {"toolCallId": "c1"}, "options": options}));
        if answer["result"]["outcome"]["optionId"] != "allow" {
            self.update(json!({"sessionUpdate": "tool_call_update", "toolCallId": "c1", "status": "failed"}));
            return;
        }
        self.update(json!({"sessionUpdate": "tool_call_update", "toolCallId": "c1", "status": "in_progress"}));
        let created = self.step("create", "terminal/create", json!({"command": "sh", "args": ["-c", command], "cwd": self.cwd, "outputByteLimit": 4096}));
        let terminal = created["result"]["terminalId"].clone();
        let embedded = json!([{"type": "terminal", "terminalId": terminal}]);
        self.update(json!({"sessionUpdate": "tool_call_update", "toolCallId": "c1", "content": embedded}));
        self.step("wait", "terminal/wait_for_exit", json!({"terminalId": terminal}));
        self.step("output", "terminal/output", json!({"terminalId": terminal}));
        self.step("release", "terminal/release", json!({"terminalId": terminal}));
        self.update(json!({"sessionUpdate": "tool_call_update", "toolCallId": "c1", "status": "completed", "content": embedded}));

        self.update(json!({"sessionUpdate": "tool_call", "toolCallId": "c2", "title": "sleep 600", "kind": "execute", "status": "in_progress"}));
        let created = self.step("create-sleep", "terminal/create", json!({"command": "sleep", "args": ["600"]}));
        let sleeper = created["result"]["terminalId"].clone();
        self.update(json!({"sessionUpdate": "tool_call_update", "toolCallId": "c2", "content": [{"type": "terminal", "terminalId": sleeper}]}));
        self.step("kill", "terminal/kill", json!({"terminalId": sleeper}));
        self.step("wait-killed", "terminal/wait_for_exit", json!({"terminalId": sleeper}));
        self.step("output-killed", "terminal/output", json!({"terminalId": sleeper}));
        self.step("release-killed", "terminal/release", json!({"terminalId": sleeper}));
        self.update(json!({"sessionUpdate": "tool_call_update", "toolCallId": "c2", "status": "completed"}));

        self.step("create-outside", "terminal/create", json!({"command": "ls", "cwd": "/"}));
        self.step("output-released", "terminal/output", json!({"terminalId": terminal}));
        self.step("create-denied", "terminal/create", json!({"command": "rm", "args": ["made.txt"]}));
        self.update(json!({"sessionUpdate": "agent_message_chunk", "content": {"type": "text", "text": "Ran the commands."}}));
    }

    /// Sends a request with the session id added, records Warden's answer under `step`.
    fn step(&mut self, step: &str, method: &str, mut params: Value) -> Value {
        params["sessionId"] = json!(self.session);
        let answer = self.call(method, params);
        self.record(step, answer.clone());
        answer
    }

    /// Sends a request and reads until its answer.
    fn call(&mut self, method: &str, mut params: Value) -> Value {
        self.next_id += 1;
        let id = format!("fake-{}", self.next_id);
        if params.get("sessionId").is_none() {
            params["sessionId"] = json!(self.session);
        }
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        while let Some(message) = self.read() {
            if message["id"] == json!(id) && message.get("method").is_none() {
                return message;
            }
        }
        std::process::exit(0)
    }

    fn update(&mut self, update: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": "session/update", "params": {"sessionId": self.session, "update": update}}));
    }

    fn record(&mut self, step: &str, answer: Value) {
        if let Some(file) = &mut self.transcript {
            writeln!(file, "{}", json!({"step": step, "answer": answer})).expect("transcript written");
        }
    }

    fn read(&mut self) -> Option<Value> {
        loop {
            let line = self.lines.next()?.ok()?;
            if let Ok(value) = serde_json::from_str(&line) {
                return Some(value);
            }
        }
    }

    fn send(&mut self, message: Value) {
        let mut out = std::io::stdout().lock();
        writeln!(out, "{message}").expect("stdout");
        out.flush().expect("stdout");
    }
}
