//! The rollback planner on hand-made journals.

use super::*;
use crate::journal::{BlobHash, FileKind, OpKind};
use crate::session::{SessionId, TurnId};

fn file(content: &str, mode: u32) -> Option<FileImage> {
    Some(FileImage {
        hash: Some(BlobHash(format!("hash-of-{content}"))),
        size: content.len() as u64,
        mode,
        kind: FileKind::File,
        too_large: false,
    })
}

fn big(size: u64) -> Option<FileImage> {
    Some(FileImage { hash: None, size, mode: 0o644, kind: FileKind::File, too_large: true })
}

fn op(id: u64, path: &str, kind: OpKind, before: Option<FileImage>, after: Option<FileImage>) -> FileOp {
    FileOp {
        id: OpId(id),
        session_id: SessionId::from("s"),
        turn: TurnId(1),
        tool_call_id: None,
        path: path.into(),
        kind,
        before,
        after,
        at_ms: 0,
        ignored: false,
        rollback_id: None,
        undone_by: None,
    }
}

fn disk(entries: &[(&str, Option<FileImage>)]) -> BTreeMap<String, Option<FileImage>> {
    entries.iter().map(|(p, i)| (p.to_string(), i.clone())).collect()
}

/// (path, target) of every step.
fn targets(plan: &RollbackPlan) -> Vec<(&str, Option<FileImage>)> {
    plan.steps.iter().map(|s| (s.path.as_str(), s.target.clone())).collect()
}

fn a_journal() -> Vec<FileOp> {
    vec![
        op(1, "a", OpKind::Create, None, file("A", 0o644)),
        op(2, "a", OpKind::Modify, file("A", 0o644), file("B", 0o644)),
        op(3, "a", OpKind::Modify, file("B", 0o644), file("C", 0o644)),
    ]
}

#[test]
fn undoing_a_create_removes_the_file() {
    let ops = [op(1, "new.txt", OpKind::Create, None, file("x", 0o644))];
    let plan = plan_rollback(&ops, &disk(&[("new.txt", file("x", 0o644))]));
    assert_eq!(targets(&plan), vec![("new.txt", None)]);
    assert!(plan.conflicts.is_empty() && plan.not_kept.is_empty());
    assert_eq!(plan.steps[0].op, OpId(1));
}

#[test]
fn undoing_a_modify_or_delete_restores_content_and_mode() {
    let ops = [
        op(1, "m", OpKind::Modify, file("old", 0o600), file("new", 0o644)),
        op(2, "d", OpKind::Delete, file("gone", 0o755), None),
    ];
    let plan = plan_rollback(&ops, &disk(&[("m", file("new", 0o644)), ("d", None)]));
    assert_eq!(targets(&plan), vec![("d", file("gone", 0o755)), ("m", file("old", 0o600))]);
    assert!(plan.conflicts.is_empty());
}

#[test]
fn a_change_made_after_the_op_is_a_conflict_but_still_planned() {
    let ops = [op(1, "a", OpKind::Modify, file("old", 0o644), file("agent", 0o644))];
    let plan = plan_rollback(&ops, &disk(&[("a", file("user", 0o644))]));
    assert_eq!(
        plan.conflicts,
        vec![Conflict { path: "a".into(), expected: file("agent", 0o644), found: file("user", 0o644) }]
    );
    // A forced rollback still knows where to go.
    assert_eq!(targets(&plan), vec![("a", file("old", 0o644))]);
}

#[test]
fn a_file_deleted_by_hand_conflicts_with_undoing_its_modify() {
    let ops = [op(1, "a", OpKind::Modify, file("old", 0o644), file("agent", 0o644))];
    let plan = plan_rollback(&ops, &disk(&[]));
    assert_eq!(plan.conflicts[0].found, None);
    assert_eq!(plan.conflicts[0].expected, file("agent", 0o644));
}

#[test]
fn undoing_a_suffix_of_ops_on_one_path_goes_back_to_that_point() {
    let ops = a_journal();
    let now = disk(&[("a", file("C", 0o644))]);
    assert_eq!(targets(&plan_rollback(&ops[2..], &now)), vec![("a", file("B", 0o644))]);
    assert_eq!(targets(&plan_rollback(&ops[1..], &now)), vec![("a", file("A", 0o644))]);
    let all = plan_rollback(&ops, &now);
    assert_eq!(targets(&all), vec![("a", None)]);
    assert!(all.conflicts.is_empty());
    assert_eq!(all.steps[0].op, OpId(3), "attributed to the newest undone op");
}

#[test]
fn order_and_duplicates_of_the_input_do_not_matter() {
    let ops = a_journal();
    let shuffled = vec![ops[1].clone(), ops[0].clone(), ops[2].clone(), ops[1].clone()];
    let now = disk(&[("a", file("C", 0o644))]);
    assert_eq!(plan_rollback(&shuffled, &now), plan_rollback(&ops, &now));
}

#[test]
fn a_change_in_between_that_is_not_undone_is_a_conflict() {
    let ops = a_journal();
    // Undo 1 and 3 but keep 2: 2's change would be lost silently.
    let plan = plan_rollback(&[ops[0].clone(), ops[2].clone()], &disk(&[("a", file("C", 0o644))]));
    assert_eq!(
        plan.conflicts,
        vec![Conflict { path: "a".into(), expected: file("A", 0o644), found: file("B", 0o644) }]
    );
    assert_eq!(targets(&plan), vec![("a", None)]);
}

#[test]
fn undoing_a_rename_moves_the_file_back() {
    let ops = [
        op(1, "a", OpKind::Create, None, file("A", 0o644)),
        op(2, "b", OpKind::Rename { from: "a".into() }, file("A", 0o644), file("A", 0o644)),
    ];
    let now = disk(&[("b", file("A", 0o644))]);
    let plan = plan_rollback(&ops[1..], &now);
    assert_eq!(targets(&plan), vec![("a", file("A", 0o644)), ("b", None)]);
    assert!(plan.conflicts.is_empty());
    // Both ops: the file never existed.
    assert_eq!(targets(&plan_rollback(&ops, &now)), vec![("b", None)]);
}

#[test]
fn undoing_a_rename_chain_restores_the_first_name() {
    let ops = [
        op(1, "b", OpKind::Rename { from: "a".into() }, file("A", 0o644), file("A", 0o644)),
        op(2, "c", OpKind::Rename { from: "b".into() }, file("A", 0o644), file("A", 0o755)),
    ];
    let plan = plan_rollback(&ops, &disk(&[("c", file("A", 0o755))]));
    assert_eq!(targets(&plan), vec![("a", file("A", 0o644)), ("c", None)]);
    assert!(plan.conflicts.is_empty());
    // Only the last rename: back to b, with b's mode.
    let plan = plan_rollback(&ops[1..], &disk(&[("c", file("A", 0o755))]));
    assert_eq!(targets(&plan), vec![("b", file("A", 0o644)), ("c", None)]);
}

#[test]
fn a_file_made_since_at_the_old_name_of_a_rename_is_a_conflict() {
    let ops = [op(1, "b", OpKind::Rename { from: "a".into() }, file("A", 0o644), file("A", 0o644))];
    let plan = plan_rollback(&ops, &disk(&[("a", file("user", 0o644)), ("b", file("A", 0o644))]));
    assert_eq!(plan.conflicts, vec![Conflict { path: "a".into(), expected: None, found: file("user", 0o644) }]);
}

#[test]
fn undoing_a_chmod_only_restores_the_mode() {
    let ops = [op(1, "run.sh", OpKind::Chmod, file("x", 0o644), file("x", 0o755))];
    let plan = plan_rollback(&ops, &disk(&[("run.sh", file("x", 0o755))]));
    assert_eq!(targets(&plan), vec![("run.sh", file("x", 0o644))]);
    assert!(plan.steps[0].current.as_ref().unwrap().same_content(plan.steps[0].target.as_ref().unwrap()));
}

#[test]
fn a_delete_then_recreate_is_undone_to_the_original() {
    let ops = [
        op(1, "a", OpKind::Delete, file("orig", 0o600), None),
        op(2, "a", OpKind::Create, None, file("new", 0o644)),
    ];
    let plan = plan_rollback(&ops, &disk(&[("a", file("new", 0o644))]));
    assert_eq!(targets(&plan), vec![("a", file("orig", 0o600))]);
}

#[test]
fn a_path_already_back_in_its_target_state_needs_no_step_and_no_conflict() {
    let ops = [op(1, "a", OpKind::Create, None, file("x", 0o644))];
    // The person deleted it by hand.
    let plan = plan_rollback(&ops, &disk(&[("a", None)]));
    assert!(plan.steps.is_empty() && plan.conflicts.is_empty());
    // Created then deleted by the agent across two turns: nothing to do.
    let ops = [op(1, "t", OpKind::Create, None, file("x", 0o644)), op(2, "t", OpKind::Delete, file("x", 0o644), None)];
    assert_eq!(plan_rollback(&ops, &disk(&[])), RollbackPlan { ops: vec![OpId(1), OpId(2)], ..RollbackPlan::default() });
}

#[test]
fn content_that_was_not_kept_cannot_be_restored() {
    let ops = [
        op(1, "big.bin", OpKind::Modify, big(20 << 20), big(30 << 20)),
        op(2, "huge.iso", OpKind::Create, None, big(40 << 20)),
    ];
    let plan = plan_rollback(&ops, &disk(&[("big.bin", big(30 << 20)), ("huge.iso", big(40 << 20))]));
    assert_eq!(plan.not_kept, vec!["big.bin".to_string(), "huge.iso".to_string()]);
}

#[test]
fn ignored_paths_are_skipped() {
    let mut ignored = op(1, "target/out.o", OpKind::Create, None, None);
    ignored.ignored = true;
    let plan = plan_rollback(&[ignored], &disk(&[]));
    assert!(plan.steps.is_empty());
    assert_eq!(plan.skipped, vec!["target/out.o".to_string()]);
}

#[test]
fn untouched_paths_in_the_current_map_are_ignored_and_missing_ones_mean_nothing() {
    let ops = [op(1, "a", OpKind::Create, None, file("x", 0o644))];
    // `a` is not in the map: taken as absent, so the create's file is already gone.
    let plan = plan_rollback(&ops, &disk(&[("other", file("y", 0o644))]));
    assert!(plan.steps.is_empty());
}

#[test]
fn each_step_says_what_happens_and_which_ops_it_undoes() {
    let ops = [
        op(1, "made", OpKind::Create, None, file("x", 0o644)),
        op(2, "gone", OpKind::Delete, file("g", 0o644), None),
        op(3, "run.sh", OpKind::Chmod, file("r", 0o644), file("r", 0o755)),
        op(4, "m", OpKind::Modify, file("one", 0o644), file("two", 0o644)),
        op(5, "b", OpKind::Rename { from: "a".into() }, file("A", 0o644), file("A", 0o644)),
    ];
    let now = disk(&[("made", file("x", 0o644)), ("run.sh", file("r", 0o755)), ("m", file("two", 0o644)), ("b", file("A", 0o644))]);
    let plan = plan_rollback(&ops, &now);
    let actions: Vec<(&str, PlanAction)> = plan.steps.iter().map(|s| (s.path.as_str(), s.action)).collect();
    assert_eq!(
        actions,
        vec![
            ("a", PlanAction::Recreate),
            ("b", PlanAction::Remove),
            ("gone", PlanAction::Recreate),
            ("m", PlanAction::Restore),
            ("made", PlanAction::Remove),
            ("run.sh", PlanAction::Chmod),
        ]
    );
    assert_eq!(plan.ops, vec![OpId(1), OpId(2), OpId(3), OpId(4), OpId(5)]);
    let rename: Vec<&[OpId]> = plan.steps[..2].iter().map(|s| s.undoes.as_slice()).collect();
    assert_eq!(rename, vec![&[OpId(5)][..], &[OpId(5)][..]], "both paths of the rename come from its op");
}

#[test]
fn a_path_changed_by_several_ops_names_them_all_and_goes_back_to_before_the_first() {
    let mut ops = a_journal();
    ops[1].turn = TurnId(2);
    ops[2].turn = TurnId(3);
    let plan = plan_rollback(&ops[1..], &disk(&[("a", file("C", 0o644))]));
    let step = &plan.steps[0];
    assert_eq!((step.action, step.undoes.clone(), step.op), (PlanAction::Restore, vec![OpId(2), OpId(3)], OpId(3)));
    assert_eq!((step.since_turn, step.since_rollback), (TurnId(2), None));
    // A redo undoes a rollback's own ops: the path goes back to before that rollback.
    let mut made = op(7, "a", OpKind::Modify, file("C", 0o644), file("A", 0o644));
    made.rollback_id = Some(crate::journal::RollbackId(4));
    let plan = plan_rollback(&[made], &disk(&[("a", file("A", 0o644))]));
    assert_eq!(plan.steps[0].since_rollback, Some(crate::journal::RollbackId(4)));
}
