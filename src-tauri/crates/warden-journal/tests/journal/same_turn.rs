//! Within a turn, what is ignored is judged by the ignore files as they were when the turn began
//! (issue 14, item 13): an agent cannot write an ignore rule and, in the same turn, create a file
//! under it that the journal then records as "ignored" and a rollback leaves in place. What the
//! rules ignored when the turn began stays ignored for the whole turn, even if the agent drops
//! the rule; a change to the rules takes effect from the next turn.

use super::*;

/// A repository with sources, `target/` ignored from the start, and a nested ignore file.
fn project() -> Fixture {
    let fx = Fixture::new();
    fx.write(".git/HEAD", b"ref: refs/heads/main\n");
    fx.write(".git/info/exclude", b"# git ls-files --others --exclude-from=.git/info/exclude\n");
    fx.write(".gitignore", b"target/\n");
    fx.write("src/main.rs", b"fn main() {}\n");
    fx.write("docs/.gitignore", b"*.tmp\n");
    fx.write("docs/guide.md", b"# guide\n");
    fx
}

/// The same without any ignore file (and without `.git/info/`).
fn bare_project() -> Fixture {
    let fx = Fixture::new();
    fx.write(".git/HEAD", b"ref: refs/heads/main\n");
    fx.write("src/main.rs", b"fn main() {}\n");
    fx
}

/// A named way to make files look ignored, for a project made by `start`.
type Hider = (&'static str, fn() -> Fixture, Box<dyn Fn(&Fixture)>);

fn append(fx: &Fixture, rel: &str, more: &[u8]) {
    let mut bytes = fs::read(fx.path(rel)).unwrap_or_default();
    bytes.extend_from_slice(more);
    fx.write(rel, &bytes);
}

fn hiders() -> Vec<Hider> {
    vec![
        ("`*` appended to .git/info/exclude", project, Box::new(|fx: &Fixture| append(fx, ".git/info/exclude", b"*\n"))),
        ("`*` in a new .git/info/exclude", bare_project, Box::new(|fx: &Fixture| fx.write(".git/info/exclude", b"*\n"))),
        ("`*` in a new .gitignore", bare_project, Box::new(|fx: &Fixture| fx.write(".gitignore", b"*\n"))),
        ("an existing .gitignore gaining `src/`", project, Box::new(|fx: &Fixture| append(fx, ".gitignore", b"src/\n*.sh\n.*\n"))),
        ("an existing .gitignore replaced by `*`", project, Box::new(|fx: &Fixture| fx.write(".gitignore", b"*\n"))),
        ("a new nested .gitignore", project, Box::new(|fx: &Fixture| fx.write("src/.gitignore", b"*\n"))),
        ("an existing nested .gitignore gaining `*`", project, Box::new(|fx: &Fixture| append(fx, "docs/.gitignore", b"*\n"))),
        ("a .gitignore in a new folder", project, Box::new(|fx: &Fixture| fx.write("src/new/.gitignore", b"*\n"))),
        (
            "a .gitignore turned into a link to `*`",
            project,
            Box::new(|fx: &Fixture| {
                fx.write("rules", b"*\n");
                fs::remove_file(fx.path(".gitignore")).unwrap();
                std::os::unix::fs::symlink("rules", fx.path(".gitignore")).unwrap();
            }),
        ),
    ]
}

/// The files the agent creates once the rules hide them.
const CREATED: [&str; 5] = ["src/evil.rs", "src/new/deep/x.rs", "docs/evil.md", "evil.sh", ".hidden"];

fn create(fx: &Fixture) {
    for path in CREATED {
        fx.write(path, format!("// {path}, made after hiding\n").as_bytes());
    }
}

/// `ops`' creates of `CREATED`, as (path, ignored, content kept).
fn creates(ops: &[FileOp]) -> Vec<(&str, bool, bool)> {
    let mut found: Vec<_> = ops
        .iter()
        .filter(|op| CREATED.contains(&op.path.as_str()))
        .map(|op| {
            assert_eq!(op.kind, OpKind::Create, "{op:?}");
            (op.path.as_str(), op.ignored, op.after.as_ref().is_some_and(|a| a.hash.is_some()))
        })
        .collect();
    found.sort();
    found
}

fn kept_creates() -> Vec<(&'static str, bool, bool)> {
    let mut all: Vec<_> = CREATED.iter().map(|p| (*p, false, true)).collect();
    all.sort();
    all
}

/// Everything the journal may put back: `.git/` but its exclude file is the person's business.
fn journaled(tree: BTreeMap<String, Node>) -> BTreeMap<String, Node> {
    tree.into_iter().filter(|(p, _)| !p.starts_with(".git/") || p == ".git/info/exclude").collect()
}

#[test]
fn hiding_then_creating_in_one_turn_records_kept_creates_a_rollback_removes() {
    // Every variant is checked, and every one that fails is named.
    let mut failed = Vec::new();
    for (name, start, hide) in hiders() {
        let mut fx = start();
        let before = fx.tree();
        let ops = fx.turn("s", 1, |fx| {
            hide(fx);
            create(fx);
        });
        if creates(&ops) != kept_creates() {
            failed.push(format!("{name}: recorded {:?}", creates(&ops)));
        }
        let report = fx.recorder.rollback(&ids(&ops), false).unwrap_or_else(|e| panic!("{name}: {e}"));
        if !report.skipped.is_empty() {
            failed.push(format!("{name}: skipped as ignored {:?}", report.skipped));
        }
        let left: Vec<_> = CREATED.iter().filter(|path| fx.path(path).exists()).collect();
        if !left.is_empty() || journaled(fx.tree()) != journaled(before) {
            failed.push(format!("{name}: not everything back, left {left:?}"));
        }
    }
    assert!(failed.is_empty(), "{failed:#?}");
}

#[test]
fn hiding_in_one_tool_call_then_creating_in_another_is_kept_at_every_snapshot() {
    for (name, start, hide) in hiders() {
        let mut fx = start();
        let before = fx.tree();
        let r = &mut fx.recorder;
        r.begin_turn(SessionId::from("s"), TurnId(1)).unwrap();
        r.begin_tool_call(ToolCallId::from("hide")).unwrap();
        hide(&fx);
        let hid = fx.recorder.end_tool_call(&ToolCallId::from("hide")).unwrap();
        fx.recorder.begin_tool_call(ToolCallId::from("create")).unwrap();
        create(&fx);
        let created = fx.recorder.end_tool_call(&ToolCallId::from("create")).unwrap();
        assert_eq!(creates(&created), kept_creates(), "{name}: {created:?}");
        assert!(created.iter().all(|op| op.tool_call_id == Some(ToolCallId::from("create"))), "{name}");
        // Written between tool calls, and modified: still kept at the turn's last snapshot.
        fx.write("src/between.rs", b"// between calls\n");
        fx.write("src/evil.rs", b"// changed\n");
        let ops = fx.recorder.end_turn().unwrap();
        assert!(ops.iter().all(|op| !op.ignored), "{name}: {ops:?}");
        assert!(ops.iter().any(|op| op.path == "src/between.rs" && op.after.as_ref().is_some_and(|a| a.hash.is_some())), "{name}");
        assert!(ops.len() > hid.len() + created.len(), "{name}: the turn's end recorded more");
        fx.recorder.rollback(&ids(&ops), false).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(journaled(fx.tree()), journaled(before), "{name}: everything back");
    }
}

#[test]
fn a_rule_written_in_a_turn_applies_from_the_next_turn() {
    let mut fx = project();
    fx.turn("s", 1, |fx| append(fx, ".gitignore", b"build/\n"));
    let ops = fx.turn("s", 2, |fx| fx.write("build/out", b"artefact"));
    let paths: Vec<_> = ops.iter().map(|op| (op.path.as_str(), op.ignored, op.after.as_ref().is_some_and(|a| a.hash.is_some()))).collect();
    assert_eq!(paths, [("build/out", true, false)]);
    // And a file created under the rule in the turn that wrote it stays kept after it.
    let mut fx = project();
    fx.turn("s", 1, |fx| {
        append(fx, ".gitignore", b"gen/\n");
        fx.write("gen/a.rs", b"// a\n");
    });
    let ops = fx.turn("s", 2, |fx| fx.write("gen/a.rs", b"// changed\n"));
    assert!(ops.len() == 1 && !ops[0].ignored && ops[0].after.as_ref().is_some_and(|a| a.hash.is_some()), "{ops:?}");
}

#[test]
fn a_rule_written_between_turns_applies_to_the_next_turn() {
    // The person's own change, outside any turn: the next turn begins from the disk.
    let mut fx = project();
    append(&fx, ".gitignore", b"gen/\n");
    let ops = fx.turn("s", 1, |fx| fx.write("gen/out.rs", b"// generated\n"));
    let paths: Vec<_> = ops.iter().map(|op| (op.path.as_str(), op.ignored)).collect();
    assert_eq!(paths, [("gen/out.rs", true)]);
}

/// A named change to the ignore files.
type Change = (&'static str, Box<dyn Fn(&Fixture)>);

/// Ways an agent can drop the rule that ignores `target/` (and `docs/*.tmp`).
fn unhiders() -> Vec<Change> {
    vec![
        ("the .gitignore deleted", Box::new(|fx: &Fixture| fs::remove_file(fx.path(".gitignore")).unwrap())),
        ("the .gitignore emptied", Box::new(|fx: &Fixture| fx.write(".gitignore", b""))),
        ("the .gitignore un-ignoring", Box::new(|fx: &Fixture| fx.write(".gitignore", b"target/\n!target/\n!target/**\n"))),
        ("the nested .gitignore deleted", Box::new(|fx: &Fixture| fs::remove_file(fx.path("docs/.gitignore")).unwrap())),
        ("a nested .gitignore un-ignoring", Box::new(|fx: &Fixture| fx.write("target/.gitignore", b"!*\n"))),
    ]
}

#[test]
fn what_the_rules_ignored_when_the_turn_began_stays_ignored_for_the_turn() {
    let mut failed = Vec::new();
    for (name, unhide) in unhiders() {
        let mut fx = project();
        fx.write("target/debug/app", b"build output");
        fx.write("docs/notes.tmp", b"scratch");
        let ops = fx.turn("s", 1, |fx| {
            unhide(fx);
            fx.write("target/debug/app", b"rebuilt");
            fx.write("target/new", b"new output");
            fx.write("docs/notes.tmp", b"more scratch");
            fx.write("docs/new.tmp", b"new scratch");
        });
        for (path, kind) in [("target/debug/app", OpKind::Modify), ("target/new", OpKind::Create), ("docs/notes.tmp", OpKind::Modify), ("docs/new.tmp", OpKind::Create)] {
            let op = ops.iter().find(|op| op.path == path).unwrap_or_else(|| panic!("{name}: {path} recorded: {ops:?}"));
            assert_eq!(op.kind, kind, "{name}: {path}");
            if !op.ignored || op.after.as_ref().is_some_and(|a| a.hash.is_some()) {
                failed.push(format!("{name}: {path} kept"));
            }
        }
    }
    assert!(failed.is_empty(), "{failed:#?}");
}
