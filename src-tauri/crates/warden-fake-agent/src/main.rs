//! A fake Claude Code for fault injection. It speaks just enough stream-json to look like the
//! real CLI, then misbehaves the way `WARDEN_FAKE_MODE` says:
//!
//! - `answer` (default): answers every prompt with streamed text and a result.
//! - `garbage`: before answering, writes a non-JSON line, an unknown frame, a 10 MB line and
//!   invalid UTF-8.
//! - `hang`: never writes anything and never exits on its own.
//! - `ignore-term`: like `hang`, and also ignores SIGTERM and the end of stdin.
//! - `grandchild`: starts `sleep 600` (its pid goes to `WARDEN_FAKE_PIDFILE`), answers prompts,
//!   and ignores the end of stdin, so only killing the process group ends everything.
//! - `escapees`: starts commands that leave the agent's process group and tree the ways real
//!   agents' commands do, each appending to `$WARDEN_FAKE_DIR/<name>.log` every 50 ms and
//!   writing its pid to `$WARDEN_FAKE_DIR/pids` (`name pid` lines): `setsid` (Claude Code's
//!   Bash), `double` (`(cmd &)`), `nohup` (`nohup cmd &`), and `bare` (a double fork with a
//!   cleared environment). Then answers prompts; the end of stdin ends it (so it exits on its
//!   own when stopped), and with `WARDEN_FAKE_EXIT=1` it exits after the first answer.
//! - `crash`: starts answering, writes to stderr and exits with status 3.
//! - `flood`: answers with `WARDEN_FAKE_COUNT` (default 10000) streamed deltas, for benchmarks.
//! - `ask-check`: asks permission for one Bash call and reports whether Warden's decision was in
//!   its session store (`WARDEN_FAKE_STORE`) when the answer arrived ([`ask_check`]).
//! - `acp-terminal`: not Claude at all but an ACP agent that runs its commands in the client's
//!   terminals ([`acp_terminal`]).
//!
//! `--version` prints `WARDEN_FAKE_VERSION` (default `9.9.9`) followed by "(fake agent)".

mod acp_terminal;
mod ask_check;
mod escapees;

use serde_json::json;
use std::io::{BufRead, Write};

fn main() {
    if std::env::args().any(|a| a == "--version") {
        let version = std::env::var("WARDEN_FAKE_VERSION").unwrap_or_else(|_| "9.9.9".into());
        println!("{version} (fake agent)");
        return;
    }
    let mode = std::env::var("WARDEN_FAKE_MODE").unwrap_or_else(|_| "answer".into());
    let session = std::env::args()
        .find_map(|a| a.strip_prefix("--session-id=").or(a.strip_prefix("--resume=")).map(str::to_owned))
        .unwrap_or_else(|| "fake-session".into());
    match mode.as_str() {
        "acp-terminal" => acp_terminal::serve(),
        "ask-check" => ask_check::serve(&session),
        "hang" => hang(false),
        "ignore-term" => {
            #[cfg(unix)]
            // SAFETY: setting a signal disposition to ignore has no memory effects.
            unsafe {
                libc::signal(libc::SIGTERM, libc::SIG_IGN);
            }
            hang(true)
        }
        "grandchild" => {
            // Never waited for on purpose: it must outlive this process unless its group dies.
            #[allow(clippy::zombie_processes)]
            let child = std::process::Command::new("sleep").arg("600").spawn().expect("sleep starts");
            if let Ok(file) = std::env::var("WARDEN_FAKE_PIDFILE") {
                std::fs::write(file, child.id().to_string()).expect("pid file");
            }
            serve(&session, &mode);
            hang(true)
        }
        "escapees" => {
            escapees::start();
            serve(&session, &mode)
        }
        _ => serve(&session, &mode),
    }
}

/// Reads stdin until it ends (or forever when `ignore_eof`), writing nothing.
fn hang(ignore_eof: bool) {
    let stdin = std::io::stdin();
    for _ in stdin.lock().lines() {}
    if ignore_eof {
        loop {
            std::thread::sleep(std::time::Duration::from_secs(3600));
        }
    }
}

fn emit(out: &mut impl Write, value: serde_json::Value) {
    writeln!(out, "{value}").expect("stdout");
    out.flush().expect("stdout");
}

fn serve(session: &str, mode: &str) {
    let stdin = std::io::stdin();
    let mut out = std::io::stdout().lock();
    let mut turn = 0;
    for line in stdin.lock().lines() {
        let Ok(line) = line else { break };
        let Ok(frame) = serde_json::from_str::<serde_json::Value>(&line) else { continue };
        match frame["type"].as_str() {
            Some("control_request") => {
                let id = frame["request_id"].clone();
                emit(&mut out, json!({"type": "control_response",
                    "response": {"subtype": "success", "request_id": id, "response": {}}}));
            }
            Some("user") => {
                turn += 1;
                answer(&mut out, session, mode, turn);
                if std::env::var_os("WARDEN_FAKE_EXIT").is_some_and(|v| v == "1") {
                    return;
                }
            }
            _ => {}
        }
    }
}

fn answer(out: &mut impl Write, session: &str, mode: &str, turn: u32) {
    emit(out, json!({"type": "system", "subtype": "init", "session_id": session, "model": "fake-model",
        "tools": ["Bash"], "claude_code_version": "9.9.9"}));
    if mode == "garbage" {
        writeln!(out, "this is not json").unwrap();
        writeln!(out, "{}", json!({"type": "mystery_frame", "n": 1})).unwrap();
        out.write_all(&vec![b'x'; 10 * 1024 * 1024]).unwrap();
        out.write_all(b"\n").unwrap();
        out.write_all(b"\xff\xfe\xfd not utf-8\n").unwrap();
        out.flush().unwrap();
    }
    let message = format!("msg_fake_{turn}");
    emit(out, json!({"type": "stream_event", "event": {"type": "message_start", "message": {"id": message}}}));
    emit(out, json!({"type": "stream_event", "event": {"type": "content_block_start", "index": 0,
        "content_block": {"type": "text", "text": ""}}}));
    let count: usize = if mode == "flood" {
        std::env::var("WARDEN_FAKE_COUNT").ok().and_then(|c| c.parse().ok()).unwrap_or(10_000)
    } else {
        3
    };
    let mut text = String::new();
    for i in 0..count {
        let piece = format!("word{i} ");
        text.push_str(&piece);
        emit(out, json!({"type": "stream_event", "event": {"type": "content_block_delta", "index": 0,
            "delta": {"type": "text_delta", "text": piece}}}));
        if mode == "crash" && i == 1 {
            eprintln!("fake agent: fatal error in turn {turn}");
            std::process::exit(3);
        }
    }
    emit(out, json!({"type": "assistant", "message": {"id": message, "content": [{"type": "text", "text": text}]}}));
    emit(out, json!({"type": "result", "subtype": "success", "is_error": false, "duration_ms": 5,
        "total_cost_usd": 0.001 * turn as f64, "stop_reason": "end_turn",
        "usage": {"input_tokens": 10, "output_tokens": count}}));
}
