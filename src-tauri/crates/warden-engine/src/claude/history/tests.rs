//! History reading against transcripts Claude Code 2.1.329 wrote while talking to the mock
//! model (`tests/fixtures/claude-history/`, paths anonymised to /home/dev/project, the long
//! system prompt and request snapshots trimmed; everything else as written):
//!
//! - `9ff61b0b-…`: two prompts through `warden run`: thinking, Bash, Read, a failed Read, a
//!   foreground subagent running Bash, then a resumed turn whose Write was denied;
//! - `22222222-…`: a prompt, then `/usage` and `/rename` handled by Claude alone;
//! - `11111111-…`: `claude -p` with a background subagent that reports back by task
//!   notification.

use super::*;
use std::path::Path;
use warden_core::session::*;

const PROJECT: &str = "/home/dev/project";
const TWO_TURNS: &str = "9ff61b0b-b106-479e-8846-66b41ebd8ec0";
const COMMANDS: &str = "22222222-2222-4333-8444-555555555555";
const BACKGROUND: &str = "11111111-2222-4333-8444-555555555555";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/claude-history")
}

fn events(id: &str) -> Vec<SessionEvent> {
    read_events(&SessionId(id.into()), &fixtures().join(format!("{id}.jsonl")))
}

fn kinds(events: &[SessionEvent]) -> Vec<&SessionEventKind> {
    events.iter().map(|e| &e.kind).collect()
}

/// A Claude configuration folder holding the fixtures as the transcripts of `PROJECT`.
fn config_with_fixtures() -> tempfile::TempDir {
    let config = tempfile::tempdir().unwrap();
    copy_dir(&fixtures(), &config.path().join("projects").join(encode_project(Path::new(PROJECT))));
    config
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn project_folders_encode_as_the_cli_names_them() {
    // Names observed in the temporary homes of real CLI runs.
    assert_eq!(encode_project(Path::new("/tmp/rec/proj2")), "-tmp-rec-proj2");
    assert_eq!(encode_project(Path::new("/home/me/my_app.v2")), "-home-me-my-app-v2", "every non-alphanumeric is a dash");
    assert_eq!(encode_project(Path::new("/ü/😀")), "-----", "one dash per UTF-16 unit: / ü / are one each, 😀 two");
    let long = format!("/tmp/rec/{}pröject", "a-very-long-folder-name/".repeat(10));
    assert_eq!(
        encode_project(Path::new(&long)),
        format!("-tmp-rec-{}w69f70", "a-very-long-folder-name-".repeat(8)),
        "past 200 characters: cut, then the path's hash in base 36 (as Claude Code 2.1.329 named it)"
    );
}

#[test]
fn only_plain_ids_are_session_ids() {
    assert!(is_session_id(TWO_TURNS));
    assert!(is_session_id("agent_1-x"));
    for bad in ["", "..", "../x", "a/b", "a\\b", "x.jsonl", "/etc/passwd", "a b", &"x".repeat(129)] {
        assert!(!is_session_id(bad), "{bad:?} must be refused");
    }
    let history = ClaudeHistory::at(config_with_fixtures().path());
    assert_eq!(history.transcript(Path::new(PROJECT), &format!("../{}/{TWO_TURNS}", encode_project(Path::new(PROJECT)))), None);
}

#[test]
fn the_list_has_one_entry_per_transcript_newest_first() {
    let config = config_with_fixtures();
    let history = ClaudeHistory::at(config.path());
    let dir = history.dir(Path::new(PROJECT)).expect("the project's folder");
    // A transcript with nothing but damage is still listed, and the subagent folders are not.
    std::fs::write(dir.join("broken.jsonl"), b"\xff\xfe not json\n{\"type\":\"user\",\"message\":\n").unwrap();
    let list = history.list(Path::new(PROJECT));
    let ids: Vec<&str> = list.iter().map(|e| e.agent_session_id.as_str()).collect();
    // The damaged file has no times in it, so its modification time (now) counts: newest.
    assert_eq!(ids, ["broken", COMMANDS, TWO_TURNS, BACKGROUND], "newest first: {list:#?}");
    let broken = &list[0];
    assert_eq!((broken.prompts, broken.title.as_str()), (0, ""));
    assert_eq!(broken.error, None, "unreadable lines are skipped, not an error of the file");
    assert!(broken.updated_ms + 60_000 > crate::now_ms());
    let list = &list[1..];

    let commands = &list[0];
    assert_eq!(commands.title, "My renamed session", "the person's /rename wins over the first prompt");
    assert_eq!(commands.first_prompt.as_deref(), Some("hello"));
    assert_eq!(commands.prompts, 1, "/usage and /rename were handled by Claude alone, they are no prompts");

    let two = &list[1];
    assert_eq!(two.title, "What does main.rs do? Check it and count the files.");
    assert_eq!(two.prompts, 2);
    assert_eq!(two.created_ms, time::parse_ms("2026-11-21T07:48:13.195Z").unwrap(), "{two:?}");
    assert_eq!(two.updated_ms, time::parse_ms("2026-11-21T07:48:16.864Z").unwrap());
    assert_eq!(two.bytes, std::fs::metadata(dir.join(format!("{TWO_TURNS}.jsonl"))).unwrap().len());
    assert_eq!(two.error, None);

    assert_eq!(list[2].prompts, 1, "a background task's report is not a prompt");
}

#[test]
fn a_file_that_cannot_be_read_is_an_entry_with_an_error() {
    let entry = summarize("gone", Path::new("/nonexistent/gone.jsonl"));
    assert!(entry.error.as_deref().is_some_and(|e| e.contains("could not open")), "{entry:?}");
    assert_eq!(entry.prompts, 0);
}

#[test]
fn transcripts_recorded_in_another_folder_with_the_same_name_are_left_out() {
    // `/home/dev/project` and `/home/dev-project` encode alike; the transcript says where it ran.
    let config = config_with_fixtures();
    let history = ClaudeHistory::at(config.path());
    assert_eq!(encode_project(Path::new("/home/dev-project")), encode_project(Path::new(PROJECT)));
    assert!(history.list(Path::new("/home/dev-project")).is_empty());
    assert_eq!(history.list(Path::new(PROJECT)).len(), 3);
    assert!(history.list(Path::new("/elsewhere")).is_empty(), "no folder, no entries");
}

#[test]
fn a_conversation_reads_as_the_events_warden_would_have_recorded() {
    let events = events(TWO_TURNS);
    let seqs: Vec<u64> = events.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, (1..=events.len() as u64).collect::<Vec<_>>(), "seq counts up from 1 without gaps");
    assert!(events.iter().all(|e| e.session_id.as_str() == TWO_TURNS));
    let kinds = kinds(&events);
    let raw: Vec<_> = kinds.iter().filter(|k| matches!(k, SessionEventKind::Unrecognised(_))).collect();
    assert!(raw.is_empty(), "every line of a real transcript is understood: {raw:#?}");

    let prompts: Vec<(u32, &str)> = kinds
        .iter()
        .filter_map(|k| match k {
            SessionEventKind::UserMessage(m) => Some((m.turn.0, m.text.as_str())),
            _ => None,
        })
        .collect();
    assert_eq!(prompts, [(1, "What does main.rs do? Check it and count the files."), (2, "Write a README please")]);

    let thought = kinds.iter().find_map(|k| match k {
        SessionEventKind::AgentThoughtChunk(c) => Some(c),
        _ => None,
    });
    let thought = thought.expect("the thinking block");
    assert_eq!((thought.message_id.as_str(), thought.part, thought.text.as_str()), ("msg_mock_1", 0, "I should look at the folder first."));
    let texts: Vec<(&str, u32, Option<&str>, &str)> = kinds
        .iter()
        .filter_map(|k| match k {
            SessionEventKind::AgentMessageChunk(c) => {
                Some((c.message_id.as_str(), c.part, c.parent.as_ref().map(|p| p.as_str()), c.text.as_str()))
            }
            _ => None,
        })
        .collect();
    assert_eq!(
        texts,
        [
            ("msg_mock_1", 1, None, "Let me look at the folder."),
            ("msg_mock_2", 0, None, "Now main.rs."),
            ("msg_mock_3", 0, None, "And the missing one."),
            ("msg_mock_4", 0, None, "A helper will count the files."),
            ("msg_mock_5", 0, Some("toolu_mock_4_1"), "Counting."),
            ("msg_mock_6", 0, Some("toolu_mock_4_1"), "There is 1 file."),
            ("msg_mock_7", 0, None, "main.rs prints hi; the folder has one file."),
            ("msg_mock_8", 0, None, "I'll write a README."),
            ("msg_mock_9", 0, None, "Understood, no README."),
        ],
        "each block once, as the API message id and block index; the subagent's under its call"
    );
}

fn tool_call<'a>(kinds: &[&'a SessionEventKind], id: &str) -> &'a ToolCall {
    kinds
        .iter()
        .find_map(|k| match k {
            SessionEventKind::ToolCall(t) if t.id.as_str() == id => Some(t),
            _ => None,
        })
        .unwrap_or_else(|| panic!("tool call {id}"))
}

fn tool_end<'a>(kinds: &[&'a SessionEventKind], id: &str) -> &'a ToolCallUpdate {
    let updates: Vec<&ToolCallUpdate> = kinds
        .iter()
        .filter_map(|k| match k {
            SessionEventKind::ToolCallUpdate(u) if u.id.as_str() == id => Some(u),
            _ => None,
        })
        .collect();
    assert_eq!(updates.len(), 1, "one final update for {id}");
    updates[0]
}

fn position(kinds: &[&SessionEventKind], pred: impl Fn(&SessionEventKind) -> bool) -> usize {
    kinds.iter().position(|k| pred(k)).expect("present")
}

#[test]
fn tool_calls_end_with_their_results() {
    let events = events(TWO_TURNS);
    let kinds = kinds(&events);
    let bash = tool_call(&kinds, "toolu_mock_1_2");
    assert_eq!((bash.name.as_str(), bash.kind, bash.title.as_str()), ("Bash", ToolKind::Execute, "Run ls"));
    assert_eq!(bash.status, ToolCallStatus::Running);
    assert_eq!(bash.raw_input["command"], "ls");
    let done = tool_end(&kinds, "toolu_mock_1_2");
    assert_eq!(done.status, Some(ToolCallStatus::Completed));
    let output = done.output.as_ref().expect("output");
    assert_eq!(output.text, "main.rs");
    assert_eq!(output.raw_output.as_ref().unwrap()["stdout"], "main.rs", "the structured result is kept");
    assert!(done.duration_ms.is_some_and(|d| d < 5_000), "{done:?}");

    let read = tool_call(&kinds, "toolu_mock_2_1");
    assert_eq!((read.kind, read.title.as_str()), (ToolKind::Read, "Read main.rs"), "paths relative to the project");
    assert_eq!(read.locations[0].path, "/home/dev/project/main.rs");
    assert!(tool_end(&kinds, "toolu_mock_2_1").output.as_ref().unwrap().text.contains("println!(\"hi\")"));
    let missing = tool_end(&kinds, "toolu_mock_3_1");
    assert_eq!(missing.status, Some(ToolCallStatus::Failed));
    assert!(missing.output.as_ref().unwrap().text.contains("File does not exist"));
    let write = tool_end(&kinds, "toolu_mock_8_1");
    assert_eq!(write.status, Some(ToolCallStatus::Denied), "the permission answer was no");

    // The subagent ran under its call, and its work shows before what it handed back.
    let agent = tool_call(&kinds, "toolu_mock_4_1");
    assert_eq!((agent.kind, agent.title.as_str()), (ToolKind::Think, "Subagent: Count files"));
    let nested = tool_call(&kinds, "toolu_mock_5_1");
    assert_eq!(nested.parent.as_ref().map(|p| p.as_str()), Some("toolu_mock_4_1"));
    assert_eq!(tool_end(&kinds, "toolu_mock_5_1").status, Some(ToolCallStatus::Completed));
    let agent_call = position(&kinds, |k| matches!(k, SessionEventKind::ToolCall(t) if t.id.as_str() == "toolu_mock_4_1"));
    let sub_text = position(&kinds, |k| matches!(k, SessionEventKind::AgentMessageChunk(c) if c.text == "There is 1 file."));
    let agent_done = position(&kinds, |k| matches!(k, SessionEventKind::ToolCallUpdate(u) if u.id.as_str() == "toolu_mock_4_1"));
    assert!(agent_call < sub_text && sub_text < agent_done, "{agent_call} < {sub_text} < {agent_done}");
}

#[test]
fn turns_end_with_the_tokens_of_their_own_requests_and_the_cost_claude_kept() {
    let events = events(TWO_TURNS);
    let ended: Vec<&TurnEnded> = events
        .iter()
        .filter_map(|e| match &e.kind {
            SessionEventKind::TurnEnded(t) => Some(t),
            _ => None,
        })
        .collect();
    assert_eq!(ended.len(), 2);
    assert_eq!((ended[0].turn, ended[0].stop_reason, ended[0].error.as_deref()), (TurnId(1), StopReason::EndTurn, None));
    // Five main-thread model requests of 12 in / 20 out each: what the live result reported
    // ("60 in / 100 out"); the subagent's two requests are not the turn's.
    let usage = ended[0].usage;
    assert_eq!((usage.input_tokens, usage.output_tokens, usage.cache_read_tokens), (60, 100, 0));
    assert_eq!(ended[0].context_tokens, Some(12), "the last request's input, not a sum");
    assert_eq!(ended[0].context_window, None, "transcripts do not say");
    assert!((ended[0].cost_usd.unwrap() - 0.003136).abs() < 1e-9, "{:?}", ended[0].cost_usd);
    assert!((ended[1].cost_usd.unwrap() - 0.000896).abs() < 1e-9, "the second turn's share: {:?}", ended[1].cost_usd);
    assert!((ended[1].session_cost_usd - 0.004032).abs() < 1e-9);
    assert_eq!((ended[1].usage.input_tokens, ended[1].usage.output_tokens), (24, 40));
    assert!(ended[0].duration_ms > 0 && ended[0].duration_ms < 10_000, "{}", ended[0].duration_ms);
    let last = events.last().unwrap();
    assert!(matches!(last.kind, SessionEventKind::TurnEnded(_)), "the file ends the last turn");
    assert_eq!(last.at_ms, time::parse_ms("2026-11-21T07:48:16.864Z").unwrap(), "events carry the transcript's times");
}

#[test]
fn commands_claude_handled_alone_are_notices_not_turns() {
    let events = events(COMMANDS);
    let kinds = kinds(&events);
    let notices: Vec<&str> = kinds
        .iter()
        .filter_map(|k| match k {
            SessionEventKind::Notice(n) => Some(n.text.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(notices.len(), 4, "{notices:#?}");
    assert_eq!(notices[0], "/usage");
    assert!(notices[1].starts_with("Estimated cost:"), "the command's output, without its tags: {}", notices[1]);
    assert_eq!(notices[2..], ["/rename My renamed session", "Session renamed to: My renamed session"]);
    let prompts = kinds.iter().filter(|k| matches!(k, SessionEventKind::UserMessage(_))).count();
    assert_eq!(prompts, 1);
    let ends = kinds.iter().filter(|k| matches!(k, SessionEventKind::TurnEnded(_))).count();
    assert_eq!(ends, 1);
    assert!(!kinds.iter().any(|k| matches!(k, SessionEventKind::Unrecognised(_))), "{kinds:#?}");
}

#[test]
fn a_background_subagent_nests_under_its_call_and_its_report_is_a_notice() {
    let events = events(BACKGROUND);
    let kinds = kinds(&events);
    assert!(!kinds.iter().any(|k| matches!(k, SessionEventKind::Unrecognised(_))), "{kinds:#?}");
    let nested = kinds.iter().any(|k| {
        matches!(k, SessionEventKind::AgentMessageChunk(c)
            if c.text == "There are 1 files." && c.parent.as_ref().map(|p| p.as_str()) == Some("toolu_mock_4_1"))
    });
    assert!(nested, "the subagent's answer hangs under its call");
    let report = kinds.iter().any(|k| matches!(k, SessionEventKind::Notice(n) if n.text == "Background task: Agent \"Count files\" finished"));
    assert!(report, "{kinds:#?}");
    assert_eq!(kinds.iter().filter(|k| matches!(k, SessionEventKind::UserMessage(_))).count(), 1);
}

/// A transcript written for the test: lines shaped like the fixtures', with damage in between.
fn convert_lines(lines: &[&[u8]]) -> Vec<SessionEvent> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.jsonl");
    std::fs::write(&path, lines.join(&b'\n')).unwrap();
    read_events(&SessionId("s".into()), &path)
}

const PROMPT: &[u8] = br#"{"parentUuid":null,"isSidechain":false,"type":"user","message":{"role":"user","content":"Fix it"},"uuid":"u1","timestamp":"2026-11-21T07:48:12.921Z","cwd":"/home/dev/project","sessionId":"s"}"#;
const BASH: &[u8] = br#"{"parentUuid":"u1","isSidechain":false,"message":{"content":[{"id":"toolu_1","input":{"command":"rm -rf build","description":"Clean"},"name":"Bash","type":"tool_use"}],"id":"msg_1","model":"claude-opus-5-5","role":"assistant","stop_reason":"tool_use","type":"message","usage":{"input_tokens":3,"cache_creation_input_tokens":100,"cache_read_input_tokens":2000,"output_tokens":20}},"apiBlockIndex":0,"type":"assistant","uuid":"a1","timestamp":"2026-11-21T07:48:13.000Z","sessionId":"s"}"#;

#[test]
fn damaged_lines_become_unrecognised_events_and_the_rest_still_reads() {
    let events = convert_lines(&[
        b"[SandboxDebug] not a transcript line",
        PROMPT,
        b"{\"type\":\"user\",\"message\":",
        b"",
        b"{\"type\":\"assistant\",\"message\":42,\"uuid\":\"x\"}",
        b"{\"type\":\"user\",\"uuid\":\"no-message\"}",
        b"\xff\xfe\x00 invalid utf-8",
        br#"{"type":"some-future-bookkeeping","whatever":{"deep":[1,2]}}"#,
        br#"{"type":"queue-operation","operation":7}"#,
        BASH,
        br#"{"type":"user","isSidechain":false,"message":{"role":"user","content":[{"tool_use_id":"toolu_unknown","type":"tool_result","content":"x"}]},"uuid":"u2","timestamp":"2026-11-21T07:48:14.000Z"}"#,
    ]);
    let seqs: Vec<u64> = events.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, (1..=events.len() as u64).collect::<Vec<_>>());
    let raw: Vec<&RawOutput> = events
        .iter()
        .filter_map(|e| match &e.kind {
            SessionEventKind::Unrecognised(r) => Some(r),
            _ => None,
        })
        .collect();
    let reasons: Vec<&str> = raw.iter().map(|r| r.reason.as_str()).collect();
    assert_eq!(raw.len(), 6, "not JSON, cut short, wrong message shape, no message, bad bytes, unknown result: {reasons:#?}");
    assert_eq!(raw[0].text, "[SandboxDebug] not a transcript line", "the line is kept as it was");
    assert!(reasons[1].starts_with("could not read"), "{reasons:?}");
    assert!(reasons[2].contains("assistant line not understood"), "{reasons:?}");
    assert!(reasons[3].contains("without a message"), "{reasons:?}");
    assert!(reasons[5].contains("toolu_unknown"), "{reasons:?}");
    let types: Vec<&str> = events.iter().map(|e| e.kind.type_name()).filter(|t| *t != "unrecognised").collect();
    assert_eq!(types, ["userMessage", "toolCall", "toolCallUpdate", "turnEnded"], "bookkeeping lines are skipped");
    let SessionEventKind::TurnEnded(end) = &events.last().unwrap().kind else { panic!() };
    assert_eq!(end.context_tokens, Some(2103), "input + cache read + cache creation of the last request");
    assert_eq!(end.stop_reason, StopReason::EndTurn);
}

#[test]
fn an_interrupted_turn_ends_cancelled_and_a_refused_tool_is_denied() {
    let events = convert_lines(&[
        PROMPT,
        BASH,
        br#"{"parentUuid":"a1","isSidechain":false,"type":"user","message":{"role":"user","content":[{"type":"tool_result","content":"The user doesn't want to proceed with this tool use. The tool use was rejected (eg. if it was a file edit, the new_string was NOT written to the file). STOP what you are doing and wait for the user to tell you how to proceed.","is_error":true,"tool_use_id":"toolu_1"}]},"uuid":"u2","timestamp":"2026-11-21T07:48:15.000Z","toolUseResult":"Error: The user doesn't want to proceed with this tool use."}"#,
        br#"{"parentUuid":"u2","isSidechain":false,"type":"user","message":{"role":"user","content":[{"type":"text","text":"[Request interrupted by user for tool use]"}]},"uuid":"u3","timestamp":"2026-11-21T07:48:15.001Z"}"#,
        br#"{"parentUuid":"u3","isSidechain":false,"type":"user","message":{"role":"user","content":"<local-command-caveat>Caveat: ...</local-command-caveat>"},"isMeta":true,"uuid":"u4","timestamp":"2026-11-21T07:48:16.000Z"}"#,
    ]);
    let types: Vec<&str> = events.iter().map(|e| e.kind.type_name()).collect();
    assert_eq!(types, ["userMessage", "toolCall", "toolCallUpdate", "turnEnded"], "the caveat is Claude's own context");
    let SessionEventKind::ToolCallUpdate(update) = &events[2].kind else { panic!() };
    assert_eq!(update.status, Some(ToolCallStatus::Denied));
    let SessionEventKind::TurnEnded(end) = &events[3].kind else { panic!() };
    assert_eq!(end.stop_reason, StopReason::Cancelled);
}

#[test]
fn a_missing_file_is_one_unrecognised_event_not_a_panic() {
    let events = read_events(&SessionId("x".into()), Path::new("/nonexistent/x.jsonl"));
    assert_eq!(events.len(), 1);
    assert!(matches!(&events[0].kind, SessionEventKind::Unrecognised(r) if r.reason.contains("could not read")));
}


/// Every tool output of the fixtures, by tool call, as `read_events` gives them.
fn outputs(events: &[SessionEvent]) -> Vec<(String, ToolOutput)> {
    events
        .iter()
        .filter_map(|e| match &e.kind {
            SessionEventKind::ToolCallUpdate(u) => u.output.clone().map(|o| (u.id.0.clone(), o)),
            _ => None,
        })
        .collect()
}

#[test]
fn shown_transcripts_leave_large_outputs_out_and_each_reads_back_whole_from_its_line() {
    for id in [TWO_TURNS, BACKGROUND, COMMANDS] {
        let path = fixtures().join(format!("{id}.jsonl"));
        let whole = events(id);
        let all = outputs(&whole);
        assert!(id == COMMANDS || all.len() >= 2, "{id}: the fixture has tool outputs");
        let limit = 20;
        let shown = read_events_to_show(&SessionId(id.into()), &path, limit);
        assert_eq!(shown.len(), whole.len(), "{id}: the same events");
        for (full, seen) in whole.iter().zip(&shown) {
            match (&full.kind, &seen.kind) {
                (SessionEventKind::ToolCallUpdate(f), SessionEventKind::ToolCallUpdate(s)) if f.output.as_ref().is_some_and(|o| o.text.len() > limit) => {
                    let (f_out, s_out) = (f.output.as_ref().unwrap(), s.output.as_ref().unwrap());
                    assert_eq!((s_out.text.as_str(), s_out.raw_output.is_none()), ("", true), "{id}: left out");
                    assert_eq!(s_out.elided_bytes, Some(f_out.text.len() as u64), "{id}: its size is said");
                    assert_eq!((s.status, s.duration_ms), (f.status, f.duration_ms), "{id}: the rest of the update stays");
                }
                // The structured result is never sent to show (the window does not use it).
                (SessionEventKind::ToolCallUpdate(f), SessionEventKind::ToolCallUpdate(s)) if f.output.is_some() => {
                    let mut f = f.clone();
                    if let Some(o) = &mut f.output {
                        o.raw_output = None;
                    }
                    assert_eq!(&f, s, "{id}: a small output is sent with its text, without its structured result");
                }
                _ => assert_eq!(full, seen, "{id}: events without a large output are as read whole"),
            }
        }
        // Every output reads back as the whole transcript has it, subagents' outputs included.
        for (tool, output) in &all {
            assert_eq!(read_output(&path, tool).as_ref(), Some(output), "{id}: the output of {tool}");
        }
    }
    let path = fixtures().join(format!("{TWO_TURNS}.jsonl"));
    assert_eq!(read_output(&path, "toolu_not_there"), None);
    assert_eq!(read_output(&path, "\"}"), None, "an id that is not one finds nothing");
}
