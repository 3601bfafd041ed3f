//! Changes made while no turn runs (issue 18): a second recorder of the project, as the project
//! watcher keeps, records them as ops outside any turn, measured from the last turn's end. The
//! next turn does not take them, and a rollback of the turn over them reports a conflict.

use super::*;
use warden_journal::is_outside_turn;

/// The watcher's recorder of the fixture's project, into the same journal.
fn watcher(fx: &Fixture) -> Recorder {
    Recorder::with_journal(fx.project.path(), fx.recorder.journal().clone(), DEFAULT_CAP).unwrap()
}

#[test]
fn an_edit_between_turns_is_an_op_of_no_turn_and_the_next_turn_leaves_it_out() {
    let mut fx = Fixture::new();
    fx.write(".gitignore", b"build/\n");
    fx.write(".git/HEAD", b"ref: refs/heads/main\n");
    fx.write("notes.md", b"v1");
    let mut outside = watcher(&fx);
    outside.rebase().unwrap();
    let t1 = fx.turn("s", 1, |fx| fx.write("notes.md", b"v2 by the agent"));
    // The watcher measures from the turn's last snapshot, as the gate hands it over.
    outside.set_baseline(fx.recorder.last_snapshot().unwrap().clone());

    fx.write("notes.md", b"v3 by the person");
    fx.write("build/out.bin", b"ignored output");
    fx.write(".git/index", b"git's own");
    let ops = outside.record_outside().unwrap();
    assert_eq!(ops.len(), 1, "the ignored file and .git/ give nothing: {ops:#?}");
    let op = &ops[0];
    assert!(is_outside_turn(op) && op.tool_call_id.is_none() && op.turn == TurnId(0));
    assert_eq!((op.path.as_str(), &op.kind), ("notes.md", &OpKind::Modify));
    assert_eq!((op.before.as_ref().unwrap().size, op.after.as_ref().unwrap().size), (15, 16));
    assert_eq!(fx.journal().content(op.after.as_ref().unwrap().hash.as_ref().unwrap()).unwrap(), b"v3 by the person");
    assert!(outside.record_outside().unwrap().is_empty(), "recorded once");
    assert!(fx.journal().log(fx.project.path(), None).unwrap().iter().any(|o| o.id == op.id), "in the project's log");
    assert!(!fx.journal().ops(OpQuery::Session(&SessionId::from("s"))).unwrap().iter().any(|o| o.id == op.id), "in no session");

    let t2 = fx.turn("s", 2, |fx| fx.write("other.txt", b"by the agent"));
    assert_eq!(t2.iter().map(|o| o.path.as_str()).collect::<Vec<_>>(), ["other.txt"], "the next turn leaves it out");

    let refused = fx.recorder.rollback(&ids(&t1), false).unwrap_err();
    let RollbackError::Conflicts(conflicts) = &refused else { panic!("{refused:?}") };
    assert_eq!(conflicts.iter().map(|c| c.path.as_str()).collect::<Vec<_>>(), ["notes.md"]);
    assert_eq!(fs::read(fx.path("notes.md")).unwrap(), b"v3 by the person");
    // The outside op rolls back like any other.
    fx.recorder.rollback(&[op.id], false).unwrap();
    assert_eq!(fs::read(fx.path("notes.md")).unwrap(), b"v2 by the agent");
}

#[test]
fn outside_recording_is_refused_while_its_own_turn_is_open_and_starts_from_a_rebase() {
    let mut fx = Fixture::new();
    fx.write("a.txt", b"1");
    let mut outside = watcher(&fx);
    // No snapshot yet: the first call only takes one.
    assert!(outside.record_outside().unwrap().is_empty());
    fx.write("a.txt", b"22");
    assert_eq!(outside.record_outside().unwrap().len(), 1);
    fx.recorder.begin_turn(SessionId::from("s"), TurnId(1)).unwrap();
    assert!(fx.recorder.record_outside().is_err(), "a recorder with a turn open records none outside it");
    fx.recorder.end_turn().unwrap();
    fx.write("a.txt", b"333");
    outside.rebase().unwrap();
    assert!(outside.record_outside().unwrap().is_empty(), "a rebase takes the disk as it is");
}
