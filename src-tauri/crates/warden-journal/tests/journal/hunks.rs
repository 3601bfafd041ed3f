//! Per-hunk decisions on real temporary projects: the property over random multi-hunk edits
//! (reverting any set of hunks leaves exactly the others; a hunk changed on disk since is
//! refused and nothing changes; redo restores; a failure half way changes nothing), and the
//! rules around it (a whole-file rollback after a hunk revert, keeps, comments, the note, a
//! crashed hunk revert).

use super::fixture::*;
use proptest::prelude::*;
use std::fs;
use warden_core::journal::*;
use warden_core::session::SessionId;
use warden_journal::{Journal, RollbackError};

/// `before` with each hunk's added lines in place of its removed ones, except the hunks in
/// `reverted`: what the file must read after reverting them, worked out from the hunks alone.
fn compose(before: &str, hunks: &[Hunk], reverted: &[u32]) -> String {
    let lines: Vec<&str> = before.split_inclusive('\n').collect();
    let mut out = String::new();
    let mut at = 0;
    for hunk in hunks {
        let start = hunk.old_start as usize - 1;
        lines[at..start].iter().for_each(|l| out.push_str(l));
        let side = if reverted.contains(&hunk.index) { &hunk.removed } else { &hunk.added };
        side.iter().for_each(|l| out.push_str(l));
        at = start + hunk.removed.len();
    }
    lines[at..].iter().for_each(|l| out.push_str(l));
    out
}

/// A file's content: lines from a small alphabet (so diffs have repeats to get wrong), the last
/// one maybe without its line ending.
fn text() -> impl Strategy<Value = Vec<String>> {
    proptest::collection::vec(prop_oneof![Just("x".to_owned()), Just("y".to_owned()), "[a-e]{1,3}"], 3..24)
}

#[derive(Debug, Clone)]
enum Edit {
    Keep,
    Replace(String),
    Delete,
    InsertAfter(String),
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    let edit = prop_oneof![
        4 => Just(Edit::Keep),
        1 => "[A-Z]{1,3}".prop_map(Edit::Replace),
        1 => Just(Edit::Delete),
        1 => "[A-Z]{1,3}".prop_map(Edit::InsertAfter),
    ];
    proptest::collection::vec(edit, 24)
}

fn join(lines: &[String], last_newline: bool) -> String {
    let mut text = lines.join("\n");
    if last_newline && !lines.is_empty() {
        text.push('\n');
    }
    text
}

fn edited(lines: &[String], edits: &[Edit]) -> Vec<String> {
    let mut out = Vec::new();
    for (line, edit) in lines.iter().zip(edits.iter().chain(std::iter::repeat(&Edit::Keep))) {
        match edit {
            Edit::Keep => out.push(line.clone()),
            Edit::Replace(new) => out.push(new.clone()),
            Edit::Delete => {}
            Edit::InsertAfter(new) => {
                out.push(line.clone());
                out.push(new.clone());
            }
        }
    }
    out
}

fn read(fx: &Fixture, rel: &str) -> String {
    fs::read_to_string(fx.path(rel)).unwrap()
}

/// The next rollback's id, to block its staging folder.
fn next_rollback(journal: &Journal) -> u64 {
    journal.rollbacks(None).unwrap().iter().map(|r| r.id.0).max().unwrap_or(0) + 1
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn reverting_any_set_of_hunks_leaves_exactly_the_others(
        base in text(),
        edits in edits(),
        newline in (any::<bool>(), any::<bool>()),
        pick in proptest::collection::vec(any::<bool>(), 32),
        victim in any::<prop::sample::Index>(),
    ) {
        let before = join(&base, newline.0);
        let after = join(&edited(&base, &edits), newline.1);
        prop_assume!(before != after);
        let mut fx = Fixture::new();
        fx.write("f.txt", before.as_bytes());
        fx.chmod("f.txt", 0o640);
        let ops = fx.turn("s", 1, |fx| fx.write("f.txt", after.as_bytes()));
        let ids = ids(&ops);
        let journal = fx.journal();
        let hunks = journal.hunks(&ids).unwrap().hunks;
        prop_assert!(!hunks.is_empty());
        prop_assert_eq!(compose(&before, &hunks, &[]), after.clone(), "the hunks make the change");
        let mut chosen: Vec<u32> = hunks.iter().filter(|h| pick[h.index as usize % pick.len()]).map(|h| h.index).collect();
        if chosen.is_empty() {
            chosen.push(hunks[victim.index(hunks.len())].index);
        }
        let expected = compose(&before, &hunks, &chosen);

        // A failure half way (the staging folder cannot be made): nothing changes.
        let staging = journal.dir().join("staging");
        fs::create_dir_all(&staging).unwrap();
        let blocker = staging.join(next_rollback(journal).to_string());
        fs::write(&blocker, b"in the way").unwrap();
        prop_assert!(journal.revert_hunks(&ids, &chosen, false).is_err());
        prop_assert_eq!(read(&fx, "f.txt"), after.clone(), "a failed hunk revert changed the file");
        fs::remove_file(&blocker).unwrap();

        // The plan says what the revert then does.
        let plan = journal.plan_hunk_revert(&ids, &chosen).unwrap();
        prop_assert!(plan.changed_since.is_empty());
        prop_assert_eq!(plan.hunks.iter().map(|h| h.index).collect::<Vec<_>>(), chosen.clone());
        let predicted = fx.predict(&plan.plan);
        let report = journal.revert_hunks(&ids, &chosen, false).unwrap();
        prop_assert_eq!(read(&fx, "f.txt"), expected.clone());
        prop_assert_eq!(fx.tree(), predicted, "the plan shown is what was done");
        let mode = fs::metadata(fx.path("f.txt")).unwrap().permissions();
        prop_assert_eq!(std::os::unix::fs::PermissionsExt::mode(&mode) & 0o777, 0o640);
        let states = journal.hunks(&ids).unwrap().hunks;
        for hunk in &states {
            let reverted = matches!(hunk.state, HunkState::Reverted { rollback_id } if rollback_id == report.id);
            prop_assert_eq!(reverted, chosen.contains(&hunk.index), "hunk {} state {:?}", hunk.index, hunk.state);
        }
        // The agent's op still stands: only part of it was undone.
        prop_assert!(journal.ops(warden_journal::OpQuery::Ids(&ids)).unwrap()[0].undone_by.is_none());

        // Redo puts the agent's hunks back.
        journal.redo(report.id, false).unwrap();
        prop_assert_eq!(read(&fx, "f.txt"), after.clone());
        prop_assert!(journal.hunks(&ids).unwrap().hunks.iter().all(|h| h.state == HunkState::Open));

        // A chosen hunk whose lines changed since is refused, and nothing changes.
        let victim = chosen[victim.index(chosen.len())];
        let hunk = &hunks[victim as usize - 1];
        let mut now: Vec<String> = after.split_inclusive('\n').map(str::to_owned).collect();
        let at = hunk.new_start as usize - 1;
        if hunk.added.is_empty() {
            now.insert(at.min(now.len()), "EDITED HERE\n".to_owned());
        } else {
            now[at] = "EDITED HERE\n".to_owned();
        }
        let now = now.concat();
        fs::write(fx.path("f.txt"), &now).unwrap();
        let plan = journal.plan_hunk_revert(&ids, &chosen).unwrap();
        prop_assert!(plan.changed_since.contains(&victim), "{:?} misses hunk {}", plan.changed_since, victim);
        prop_assert!(matches!(journal.revert_hunks(&ids, &chosen, false), Err(RollbackError::Conflicts(_))));
        prop_assert_eq!(read(&fx, "f.txt"), now, "a refused hunk revert changed the file");
    }
}

#[test]
fn a_change_elsewhere_stays_and_a_forced_revert_overwrites_only_the_hunk_region() {
    let mut fx = Fixture::new();
    fx.write("f.txt", b"1\n2\n3\n4\n5\n6\n7\n8\n");
    let ops = fx.turn("s", 1, |fx| fx.write("f.txt", b"1\nTWO\n3\n4\n5\n6\nSEVEN\n8\n"));
    let ids = ids(&ops);
    // The person edits line 4 by hand, away from both hunks: hunk 1 goes back, the edit stays.
    fx.write("f.txt", b"1\nTWO\n3\nfour\n5\n6\nSEVEN\n8\n");
    let report = fx.journal().revert_hunks(&ids, &[1], false).unwrap();
    assert_eq!(read(&fx, "f.txt"), "1\n2\n3\nfour\n5\n6\nSEVEN\n8\n");
    assert!(!report.forced);
    // An edit on hunk 2's line: refused, then forced over.
    fx.write("f.txt", b"1\n2\n3\nfour\n5\n6\nseven!\n8\n");
    let refused = fx.journal().revert_hunks(&ids, &[2], false).unwrap_err();
    assert!(matches!(refused, RollbackError::Conflicts(ref c) if c[0].path == "f.txt"), "{refused}");
    fx.journal().revert_hunks(&ids, &[2], true).unwrap();
    assert_eq!(read(&fx, "f.txt"), "1\n2\n3\nfour\n5\n6\n7\n8\n");
    // Reverting a hunk again is refused with words that say so.
    let again = fx.journal().revert_hunks(&ids, &[1], false).unwrap_err();
    assert_eq!(again.to_string(), "hunk(s) 1 of f.txt were reverted already; redo that revert to bring them back");
    let unknown = fx.journal().plan_hunk_revert(&ids, &[3]).unwrap_err();
    assert_eq!(unknown.to_string(), "f.txt has 2 hunk(s); no hunk 3");
}

#[test]
fn a_whole_file_rollback_after_hunk_reverts_restores_the_file_and_its_redo_the_partial_state() {
    let mut fx = Fixture::new();
    fx.write("f.txt", b"a\nb\nc\nd\ne\n");
    let ops = fx.turn("s", 1, |fx| fx.write("f.txt", b"A\nb\nc\nd\nE\n"));
    let ids = ids(&ops);
    let journal = fx.journal();
    journal.revert_hunks(&ids, &[2], false).unwrap();
    assert_eq!(read(&fx, "f.txt"), "A\nb\nc\nd\ne\n");
    // The agent's op stands partly undone, so the file's rollback takes the hunk revert along.
    let whole = journal.rollback(&ids, false).unwrap();
    assert_eq!(read(&fx, "f.txt"), "a\nb\nc\nd\ne\n");
    assert_eq!(whole.ops.len(), 2, "the agent's op and the hunk revert's own: {:?}", whole.ops);
    journal.redo(whole.id, false).unwrap();
    assert_eq!(read(&fx, "f.txt"), "A\nb\nc\nd\ne\n", "the redo brings back the state with hunk 2 reverted");
    // The agent hears that part of its change was reverted.
    let note = journal.take_rollback_note(&SessionId::from("s")).unwrap().unwrap_or_default();
    assert!(note.contains("reverted some hunks") || note.contains("put back"), "{note}");
}

#[test]
fn keeps_and_comments_are_stored_per_project() {
    let mut fx = Fixture::new();
    fx.write("f.txt", b"a\nb\n");
    let ops = fx.turn("s", 1, |fx| fx.write("f.txt", b"a\nB\n"));
    let ids = ids(&ops);
    let journal = fx.journal();
    let hunk = journal.hunks(&ids).unwrap().hunks.remove(0);
    let session = SessionId::from("s");
    journal.keep_hunk(fx.project.path(), "f.txt", &hunk.fingerprint, &session, true).unwrap();
    assert_eq!(journal.hunks(&ids).unwrap().hunks[0].state, HunkState::Kept);
    // Kept is a mark: the file's rollback still undoes the hunk.
    let plan = journal.plan_rollback(&ids).unwrap();
    assert_eq!(plan.steps.len(), 1);
    journal.keep_hunk(fx.project.path(), "f.txt", &hunk.fingerprint, &session, false).unwrap();
    assert_eq!(journal.hunks(&ids).unwrap().hunks[0].state, HunkState::Open);

    let comment = NewHunkComment {
        session_id: session.clone(),
        task: None,
        path: "f.txt".into(),
        start_line: 2,
        end_line: 2,
        quote: "-b\n+B\n".into(),
        text: "Why upper case?".into(),
    };
    let stored = journal.add_comment(fx.project.path(), comment).unwrap();
    assert_eq!(journal.comments(fx.project.path(), &session, true).unwrap(), std::slice::from_ref(&stored));
    journal.mark_comments_sent(fx.project.path(), &[stored.id]).unwrap();
    assert!(journal.comments(fx.project.path(), &session, true).unwrap().is_empty());
    assert!(journal.comments(fx.project.path(), &session, false).unwrap()[0].sent);
    assert!(journal.delete_comment(fx.project.path(), stored.id).unwrap());
    assert!(journal.comments(fx.project.path(), &session, false).unwrap().is_empty());
}

/// Set for the crash child only: `<data folder>\n<op id>\n<hunk numbers, comma-separated>`.
const HUNK_CHILD_ENV: &str = "WARDEN_TEST_JOURNAL_HUNK_CRASH_CHILD";

/// The crash child's side: a hunk revert that kills itself at the crash point; a no-op in a
/// normal test run.
#[test]
fn child_hunk_revert() {
    let Ok(spec) = std::env::var(HUNK_CHILD_ENV) else { return };
    let mut parts = spec.split('\n');
    let (data, op, hunks) = (parts.next().unwrap(), parts.next().unwrap(), parts.next().unwrap());
    let journal = Journal::open(std::path::Path::new(data)).unwrap().journal;
    let hunks: Vec<u32> = hunks.split(',').map(|n| n.parse().unwrap()).collect();
    journal.revert_hunks(&[OpId(op.parse().unwrap())], &hunks, false).unwrap();
}

/// A hunk revert killed before or after its one move is settled by recovery: its file was
/// staged before the kill, so it is rolled forward (or finished), the file holds the change
/// without the hunk, the hunk reads as reverted and the agent's op still stands.
#[test]
fn a_crashed_hunk_revert_is_settled_by_recovery() {
    use std::os::unix::process::ExitStatusExt;
    for n in [0, 1] {
        let mut fx = Fixture::new();
        fx.write("f.txt", b"a\nb\nc\nd\ne\n");
        let ops = fx.turn("s", 1, |fx| fx.write("f.txt", b"A\nb\nc\nd\nE\n"));
        let spec = format!("{}\n{}\n2", fx.data.path().display(), ops[0].id);
        let (_, module) = module_path!().split_once("::").unwrap();
        let status = std::process::Command::new(std::env::current_exe().unwrap())
            .arg(format!("{module}::child_hunk_revert"))
            .args(["--exact", "--nocapture", "--test-threads=1"])
            .env(HUNK_CHILD_ENV, spec)
            .env(warden_journal::CRASH_AFTER_ENV, n.to_string())
            .output()
            .unwrap()
            .status;
        assert_eq!(status.signal(), Some(libc::SIGKILL), "child killed after {n} changes: {status:?}");
        let journal = Journal::open(fx.data.path()).unwrap().journal;
        assert_eq!(journal.recover().unwrap().len(), 1, "one interrupted hunk revert");
        let text = read(&fx, "f.txt");
        // Every target staged before the kill: recovery rolls the revert forward.
        assert_eq!(text, "A\nb\nc\nd\ne\n", "after {n} changes");
        let state = journal.hunks(&ids(&ops)).unwrap().hunks[1].state.clone();
        assert!(matches!(state, HunkState::Reverted { .. }), "{state:?}");
        assert!(journal.ops(warden_journal::OpQuery::Ids(&ids(&ops))).unwrap()[0].undone_by.is_none(), "the op still stands");
    }
}
