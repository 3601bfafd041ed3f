//! The modes applied to the rules' verdicts: deny and uncertain calls in every mode, protected
//! configuration, plan mode, the call's own folder, links.

use super::*;
use serde_json::{json, Value};
use std::sync::Mutex;
use warden_core::session::PermissionRequestId;

/// Project rules kept in memory.
struct Memory(Mutex<RuleSet>);

impl ProjectRules for Memory {
    fn rules(&self, _project: &Path) -> Result<RuleSet, RulesError> {
        Ok(self.0.lock().map(|r| r.clone()).unwrap_or_default())
    }
    fn set_rules(&self, _project: &Path, rules: &RuleSet) -> Result<(), RulesError> {
        if let Ok(mut held) = self.0.lock() {
            *held = rules.clone();
        }
        Ok(())
    }
}

fn rules(texts: &[&str]) -> Vec<Rule> {
    texts.iter().map(|t| Rule::parse(t).unwrap()).collect()
}

fn policy_in(project: &Path, mode: PermissionMode, allow: &[&str], deny: &[&str]) -> Policy {
    let session = RuleSet {
        allow: rules(allow),
        deny: rules(deny),
    };
    Policy::new(
        project.to_path_buf(),
        mode,
        session,
        Arc::new(Memory(Mutex::new(RuleSet::default()))),
    )
}

fn policy(mode: PermissionMode, allow: &[&str], deny: &[&str]) -> Policy {
    policy_in(Path::new("/work/app"), mode, allow, deny)
}

fn request(tool: &str, input: Value) -> PermissionRequest {
    PermissionRequest {
        request_id: PermissionRequestId("q".to_owned()),
        tool_call_id: None,
        tool_name: tool.to_owned(),
        title: String::new(),
        input: ToolInput::from_claude(tool, &input),
        raw_input: input,
        blocked_path: None,
        reason: None,
        raw_suggestions: None,
        subject: String::new(),
        outside_project: Vec::new(),
        protected_paths: Vec::new(),
        suggested_rules: Vec::new(),
        plan: None,
        offered: None,
    }
}

/// What the policy answers without asking: `Some(true)` allowed, `Some(false)` denied, `None`
/// asked.
fn answer(policy: &mut Policy, tool: &str, input: Value) -> Option<bool> {
    let mut req = request(tool, input);
    policy
        .consider(&mut req)
        .0
        .map(|auto| auto.decision.allows())
}

fn bash_input(command: &str) -> ToolInput {
    ToolInput::from_claude("Bash", &json!({ "command": command }))
}

fn bash(policy: &mut Policy, command: &str) -> Option<bool> {
    answer(policy, "Bash", json!({ "command": command }))
}

const EVERY_MODE: [PermissionMode; 4] = [
    PermissionMode::Default,
    PermissionMode::AcceptEdits,
    PermissionMode::Plan,
    PermissionMode::Bypass,
];

#[test]
fn uncertain_commands_are_asked_in_every_mode_when_a_bash_deny_rule_exists() {
    let uncertain = [
        "/bin/r? -f x",
        "{rm,-f,x}",
        "x=rm; $x -f y",
        "$(echo rm) -f y",
        "sudo -Q rm x",
        "env -S 'rm x'",
        "timeout --bogus 5 rm x",
        "bash -c \"$CMD\"",
        "echo 'rm x' | bash",
        "python3 -c 'import os; os.system(\"rm x\")'",
        "git -c alias.x='!rm y' x",
        "if true; then ls; fi",
        "ls 'unclosed",
    ];
    for mode in EVERY_MODE {
        let mut p = policy(mode, &["Bash"], &["Bash(rm:*)"]);
        for command in uncertain {
            assert_eq!(bash(&mut p, command), None, "{mode:?}: {command}");
        }
        // Without a Bash deny rule, Bypass does not need certainty.
        let mut free = policy(mode, &[], &[]);
        if mode == PermissionMode::Bypass {
            assert_eq!(bash(&mut free, "x=rm; $x -f y"), Some(true));
        }
    }
}

#[test]
fn the_person_is_told_why_an_uncertain_call_is_asked() {
    let mut p = policy(PermissionMode::Bypass, &[], &["Bash(rm:*)"]);
    let mut req = request("Bash", json!({"command": "$X -rf /"}));
    let (auto, warning) = p.consider(&mut req);
    assert!(auto.is_none());
    let warning = warning.unwrap_or_default();
    assert!(
        warning.contains("Bash(rm:*)") && warning.contains("$X"),
        "{warning}"
    );
}

#[test]
fn deny_rules_see_through_wrappers_globs_and_find_in_bypass() {
    let denied = [
        "sudo -u root rm x",
        "sudo -E -u root -- rm x",
        "doas -u root rm x",
        "env -i PATH=/bin rm x",
        "nice -n 5 ionice -c 3 rm x",
        "timeout -s KILL 10s rm x",
        "stdbuf -oL rm x",
        "xargs -0 -n1 rm",
        "nohup setsid rm x",
        "command -p rm x",
        "exec -a name rm x",
        "/usr/bin/rm -f x",
        "./rm x",
        "find . -name '*.o' -delete",
        "find /tmp -exec rm {} ;",
        "find . -execdir sudo rm {} +",
        "bash -c 'sudo -u root rm x'",
        "RM x",
    ];
    let mut p = policy(PermissionMode::Bypass, &[], &["Bash(rm:*)"]);
    for command in denied {
        assert_eq!(bash(&mut p, command), Some(false), "{command}");
    }
    assert_eq!(
        bash(&mut p, "ls -la"),
        Some(true),
        "plain commands still run in bypass"
    );
}

#[test]
fn read_and_edit_deny_rules_meet_shell_words_redirects_and_filters() {
    let mut p = policy(
        PermissionMode::Bypass,
        &[],
        &["Read(.env)", "Edit(secrets/**)"],
    );
    for command in [
        "cat .env",
        "cat ./.env",
        "head -n1 sub/.env",
        "grep KEY < .env",
        "cat .ENV",
        "cp .Env /tmp/x",
        "bash -c 'cat .env'",
        "cd sub && cat ../.env",
        "echo x > secrets/a",
        "cp x secrets/b",
        "find . -exec cat .env ;",
    ] {
        assert_eq!(bash(&mut p, command), Some(false), "{command}");
    }
    assert_eq!(
        bash(&mut p, "cat .e*"),
        None,
        "a glob that may name .env is asked"
    );
    assert_eq!(
        bash(&mut p, "cat $F"),
        None,
        "an expansion may name anything"
    );
    assert_eq!(
        bash(&mut p, "cat src/*.rs"),
        Some(true),
        "a glob that cannot name .env runs"
    );
    assert_eq!(
        answer(&mut p, "Grep", json!({"pattern": "K", "glob": ".env"})),
        Some(false)
    );
    assert_eq!(
        answer(&mut p, "Grep", json!({"pattern": "K", "glob": "*.env*"})),
        None
    );
    assert_eq!(
        answer(&mut p, "Grep", json!({"pattern": "K", "glob": "*.rs"})),
        Some(true)
    );
    assert_eq!(answer(&mut p, "Glob", json!({"pattern": "**/.env"})), None);
    assert_eq!(
        answer(&mut p, "Read", json!({"file_path": "/work/app/.ENV"})),
        Some(false)
    );
    assert_eq!(
        answer(&mut p, "Read", json!({"file_path": "x/.EnV"})),
        Some(false)
    );
}

#[test]
fn a_link_to_a_denied_file_is_denied() {
    let dir = tempfile::tempdir().unwrap();
    let project = std::fs::canonicalize(dir.path()).unwrap();
    std::fs::write(project.join(".env"), "KEY=1").unwrap();
    std::os::unix::fs::symlink(project.join(".env"), project.join("notes.txt")).unwrap();
    std::fs::create_dir(project.join("real")).unwrap();
    std::os::unix::fs::symlink(project.join("real"), project.join("alias")).unwrap();
    let mut p = policy_in(
        &project,
        PermissionMode::Bypass,
        &[],
        &["Read(.env)", "Edit(/real/**)"],
    );
    assert_eq!(
        answer(&mut p, "Read", json!({"file_path": "notes.txt"})),
        Some(false)
    );
    assert_eq!(bash(&mut p, "cat notes.txt"), Some(false));
    assert_eq!(
        answer(
            &mut p,
            "Write",
            json!({"file_path": "alias/new.txt", "content": ""})
        ),
        Some(false)
    );
    assert_eq!(bash(&mut p, "echo x > alias/new.txt"), Some(false));
    assert_eq!(
        answer(&mut p, "Read", json!({"file_path": "other.txt"})),
        Some(true)
    );
}

#[test]
fn multi_file_edits_are_decided_per_path() {
    let patch = |paths: &[&str]| json!({"file_path": "/work/app", "file_paths": paths});
    let mut denied = policy(PermissionMode::Bypass, &[], &["Edit(.env)"]);
    assert_eq!(
        answer(&mut denied, "Edit", patch(&[".env", "README.md"])),
        Some(false)
    );
    assert_eq!(
        answer(
            &mut denied,
            "Edit",
            patch(&["/work/app/README.md", "/work/app/sub/.env"])
        ),
        Some(false)
    );
    let mut src = policy(PermissionMode::Default, &["Edit(src/**)"], &[]);
    assert_eq!(
        answer(&mut src, "Edit", patch(&["src/a.rs", "src/b.rs"])),
        Some(true)
    );
    assert_eq!(
        answer(&mut src, "Edit", patch(&["src/a.rs", "build.rs"])),
        None,
        "every path must be allowed"
    );
    let mut req = request("Edit", patch(&["src/a.rs", "/etc/hosts", "../x"]));
    let mut edits = policy(PermissionMode::AcceptEdits, &[], &[]);
    assert!(
        edits.consider(&mut req).0.is_none(),
        "accept edits stops at the project's edge"
    );
    assert_eq!(req.outside_project, ["/etc/hosts", "/work/x"]);
}

#[test]
fn protected_configuration_is_never_written_by_a_mode_or_a_broad_rule() {
    let writes = [
        (
            "Write",
            json!({"file_path": ".claude/settings.json", "content": "{}"}),
        ),
        (
            "Edit",
            json!({"file_path": "/work/app/.git/hooks/pre-commit"}),
        ),
        ("Write", json!({"file_path": ".mcp.json"})),
        ("Write", json!({"file_path": "sub/.envrc"})),
        ("Edit", json!({"file_path": ".VSCode/tasks.json"})),
        ("Write", json!({"file_path": ".github/workflows/ci.yml"})),
        (
            "Edit",
            json!({"file_path": "/work/app", "file_paths": ["src/a.rs", ".codex/config.toml"]}),
        ),
        (
            "Bash",
            json!({"command": "echo '{}' > .gemini/settings.json"}),
        ),
        ("Bash", json!({"command": "cp hook .husky/pre-push"})),
        ("Bash", json!({"command": "sed -i s/a/b/ .git/config"})),
    ];
    for mode in [
        PermissionMode::AcceptEdits,
        PermissionMode::Bypass,
        PermissionMode::Default,
    ] {
        let mut p = policy(mode, &["Edit", "Edit(**)", "Write(src/**)", "Bash"], &[]);
        for (tool, input) in &writes {
            let mut req = request(tool, input.clone());
            assert!(p.consider(&mut req).0.is_none(), "{mode:?} {tool} {input}");
            assert!(
                !req.protected_paths.is_empty(),
                "{tool} {input}: the dialog warns"
            );
        }
    }
    // Reading them is not writing them.
    let mut p = policy(PermissionMode::Bypass, &[], &[]);
    assert_eq!(bash(&mut p, "cat .git/HEAD"), Some(true));
    // A rule naming that very file may allow it.
    let mut exact = policy(
        PermissionMode::Default,
        &["Edit(.claude/settings.json)"],
        &[],
    );
    assert_eq!(
        answer(
            &mut exact,
            "Write",
            json!({"file_path": ".claude/settings.json"})
        ),
        Some(true)
    );
    assert_eq!(
        answer(
            &mut exact,
            "Write",
            json!({"file_path": ".claude/other.json"})
        ),
        None
    );
}

#[test]
fn plan_mode_rules_answer_only_read_only_tools() {
    let mut p = policy(
        PermissionMode::Plan,
        &[
            "Edit(src/**)",
            "Bash(npm test:*)",
            "Read(src/**)",
            "WebSearch",
        ],
        &[],
    );
    assert_eq!(
        answer(&mut p, "Edit", json!({"file_path": "src/a.rs"})),
        None
    );
    assert_eq!(
        answer(&mut p, "Write", json!({"file_path": "src/b.rs"})),
        None
    );
    assert_eq!(bash(&mut p, "npm test"), None);
    assert_eq!(
        answer(&mut p, "Read", json!({"file_path": "src/a.rs"})),
        Some(true)
    );
    assert_eq!(
        answer(&mut p, "WebSearch", json!({"query": "x"})),
        Some(true)
    );
    let mut deny = policy(PermissionMode::Plan, &[], &["Read(.env)"]);
    assert_eq!(
        answer(&mut deny, "Read", json!({"file_path": ".env"})),
        Some(false)
    );
}

#[test]
fn accept_edits_allows_edits_only() {
    let mut p = policy(PermissionMode::AcceptEdits, &[], &[]);
    assert_eq!(
        answer(&mut p, "Edit", json!({"file_path": "src/a.rs"})),
        Some(true)
    );
    assert_eq!(bash(&mut p, "rm -rf src"), None);
    assert_eq!(
        answer(&mut p, "Edit", json!({"file_path": "/etc/hosts"})),
        None
    );
}

#[test]
fn the_call_folder_comes_from_the_request() {
    let project = RuleSet {
        allow: rules(&["Bash(ls:*)", "Bash(cat:*)", "Bash(cd:*)"]),
        deny: Vec::new(),
    };
    let store = Arc::new(Memory(Mutex::new(project)));
    let mut p = Policy::new(
        PathBuf::from("/work/app"),
        PermissionMode::Default,
        RuleSet::default(),
        store,
    );
    let mut ask = |input: Value| {
        let mut req = request("Bash", input);
        let auto = p.consider(&mut req).0.map(|a| a.decision.allows());
        (auto, req.outside_project)
    };
    assert_eq!(
        ask(json!({"command": "ls", "cwd": "/etc"})),
        (None, vec!["/etc".to_owned()])
    );
    assert_eq!(
        ask(json!({"command": "ls", "cwd": "/work/app/sub"})),
        (Some(true), vec![])
    );
    assert_eq!(
        ask(json!({"command": "cat a", "cwd": "sub"})),
        (Some(true), vec![])
    );
    assert_eq!(
        ask(json!({"command": "cat ../../x/y", "cwd": "sub"})),
        (None, vec!["/work/x/y".to_owned()])
    );
    assert_eq!(
        ask(json!({"command": "cd /tmp && ls"})),
        (None, vec!["/tmp".to_owned()])
    );
    assert_eq!(
        ask(json!({"command": "cd .. && cat app/x"})).1,
        ["/work".to_owned()]
    );
    let home = std::env::var("HOME").unwrap_or_default();
    if !home.is_empty() && !home.starts_with("/work/app") {
        assert_eq!(ask(json!({"command": "cd && ls"})), (None, vec![home]));
    }
    assert_eq!(
        ask(json!({"command": "cd - && cat x/y"})).0,
        None,
        "an unknown folder is outside"
    );
    // Deny rules resolve relative words in the call's folder too.
    let mut d = policy(PermissionMode::Bypass, &[], &["Read(//work/app/sub/.env)"]);
    assert_eq!(
        answer(&mut d, "Bash", json!({"command": "cat .env", "cwd": "sub"})),
        Some(false)
    );
    assert_eq!(
        answer(&mut d, "Read", json!({"file_path": ".env", "cwd": "sub"})),
        Some(false)
    );
}

#[test]
fn veto_refuses_what_it_cannot_read_when_deny_rules_exist() {
    let mut p = policy(PermissionMode::Bypass, &[], &["Bash(rm:*)"]);
    let (auto, _) = p.veto("Bash", &bash_input("$X -rf y"));
    let auto = auto.expect("refused");
    assert_eq!(auto.decision, PermissionDecision::Deny);
    assert!(auto.message.unwrap_or_default().contains("plainly"));
    assert!(p.veto("Bash", &bash_input("ls")).0.is_none());
    let mut free = policy(PermissionMode::Bypass, &[], &[]);
    assert!(free
        .veto("Bash", &bash_input("$X -rf y"))
        .0
        .is_none());
}
