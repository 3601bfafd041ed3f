//! Deciding calls: the rules, the scopes and the paths together.

use super::*;
use crate::session::ToolInput;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

const PROJECT: &str = "/work/app";
const HOME: &str = "/home/ada";

fn ctx() -> Context<'static> {
    Context { project: Path::new(PROJECT), cwd: Path::new(PROJECT), home: Some(Path::new(HOME)), links: None }
}

fn rules(texts: &[&str]) -> Vec<Rule> {
    texts.iter().map(|t| Rule::parse(t).unwrap()).collect()
}

fn allow(texts: &[&str]) -> RuleSet {
    RuleSet { allow: rules(texts), deny: vec![] }
}

fn deny(texts: &[&str]) -> RuleSet {
    RuleSet { allow: vec![], deny: rules(texts) }
}

fn verdict_in(session: &RuleSet, project: &RuleSet, tool: &str, input: Value) -> Verdict {
    evaluate(session, project, &ToolUse { tool_name: tool, input: &ToolInput::from_claude(tool, &input) }, &ctx()).verdict
}

/// The verdict with `set` as the session's rules and no project rules.
fn verdict(set: &RuleSet, tool: &str, input: Value) -> Verdict {
    verdict_in(set, &RuleSet::default(), tool, input)
}

fn bash(set: &RuleSet, command: &str) -> Verdict {
    verdict(set, "Bash", json!({ "command": command }))
}

fn allowed_by(texts: &[&str]) -> Verdict {
    Verdict::Allow(rules(texts))
}

#[track_caller]
fn assert_allowed(verdict: Verdict) {
    assert!(matches!(verdict, Verdict::Allow(_)), "{verdict:?}");
}

fn denied_by(text: &str) -> Verdict {
    Verdict::Deny(Rule::parse(text).unwrap())
}

#[test]
fn bash_rules_allow_matching_commands() {
    let set = allow(&["Bash(npm test:*)", "Bash(npm run build)"]);
    assert_eq!(bash(&set, "npm test --watch"), allowed_by(&["Bash(npm test:*)"]));
    assert_eq!(bash(&set, "npm run build"), allowed_by(&["Bash(npm run build)"]));
    assert_eq!(bash(&set, "npm testing"), Verdict::Undecided);
    assert_eq!(bash(&set, "npm run build --prod"), Verdict::Undecided);
    assert_eq!(bash(&allow(&["Bash"]), "anything at all"), allowed_by(&["Bash"]));
}

#[test]
fn every_part_of_a_compound_command_must_be_allowed() {
    let tests = allow(&["Bash(npm test:*)"]);
    assert_eq!(bash(&tests, "npm test && rm -rf /"), Verdict::Undecided);
    let both = allow(&["Bash(npm test:*)", "Bash(rm:*)"]);
    let both_rules = allowed_by(&["Bash(npm test:*)", "Bash(rm:*)"]);
    assert_eq!(bash(&both, "npm test && rm -rf x"), both_rules);
    for separator in ["; ", " || ", " | ", " & ", "\n", ";", "&&"] {
        let command = format!("npm test{separator}rm x");
        assert_eq!(bash(&tests, &command), Verdict::Undecided, "{command}");
    }
    // The rules that allowed are listed once each, in order.
    assert_eq!(bash(&tests, "npm test a; npm test b"), allowed_by(&["Bash(npm test:*)"]));
}

#[test]
fn cd_is_a_part_like_any_other() {
    let set = allow(&["Bash(npm test:*)"]);
    assert_eq!(bash(&set, "cd web && npm test"), Verdict::Undecided);
    let set = allow(&["Bash(npm test:*)", "Bash(cd:*)"]);
    assert_allowed(bash(&set, "cd web && npm test"));
}

#[test]
fn subshells_and_substitutions_are_checked() {
    let set = allow(&["Bash(echo:*)", "Bash(cd:*)"]);
    assert_eq!(bash(&set, "(cd x && rm y)"), Verdict::Undecided);
    assert_eq!(bash(&set, "echo $(rm -rf /)"), Verdict::Undecided);
    assert_eq!(bash(&set, "echo `rm -rf /`"), Verdict::Undecided);
    assert_eq!(bash(&set, "echo \"$(rm -rf /)\""), Verdict::Undecided);
    assert_eq!(bash(&set, "echo <(rm -rf /)"), Verdict::Undecided);
    // `echo` receives what `date` prints: not known, so narrow rules do not allow it.
    let with_date = allow(&["Bash(echo:*)", "Bash(date)"]);
    assert_eq!(bash(&with_date, "echo $(date)"), Verdict::Undecided);
    assert_eq!(bash(&with_date, "echo today && date"), allowed_by(&["Bash(echo:*)", "Bash(date)"]));
}

#[test]
fn quoting_keeps_text_together() {
    let set = allow(&["Bash(echo:*)"]);
    assert_allowed(bash(&set, "echo 'a && rm -rf /'"));
    assert_allowed(bash(&set, r"echo a \; rm -rf /"));
    assert_eq!(bash(&set, "echo '$(date)'"), allowed_by(&["Bash(echo:*)"]));
}

#[test]
fn what_cannot_be_split_is_never_allowed() {
    let set = allow(&["Bash(echo:*)", "Bash(cat:*)", "Bash(true)", "Bash(rm:*)", "Bash"]);
    let unsplittable =
        ["echo 'open", "echo \"open", "cat <<EOF\nhi\nEOF", "if :; then echo; fi", "echo $(ls", ""];
    for command in unsplittable {
        assert_eq!(bash(&set, command), Verdict::Undecided, "{command:?}");
    }
}

#[test]
fn deny_wins_inside_compound_commands_and_substitutions() {
    let set =
        RuleSet { allow: rules(&["Bash(ls:*)", "Bash(echo:*)"]), deny: rules(&["Bash(rm:*)"]) };
    assert_eq!(bash(&set, "ls && rm x"), denied_by("Bash(rm:*)"));
    assert_eq!(bash(&set, "echo $(rm x)"), denied_by("Bash(rm:*)"));
    assert_eq!(bash(&set, "ls; `rm x`"), denied_by("Bash(rm:*)"));
    assert_eq!(bash(&set, "ls"), allowed_by(&["Bash(ls:*)"]));
}

#[test]
fn deny_sees_through_what_cannot_be_split() {
    let set = deny(&["Bash(rm:*)"]);
    assert_eq!(bash(&set, "if true; then rm -rf x; fi"), denied_by("Bash(rm:*)"));
    assert_eq!(bash(&set, "echo 'oops && rm -rf x"), denied_by("Bash(rm:*)"));
    assert_eq!(bash(&set, "cat <<EOF\nhello\nEOF\nrm -rf x"), denied_by("Bash(rm:*)"));
}

#[test]
fn deny_sees_through_assignments_and_wrappers() {
    let set = deny(&["Bash(rm:*)"]);
    for command in [
        "FOO=1 rm x",
        "sudo rm x",
        "env A=b rm x",
        "xargs rm",
        "nohup nice -n 5 rm x",
        "'rm' x",
        "\\rm x",
        "/bin/rm x",
        "$'\\x72m' x",
        "bash -c 'ls && rm x'",
        "eval \"rm x\"",
        "sudo sh -c 'cd / && rm -rf x'",
    ] {
        assert_eq!(bash(&set, command), denied_by("Bash(rm:*)"), "{command}");
    }
    // An argument is not a command.
    assert_eq!(bash(&set, "git commit -m 'rm it'"), Verdict::Undecided);
}

#[test]
fn deny_wins_over_allow_within_and_across_scopes() {
    let both = RuleSet { allow: rules(&["Bash"]), deny: rules(&["Bash(git push:*)"]) };
    assert_eq!(bash(&both, "git push origin main"), denied_by("Bash(git push:*)"));
    let session = allow(&["Bash(git push:*)"]);
    let project = deny(&["Bash(git push:*)"]);
    let input = json!({ "command": "git push" });
    let push = denied_by("Bash(git push:*)");
    assert_eq!(verdict_in(&session, &project, "Bash", input.clone()), push);
    assert_eq!(verdict_in(&project, &session, "Bash", input), push);
}

#[test]
fn allow_rules_of_both_scopes_combine() {
    let session = allow(&["Bash(ls:*)"]);
    let project = allow(&["Bash(npm test:*)"]);
    let input = json!({ "command": "ls && npm test" });
    let both = allowed_by(&["Bash(ls:*)", "Bash(npm test:*)"]);
    assert_eq!(verdict_in(&session, &project, "Bash", input), both);
}

#[test]
fn redirect_writes_need_an_edit_rule() {
    let echo = allow(&["Bash(echo:*)"]);
    assert_eq!(bash(&echo, "echo hi > out.txt"), Verdict::Undecided);
    assert_eq!(bash(&echo, "echo hi 2>/dev/null"), allowed_by(&["Bash(echo:*)"]));
    assert_eq!(bash(&echo, "echo hi 2>&1"), allowed_by(&["Bash(echo:*)"]));
    let edit = allow(&["Bash(echo:*)", "Edit(out.txt)"]);
    assert_eq!(bash(&edit, "echo hi > out.txt"), allowed_by(&["Bash(echo:*)", "Edit(out.txt)"]));
    assert_eq!(bash(&allow(&["Bash"]), "echo hi > out.txt"), allowed_by(&["Bash"]));
    assert_eq!(bash(&deny(&["Edit(.env)"]), "echo X=1 >> config/.env"), denied_by("Edit(.env)"));
    assert_eq!(bash(&allow(&["Edit"]), "> src/main.rs"), allowed_by(&["Edit"]));
}

fn read(set: &RuleSet, path: &str) -> Verdict {
    verdict(set, "Read", json!({ "file_path": path }))
}

#[test]
fn read_patterns_are_gitignore_style() {
    let src = allow(&["Read(src/**)"]);
    assert_allowed(read(&src, "/work/app/src/a/b.rs"));
    assert_allowed(read(&src, "src/a/b.rs"));
    assert_eq!(read(&src, "/work/app/srcx/a"), Verdict::Undecided);
    assert_eq!(read(&src, "/work/app/lib/src/a"), Verdict::Undecided);
    let anywhere = allow(&["Read(*.md)"]);
    assert_allowed(read(&anywhere, "/work/app/docs/deep/x.md"));
}

#[test]
fn leading_slash_is_the_project_root() {
    let root = allow(&["Read(/docs/**)"]);
    assert_allowed(read(&root, "/work/app/docs/a.md"));
    assert_eq!(read(&root, "/docs/a.md"), Verdict::Undecided);
    let sub = Context { cwd: Path::new("/work/app/web"), ..ctx() };
    let input = json!({ "file_path": "/work/app/docs/a.md" });
    let call = ToolUse { tool_name: "Read", input: &ToolInput::from_claude("Read", &input) };
    assert_allowed(evaluate(&root, &RuleSet::default(), &call, &sub).verdict);
}

#[test]
fn double_slash_is_absolute_and_tilde_is_home() {
    assert_allowed(read(&allow(&["Read(//etc/**)"]), "/etc/hosts"));
    assert_allowed(read(&allow(&["Read(~/.config/**)"]), "~/.config/x"));
    assert_allowed(read(&allow(&["Read(~/.config/**)"]), "/home/ada/.config/x"));
    assert_eq!(read(&allow(&["Read(~/.config/**)"]), "/home/bob/.config/x"), Verdict::Undecided);
}

#[test]
fn a_name_without_slash_matches_at_any_depth() {
    let set = deny(&["Read(.env)"]);
    assert_eq!(read(&set, ".env"), denied_by("Read(.env)"));
    assert_eq!(read(&set, "/work/app/services/api/.env"), denied_by("Read(.env)"));
    assert_eq!(read(&set, "/work/app/.envrc"), Verdict::Undecided);
    let key = json!({"file_path": "a/b/c.key"});
    assert_eq!(verdict(&deny(&["Read(*.key)"]), "Read", key), denied_by("Read(*.key)"));
}

#[test]
fn edit_rules_cover_every_editing_tool() {
    let set = allow(&["Edit(src/**)"]);
    let tools = [
        ("Edit", "file_path"),
        ("MultiEdit", "file_path"),
        ("Write", "file_path"),
        ("NotebookEdit", "notebook_path"),
    ];
    for (tool, key) in tools {
        let input = json!({ key: "src/a.rs" });
        assert_eq!(verdict(&set, tool, input), allowed_by(&["Edit(src/**)"]), "{tool}");
    }
    assert_eq!(verdict(&set, "Read", json!({"file_path": "src/a.rs"})), Verdict::Undecided);
}

#[test]
fn write_rules_cover_write_only() {
    let set = allow(&["Write(out/**)"]);
    assert_allowed(verdict(&set, "Write", json!({"file_path": "out/a"})));
    assert_eq!(verdict(&set, "Edit", json!({"file_path": "out/a"})), Verdict::Undecided);
    assert_eq!(verdict(&set, "MultiEdit", json!({"file_path": "out/a"})), Verdict::Undecided);
}

#[test]
fn read_rules_cover_grep_and_glob() {
    let set = allow(&["Read(src/**)"]);
    assert_allowed(verdict(&set, "Grep", json!({"pattern": "x", "path": "src"})));
    assert_allowed(verdict(&set, "Glob", json!({"pattern": "src/**/*.rs"})));
    // Without a path they search the whole working folder.
    assert_eq!(verdict(&set, "Grep", json!({"pattern": "x"})), Verdict::Undecided);
    assert_allowed(verdict(&allow(&["Read(**)"]), "Grep", json!({"pattern": "x"})));
    assert_allowed(verdict(&allow(&["Read"]), "Glob", json!({"pattern": "*"})));
}

#[test]
fn project_rules_stop_at_the_project_edge() {
    let project = allow(&["Read(**)", "Read"]);
    let none = RuleSet::default();
    for path in ["../secret.txt", "src/../../x", "/tmp/x"] {
        let input = json!({ "file_path": path });
        assert_eq!(verdict_in(&none, &project, "Read", input), Verdict::Undecided, "{path}");
    }
    let session = allow(&["Read(//tmp/**)"]);
    let tmp = json!({"file_path": "/tmp/x"});
    assert_eq!(verdict_in(&session, &project, "Read", tmp), allowed_by(&["Read(//tmp/**)"]));
    let input = json!({"file_path": "../x"});
    let eval = evaluate(&none, &project, &ToolUse { tool_name: "Read", input: &ToolInput::from_claude("Read", &input) }, &ctx());
    assert_eq!(eval.outside_project, [PathBuf::from("/work/x")]);
}

#[test]
fn project_bash_rules_stop_at_the_project_edge_too() {
    let project = allow(&["Bash(cat:*)"]);
    let none = RuleSet::default();
    let input = json!({"command": "cat ../x"});
    assert_eq!(verdict_in(&none, &project, "Bash", input.clone()), Verdict::Undecided);
    assert_allowed(verdict_in(&project, &none, "Bash", input));
    assert_allowed(verdict_in(&none, &project, "Bash", json!({"command": "cat src/x"})));
}

fn outside(command: &str) -> Vec<PathBuf> {
    let input = json!({ "command": command });
    outside_paths(&ToolUse { tool_name: "Bash", input: &ToolInput::from_claude("Bash", &input) }, &ctx())
}

#[test]
fn shell_paths_outside_the_project_are_found() {
    assert_eq!(outside("cat ../secret.txt"), [PathBuf::from("/work/secret.txt")]);
    assert_eq!(outside("echo x > /etc/passwd"), [PathBuf::from("/etc/passwd")]);
    assert_eq!(outside("cp a ~/b"), [PathBuf::from("/home/ada/b")]);
    assert_eq!(outside("tool --out=/tmp/x -v"), [PathBuf::from("/tmp/x")]);
    assert_eq!(outside("rm -rf /"), [PathBuf::from("/")]);
    assert_eq!(outside("cd .."), [PathBuf::from("/work")]);
    assert_eq!(outside("dd if=/dev/sda of=x"), [PathBuf::from("/dev/sda")]);
    assert_eq!(outside("cat $HOME/.ssh/id_rsa"), [PathBuf::from("$HOME/.ssh/id_rsa")]);
}

#[test]
fn shell_paths_inside_or_not_paths_are_ignored() {
    let inside = [
        "ls src/",
        "cat ./a ../app/b",
        "curl https://example.com/a/b",
        "ls 2>/dev/null",
        "git log origin/main",
        "ls -la --color=auto",
    ];
    for command in inside {
        assert!(outside(command).is_empty(), "{command}: {:?}", outside(command));
    }
}

#[test]
fn file_tools_report_paths_outside() {
    let of = |tool_name: &str, input: Value| {
        outside_paths(&ToolUse { tool_name, input: &ToolInput::from_claude(tool_name, &input) }, &ctx())
    };
    assert_eq!(of("Edit", json!({"file_path": "/etc/hosts"})), [PathBuf::from("/etc/hosts")]);
    assert_eq!(of("Glob", json!({"pattern": "../../**/*.key"})), [PathBuf::from("/")]);
    assert!(of("Glob", json!({"pattern": "**/*.rs"})).is_empty());
    assert_eq!(of("Glob", json!({"pattern": "src/*/../../../**"})).len(), 1);
}

#[test]
fn webfetch_rules_match_the_host() {
    let set = allow(&["WebFetch(domain:example.com)", "WebFetch(domain:*.rust-lang.org)"]);
    let fetch = |url: &str| verdict(&set, "WebFetch", json!({ "url": url, "prompt": "x" }));
    assert_allowed(fetch("https://example.com/docs"));
    assert_allowed(fetch("https://EXAMPLE.com:443/"));
    assert_allowed(fetch("https://doc.rust-lang.org/std"));
    assert_eq!(fetch("https://example.com.evil.net/"), Verdict::Undecided);
    assert_eq!(fetch("https://example.com@evil.net/"), Verdict::Undecided);
    assert_eq!(fetch("https://evil.net/?u=example.com"), Verdict::Undecided);
    assert_eq!(fetch("https://rust-lang.org/"), Verdict::Undecided);
    assert_allowed(verdict(&allow(&["WebFetch"]), "WebFetch", json!({"url": "https://a.b"})));
}

#[test]
fn mcp_rules_cover_a_server_or_one_tool() {
    let server = allow(&["mcp__github"]);
    let star = allow(&["mcp__github__*"]);
    let one = allow(&["mcp__github__create_issue"]);
    let call = |set: &RuleSet, tool: &str| verdict(set, tool, json!({}));
    assert_allowed(call(&server, "mcp__github__create_issue"));
    assert_allowed(call(&star, "mcp__github__list_prs"));
    assert_allowed(call(&one, "mcp__github__create_issue"));
    assert_eq!(call(&one, "mcp__github__delete_repo"), Verdict::Undecided);
    assert_eq!(call(&server, "mcp__githubx__create_issue"), Verdict::Undecided);
    assert_eq!(call(&allow(&["mcp__github(x)"]), "mcp__github__a"), Verdict::Undecided);
}

#[test]
fn agent_and_task_are_one_tool() {
    let set = allow(&["Agent(Explore)"]);
    assert_allowed(verdict(&set, "Task", json!({"subagent_type": "Explore"})));
    assert_allowed(verdict(&set, "Agent", json!({"subagent_type": "Explore"})));
    assert_eq!(verdict(&set, "Agent", json!({"subagent_type": "Plan"})), Verdict::Undecided);
    assert_allowed(verdict(&allow(&["Task"]), "Agent", json!({})));
}

#[test]
fn other_tools_match_by_name_only() {
    assert_allowed(verdict(&allow(&["WebSearch"]), "WebSearch", json!({"query": "x"})));
    let query = json!({"query": "x"});
    assert_eq!(verdict(&allow(&["WebSearch(x)"]), "WebSearch", query), Verdict::Undecided);
    assert_eq!(verdict(&allow(&["websearch"]), "WebSearch", json!({})), Verdict::Undecided);
    let ls = json!({"file_path": "ls"});
    assert_eq!(verdict(&allow(&["Bash(ls)"]), "Read", ls), Verdict::Undecided);
}

#[test]
fn rule_sets_keep_order_without_duplicates() {
    let mut set = RuleSet::default();
    assert!(set.is_empty());
    set.add_allow(rules(&["Bash(ls:*)", "Read(src/**)", "Bash(ls:*)"]));
    set.add_allow(rules(&["Read(src/**)", "WebSearch"]));
    set.add_deny(rules(&["Bash(rm:*)", "Bash(rm:*)"]));
    assert_eq!(set.allow, rules(&["Bash(ls:*)", "Read(src/**)", "WebSearch"]));
    assert_eq!(set.deny, rules(&["Bash(rm:*)"]));
    assert!(!set.is_empty());
}

#[test]
fn rule_sets_serialise_for_the_ui() {
    let set = RuleSet { allow: rules(&["Bash(ls:*)"]), deny: vec![] };
    assert_eq!(serde_json::to_value(&set).unwrap(), json!({"allow": ["Bash(ls:*)"], "deny": []}));
    let back: RuleSet = serde_json::from_value(json!({"deny": ["Read(.env)"]})).unwrap();
    assert_eq!(back, deny(&["Read(.env)"]));
    assert!(serde_json::from_value::<RuleSet>(json!({"allow": ["Bash("]})).is_err());
}

#[test]
fn long_commands_are_decided_quickly() {
    let set =
        RuleSet { allow: rules(&["Bash(ls:*)"]), deny: rules(&["Bash(rm:*)", "Edit(.env)"]) };
    let command = "ls a/b ../c > x; ".repeat(5_000);
    let started = std::time::Instant::now();
    assert_eq!(bash(&set, &command), Verdict::Undecided);
    let unclosed = format!("{command} echo '");
    // Deny rules fail closed: with `Bash(rm:*)`, a line that does not split is asked.
    assert!(matches!(bash(&set, &unclosed), Verdict::Uncertain(_)));
    assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
}

#[path = "suggest_tests.rs"]
mod suggest;

#[path = "deny_tests.rs"]
mod deny_rules;

#[path = "deny_path_tests.rs"]
mod deny_paths;

#[test]
fn a_narrow_rule_never_allows_a_command_whose_words_the_shell_expands() {
    // What the program receives is not known, so `Bash(cat:*)` cannot say it is a `cat` of
    // something inside the project: the person is asked. Only `Bash` alone (every command)
    // covers such a command, in the session or the project.
    let narrow = allow(&["Bash(cat:*)", "Bash(echo:*)", "Bash(npm test:*)", "Bash(git * main)", "Bash(ls)"]);
    for command in [
        "cat $HOME/.ssh/id_rsa",
        "cat ~/.ssh/id_rsa",
        "cat \"$F\"",
        "echo \"$(id)\"",
        "npm test $EXTRA",
        "npm test ${EXTRA}",
        "git $x main",
        "cat src/*.rs",
        "echo ok && cat $F",
        "ls; echo $PATH",
    ] {
        assert_eq!(bash(&narrow, command), Verdict::Undecided, "{command}");
        assert_eq!(verdict_in(&RuleSet::default(), &narrow, "Bash", json!({ "command": command })), Verdict::Undecided, "project: {command}");
        let everything = allow(&["Bash"]);
        assert_allowed(bash(&everything, command));
    }
    // The same commands written out are allowed as before.
    for command in ["cat README.md", "echo '$HOME'", "npm test --watch", "git push main"] {
        assert_allowed(bash(&narrow, command));
    }
}

#[test]
fn no_narrow_rule_is_suggested_for_a_command_the_shell_expands() {
    let suggest = |command: &str| {
        let input = json!({ "command": command });
        suggest_rules(&ToolUse { tool_name: "Bash", input: &ToolInput::from_claude("Bash", &input) }, &ctx(), &RuleSet::default())
            .iter()
            .map(|r| r.to_string())
            .collect::<Vec<_>>()
    };
    assert!(suggest("cat $F").is_empty(), "Bash(cat:*) would not stop the question");
    assert!(suggest("npm test && cat $F").is_empty(), "no set of narrow rules allows the line");
    assert_eq!(suggest("npm test && cat README.md"), ["Bash(npm test:*)", "Bash(cat:*)"]);
}
