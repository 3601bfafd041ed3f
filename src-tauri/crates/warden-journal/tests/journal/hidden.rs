//! Ignore files cannot hide an agent's changes from the journal (issue 14, item 13): a file
//! whose content the journal kept stays kept — for the rest of the session and in every later
//! session of the project — whatever the ignore files say later, and `.git/info/exclude` is
//! journaled like a project file.

use super::*;

/// The project every case starts from: a repository with kept sources.
fn project() -> Fixture {
    let fx = Fixture::new();
    fx.write(".git/HEAD", b"ref: refs/heads/main\n");
    fx.write(".git/config", b"[core]\n\trepositoryformatversion = 0\n");
    fx.write(".git/info/exclude", b"# git ls-files --others --exclude-from=.git/info/exclude\n");
    fx.write(".gitignore", b"target/\n");
    fx.write("src/main.rs", b"fn main() {}\n");
    fx.write("src/deep/lib.rs", b"pub fn f() {}\n");
    fx.write("README.md", b"# readme\n");
    fx
}

/// A named way to hide files.
type Hider = (&'static str, Box<dyn Fn(&Fixture)>);

/// Ways an agent can make everything look ignored.
fn hiders() -> Vec<Hider> {
    vec![
        ("`*` in .git/info/exclude", Box::new(|fx: &Fixture| fx.write(".git/info/exclude", b"*\n"))),
        ("a new .gitignore entry", Box::new(|fx: &Fixture| fx.write(".gitignore", b"target/\nsrc/\nREADME.md\n"))),
        ("a nested .gitignore", Box::new(|fx: &Fixture| fx.write("src/.gitignore", b"*\n"))),
        (
            "core.excludesFile pointing at a file with `*`",
            Box::new(|fx: &Fixture| {
                fx.write("hide-all", b"*\n");
                let config = format!("[core]\n\texcludesFile = {}\n", fx.path("hide-all").display());
                fx.write(".git/config", config.as_bytes());
            }),
        ),
    ]
}

/// The sources the agent then destroys.
fn destroy(fx: &Fixture) {
    fs::remove_dir_all(fx.path("src")).unwrap();
    fs::remove_file(fx.path("README.md")).unwrap();
}

#[test]
fn hiding_then_deleting_in_a_later_turn_is_still_rolled_back() {
    for (name, hide) in hiders() {
        let mut fx = project();
        let before = fx.tree();
        let hid = fx.turn("s", 1, |fx| hide(fx));
        let deleted = fx.turn("s", 2, destroy);
        let report = fx.recorder.rollback(&ids(&deleted), false).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(report.skipped.is_empty(), "{name}: nothing skipped as ignored: {report:?}");
        for path in ["src/main.rs", "src/deep/lib.rs", "README.md"] {
            assert_eq!(fs::read(fx.path(path)).unwrap(), before_bytes(&before, path), "{name}: {path} restored");
        }
        // And the hiding itself is a change that can be undone (all but core.excludesFile's
        // target, which the journal never reads, are rolled back to their state before).
        fx.recorder.rollback(&ids(&hid), false).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(fx.tree().into_iter().filter(|(p, _)| !p.starts_with(".git/") || p == ".git/info/exclude").collect::<BTreeMap<_, _>>(),
            before.clone().into_iter().filter(|(p, _)| !p.starts_with(".git/") || p == ".git/info/exclude").collect::<BTreeMap<_, _>>(), "{name}");
    }
}

#[test]
fn hiding_and_deleting_in_one_step_or_modifying_is_still_rolled_back() {
    for (name, hide) in hiders() {
        let mut fx = project();
        let before = fx.tree();
        let ops = fx.turn("s", 1, |fx| {
            hide(fx);
            fx.write("src/main.rs", b"fn main() { evil() }\n");
            fs::remove_file(fx.path("src/deep/lib.rs")).unwrap();
        });
        let changed: Vec<_> = ops.iter().filter(|op| op.path.starts_with("src/")).map(|op| (op.path.as_str(), op.ignored)).collect();
        assert!(changed.contains(&("src/deep/lib.rs", false)) && changed.contains(&("src/main.rs", false)), "{name}: {changed:?}");
        fx.recorder.rollback(&ids(&ops), false).unwrap_or_else(|e| panic!("{name}: {e}"));
        // Everything back but `.git/config`, which the journal neither reads nor records.
        let without_config = |t: BTreeMap<String, Node>| t.into_iter().filter(|(p, _)| p != ".git/config").collect::<BTreeMap<_, _>>();
        assert_eq!(without_config(fx.tree()), without_config(before), "{name}: everything back");
    }
}

#[test]
fn a_modification_after_hiding_in_a_later_turn_is_kept_and_restored() {
    for (name, hide) in hiders() {
        let mut fx = project();
        fx.turn("s", 1, |fx| hide(fx));
        let ops = fx.turn("s", 2, |fx| fx.write("src/main.rs", b"fn main() { evil() }\n"));
        assert_eq!(ops.len(), 1, "{name}");
        assert!(!ops[0].ignored && ops[0].after.as_ref().unwrap().hash.is_some(), "{name}: kept: {:?}", ops[0]);
        fx.recorder.rollback(&ids(&ops), false).unwrap();
        assert_eq!(fs::read(fx.path("src/main.rs")).unwrap(), b"fn main() {}\n", "{name}");
    }
}

#[test]
fn the_exclude_file_is_journaled_and_the_rest_of_git_is_not() {
    let mut fx = project();
    let ops = fx.turn("s", 1, |fx| {
        fx.write(".git/info/exclude", b"*\n");
        fx.write(".git/index", b"git's own business");
    });
    let paths: Vec<_> = ops.iter().map(|op| (op.path.as_str(), op.kind.as_str(), op.ignored)).collect();
    assert_eq!(paths, [(".git/info/exclude", "modify", false)]);
}

/// How session B gets its recorder: from the journal session A's recorder uses (another session
/// of the same app), or from the data folder opened anew (the app restarted in between).
#[derive(Debug, Clone, Copy)]
enum Later {
    SameJournal,
    Reopened,
}

/// A recorder of a later session of the fixture's project.
fn later_session(fx: &Fixture, how: Later) -> Recorder {
    match how {
        Later::SameJournal => Recorder::with_journal(fx.project.path(), fx.recorder.journal().clone(), DEFAULT_CAP).unwrap(),
        Later::Reopened => Recorder::new(fx.project.path(), fx.data.path(), DEFAULT_CAP).unwrap(),
    }
}

/// Records turn `n` of session `s` with `recorder` around `work`; returns its ops.
fn turn_with(recorder: &mut Recorder, fx: &Fixture, s: &str, n: u32, work: impl FnOnce(&Fixture)) -> Vec<FileOp> {
    recorder.begin_turn(SessionId::from(s), TurnId(n)).unwrap();
    work(fx);
    recorder.end_turn().unwrap()
}

#[test]
fn hiding_in_one_session_then_deleting_in_a_later_one_is_still_rolled_back() {
    for how in [Later::SameJournal, Later::Reopened] {
        for (name, hide) in hiders() {
            let mut fx = project();
            let before = fx.tree();
            // Session A sees the sources kept, then hides them and ends.
            fx.turn("a", 1, |fx| hide(fx));
            let mut b = later_session(&fx, how);
            let deleted = turn_with(&mut b, &fx, "b", 1, destroy);
            let hidden: Vec<_> = deleted.iter().filter(|op| op.ignored).map(|op| op.path.as_str()).collect();
            assert!(hidden.is_empty(), "{how:?}, {name}: recorded as ignored: {hidden:?}");
            let report = b.rollback(&ids(&deleted), false).unwrap_or_else(|e| panic!("{how:?}, {name}: {e}"));
            assert!(report.skipped.is_empty(), "{how:?}, {name}: nothing skipped as ignored: {report:?}");
            for path in ["src/main.rs", "src/deep/lib.rs", "README.md"] {
                assert_eq!(fs::read(fx.path(path)).unwrap(), before_bytes(&before, path), "{how:?}, {name}: {path} restored");
            }
        }
    }
}

#[test]
fn hiding_in_one_session_then_modifying_in_a_later_one_is_kept_and_restored() {
    for how in [Later::SameJournal, Later::Reopened] {
        for (name, hide) in hiders() {
            let mut fx = project();
            // A file the agent itself made in session A is as kept as the ones it found.
            fx.turn("a", 1, |fx| fx.write("src/made.rs", b"// made in session a\n"));
            fx.turn("a", 2, |fx| hide(fx));
            let mut b = later_session(&fx, how);
            let ops = turn_with(&mut b, &fx, "b", 1, |fx| {
                fx.write("src/main.rs", b"fn main() { evil() }\n");
                fx.write("src/made.rs", b"// changed in session b\n");
            });
            let paths: Vec<_> = ops.iter().map(|op| (op.path.as_str(), op.ignored, op.after.as_ref().is_some_and(|a| a.hash.is_some()))).collect();
            assert_eq!(paths, [("src/made.rs", false, true), ("src/main.rs", false, true)], "{how:?}, {name}");
            b.rollback(&ids(&ops), false).unwrap_or_else(|e| panic!("{how:?}, {name}: {e}"));
            assert_eq!(fs::read(fx.path("src/main.rs")).unwrap(), b"fn main() {}\n", "{how:?}, {name}");
            assert_eq!(fs::read(fx.path("src/made.rs")).unwrap(), b"// made in session a\n", "{how:?}, {name}");
        }
    }
}

#[test]
fn hiding_between_sessions_and_across_several_sessions_still_keeps_what_was_kept() {
    for (name, hide) in hiders() {
        let mut fx = project();
        let before = fx.tree();
        // Session A only looks; the hiding happens outside any turn (unrecorded), and a session in
        // between sees everything hidden from its first snapshot on.
        fx.turn("a", 1, |_| {});
        hide(&fx);
        let mut b = later_session(&fx, Later::Reopened);
        assert!(turn_with(&mut b, &fx, "b", 1, |_| {}).is_empty(), "{name}");
        drop(b);
        let mut c = later_session(&fx, Later::Reopened);
        let deleted = turn_with(&mut c, &fx, "c", 1, destroy);
        assert!(deleted.iter().all(|op| !op.ignored), "{name}: {deleted:?}");
        c.rollback(&ids(&deleted), false).unwrap_or_else(|e| panic!("{name}: {e}"));
        for path in ["src/main.rs", "src/deep/lib.rs", "README.md"] {
            assert_eq!(fs::read(fx.path(path)).unwrap(), before_bytes(&before, path), "{name}: {path} restored");
        }
    }
}

#[test]
fn a_file_another_open_session_kept_stays_kept_in_this_one() {
    for (name, hide) in hiders() {
        let mut fx = project();
        // Session B is open (its last snapshot taken) before session A makes a file and hides it.
        fx.turn("a", 1, |_| {});
        let mut b = later_session(&fx, Later::SameJournal);
        turn_with(&mut b, &fx, "b", 1, |_| {});
        fx.turn("a", 2, |fx| fx.write("src/new.rs", b"// made by a\n"));
        fx.turn("a", 3, |fx| hide(fx));
        let ops = turn_with(&mut b, &fx, "b", 2, |fx| fx.write("src/new.rs", b"// changed by b\n"));
        assert!(ops.iter().all(|op| !op.ignored) && !ops.is_empty(), "{name}: {ops:?}");
        b.rollback(&ids(&ops), false).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(fs::read(fx.path("src/new.rs")).unwrap(), b"// made by a\n", "{name}");
    }
}

#[test]
fn what_was_ignored_from_the_start_stays_ignored_in_later_sessions() {
    let mut fx = project();
    fx.write("target/debug/app", b"build output");
    fx.turn("a", 1, |fx| fx.write("target/debug/app", b"rebuilt"));
    let mut b = later_session(&fx, Later::Reopened);
    let ops = turn_with(&mut b, &fx, "b", 1, |fx| fs::remove_dir_all(fx.path("target")).unwrap());
    let paths: Vec<_> = ops.iter().map(|op| (op.path.as_str(), op.ignored, op.before.as_ref().is_some_and(|b| b.hash.is_some()))).collect();
    assert_eq!(paths, [("target/debug/app", true, false)], "never kept, so still only counted");
}

fn before_bytes(before: &BTreeMap<String, Node>, path: &str) -> Vec<u8> {
    match &before[path] {
        Node::File { bytes, .. } => bytes.clone(),
        Node::Link(_) => panic!("{path} is a link"),
    }
}
