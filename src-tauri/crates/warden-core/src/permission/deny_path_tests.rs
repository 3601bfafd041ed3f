//! Path deny rules on shell words, redirects and search filters, in any case (issue 14, item 9),
//! multi-file edits (item 10), the call's folder (item 11) and protected configuration (item 2).

use super::*;

fn is_uncertain(verdict: &Verdict) -> bool {
    matches!(verdict, Verdict::Uncertain(_))
}

#[test]
fn read_and_edit_deny_rules_meet_every_word_and_redirect() {
    let set = deny(&["Read(.env)"]);
    let spellings = [
        ".env",
        "./.env",
        "sub/.env",
        "/work/app/.env",
        "../app/.env",
        ".ENV",
        ".Env",
        "x/../.env",
    ];
    let commands = [
        "cat {}",
        "less {}",
        "head -n 1 {}",
        "cp {} /tmp/x",
        "grep K {}",
        "wc < {}",
        "source {}",
        "tool --file={}",
        "bash -c 'cat {}'",
    ];
    for spelling in spellings {
        for template in commands {
            let command = template.replace("{}", spelling);
            assert_eq!(bash(&set, &command), denied_by("Read(.env)"), "{command}");
        }
    }
    let edit = deny(&["Edit(config/**)"]);
    for command in [
        "echo x > config/a",
        "echo x >> ./config/b",
        "cp a config/c",
        "rm -rf config",
        "mv config x",
        "sed -i s/a/b/ CONFIG/d",
        "find . -fprint config/e",
    ] {
        assert_eq!(
            bash(&edit, command),
            denied_by("Edit(config/**)"),
            "{command}"
        );
    }
}

#[test]
fn words_that_may_name_a_denied_file_are_uncertain() {
    let set = deny(&["Read(.env)"]);
    for word in [
        ".e*", ".en?", ".[e]nv", ".*", "x/.*", "{.env,x}", "$F", "`ls`", "\"$F\"",
    ] {
        let command = format!("cat {word}");
        assert!(is_uncertain(&bash(&set, &command)), "{command}");
    }
    // Bash's wildcards never match a leading dot, unless the line changes that.
    for word in [
        "*", "*env", "x/*", "?env", "*.rs", "src/*.ts", "a?.txt", "[abc].md",
    ] {
        let command = format!("cat {word}");
        assert_eq!(bash(&set, &command), Verdict::Undecided, "{command}");
    }
    // A glob in a denied folder may name a denied file.
    assert!(is_uncertain(&bash(
        &deny(&["Read(secrets/**)"]),
        "cat secrets/*.txt"
    )));
    // A line that changes folder without bound is not read with certainty.
    let many = "cd a && ".repeat(100) + "cat x";
    assert!(is_uncertain(&bash(&set, &many)));
    for command in ["shopt -s dotglob; cat *", "GLOBIGNORE=x; cat *env"] {
        assert!(is_uncertain(&bash(&set, command)), "{command}");
    }
}

#[test]
fn search_filters_meet_read_deny_rules() {
    let set = deny(&["Read(.env)"]);
    for (tool, input) in [
        ("Grep", json!({"pattern": "K", "glob": ".env"})),
        (
            "Grep",
            json!({"pattern": "K", "path": "sub", "glob": ".ENV"}),
        ),
        ("Glob", json!({"pattern": ".env"})),
        ("Glob", json!({"pattern": "sub/.env"})),
    ] {
        assert_eq!(
            verdict(&set, tool, input.clone()),
            denied_by("Read(.env)"),
            "{tool} {input}"
        );
    }
    for (tool, input) in [
        ("Grep", json!({"pattern": "K", "glob": "*.env"})),
        ("Grep", json!({"pattern": "K", "glob": "{.env,a}"})),
        ("Grep", json!({"pattern": "K", "glob": "**/*"})),
        ("Glob", json!({"pattern": "**/.e*"})),
        ("Grep", json!({"pattern": "K", "glob": "src/**"})),
    ] {
        assert!(
            is_uncertain(&verdict(&set, tool, input.clone())),
            "{tool} {input}"
        );
    }
    for (tool, input) in [
        ("Grep", json!({"pattern": "K", "glob": "*.rs"})),
        ("Grep", json!({"pattern": "K", "glob": "**/*.ts"})),
        ("Glob", json!({"pattern": "**/*.ts"})),
        ("Glob", json!({"pattern": "**/*"})),
    ] {
        assert_eq!(
            verdict(&set, tool, input.clone()),
            Verdict::Undecided,
            "{tool} {input}"
        );
    }
}

#[test]
fn deny_path_rules_ignore_case_but_allow_rules_do_not() {
    let denied = deny(&["Read(.env)", "Edit(Secrets/**)"]);
    for path in [".ENV", ".Env", "sub/.eNv", "/WORK/APP/.env"] {
        assert_eq!(read(&denied, path), denied_by("Read(.env)"), "{path}");
    }
    for path in ["secrets/a", "SECRETS/b", "Secrets/c"] {
        let input = json!({"file_path": path});
        assert_eq!(
            verdict(&denied, "Edit", input),
            denied_by("Edit(Secrets/**)"),
            "{path}"
        );
    }
    assert_eq!(
        read(&allow(&["Read(src/**)"]), "SRC/a.rs"),
        Verdict::Undecided
    );
}

#[test]
fn multi_file_edits_are_decided_per_path_in_the_core() {
    let patch = |paths: &[&str]| json!({"file_path": "/work/app", "file_paths": paths});
    let set = RuleSet {
        allow: rules(&["Edit(src/**)", "Edit(README.md)"]),
        deny: rules(&["Edit(.env)"]),
    };
    assert_eq!(
        verdict(&set, "Edit", patch(&[".env", "README.md"])),
        denied_by("Edit(.env)")
    );
    assert_eq!(
        verdict(&set, "Edit", patch(&["src/a", "sub/.env"])),
        denied_by("Edit(.env)")
    );
    assert_allowed(verdict(
        &set,
        "Edit",
        patch(&["src/a", "/work/app/README.md"]),
    ));
    assert_eq!(
        verdict(&set, "Edit", patch(&["src/a", "Cargo.toml"])),
        Verdict::Undecided
    );
    let input = patch(&["src/a", "/etc/x", "../y"]);
    let outside = outside_paths(
        &ToolUse { tool_name: "Edit", input: &ToolInput::from_claude("Edit", &input) },
        &ctx(),
    );
    assert_eq!(outside, [PathBuf::from("/etc/x"), PathBuf::from("/work/y")]);
}

#[test]
fn the_call_folder_places_relative_paths() {
    let outside_of = |input: Value| {
        outside_paths(
            &ToolUse { tool_name: "Bash", input: &ToolInput::from_claude("Bash", &input) },
            &ctx(),
        )
    };
    assert_eq!(
        outside_of(json!({"command": "ls", "cwd": "/tmp"})),
        [PathBuf::from("/tmp")]
    );
    assert_eq!(
        outside_of(json!({"command": "cat ../x/y", "cwd": "sub"})),
        Vec::<PathBuf>::new()
    );
    assert_eq!(
        outside_of(json!({"command": "cat ../../x/y", "cwd": "sub"})),
        [PathBuf::from("/work/x/y")]
    );
    assert_eq!(
        outside_of(json!({"command": "cd /tmp && cat a/b"})),
        [PathBuf::from("/tmp"), PathBuf::from("/tmp/a/b")]
    );
    assert_eq!(
        outside_of(json!({"command": "cd && ls"})),
        [PathBuf::from(HOME)]
    );
    assert_eq!(
        outside_of(json!({"command": "cd ~ && ls"})),
        [PathBuf::from(HOME)]
    );
    assert_eq!(
        outside_of(json!({"command": "cd $D && cat a/b"})),
        [PathBuf::from("$D"), PathBuf::from("a/b")]
    );
    assert_eq!(
        outside_of(json!({"command": "cd - && cat a/b"})),
        [PathBuf::from("-"), PathBuf::from("a/b")]
    );
    assert_eq!(
        outside_of(json!({"command": "cd sub && cat ../a/b"})),
        Vec::<PathBuf>::new()
    );
    // Project allow rules do not apply in a folder outside the project.
    let project = allow(&["Bash(ls:*)"]);
    let none = RuleSet::default();
    assert_eq!(
        verdict_in(
            &none,
            &project,
            "Bash",
            json!({"command": "ls", "cwd": "/etc"})
        ),
        Verdict::Undecided
    );
    assert_allowed(verdict_in(
        &none,
        &project,
        "Bash",
        json!({"command": "ls", "cwd": "sub"}),
    ));
    // Deny rules see a redirect in the folder the command runs in, and in the one it started in.
    let set = deny(&["Edit(/sub/.env)"]);
    assert_eq!(
        bash(&set, "cd sub && echo x > .env"),
        denied_by("Edit(/sub/.env)")
    );
    assert_eq!(
        bash(&set, "(cd sub); echo x > sub/.env"),
        denied_by("Edit(/sub/.env)")
    );
}

#[test]
fn protected_configuration_needs_a_rule_for_that_very_file() {
    let broad = allow(&[
        "Edit",
        "Edit(**)",
        "Edit(.claude/**)",
        "Edit(/.git)",
        "Write",
        "Bash",
    ]);
    for path in [
        ".claude/settings.json",
        ".git/hooks/pre-commit",
        ".mcp.json",
        "sub/.envrc",
        ".VSCODE/tasks.json",
        ".github/workflows/x.yml",
        ".husky/pre-push",
    ] {
        let input = json!({"file_path": path, "content": ""});
        let evaluation = evaluate(
            &broad,
            &RuleSet::default(),
            &ToolUse { tool_name: "Write", input: &ToolInput::from_claude("Write", &input) },
            &ctx(),
        );
        assert_eq!(evaluation.verdict, Verdict::Undecided, "{path}");
        assert_eq!(evaluation.protected.len(), 1, "{path}");
    }
    for command in [
        "echo x > .claude/settings.json",
        "cp h .git/hooks/post-checkout",
        "tee .envrc",
        "ln -sf x .mcp.json",
    ] {
        let input = json!({"command": command});
        let evaluation = evaluate(
            &broad,
            &RuleSet::default(),
            &ToolUse { tool_name: "Bash", input: &ToolInput::from_claude("Bash", &input) },
            &ctx(),
        );
        assert_eq!(evaluation.verdict, Verdict::Undecided, "{command}");
        assert!(!evaluation.protected.is_empty(), "{command}");
    }
    let exact = allow(&[
        "Edit(.claude/settings.json)",
        "Edit(./.mcp.json)",
        "Bash(echo:*)",
    ]);
    assert_allowed(verdict(
        &exact,
        "Write",
        json!({"file_path": ".claude/settings.json"}),
    ));
    assert_allowed(verdict(
        &exact,
        "Write",
        json!({"file_path": "/work/app/.mcp.json"}),
    ));
    assert_allowed(bash(&exact, "echo {} > .mcp.json"));
    assert_eq!(
        verdict(&exact, "Write", json!({"file_path": "sub/.mcp.json"})),
        Verdict::Undecided
    );
    for command in [
        "git config core.hooksPath x",
        "git config --global alias.x '!sh'",
        "git -C sub config core.pager less",
    ] {
        let input = json!({"command": command});
        let evaluation = evaluate(
            &broad,
            &RuleSet::default(),
            &ToolUse { tool_name: "Bash", input: &ToolInput::from_claude("Bash", &input) },
            &ctx(),
        );
        assert_eq!(
            (evaluation.verdict, evaluation.protected.len()),
            (Verdict::Undecided, 1),
            "{command}"
        );
    }
    // Reading protected configuration is not writing it.
    let input = json!({"command": "cat .git/config"});
    assert!(evaluate(
        &broad,
        &RuleSet::default(),
        &ToolUse { tool_name: "Bash", input: &ToolInput::from_claude("Bash", &input) },
        &ctx()
    )
    .protected
    .is_empty());
}
