//! A rollback does what its plan said: the plan made without changing anything predicts the
//! project's files after the rollback (and after its redo), and the journal then records which
//! rollback undid each op.

use super::fixture::*;
use std::fs;
use warden_core::journal::*;
use warden_core::session::TurnId;

#[test]
fn a_rollback_and_its_redo_leave_the_files_their_plans_predicted() {
    let mut fx = Fixture::new();
    fx.write("edit.txt", b"one\n");
    fx.write("gone.txt", b"bye\n");
    fx.write("run.sh", b"#!/bin/sh\n");
    fx.write("old/name.txt", b"moved\n");
    let before = fx.tree();
    let ops = fx.turn("s", 2, |fx| {
        fx.write("edit.txt", b"one\ntwo\n");
        fx.write("new/made.txt", b"made\n");
        fs::remove_file(fx.path("gone.txt")).unwrap();
        fx.chmod("run.sh", 0o755);
        fs::rename(fx.path("old/name.txt"), fx.path("name.txt")).unwrap();
    });
    let after = fx.tree();

    let plan = fx.journal().plan_rollback(&ids(&ops)).unwrap();
    assert_eq!(fx.tree(), after, "a plan changes nothing");
    let actions: Vec<(&str, PlanAction)> = plan.steps.iter().map(|s| (s.path.as_str(), s.action)).collect();
    assert!(actions.contains(&("edit.txt", PlanAction::Restore)), "{actions:?}");
    assert!(actions.contains(&("new/made.txt", PlanAction::Remove)), "{actions:?}");
    assert!(actions.contains(&("gone.txt", PlanAction::Recreate)), "{actions:?}");
    assert!(actions.contains(&("run.sh", PlanAction::Chmod)), "{actions:?}");
    assert!(plan.steps.iter().all(|s| s.since_turn == TurnId(2) && !s.undoes.is_empty()));
    let predicted = fx.predict(&plan);
    assert_eq!(predicted, before, "the plan puts every file back");

    let report = fx.recorder.rollback(&ids(&ops), false).unwrap();
    assert_eq!(fx.tree(), predicted, "the rollback did what its plan said");
    assert_eq!(report.ops, plan.ops);
    let removed: Vec<&str> = plan.steps.iter().filter(|s| s.target.is_none()).map(|s| s.path.as_str()).collect();
    assert_eq!(report.removed, removed);
    let undone: Vec<Option<RollbackId>> = fx.journal().ops(warden_journal::OpQuery::Ids(&ids(&ops))).unwrap().iter().map(|op| op.undone_by).collect();
    assert!(undone.iter().all(|u| *u == Some(report.id)), "each op says which rollback undid it: {undone:?}");

    let redo_plan = fx.journal().plan_redo(report.id).unwrap();
    assert!(redo_plan.steps.iter().all(|s| s.since_rollback == Some(report.id)));
    assert_eq!(fx.predict(&redo_plan), after);
    let redo = fx.recorder.redo(report.id, false).unwrap();
    assert_eq!(fx.tree(), after, "the redo did what its plan said");
    let agents = fx.journal().ops(warden_journal::OpQuery::Ids(&ids(&ops))).unwrap();
    assert!(agents.iter().all(|op| op.undone_by.is_none()), "redone: the agent's ops stand again");
    let made = fx.journal().ops(warden_journal::OpQuery::MadeBy(report.id)).unwrap();
    assert!(made.iter().all(|op| op.undone_by == Some(redo.id)), "the rollback's own ops were undone by the redo");
}

#[test]
fn a_plan_lists_files_changed_since_and_the_forced_rollback_overwrites_exactly_those() {
    let mut fx = Fixture::new();
    fx.write("a.txt", b"v1");
    let ops = fx.turn("s", 1, |fx| fx.write("a.txt", b"v2 by the agent"));
    fx.write("a.txt", b"v3 by the person");
    let plan = fx.journal().plan_rollback(&ids(&ops)).unwrap();
    assert_eq!(plan.conflicts.iter().map(|c| c.path.as_str()).collect::<Vec<_>>(), ["a.txt"]);
    let predicted = fx.predict(&plan);
    let refused = fx.recorder.rollback(&ids(&ops), false).unwrap_err();
    assert!(matches!(refused, warden_journal::RollbackError::Conflicts(ref c) if *c == plan.conflicts), "{refused:?}");
    fx.recorder.rollback(&ids(&ops), true).unwrap();
    assert_eq!(fx.tree(), predicted);
    assert_eq!(fs::read(fx.path("a.txt")).unwrap(), b"v1");
}
