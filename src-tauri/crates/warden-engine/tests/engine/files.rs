//! The file journal in real sessions: the real Claude Code CLI on the mock model writes, edits
//! and removes files; every change is recorded (tied to its tool call), announced, and can be
//! rolled back through the engine, and the agent hears of it at its next prompt.

use crate::support::*;
use serde_json::json;
use std::collections::BTreeMap;
use std::path::Path;
use warden_core::journal::*;
use warden_core::session::*;
use warden_engine::journal::RollbackError;
use warden_engine::FilesError;
use warden_mock_models::{AnthropicMock, Reply};

fn bash(command: &str) -> Reply {
    Reply::tool("Bash", json!({"command": command, "description": "Change files"}))
}

/// Every file under the project with its bytes (folders are not listed).
fn files(root: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(dir: &Path, rel: &str, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let name = entry.file_name().into_string().unwrap();
            let rel = if rel.is_empty() { name } else { format!("{rel}/{name}") };
            if entry.file_type().unwrap().is_dir() {
                walk(&entry.path(), &rel, out);
            } else {
                out.insert(rel, std::fs::read(entry.path()).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, "", &mut out);
    out
}

fn names(root: &Path) -> Vec<String> {
    files(root).into_keys().collect()
}

/// The `FileChanges` events seen so far.
fn changes(run: &Run) -> Vec<FileChanges> {
    run.events
        .iter()
        .filter_map(|e| match &e.kind {
            SessionEventKind::FileChanges(c) => Some(c.clone()),
            _ => None,
        })
        .collect()
}

/// The ids of the tool calls named `tool`, in order.
fn calls(run: &Run, tool: &str) -> Vec<ToolCallId> {
    run.events
        .iter()
        .filter_map(|e| match &e.kind {
            SessionEventKind::ToolCall(c) if c.name == tool => Some(c.id.clone()),
            _ => None,
        })
        .collect()
}

async fn start(world: &World, mock: &AnthropicMock) -> Run {
    let env = claude_env(world.home.path(), &mock.url());
    Run::start_with(&world.engine, world.project.path(), claude(), env, PermissionMode::Bypass).await
}

fn project(world: &World) -> String {
    world.project_path().to_string_lossy().into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_rolled_back_removes_the_file_and_the_agents_next_prompt_says_so() {
    let world = World::new();
    let target = world.project_path().join("new.txt");
    let mock = AnthropicMock::start(vec![
        Reply::tool("Write", json!({"file_path": target, "content": "one\ntwo\n"})),
        Reply::text("Written."),
        Reply::text("Noted."),
    ])
    .unwrap();
    let mut run = start(&world, &mock).await;
    let turn = run.handle.prompt("write it").await.unwrap();
    run.turn_end().await;
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "one\ntwo\n");
    let write = calls(&run, "Write");
    let announced = changes(&run);
    assert_eq!(announced.len(), 1, "one announcement: {announced:#?}");
    assert_eq!((announced[0].turn, announced[0].tool_call_id.as_ref()), (turn, write.first()), "tied to the Write call");
    let op = &announced[0].ops[0];
    assert_eq!((op.path.as_str(), &op.kind, op.size_before, op.size_after), ("new.txt", &OpKind::Create, None, Some(8)));
    assert_eq!((op.lines_added, op.lines_removed), (Some(2), Some(0)));
    let types = run.types();
    let at = |t: &str| types.iter().position(|x| *x == t).unwrap();
    assert!(at("fileChanges") < at("turnEnded"), "announced within the turn: {types:?}");

    // The session is still running, between turns: the rollback goes ahead.
    let session_id = run.handle.id().clone();
    let whole_turn = RollbackTarget::Turn { session_id: session_id.clone(), turn };
    // The plan says what the rollback will do, and doing it changes nothing.
    let plan = world.engine.files().rollback_plan(&project(&world), &whole_turn).unwrap();
    let planned: Vec<(&str, PlanAction)> = plan.steps.iter().map(|s| (s.path.as_str(), s.action)).collect();
    assert_eq!(planned, [("new.txt", PlanAction::Remove)]);
    assert!(target.exists());
    let report = world.engine.files().rollback(&project(&world), whole_turn.clone(), false).unwrap();
    assert_eq!(report.removed, ["new.txt"]);
    assert_eq!(report.ops, plan.ops);
    assert!(!target.exists());
    let log = world.engine.files().file_log(&project(&world), Some(&session_id)).unwrap();
    assert_eq!(log[0].undone_by, Some(report.id), "the log says which rollback undid the write");
    let again = world.engine.files().rollback(&project(&world), RollbackTarget::Turn { session_id: session_id.clone(), turn }, false).unwrap_err();
    assert!(matches!(again, FilesError::NothingToRollBack(_)), "{again:?}");
    let no_plan = world.engine.files().rollback_plan(&project(&world), &whole_turn).unwrap_err();
    assert!(matches!(no_plan, FilesError::NothingToRollBack(_)), "{no_plan:?}");

    run.handle.prompt("what now?").await.unwrap();
    run.turn_end().await;
    let last = mock.requests().last().unwrap().to_string();
    let note = "Note from Warden: the user rolled back your changes to these files, which are now as they were before (removed: new.txt).";
    assert!(last.contains(note), "the model hears of the rollback: {last}");
    let prompts: Vec<&str> = run
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            SessionEventKind::UserMessage(m) => Some(m.text.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(prompts, ["write it", "what now?"], "the stored prompts are the person's own");
    assert!(names(world.project.path()).is_empty(), "nothing of ours in the project");
    run.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edit_rolled_back_restores_the_original() {
    let world = World::new();
    let file = world.project_path().join("f.txt");
    std::fs::write(&file, "alpha\nbeta\ngamma\n").unwrap();
    let mock = AnthropicMock::start(vec![
        Reply::tool("Read", json!({"file_path": file})),
        Reply::tool("Edit", json!({"file_path": file, "old_string": "beta", "new_string": "BETA\nmore"})),
        Reply::text("Edited."),
    ])
    .unwrap();
    let mut run = start(&world, &mock).await;
    run.handle.prompt("edit it").await.unwrap();
    run.turn_end().await;
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "alpha\nBETA\nmore\ngamma\n");
    let edit = calls(&run, "Edit").pop().expect("an Edit call");
    let announced = changes(&run);
    assert_eq!(announced.len(), 1, "the Read changed nothing: {announced:#?}");
    assert_eq!(announced[0].tool_call_id.as_ref(), Some(&edit));
    let op = &announced[0].ops[0];
    assert_eq!((&op.kind, op.lines_added, op.lines_removed), (&OpKind::Modify, Some(2), Some(1)));

    let session_id = run.handle.id().clone();
    let target = RollbackTarget::ToolCall { session_id, tool_call_id: edit };
    let diff = world.engine.files().file_diff(&project(&world), &target).unwrap();
    assert_eq!(diff.len(), 1);
    assert_eq!(diff[0].before.text(), Some("alpha\nbeta\ngamma\n"));
    assert_eq!(diff[0].after.text(), Some("alpha\nBETA\nmore\ngamma\n"));
    let report = world.engine.files().rollback(&project(&world), target, false).unwrap();
    assert_eq!(report.restored, ["f.txt"]);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "alpha\nbeta\ngamma\n");
    assert_eq!(names(world.project.path()), ["f.txt"], "nothing of ours in the project");
    run.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bash_changes_are_tied_to_their_call_and_each_can_be_undone() {
    let world = World::new();
    let root = world.project_path();
    std::fs::write(root.join("f.txt"), "a cat\n").unwrap();
    std::fs::write(root.join("g.txt"), "going\n").unwrap();
    let before = files(&root);
    let mock = AnthropicMock::start(vec![bash("sed -i 's/a/b/' f.txt"), bash("rm g.txt"), Reply::text("Done.")]).unwrap();
    let mut run = start(&world, &mock).await;
    run.handle.prompt("change them").await.unwrap();
    run.turn_end().await;
    assert_eq!(std::fs::read_to_string(root.join("f.txt")).unwrap(), "b cat\n");
    assert!(!root.join("g.txt").exists());
    let bash_calls = calls(&run, "Bash");
    assert_eq!(bash_calls.len(), 2);
    let announced = changes(&run);
    let tied: Vec<(Option<ToolCallId>, String, OpKind)> = announced
        .iter()
        .flat_map(|c| c.ops.iter().map(|op| (c.tool_call_id.clone(), op.path.clone(), op.kind.clone())))
        .collect();
    assert_eq!(
        tied,
        [(Some(bash_calls[0].clone()), "f.txt".into(), OpKind::Modify), (Some(bash_calls[1].clone()), "g.txt".into(), OpKind::Delete)],
        "each change tied to the command that made it"
    );
    let session_id = run.handle.id().clone();
    let log = world.engine.files().file_log(&project(&world), Some(&session_id)).unwrap();
    assert_eq!(log.len(), 2);
    for call in bash_calls.iter().rev() {
        let target = RollbackTarget::ToolCall { session_id: session_id.clone(), tool_call_id: call.clone() };
        world.engine.files().rollback(&project(&world), target, false).unwrap();
    }
    assert_eq!(files(&root), before, "both files are back, byte for byte");
    run.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_change_to_one_file_is_undone_in_one_rollback() {
    let world = World::new();
    let root = world.project_path();
    std::fs::write(root.join("f.txt"), "one\n").unwrap();
    std::fs::write(root.join("g.txt"), "keep\n").unwrap();
    let replies = vec![bash("sed -i 's/one/two/' f.txt"), bash("echo changed > g.txt"), bash("sed -i 's/two/three/' f.txt"), Reply::text("Done.")];
    let mock = AnthropicMock::start(replies).unwrap();
    let mut run = start(&world, &mock).await;
    run.handle.prompt("change them").await.unwrap();
    run.turn_end().await;
    run.stop().await;
    let log = world.engine.files().file_log(&project(&world), Some(run.handle.id())).unwrap();
    let of_f: Vec<OpId> = log.iter().filter(|op| op.path == "f.txt").map(|op| op.id).collect();
    assert_eq!((of_f.len(), log.len()), (2, 3), "{log:?}");

    let report = world.engine.files().rollback(&project(&world), RollbackTarget::Ops { ids: of_f.clone() }, false).unwrap();
    assert_eq!(report.ops.len(), 2, "one rollback undid both changes");
    assert_eq!(std::fs::read_to_string(root.join("f.txt")).unwrap(), "one\n");
    assert_eq!(std::fs::read_to_string(root.join("g.txt")).unwrap(), "changed\n", "the other file is left as it is");

    // An id the project does not have makes the whole target unknown: nothing is undone.
    let g = log.iter().find(|op| op.path == "g.txt").unwrap().id;
    let unknown = world.engine.files().rollback(&project(&world), RollbackTarget::Ops { ids: vec![g, OpId(9_999)] }, false).unwrap_err();
    assert!(matches!(unknown, FilesError::NothingToRollBack(_)), "{unknown:?}");
    assert_eq!(std::fs::read_to_string(root.join("g.txt")).unwrap(), "changed\n");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_changed_after_the_turn_refuses_the_rollback_until_forced() {
    let world = World::new();
    let file = world.project_path().join("c.txt");
    std::fs::write(&file, "original\n").unwrap();
    let mock = AnthropicMock::start(vec![bash("echo agent > c.txt"), Reply::text("Done.")]).unwrap();
    let mut run = start(&world, &mock).await;
    let turn = run.handle.prompt("overwrite").await.unwrap();
    run.turn_end().await;
    run.stop().await;
    std::fs::write(&file, "the person's edit\n").unwrap();

    // The session is stopped now: rollbacks work all the same.
    let target = RollbackTarget::Turn { session_id: run.handle.id().clone(), turn };
    let refused = world.engine.files().rollback(&project(&world), target.clone(), false).unwrap_err();
    let FilesError::Rollback(RollbackError::Conflicts(conflicts)) = &refused else { panic!("{refused:?}") };
    assert_eq!(conflicts.len(), 1);
    assert_eq!(conflicts[0].path, "c.txt");
    assert_eq!((conflicts[0].expected.as_ref().unwrap().size, conflicts[0].found.as_ref().unwrap().size), (6, 18));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "the person's edit\n", "a refusal changes nothing");
    let report = world.engine.files().rollback(&project(&world), target, true).unwrap();
    assert!(report.forced && report.conflicts.len() == 1);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "original\n");
    // The person's edit is not lost: the redo brings it back.
    world.engine.files().redo(&project(&world), report.id, false).unwrap();
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "the person's edit\n");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_binary_file_written_by_a_command_round_trips_byte_for_byte() {
    let world = World::new();
    let file = world.project_path().join("b.bin");
    let original = vec![0x7f, 0x45, 0x00, 0xfe, 0x0a, 0xff];
    std::fs::write(&file, &original).unwrap();
    let mock = AnthropicMock::start(vec![bash(r"printf '\x00\x01\xff' > b.bin"), Reply::text("Done.")]).unwrap();
    let mut run = start(&world, &mock).await;
    let turn = run.handle.prompt("binary").await.unwrap();
    run.turn_end().await;
    assert_eq!(std::fs::read(&file).unwrap(), [0x00, 0x01, 0xff]);
    let op = changes(&run).pop().expect("announced").ops[0].clone();
    assert_eq!((op.lines_added, op.size_before, op.size_after), (None, Some(6), Some(3)), "no line counts for binary");
    let session_id = run.handle.id().clone();
    let target = RollbackTarget::Turn { session_id, turn };
    let diff = world.engine.files().file_diff(&project(&world), &target).unwrap();
    assert_eq!((diff[0].before.clone(), diff[0].after.clone()), (DiffSide::Binary { size: 6 }, DiffSide::Binary { size: 3 }));
    let report = world.engine.files().rollback(&project(&world), target, false).unwrap();
    assert_eq!(std::fs::read(&file).unwrap(), original);
    world.engine.files().redo(&project(&world), report.id, false).unwrap();
    assert_eq!(std::fs::read(&file).unwrap(), [0x00, 0x01, 0xff]);
    assert_eq!(names(world.project.path()), ["b.bin"], "nothing of ours in the project");
    run.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rollback_waits_for_the_running_turn_to_end() {
    let world = World::new();
    let target = world.project_path().join("first.txt");
    let mock = AnthropicMock::start(vec![
        Reply::tool("Write", json!({"file_path": target, "content": "first\n"})),
        Reply::text("Written."),
        bash("sleep 2"),
        Reply::text("Slept."),
    ])
    .unwrap();
    let mut run = start(&world, &mock).await;
    let first = run.handle.prompt("write").await.unwrap();
    run.turn_end().await;
    run.handle.prompt("sleep").await.unwrap();
    run.until("the command to run", |k| matches!(k, SessionEventKind::ToolCall(c) if c.name == "Bash")).await;
    let turn = RollbackTarget::Turn { session_id: run.handle.id().clone(), turn: first };
    let refused = world.engine.files().rollback(&project(&world), turn.clone(), false).unwrap_err();
    assert!(matches!(refused, FilesError::Rollback(RollbackError::TurnOpen)), "{refused:?}");
    assert!(target.exists(), "nothing moved under the running turn");
    run.turn_end().await;
    world.engine.files().rollback(&project(&world), turn, false).unwrap();
    assert!(!target.exists());
    run.stop().await;
}
