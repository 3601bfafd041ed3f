//! Suggested rules and subjects.

use super::*;

fn suggest_with(tool: &str, input: Value, already: &RuleSet) -> Vec<String> {
    let call = ToolUse { tool_name: tool, input: &ToolInput::from_claude(tool, &input) };
    let suggested = suggest_rules(&call, &ctx(), already);
    // Whatever is suggested must, once added for the session, allow the very same call.
    if !suggested.is_empty() {
        let mut session = already.clone();
        session.add_allow(suggested.clone());
        let verdict = evaluate(&session, &RuleSet::default(), &call, &ctx()).verdict;
        assert!(matches!(verdict, Verdict::Allow(_)), "{tool} {input}: {suggested:?}: {verdict:?}");
    }
    suggested.iter().map(|r| r.to_string()).collect()
}

fn suggest(tool: &str, input: Value) -> Vec<String> {
    suggest_with(tool, input, &RuleSet::default())
}

fn suggest_bash(command: &str) -> Vec<String> {
    suggest("Bash", json!({ "command": command }))
}

#[test]
fn bash_suggests_program_and_subcommand() {
    assert_eq!(suggest_bash("npm test --watch"), ["Bash(npm test:*)"]);
    assert_eq!(suggest_bash("git status"), ["Bash(git status:*)"]);
    assert_eq!(suggest_bash("ls"), ["Bash(ls:*)"]);
}

#[test]
fn bash_suggests_the_program_alone_when_the_second_word_is_not_a_subcommand() {
    assert_eq!(suggest_bash("touch a.txt"), ["Bash(touch:*)"]);
    assert_eq!(suggest_bash("ls -la"), ["Bash(ls:*)"]);
    assert_eq!(suggest_bash("cat src/main.rs"), ["Bash(cat:*)"]);
    assert_eq!(suggest_bash("echo 'Hello'"), ["Bash(echo:*)"]);
    assert_eq!(suggest_bash("./build.sh fast"), ["Bash(./build.sh fast:*)"]);
}

#[test]
fn bash_suggests_one_rule_per_part() {
    assert_eq!(suggest_bash("touch a.txt && ls"), ["Bash(touch:*)", "Bash(ls:*)"]);
    assert_eq!(suggest_bash("ls -l src; ls -a | grep -v x"), ["Bash(ls:*)", "Bash(grep:*)"]);
    // A plain second word reads as a subcommand, even when it is an argument.
    assert_eq!(suggest_bash("ls a; ls b"), ["Bash(ls a:*)", "Bash(ls b:*)"]);
    assert_eq!(suggest_bash("echo -n; (date)"), ["Bash(echo:*)", "Bash(date:*)"]);
    // `echo` would receive what `date` prints: no narrow rule could allow that, so none is offered.
    assert!(suggest_bash("echo $(date)").is_empty());
}

#[test]
fn bash_skips_parts_already_allowed() {
    let already = allow(&["Bash(cd:*)"]);
    let got = suggest_with("Bash", json!({"command": "cd web && npm run build"}), &already);
    assert_eq!(got, ["Bash(npm run:*)"]);
    let all = allow(&["Bash(cd:*)", "Bash(npm run:*)"]);
    assert!(suggest_with("Bash", json!({"command": "cd web && npm run build"}), &all).is_empty());
}

#[test]
fn bash_keeps_assignments_in_an_exact_rule() {
    assert_eq!(suggest_bash("FOO=1 npm test"), ["Bash(FOO=1 npm test)"]);
    assert_eq!(suggest_bash("x=1"), ["Bash(x=1)"]);
}

#[test]
fn bash_suggests_edit_rules_for_redirect_writes() {
    assert_eq!(suggest_bash("echo Hi > notes/out.txt"), ["Bash(echo:*)", "Edit(notes/out.txt)"]);
    assert_eq!(suggest_bash("echo 1 > out.txt"), ["Bash(echo:*)", "Edit(./out.txt)"]);
}

#[test]
fn bash_suggests_nothing_it_could_not_allow() {
    assert!(suggest_bash("cat <<EOF\nx\nEOF").is_empty());
    assert!(suggest_bash("echo 'unclosed").is_empty());
    // A program named by a glob would become a wildcard rule.
    assert_eq!(suggest_bash("* --help"), Vec::<String>::new());
}

#[test]
fn file_tools_suggest_path_rules() {
    let main = json!({"file_path": "/work/app/src/main.rs"});
    assert_eq!(suggest("Read", main), ["Read(src/main.rs)"]);
    assert_eq!(suggest("Edit", json!({"file_path": "src/lib.rs"})), ["Edit(src/lib.rs)"]);
    assert_eq!(suggest("Write", json!({"file_path": "Cargo.toml"})), ["Edit(./Cargo.toml)"]);
    assert_eq!(suggest("MultiEdit", json!({"file_path": "a/b.rs"})), ["Edit(a/b.rs)"]);
    let notebook = json!({"notebook_path": "nb/x.ipynb"});
    assert_eq!(suggest("NotebookEdit", notebook), ["Edit(nb/x.ipynb)"]);
}

#[test]
fn paths_outside_use_the_absolute_form() {
    assert_eq!(suggest("Read", json!({"file_path": "/etc/hosts"})), ["Read(//etc/hosts)"]);
    assert_eq!(suggest("Edit", json!({"file_path": "../other/x"})), ["Edit(//work/other/x)"]);
}

#[test]
fn glob_characters_in_file_names_are_escaped() {
    let page = json!({"file_path": "app/[id]/page.tsx"});
    assert_eq!(suggest("Edit", page), [r"Edit(app/\[id\]/page.tsx)"]);
}

#[test]
fn search_tools_suggest_their_folder() {
    assert_eq!(suggest("Grep", json!({"pattern": "x", "path": "src"})), ["Read(src/**)"]);
    let crates = json!({"pattern": "**/*.rs", "path": "/work/app/crates"});
    assert_eq!(suggest("Glob", crates), ["Read(crates/**)"]);
    assert_eq!(suggest("Grep", json!({"pattern": "x"})), ["Grep"]);
    assert_eq!(suggest("Glob", json!({"pattern": "*.rs"})), ["Glob"]);
    let opt = json!({"pattern": "x", "path": "/opt/lib"});
    assert_eq!(suggest("Grep", opt), ["Read(//opt/lib/**)"]);
}

#[test]
fn other_tools_suggest_a_domain_or_their_name() {
    let docs = json!({"url": "https://Docs.rs/serde"});
    assert_eq!(suggest("WebFetch", docs), ["WebFetch(domain:docs.rs)"]);
    assert_eq!(suggest("mcp__github__create_issue", json!({})), ["mcp__github__create_issue"]);
    assert_eq!(suggest("WebSearch", json!({"query": "x"})), ["WebSearch"]);
    assert_eq!(suggest("Agent", json!({"subagent_type": "Explore"})), ["Agent"]);
}

#[test]
fn nothing_is_suggested_for_an_allowed_call() {
    let already = allow(&["Read(src/**)"]);
    assert!(suggest_with("Read", json!({"file_path": "src/a.rs"}), &already).is_empty());
}

#[test]
fn suggestions_follow_a_working_folder_below_the_project() {
    let sub = Context { cwd: Path::new("/work/app/web"), ..ctx() };
    let input = json!({"file_path": "src/a.ts"});
    let call = ToolUse { tool_name: "Edit", input: &ToolInput::from_claude("Edit", &input) };
    let got = suggest_rules(&call, &sub, &RuleSet::default());
    assert_eq!(got, rules(&["Edit(/web/src/a.ts)"]));
}

fn subject_of(tool: &str, input: Value) -> String {
    subject(&ToolUse { tool_name: tool, input: &ToolInput::from_claude(tool, &input) }, &ctx())
}

#[test]
fn subjects_name_what_the_call_acts_on() {
    assert_eq!(subject_of("Bash", json!({"command": "npm test"})), "npm test");
    assert_eq!(subject_of("Bash", json!({"command": "cat <<EOF\nx\nEOF"})), "cat <<EOF…");
    let long = "x".repeat(300);
    assert_eq!(subject_of("Bash", json!({ "command": long })).chars().count(), 201);
    assert_eq!(subject_of("Read", json!({"file_path": "/work/app/src/a.rs"})), "src/a.rs");
    assert_eq!(subject_of("Edit", json!({"file_path": "../x"})), "/work/x");
    assert_eq!(subject_of("NotebookEdit", json!({"notebook_path": "n.ipynb"})), "n.ipynb");
    assert_eq!(subject_of("Grep", json!({"pattern": "TODO", "path": "src"})), "TODO in src");
    assert_eq!(subject_of("Glob", json!({"pattern": "**/*.rs"})), "**/*.rs");
    assert_eq!(subject_of("WebFetch", json!({"url": "https://a.b/c"})), "https://a.b/c");
    assert_eq!(subject_of("mcp__x__y", json!({"a": 1})), "");
}

#[test]
fn wrappers_and_interpreters_get_the_exact_command() {
    for command in [
        "sudo apt-get install x",
        "sudo -u root ls",
        "env FOO=1 make",
        "xargs rm",
        "python3 script.py --fast",
        "python3.12 -m http.server",
        "/usr/bin/python3 x.py",
        "node server.js",
        "bash build.sh",
        "sh -c 'ls'",
        "npx prettier --write src",
        "perl x.pl",
        "ruby x.rb",
        "nice -n 5 cargo build",
        "timeout 10 cargo test",
        "find . -name x",
        "git -c color.ui=always log",
        "deno run x.ts",
    ] {
        let words = split(command).unwrap();
        let expected = format!("Bash({})", words[0].text);
        assert_eq!(suggest_bash(command), [expected], "{command}");
    }
    // Plain git subcommands and ordinary programs keep their prefix rule.
    assert_eq!(suggest_bash("git status"), ["Bash(git status:*)"]);
    assert_eq!(suggest_bash("cargo test --all"), ["Bash(cargo test:*)"]);
    // An exact command with a `*` would be a wildcard: nothing is suggested for it.
    assert!(suggest_bash("xargs -I{} echo '*'").is_empty());
}

#[test]
fn a_quoted_look_alike_of_an_assignment_gets_no_rule() {
    // bash runs a program named `A=1` here; `Bash(A=1 make)` would read as `make` with `A` set.
    assert!(suggest_bash("'A'=1 make").is_empty());
    assert!(suggest_bash("A\\=1 make").is_empty());
    assert_eq!(suggest_bash("A=1 make"), ["Bash(A=1 make)"]);
}
