//! Reading, merging and refusing configuration files.

use super::*;
use std::path::Path;
use std::time::Duration;

const EXAMPLE: &str = include_str!("example.toml");

fn project() -> &'static Path {
    Path::new("/nonexistent/project")
}

/// The single error of reading `text` as the project file.
fn error_of(text: &str) -> ConfigError {
    let inspection = inspect_str(project(), Some(text), None);
    assert_eq!(inspection.errors.len(), 1, "{:#?}", inspection.errors);
    inspection.errors[0].clone()
}

const HEAD: &str = "version = 1\n\n[[check]]\nid = \"tests\"\nrun = [\"cargo\", \"test\"]\n";

#[test]
fn the_example_reads_with_its_values_and_the_defaults() {
    let inspection = inspect_str(project(), Some(EXAMPLE), None);
    assert!(inspection.errors.is_empty(), "{:#?}", inspection.errors);
    let c = inspection.config;
    assert_eq!(c.gate, GateSettings { max_rounds: 3, feedback: Feedback::Ask, on_infra_error: OnInfraError::Report, budget_usd: Some(2.0) });
    let tests = &c.checks[0];
    assert_eq!((tests.id.as_str(), tests.source, tests.location.line), ("tests", Source::Project, 11));
    assert_eq!(tests.spec.command, CheckCommand::Argv(vec!["cargo".into(), "test".into(), "--quiet".into(), "--color=never".into()]));
    assert_eq!(tests.spec.timeout, Duration::from_secs(900));
    assert_eq!(tests.spec.parse, ParserSpec::CargoTest);
    assert_eq!(tests.spec.feedback, Feedback::Auto);
    assert_eq!(tests.spec.env.get("RUST_BACKTRACE").map(String::as_str), Some("1"));
    let lint = &c.checks[1];
    assert_eq!(lint.spec.command, CheckCommand::Shell("cargo clippy --quiet -- -D warnings".into()));
    assert_eq!((lint.spec.gate, lint.spec.feedback, lint.spec.timeout), (false, Feedback::Ask, DEFAULT_CHECK_TIMEOUT), "defaults from [gate]");
    assert_eq!(lint.spec.after, vec!["tests".to_owned()]);
    let focused = &c.checks[2];
    assert_eq!((focused.spec.on, focused.spec.mode), (Trigger::ToolCompleted, Mode::Async));
    assert_eq!(focused.spec.when.exit_code, Some(ExitCodeFilter::Not(0)));
    let hook = &c.webhooks[0];
    assert_eq!(hook.spec.secret, Some(SecretRef::Env("WARDEN_REVIEW_SECRET".into())));
    assert_eq!(hook.spec.retry_schedule, DEFAULT_RETRY_SCHEDULE.to_vec());
    assert_eq!((hook.spec.mode, hook.spec.on_failure, hook.spec.allow_private), (Mode::Sync, OnFailure::Fallback, false));
    assert!(hook.disabled.is_none());
}

#[test]
fn an_unknown_key_names_its_line_column_and_field() {
    let err = error_of(&format!("{HEAD}timout = \"15m\"\n"));
    assert_eq!((err.line, err.column), (Some(6), Some(1)), "{err}");
    assert_eq!(err.field.as_deref(), Some("check[1].timout"));
    assert!(err.message.contains("unknown field `timout`") && err.message.contains("timeout"), "{err}");
    assert!(err.to_string().starts_with(".warden/checks.toml:6:1: field `check[1].timout`: "), "{err}");
}

#[test]
fn a_wrong_type_names_the_field() {
    let err = error_of(&format!("{HEAD}gate = \"yes\"\n"));
    assert_eq!((err.line, err.field.as_deref()), (Some(6), Some("check[1].gate")), "{err}");
    assert!(err.message.contains("bool") || err.message.contains("boolean"), "{err}");
    let err = error_of("version = 1\n[gate]\nmax_rounds = \"three\"\n");
    assert_eq!((err.line, err.column, err.field.as_deref()), (Some(3), Some(14), Some("gate.max_rounds")), "{err}");
}

#[test]
fn a_budget_reads_as_dollars_and_must_be_a_positive_number() {
    for (text, budget) in [("2.5", 2.5), ("2", 2.0)] {
        let inspection = inspect_str(project(), Some(&format!("version = 1\n[gate]\nbudget_usd = {text}\n")), None);
        assert!(inspection.errors.is_empty(), "{:#?}", inspection.errors);
        assert_eq!(inspection.config.gate.budget_usd, Some(budget));
    }
    for bad in ["-1.0", "0"] {
        let err = error_of(&format!("version = 1\n[gate]\nbudget_usd = {bad}\n"));
        assert_eq!((err.line, err.column, err.field.as_deref()), (Some(3), Some(14), Some("gate.budget_usd")), "{err}");
        assert!(err.message.contains("positive number"), "{err}");
    }
    let err = error_of("version = 1\n[gate]\nbudget_usd = \"2 dollars\"\n");
    assert_eq!((err.line, err.column, err.field.as_deref()), (Some(3), Some(14), Some("gate.budget_usd")), "{err}");
}

#[test]
fn a_bad_duration_and_an_unknown_parser_say_what_to_write() {
    let err = error_of(&format!("{HEAD}timeout = \"15\"\n"));
    assert_eq!((err.line, err.column, err.field.as_deref()), (Some(6), Some(11), Some("check[1].timeout")), "{err}");
    assert!(err.message.contains("`15` is not a duration") && err.message.contains("\"15m\""), "{err}");
    let err = error_of(&format!("{HEAD}parse = \"jest\"\n"));
    assert_eq!((err.line, err.field.as_deref()), (Some(6), Some("check[1].parse")), "{err}");
    assert!(err.message.contains("unknown parser `jest`") && err.message.contains("junit:PATH"), "{err}");
}

#[test]
fn a_duplicate_id_points_at_the_second_one() {
    let err = error_of(&format!("{HEAD}\n[[check]]\nid = \"tests\"\nrun = [\"true\"]\n"));
    assert_eq!((err.line, err.entry.as_deref(), err.field.as_deref()), (Some(8), Some("tests"), Some("id")), "{err}");
    assert!(err.message.contains("already used by the check on line 4"), "{err}");
    let err = error_of(&format!("{HEAD}\n[[webhook]]\nid = \"tests\"\nurl = \"https://x.example\"\nevents = [\"*\"]\nsignature = \"none\"\n"));
    assert!(err.message.contains("already used"), "ids are unique across kinds: {err}");
}

#[test]
fn after_must_name_checks_and_make_no_cycle() {
    let cycle = "version = 1\n[[check]]\nid = \"a\"\nrun = [\"x\"]\nafter = [\"b\"]\n[[check]]\nid = \"b\"\nrun = [\"x\"]\nafter = [\"a\"]\n";
    let err = error_of(cycle);
    assert_eq!((err.line, err.field.as_deref()), (Some(5), Some("after")), "{err}");
    assert!(err.message.contains("cycle: a → b → a"), "{err}");
    let err = error_of("version = 1\n[[check]]\nid = \"a\"\nrun = [\"x\"]\nafter = [\"a\"]\n");
    assert!(err.message.contains("cycle: a → a"), "{err}");
    let err = error_of(&format!("{HEAD}after = [\"lint\"]\n"));
    assert_eq!((err.line, err.entry.as_deref()), (Some(6), Some("tests")));
    assert!(err.message.contains("`lint`, which is not a check"), "{err}");
}

#[test]
fn a_folder_outside_the_project_is_refused() {
    for (cwd, words) in [("../elsewhere", "outside the project"), ("/etc", "absolute"), ("a/../../b", "outside the project")] {
        let err = error_of(&format!("{HEAD}cwd = \"{cwd}\"\n"));
        assert_eq!((err.line, err.column, err.field.as_deref()), (Some(6), Some(7), Some("cwd")), "{err}");
        assert!(err.message.contains(words), "{cwd}: {err}");
    }
    let ok = inspect_str(project(), Some(&format!("{HEAD}cwd = \"./crates/../app\"\n")), None);
    assert!(ok.errors.is_empty(), "{:?}", ok.errors);
    assert_eq!(ok.config.checks[0].spec.cwd, "app", "normalised; a folder that does not exist yet is fine until it runs");
}

#[cfg(unix)]
#[test]
fn a_folder_through_a_link_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink("/", dir.path().join("root")).unwrap();
    let inspection = inspect_str(dir.path(), Some(&format!("{HEAD}cwd = \"root/etc\"\n")), None);
    assert_eq!(inspection.errors.len(), 1);
    assert!(inspection.errors[0].message.contains("goes through the link"), "{}", inspection.errors[0]);
}

#[test]
fn an_inline_secret_is_refused_without_repeating_it() {
    let text = "version = 1\n[[webhook]]\nid = \"w\"\nurl = \"https://x.example\"\nevents = [\"*\"]\nsecret = \"hunter2-very-secret\"\n";
    let err = error_of(text);
    assert_eq!((err.line, err.column, err.field.as_deref()), (Some(6), Some(10), Some("webhook[1].secret")), "{err}");
    assert!(err.message.contains("never written into the file") && err.message.contains("secret = { env = \"NAME\" }"), "{err}");
    assert!(!err.to_string().contains("hunter2"), "the secret is not echoed: {err}");
}

#[test]
fn webhooks_need_a_public_url_unless_allowed_and_may_take_their_secret_from_the_keychain() {
    let hook = |extra: &str| format!("version = 1\n[[webhook]]\nid = \"w\"\nevents = [\"task.finished\"]\nsignature = \"none\"\n{extra}");
    for url in ["http://127.0.0.1:8080/x", "http://localhost/x", "http://10.1.2.3/", "http://[::1]:9/", "http://192.168.0.4/"] {
        let err = error_of(&hook(&format!("url = \"{url}\"\n")));
        assert!(err.message.contains("allow_private = true"), "{url}: {err}");
        assert_eq!(err.field.as_deref(), Some("url"));
    }
    let ok = inspect_str(project(), Some(&hook("url = \"http://127.0.0.1:8080/x\"\nallow_private = true\n")), None);
    assert!(ok.errors.is_empty(), "{:?}", ok.errors);
    assert!(error_of(&hook("url = \"ftp://x.example/\"\n")).message.contains("http or https"));
    assert!(error_of(&hook("url = \"https://x.example\"\nevents2 = 1\n")).message.contains("unknown field"));
    let err = error_of("version = 1\n[[webhook]]\nid = \"w\"\nurl = \"https://x.example\"\nevents = [\"task.done\"]\nsignature = \"none\"\n");
    assert!(err.message.contains("unknown event type `task.done`"), "{err}");
    let err = error_of("version = 1\n[[webhook]]\nid = \"w\"\nurl = \"https://x.example\"\nevents = [\"*\"]\n");
    assert!(err.message.contains("needs its secret"), "{err}");
    let keychain = inspect_str(project(), Some("version = 1\n[[webhook]]\nid = \"w\"\nurl = \"https://x.example\"\nevents = [\"*\"]\nsecret = { keychain = \"warden/w\" }\n"), None);
    assert!(keychain.errors.is_empty(), "{:?}", keychain.errors);
    assert_eq!(keychain.config.webhooks[0].disabled, None, "keychain secrets are supported");
    assert_eq!(keychain.config.webhooks[0].spec.secret, Some(SecretRef::Keychain("warden/w".into())));
    let err = error_of("version = 1\n[[webhook]]\nid = \"w\"\nurl = \"https://x.example\"\nevents = [\"*\"]\nsecret = { keychain = \"svc/\" }\n");
    assert!(err.message.contains("service/name"), "{err}");
}

#[test]
fn reviews_read_with_their_defaults_and_the_personal_layer_overrides_them() {
    let text = format!(
        "{HEAD}\n[[review]]\nid = \"codex-review\"\nagent = \"codex\"\nmodel = \"gpt-5\"\ninstructions = \"Look at errors.\"\nafter = [\"tests\"]\nscope = \"round\"\nmin_changed_lines = 5\nbudget_usd = 0.5\ntimeout = \"2m\"\n\n[[review]]\nid = \"mine\"\nagent = \"my-acp\"\nblock_on = []\n"
    );
    let inspection = inspect_str(project(), Some(&text), None);
    assert!(inspection.errors.is_empty(), "{:?}", inspection.errors);
    let review = &inspection.config.reviews[0];
    assert_eq!((review.id.as_str(), review.disabled.clone(), review.location.line), ("codex-review", None, 8));
    let r = &review.spec;
    assert_eq!(r.agent, ReviewAgent { kind: warden_core::session::AgentKind::Codex, name: None });
    assert_eq!((r.model.as_deref(), r.instructions.as_deref(), r.scope), (Some("gpt-5"), Some("Look at errors."), ReviewScopeName::Round));
    assert_eq!((r.after.clone(), r.block_on.clone()), (vec!["tests".to_owned()], DEFAULT_BLOCK_ON.to_vec()));
    assert_eq!((r.feedback, r.budget_usd, r.when.min_changed_lines, r.timeout), (Feedback::Ask, Some(0.5), Some(5), Duration::from_secs(120)));
    let custom = &inspection.config.reviews[1].spec;
    assert_eq!(custom.agent.name.as_deref(), Some("my-acp"));
    assert!(!custom.gates(), "an empty block_on only reports");

    let personal = "[[review]]\nid = \"codex-review\"\nfeedback = \"auto\"\nblock_on = [\"medium\", \"critical\"]\n\n[[review]]\nid = \"mine\"\ndisabled = true\n";
    let merged = inspect_str(project(), Some(&text), Some(personal));
    assert!(merged.errors.is_empty(), "{:?}", merged.errors);
    let r = &merged.config.reviews[0];
    assert_eq!(r.overridden, vec!["block_on".to_owned(), "feedback".to_owned()]);
    assert_eq!((r.source, r.spec.feedback), (Source::Project, Feedback::Auto));
    assert_eq!(r.spec.block_on, vec![warden_core::review::ReviewSeverity::Critical, warden_core::review::ReviewSeverity::Medium]);
    assert_eq!(r.spec.model.as_deref(), Some("gpt-5"), "fields not overridden are the project's");
    assert_eq!(merged.config.reviews[1].disabled, Some(Disabled::InPersonalLayer));
}

#[test]
fn a_bad_review_is_refused_with_its_line_and_field() {
    let err = error_of("version = 1\n[[review]]\nid = \"r\"\nmodel = \"x\"\n");
    assert_eq!((err.line, err.field.as_deref(), err.entry.as_deref()), (Some(3), Some("agent"), Some("r")));
    let err = error_of("version = 1\n[[review]]\nid = \"r\"\nagent = \"codex\"\nblock_on = [\"urgent\"]\n");
    assert_eq!((err.line, err.field.as_deref()), (Some(5), Some("review[1].block_on")));
    let err = error_of("version = 1\n[[review]]\nid = \"r\"\nagent = \"codex\"\nreviewer = \"x\"\n");
    assert!(err.message.contains("unknown field `reviewer`"), "{err}");
    let err = error_of("version = 1\n[[review]]\nid = \"r\"\nagent = \"codex\"\nscope = \"session\"\n");
    assert_eq!(err.field.as_deref(), Some("review[1].scope"));
    let err = error_of(&format!("{HEAD}\n[[review]]\nid = \"r\"\nagent = \"codex\"\nafter = [\"lint\"]\n"));
    assert_eq!((err.line, err.field.as_deref()), (Some(10), Some("after")));
    assert!(err.message.contains("`lint`"), "{err}");
    let err = error_of("version = 1\n[[review]]\nid = \"r\"\nagent = \"codex\"\nbudget_usd = -1.0\n");
    assert_eq!((err.line, err.field.as_deref()), (Some(5), Some("budget_usd")));
    let kind = inspect_str(project(), Some(&format!("{HEAD}\n[[review]]\nid = \"r\"\nagent = \"codex\"\n")), Some("[[check]]\nid = \"r\"\nrun = [\"x\"]\n"));
    assert_eq!(kind.errors.len(), 1, "{:?}", kind.errors);
    assert!(kind.errors[0].message.contains("not a check"), "{}", kind.errors[0]);
}

#[test]
fn the_personal_layer_overrides_disables_and_adds_by_id() {
    let personal = "[gate]\nmax_rounds = 5\n\n[[check]]\nid = \"tests\"\ntimeout = \"1m\"\nwhen.round = 1\n\n[[check]]\nid = \"lint\"\ndisabled = true\n\n[[check]]\nid = \"mine\"\nshell = \"make quick\"\n";
    let inspection = inspect_str(project(), Some(EXAMPLE), Some(personal));
    assert!(inspection.errors.is_empty(), "{:#?}", inspection.errors);
    let c = inspection.config;
    assert_eq!(c.gate.max_rounds, 5);
    let tests = &c.checks[0];
    assert_eq!((tests.source, tests.spec.timeout), (Source::Project, Duration::from_secs(60)));
    assert_eq!(tests.overridden, vec!["when.round".to_owned(), "timeout".to_owned()]);
    assert_eq!(tests.spec.parse, ParserSpec::CargoTest, "fields not overridden are the project's");
    assert_eq!(tests.spec.when.round, vec![1]);
    assert!(tests.spec.when.changed.is_some(), "the other filters are kept");
    assert_eq!(c.checks[1].disabled, Some(Disabled::InPersonalLayer));
    let mine = c.checks.iter().find(|e| e.id == "mine").unwrap();
    assert_eq!((mine.source, mine.location.line), (Source::Personal, 14));
    // A project entry switched off in the project file says so.
    let off = inspect_str(project(), Some(&format!("{HEAD}disabled = true\n")), None);
    assert_eq!(off.config.checks[0].disabled, Some(Disabled::InProjectFile));
}

#[test]
fn an_override_error_points_into_the_personal_file() {
    let personal = "[[check]]\nid = \"tests\"\ncwd = \"../..\"\n";
    let inspection = inspect_str(project(), Some(EXAMPLE), Some(personal));
    assert_eq!(inspection.errors.len(), 1, "{:?}", inspection.errors);
    let err = &inspection.errors[0];
    assert_eq!((err.file.as_str(), err.line, err.field.as_deref()), ("personal checks.toml", Some(3), Some("cwd")), "{err}");
    let kind = inspect_str(project(), Some(EXAMPLE), Some("[[check]]\nid = \"review-server\"\nrun = [\"x\"]\n"));
    assert!(kind.errors[0].message.contains("not a check in the project file"), "{:?}", kind.errors);
    let version = inspect_str(project(), Some("[[check]]\nid = \"a\"\nrun = [\"x\"]\n"), None);
    assert!(version.errors[0].message.contains("version = 1"), "{:?}", version.errors);
}

#[test]
fn a_check_without_a_command_or_with_two_is_refused() {
    let err = error_of("version = 1\n[[check]]\nid = \"a\"\n");
    assert!(err.message.contains("no command"), "{err}");
    let err = error_of("version = 1\n[[check]]\nid = \"a\"\nrun = [\"x\"]\nshell = \"x\"\n");
    assert_eq!((err.line, err.field.as_deref()), (Some(5), Some("shell")));
    // The person's `shell` replaces the project's `run`.
    let over = inspect_str(project(), Some(HEAD), Some("[[check]]\nid = \"tests\"\nshell = \"make test\"\n"));
    assert_eq!(over.config.checks[0].spec.command, CheckCommand::Shell("make test".into()));
}

#[test]
fn a_bad_file_changes_nothing() {
    let data = tempfile::tempdir().unwrap();
    let project = tempfile::tempdir().unwrap();
    let project = project.path().canonicalize().unwrap();
    std::fs::create_dir_all(project.join(".warden")).unwrap();
    std::fs::write(project_file(&project), EXAMPLE).unwrap();
    let mut last = LastGood::default();
    assert!(last.update(load(&project, data.path())).is_empty());
    let good = last.config().cloned().unwrap();
    assert_eq!(good.project_file.as_ref().unwrap().sha256, crate::trust::content_hash(EXAMPLE.as_bytes()));
    std::fs::write(project_file(&project), EXAMPLE.replace("15m", "15 minutes")).unwrap();
    let errors = last.update(load(&project, data.path())).to_vec();
    assert_eq!(errors.len(), 1);
    assert_eq!(last.config(), Some(&good), "the configuration in use is kept");
    // The personal layer lives in the data folder, named after the project.
    let personal = personal_file(data.path(), &project);
    assert!(personal.starts_with(data.path().join("checks")) && personal.to_string_lossy().ends_with(".toml"));
    std::fs::write(project_file(&project), EXAMPLE).unwrap();
    std::fs::create_dir_all(personal.parent().unwrap()).unwrap();
    std::fs::write(&personal, "[[check]]\nid = \"tests\"\ndisabled = true\n").unwrap();
    let config = load(&project, data.path()).unwrap();
    assert_eq!(config.checks[0].disabled, Some(Disabled::InPersonalLayer));
    assert!(config.personal_file == personal);
}

#[test]
fn the_project_key_is_readable_and_unique() {
    let a = project_key(Path::new("/home/ada/my app"));
    assert!(a.starts_with("my_app-") && a.len() == "my_app-".len() + 16, "{a}");
    assert_ne!(a, project_key(Path::new("/home/bob/my app")));
}

/// Fails when `checks.schema.json` is stale; WARDEN_UPDATE_SCHEMA=1 rewrites it.
#[test]
fn the_shipped_schema_is_fresh() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("checks.schema.json");
    let fresh = schema::checks_schema_json();
    if std::env::var_os("WARDEN_UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &fresh).unwrap();
        return;
    }
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        current == fresh,
        "{} is stale: the configuration types changed. Run `WARDEN_UPDATE_SCHEMA=1 cargo test -p warden-gate schema` and commit it.",
        path.display()
    );
    // Spot checks that the schema says what the reader accepts.
    let schema: serde_json::Value = serde_json::from_str(&fresh).unwrap();
    assert_eq!(schema["additionalProperties"], serde_json::json!(false));
    let check = &schema["definitions"]["CheckFile"];
    assert_eq!(check["required"], serde_json::json!(["id"]));
    assert_eq!(check["additionalProperties"], serde_json::json!(false));
    assert!(fresh.contains("\"task.completed\"") && fresh.contains("junit:"));
}

/// The schema knows every key the example uses, table by table (no JSON Schema validator is in
/// the tree; the reader is the validation, the schema is for editors and must not lag behind).
#[test]
fn the_schema_describes_every_key_of_the_example() {
    let schema: serde_json::Value = serde_json::from_str(&schema::checks_schema_json()).unwrap();
    let props = |definition: Option<&str>| -> Vec<String> {
        let node = match definition {
            Some(name) => &schema["definitions"][name],
            None => &schema,
        };
        node["properties"].as_object().unwrap().keys().cloned().collect()
    };
    let example: toml::Table = toml::from_str(EXAMPLE).unwrap();
    let keys_in = |table: &toml::Table, definition: Option<&str>| {
        let known = props(definition);
        for key in table.keys() {
            assert!(known.contains(key), "`{key}` is missing from the schema's {definition:?}: {known:?}");
        }
    };
    keys_in(&example, None);
    keys_in(example["gate"].as_table().unwrap(), Some("GateFile"));
    for check in example["check"].as_array().unwrap() {
        let check = check.as_table().unwrap();
        keys_in(check, Some("CheckFile"));
        if let Some(when) = check.get("when") {
            keys_in(when.as_table().unwrap(), Some("WhenFile"));
        }
    }
    for hook in example["webhook"].as_array().unwrap() {
        let hook = hook.as_table().unwrap();
        keys_in(hook, Some("WebhookFile"));
        keys_in(hook["retry"].as_table().unwrap(), Some("RetryFile"));
    }
    keys_in(example["worktree"].as_table().unwrap(), Some("WorktreeFile"));
}

#[test]
fn the_worktree_table_reads_with_its_values_and_defaults() {
    let c = inspect_str(project(), Some(EXAMPLE), None).config;
    assert_eq!(c.worktree.setup.as_deref(), Some("npm ci"));
    assert_eq!(c.worktree.setup_source, Some(Source::Project));
    assert_eq!(c.worktree.copy, vec![".env".to_owned(), "config/local.toml".to_owned()]);
    assert_eq!(c.worktree.setup_timeout, Duration::from_secs(300));
    let none = inspect_str(project(), Some("version = 1\n"), None);
    assert!(none.errors.is_empty(), "{:#?}", none.errors);
    assert_eq!(none.config.worktree, WorktreeConfig::default());
    assert_eq!(none.config.worktree.setup_timeout, Duration::from_secs(600), "10m by default");
    let tidy = inspect_str(project(), Some("version = 1\n[worktree]\ncopy = [\"./.env\", \".env\", \"a//b/\"]\n"), None);
    assert!(tidy.errors.is_empty(), "{:#?}", tidy.errors);
    assert_eq!(tidy.config.worktree.copy, vec![".env".to_owned(), "a/b".to_owned()], "normalised, each once");
}

#[test]
fn the_personal_worktree_fields_win_one_by_one() {
    let project_text = "version = 1\n[worktree]\nsetup = \"npm ci\"\ncopy = [\".env\"]\n";
    let c = inspect_str(project(), Some(project_text), Some("[worktree]\nsetup_timeout = \"90s\"\ncopy = []\n")).config.worktree;
    assert_eq!((c.setup.as_deref(), c.setup_source), (Some("npm ci"), Some(Source::Project)), "the project's command, still needing trust");
    assert_eq!((c.copy.len(), c.setup_timeout), (0, Duration::from_secs(90)));
    let c = inspect_str(project(), Some(project_text), Some("[worktree]\nsetup = \"pnpm install\"\n")).config.worktree;
    assert_eq!((c.setup.as_deref(), c.setup_source), (Some("pnpm install"), Some(Source::Personal)));
    assert_eq!(c.copy, vec![".env".to_owned()], "fields the person did not set stay the project's");
    let c = inspect_str(project(), Some(project_text), Some("[worktree]\nsetup = \"\"\n")).config.worktree;
    assert_eq!((c.setup, c.setup_source), (None, Some(Source::Personal)), "\"\" in the person's layer switches the project's setup off");
}

#[test]
fn a_copy_path_outside_the_project_names_its_line_and_column() {
    for (bad, words) in [
        ("../secrets.env", "`..`"),
        ("config/../../x", "`..`"),
        ("/etc/passwd", "absolute"),
        ("C:/Users/x", "absolute"),
        (".", "whole project"),
        ("", "empty path"),
        (".git/config", "git's own folder"),
        ("config\\\\local.env", "`/`"),
    ] {
        let text = format!("version = 1\n[worktree]\ncopy = [\".env\", \"{bad}\"]\n");
        let err = error_of(&text);
        assert_eq!((err.line, err.column, err.field.as_deref()), (Some(3), Some(17), Some("worktree.copy")), "{bad}: {err}");
        assert!(err.message.contains(words), "{bad}: {err}");
        assert!(err.to_string().starts_with(".warden/checks.toml:3:17: field `worktree.copy`: "), "{err}");
    }
    let inspection = inspect_str(project(), Some("version = 1\n"), Some("\n[worktree]\ncopy = [\"../x\"]\n"));
    assert_eq!(inspection.errors.len(), 1, "{:#?}", inspection.errors);
    let err = &inspection.errors[0];
    assert_eq!((err.file.as_str(), err.line, err.column), ("personal checks.toml", Some(3), Some(9)), "the personal layer's own place: {err}");
}

#[test]
fn a_bad_setup_timeout_or_an_empty_setup_is_refused_where_it_is_written() {
    let err = error_of("version = 1\n[worktree]\nsetup_timeout = \"10\"\n");
    assert_eq!((err.line, err.column, err.field.as_deref()), (Some(3), Some(17), Some("worktree.setup_timeout")), "{err}");
    assert!(err.message.contains("not a duration"), "{err}");
    let err = error_of("version = 1\n[worktree]\nsetup_timeout = \"0s\"\n");
    assert_eq!((err.line, err.column, err.field.as_deref()), (Some(3), Some(17), Some("worktree.setup_timeout")), "{err}");
    assert!(err.message.contains("zero"), "{err}");
    let err = error_of("version = 1\n[worktree]\nsetup = \"  \"\n");
    assert_eq!((err.line, err.column, err.field.as_deref()), (Some(3), Some(9), Some("worktree.setup")), "{err}");
    let err = error_of("version = 1\n[worktree]\nsetup = [\"npm\", \"ci\"]\n");
    assert_eq!((err.line, err.field.as_deref()), (Some(3), Some("worktree.setup")), "one line for the shell: {err}");
    let err = error_of("version = 1\n[worktree]\nsetpu = \"npm ci\"\n");
    assert_eq!((err.line, err.field.as_deref()), (Some(3), Some("worktree.setpu")), "{err}");
    assert!(err.message.contains("unknown field"), "{err}");
}
