//! The journal's central property: random create/modify/delete/rename/chmod/symlink sequences
//! (binary and empty contents, nested folders) over several turns and tool calls; rolling back
//! any suffix of the ops, or of the turns, restores the exact tree of that moment, bytes and
//! modes, and redoing the rollback restores the final tree.

use super::*;
use proptest::prelude::*;
use proptest::sample::Index;
use std::os::unix::fs::symlink;

/// Leaves only: no path is a folder of another, so every action is possible.
const PATHS: [&str; 8] = ["a.txt", "b.bin", "empty", "d/c", "d/e/f", "d/e/g.txt", "x/y/z", "x/w"];

#[derive(Debug, Clone)]
enum Action {
    Write(usize, Vec<u8>),
    Delete(usize),
    Rename(usize, usize),
    Chmod(usize, u32),
    Link(usize, usize),
}

#[derive(Debug, Clone)]
struct TurnPlan {
    /// Before the first tool call: tied to the turn only.
    before_tools: Vec<Action>,
    /// One list per tool call.
    tools: Vec<Vec<Action>>,
    /// After the last tool call.
    after_tools: Vec<Action>,
}

fn content() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(Vec::new()),
        Just(b"same content".to_vec()),
        proptest::collection::vec(any::<u8>(), 1..48),
    ]
}

fn action() -> impl Strategy<Value = Action> {
    let path = 0..PATHS.len();
    prop_oneof![
        3 => (path.clone(), content()).prop_map(|(p, c)| Action::Write(p, c)),
        1 => path.clone().prop_map(Action::Delete),
        1 => (path.clone(), path.clone()).prop_map(|(a, b)| Action::Rename(a, b)),
        1 => (path.clone(), prop_oneof![Just(0o644), Just(0o600), Just(0o755), Just(0o444)]).prop_map(|(p, m)| Action::Chmod(p, m)),
        1 => (path.clone(), path).prop_map(|(a, b)| Action::Link(a, b)),
    ]
}

fn turn_plan() -> impl Strategy<Value = TurnPlan> {
    let actions = || proptest::collection::vec(action(), 0..4);
    (actions(), proptest::collection::vec(actions(), 0..3), actions())
        .prop_map(|(before_tools, tools, after_tools)| TurnPlan { before_tools, tools, after_tools })
}

fn apply(root: &Path, action: &Action) {
    let path = |i: usize| root.join(PATHS[i]);
    let exists = |p: &Path| fs::symlink_metadata(p).is_ok();
    let is_link = |p: &Path| fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink());
    match action {
        Action::Write(i, bytes) => {
            let p = path(*i);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            if is_link(&p) {
                fs::remove_file(&p).unwrap();
            }
            // Keeps the mode, even a read-only one.
            let mode = fs::metadata(&p).ok().map(|m| m.permissions().mode());
            if mode.is_some() {
                fs::set_permissions(&p, fs::Permissions::from_mode(0o644)).unwrap();
            }
            fs::write(&p, bytes).unwrap();
            if let Some(mode) = mode {
                fs::set_permissions(&p, fs::Permissions::from_mode(mode)).unwrap();
            }
        }
        Action::Delete(i) => {
            if exists(&path(*i)) {
                fs::remove_file(path(*i)).unwrap();
            }
        }
        Action::Rename(a, b) => {
            if a != b && exists(&path(*a)) {
                fs::create_dir_all(path(*b).parent().unwrap()).unwrap();
                fs::rename(path(*a), path(*b)).unwrap();
            }
        }
        Action::Chmod(i, mode) => {
            if exists(&path(*i)) && !is_link(&path(*i)) {
                fs::set_permissions(path(*i), fs::Permissions::from_mode(*mode)).unwrap();
            }
        }
        Action::Link(at, to) => {
            if !exists(&path(*at)) {
                fs::create_dir_all(path(*at).parent().unwrap()).unwrap();
                symlink(PATHS[*to], path(*at)).unwrap();
            }
        }
    }
}

/// The ops recorded at one snapshot, with the trees around them.
struct Group {
    ops: Vec<FileOp>,
    before: BTreeMap<String, Node>,
    after: BTreeMap<String, Node>,
}

fn run(initial: Vec<(usize, Vec<u8>)>, turns: Vec<TurnPlan>, by_turn: bool, cut: Index) -> Result<(), TestCaseError> {
    let mut fx = Fixture::new();
    for (i, bytes) in &initial {
        fx.write(PATHS[*i], bytes);
    }
    let root = fx.project.path().to_owned();
    let session = SessionId::from("prop");
    let mut groups: Vec<Group> = Vec::new();
    let mut turn_starts = Vec::new();
    let mut state = fx.tree();
    let record = |groups: &mut Vec<Group>, state: &mut BTreeMap<String, Node>, ops: Vec<FileOp>| {
        let now = tree(&root);
        if !ops.is_empty() {
            groups.push(Group { ops, before: state.clone(), after: now.clone() });
        }
        *state = now;
    };
    for (n, plan) in turns.iter().enumerate() {
        fx.recorder.begin_turn(session.clone(), TurnId(n as u32 + 1)).unwrap();
        turn_starts.push((groups.len(), state.clone()));
        let mut seen = 0;
        plan.before_tools.iter().for_each(|a| apply(&root, a));
        for (t, actions) in plan.tools.iter().enumerate() {
            let id = ToolCallId(format!("toolu_{n}_{t}"));
            let ops = fx.recorder.begin_tool_call(id.clone()).unwrap();
            seen += ops.len();
            record(&mut groups, &mut state, ops);
            actions.iter().for_each(|a| apply(&root, a));
            let ops = fx.recorder.end_tool_call(&id).unwrap();
            prop_assert!(ops.iter().all(|op| op.tool_call_id.as_ref() == Some(&id)));
            seen += ops.len();
            record(&mut groups, &mut state, ops);
        }
        plan.after_tools.iter().for_each(|a| apply(&root, a));
        let all = fx.recorder.end_turn().unwrap();
        record(&mut groups, &mut state, all[seen..].to_vec());
    }
    let final_tree = fx.tree();
    let all: Vec<FileOp> = groups.iter().flat_map(|g| g.ops.clone()).collect();
    prop_assert!(all.windows(2).all(|w| w[0].id < w[1].id));
    if all.is_empty() {
        return Ok(());
    }

    let (undo, expected) = if by_turn {
        let (first_group, start) = &turn_starts[cut.index(turn_starts.len())];
        let undo: Vec<OpId> = groups[*first_group..].iter().flat_map(|g| ids(&g.ops)).collect();
        (undo, start.clone())
    } else {
        // A suffix starting inside a group: that group's earlier ops stay, its later ones (all
        // on other paths) go back.
        let j = cut.index(all.len());
        let cut_id = all[j].id;
        let g = groups.iter().position(|g| g.ops.iter().any(|op| op.id == cut_id)).unwrap();
        let mut expected = groups[g].after.clone();
        for op in groups[g].ops.iter().filter(|op| op.id >= cut_id) {
            for path in op.paths() {
                match groups[g].before.get(path) {
                    Some(node) => expected.insert(path.to_owned(), node.clone()),
                    None => expected.remove(path),
                };
            }
        }
        (ids(&all[j..]), expected)
    };
    if undo.is_empty() {
        return Ok(());
    }
    // The plan, made first without changing anything, predicts the rollback exactly.
    let plan = fx.journal().plan_rollback(&undo).unwrap();
    prop_assert_eq!(&fx.tree(), &final_tree);
    let predicted = fx.predict(&plan);
    let report = fx.recorder.rollback(&undo, false);
    prop_assert!(report.is_ok(), "rollback refused: {report:?}");
    prop_assert_eq!(&fx.tree(), &expected);
    prop_assert_eq!(&predicted, &expected);
    let id = report.unwrap().id;
    let redo_plan = fx.journal().plan_redo(id).unwrap();
    prop_assert_eq!(&fx.predict(&redo_plan), &final_tree);
    fx.recorder.redo(id, false).unwrap();
    prop_assert_eq!(&fx.tree(), &final_tree);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn rolling_back_any_suffix_restores_the_exact_tree_of_that_moment(
        initial in proptest::collection::vec((0..PATHS.len(), content()), 0..6),
        turns in proptest::collection::vec(turn_plan(), 1..4),
        by_turn in any::<bool>(),
        cut in any::<Index>(),
    ) {
        run(initial, turns, by_turn, cut)?;
    }
}
