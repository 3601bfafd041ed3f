//! The Agents screen's backend: detection with a made-up PATH and home, the real pinned CLIs
//! detected as ready, the install runner on local, harmless commands, installs into Warden's
//! agents folder from a package packed by the real npm, and the kept versions.

use std::collections::HashMap;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::Duration;
use warden_core::agent::{AgentStatus, AgentView, CustomAgent, InstallEvent, InstallFinished, LoginState, OutputStream};
use warden_core::session::AgentKind;
use warden_engine::agents::{detect_all, DetectEnv, InstallCommand, Installs};

fn script(dir: &Path, name: &str, body: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

fn env(path: &Path, home: &Path, vars: &[(&str, &str)]) -> DetectEnv {
    DetectEnv {
        path: Some(path.as_os_str().to_owned()),
        home: Some(home.to_path_buf()),
        vars: vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
    }
}

fn by_name<'a>(views: &'a [AgentView], name: &str) -> &'a AgentView {
    views.iter().find(|v| v.name == name).unwrap_or_else(|| panic!("{name} is listed: {views:#?}"))
}

#[tokio::test]
async fn detection_tells_ready_too_old_broken_not_logged_in_and_not_installed_apart() {
    let bin = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    script(bin.path(), "codex", "echo 'codex-cli 0.170.2'");
    script(bin.path(), "claude", "echo '1.0.3 (Claude Code)'");
    script(bin.path(), "gemini", "echo 0.61.0");
    script(bin.path(), "claude-agent-acp", "echo 'command not found' >&2; exit 3");
    script(bin.path(), "my-acp", "exit 0");
    let custom = [
        CustomAgent { name: "Mine".into(), command: "my-acp".into(), args: vec!["--acp".into()], env: Vec::new() },
        CustomAgent { name: "Gone".into(), command: "/nonexistent/agent".into(), args: Vec::new(), env: Vec::new() },
    ];
    let views = detect_all(&custom, &env(bin.path(), home.path(), &[("OPENAI_API_KEY", "sk-test")])).await;

    let names: Vec<&str> = views.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(
        names,
        ["Claude Code", "Codex", "Gemini CLI", "Claude Code (ACP adapter)", "Codex (ACP adapter)", "goose", "opencode", "Mine", "Gone"],
        "presets in catalog order, then custom agents"
    );
    let codex = by_name(&views, "Codex");
    assert_eq!(codex.status, AgentStatus::Ready, "installed, new enough, OPENAI_API_KEY set");
    assert_eq!(codex.version.as_deref(), Some("0.170.2"));
    assert_eq!(codex.program.as_deref(), Some(bin.path().join("codex").to_str().unwrap()));
    assert_eq!(codex.install.as_ref().unwrap().command, "npm install @openai/codex@0.169.0", "the pinned version, into Warden's folder");

    let claude = by_name(&views, "Claude Code");
    assert_eq!(claude.status, AgentStatus::TooOld { minimum: "2.0.0".into() });
    assert_eq!(claude.version.as_deref(), Some("1.0.3"));

    let gemini = by_name(&views, "Gemini CLI");
    assert_eq!(gemini.status, AgentStatus::NotLoggedIn, "no key and no ~/.gemini credentials");
    assert!(gemini.login.detail.contains("~/.gemini/oauth_creds.json"), "{}", gemini.login.detail);

    // The adapter has no minimum version, so a failing --version leaves it without a version;
    // it inherits Claude's login, which is missing here.
    let adapter = by_name(&views, "Claude Code (ACP adapter)");
    assert_eq!((adapter.version.as_deref(), &adapter.status), (None, &AgentStatus::NotLoggedIn));

    let codex_acp = by_name(&views, "Codex (ACP adapter)");
    assert_eq!((codex_acp.program.as_deref(), &codex_acp.status), (None, &AgentStatus::NotInstalled));
    assert!(by_name(&views, "goose").install.as_ref().unwrap().needs_confirmation(), "goose installs with a shell script");

    let mine = by_name(&views, "Mine");
    assert_eq!((mine.kind, &mine.status, mine.login.state), (AgentKind::Custom, &AgentStatus::LoginUnknown, LoginState::Unknown));
    assert_eq!(mine.custom.as_ref().unwrap().args, ["--acp"]);
    assert_eq!(by_name(&views, "Gone").status, AgentStatus::NotInstalled);
}

#[tokio::test]
async fn a_cli_whose_version_cannot_be_read_is_broken() {
    let bin = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    script(bin.path(), "claude", "echo 'hello'");
    let views = detect_all(&[], &env(bin.path(), home.path(), &[("ANTHROPIC_API_KEY", "k")])).await;
    match &by_name(&views, "Claude Code").status {
        AgentStatus::Broken { detail } => assert!(detail.contains("hello"), "says what it printed: {detail}"),
        other => panic!("expected broken, got {other:?}"),
    }
}

#[tokio::test]
async fn an_explicit_warden_variable_wins_over_path() {
    let bin = tempfile::tempdir().unwrap();
    let other = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    script(bin.path(), "gemini", "echo 0.61.0");
    let chosen = script(other.path(), "gemini-nightly", "echo 0.70.1");
    let vars = [("WARDEN_GEMINI", chosen.to_str().unwrap()), ("GEMINI_API_KEY", "k")];
    let views = detect_all(&[], &env(bin.path(), home.path(), &vars)).await;
    let gemini = by_name(&views, "Gemini CLI");
    assert_eq!((gemini.program.as_deref(), gemini.version.as_deref()), (chosen.to_str(), Some("0.70.1")));
    assert_eq!(gemini.status, AgentStatus::Ready);
}

/// A pinned CLI: `$WARDEN_TEST_<NAME>`, else the repository's `.cache/agents`.
fn pinned(var: &str, name: &str) -> PathBuf {
    let program = std::env::var_os(var).map(PathBuf::from).unwrap_or_else(|| {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../.cache/agents/node_modules/.bin").join(name)
    });
    assert!(program.exists(), "{name} is not installed at {}; run `make test` or set {var}", program.display());
    program
}

#[tokio::test]
async fn the_pinned_real_clis_are_ready_given_their_keys() {
    let claude = pinned("WARDEN_TEST_CLAUDE", "claude");
    let codex = pinned("WARDEN_TEST_CODEX", "codex");
    let gemini = pinned("WARDEN_TEST_GEMINI", "gemini");
    let claude_acp = pinned("WARDEN_TEST_CLAUDE_ACP", "claude-agent-acp");
    let codex_acp = pinned("WARDEN_TEST_CODEX_ACP", "codex-acp");
    let home = tempfile::tempdir().unwrap();
    let vars: HashMap<String, String> = [
        ("WARDEN_CLAUDE", claude.to_str().unwrap()),
        ("WARDEN_CODEX", codex.to_str().unwrap()),
        ("WARDEN_GEMINI", gemini.to_str().unwrap()),
        ("WARDEN_CLAUDE_ACP", claude_acp.to_str().unwrap()),
        ("WARDEN_CODEX_ACP", codex_acp.to_str().unwrap()),
        ("ANTHROPIC_API_KEY", "dummy"),
        ("OPENAI_API_KEY", "dummy"),
        ("GEMINI_API_KEY", "dummy"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    let env = DetectEnv { path: Some("/nonexistent".into()), home: Some(home.path().to_path_buf()), vars };
    let views = detect_all(&[], &env).await;
    // codex-acp has no `--version`: its version comes from its npm package.
    let pinned_versions = [
        ("Claude Code", "2.1.329"),
        ("Codex", "0.169.0"),
        ("Gemini CLI", "0.61.0"),
        ("Claude Code (ACP adapter)", "0.100.0"),
        ("Codex (ACP adapter)", "0.16.0"),
    ];
    for (name, version) in pinned_versions {
        let view = by_name(&views, name);
        assert_eq!((&view.status, view.version.as_deref()), (&AgentStatus::Ready, Some(version)), "{name}: {view:#?}");
    }
}

/// Every event of an install, up to and including `Finished`.
async fn collect(mut rx: tokio::sync::mpsc::UnboundedReceiver<InstallEvent>) -> (Vec<InstallEvent>, InstallFinished) {
    let mut events = Vec::new();
    loop {
        let event = tokio::time::timeout(Duration::from_secs(120), rx.recv()).await.expect("the install reports in time");
        match event.expect("Finished comes before the stream ends") {
            InstallEvent::Finished(done) => return (events, done),
            other => events.push(other),
        }
    }
}

fn lines(events: &[InstallEvent]) -> Vec<(OutputStream, String)> {
    events
        .iter()
        .filter_map(|e| match e {
            InstallEvent::Output { stream, line } => Some((*stream, line.clone())),
            _ => None,
        })
        .collect()
}

/// A package with a `bin`, packed by the real npm into a tarball (what the registry serves).
fn packed_package(work: &Path, name: &str, bin: &str, version_line: &str) -> PathBuf {
    let package = work.join(name);
    std::fs::create_dir_all(package.join("bin")).unwrap();
    let manifest = format!(r#"{{"name":"{name}","version":"0.169.0","bin":{{"{bin}":"bin/run.js"}}}}"#);
    std::fs::write(package.join("package.json"), manifest).unwrap();
    std::fs::write(package.join("bin/run.js"), format!("#!/usr/bin/env node\nconsole.log('{version_line}')\n")).unwrap();
    let packed = std::process::Command::new(which("npm"))
        .args(["pack", "--silent", "--pack-destination"])
        .arg(work)
        .current_dir(&package)
        .env("npm_config_cache", work.join("cache"))
        .output()
        .unwrap();
    assert!(packed.status.success(), "npm pack: {}", String::from_utf8_lossy(&packed.stderr));
    work.join(String::from_utf8_lossy(&packed.stdout).trim())
}

/// Detection's environment for an install: the real PATH (npm, node), a made-up home, and the
/// package Warden installs for Codex replaced by `package`.
fn install_env(home: &Path, package: &str) -> DetectEnv {
    let mut env = DetectEnv::current();
    env.home = Some(home.to_path_buf());
    env.vars.insert(warden_engine::agents::package_override_var(AgentKind::Codex), package.to_owned());
    env
}

fn codex_spec() -> &'static warden_core::agent::AgentSpec {
    warden_core::agent::spec(AgentKind::Codex).unwrap()
}

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir).map(|d| d.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect()).unwrap_or_default();
    names.sort();
    names
}

#[tokio::test]
async fn an_agent_installs_into_wardens_folder_from_a_packed_package_and_streams_npms_output() {
    let work = tempfile::tempdir().unwrap();
    let tarball = packed_package(work.path(), "warden-fixture-codex", "codex", "codex-cli 0.169.0");
    let root = work.path().join("data/agents");
    let mut command = InstallCommand::for_agent(codex_spec(), false, &install_env(work.path(), tarball.to_str().unwrap()), &root).unwrap();
    assert_eq!(command.shown, format!("npm install {}", tarball.display()));
    command.env.push(("npm_config_cache".into(), work.path().join("cache").into()));
    command.env.push(("npm_config_offline".into(), "true".into()));

    let installs = Installs::default();
    let (events, finished) = collect(installs.start(AgentKind::Codex, command).unwrap()).await;
    assert!(matches!(&events[0], InstallEvent::Started { .. }), "{events:#?}");
    assert!(finished.success && finished.code == Some(0) && finished.error.is_none(), "{finished:?}: {events:#?}");
    // npm ends with its summary ("added 1 package in 120ms") on stdout.
    assert!(lines(&events).iter().any(|(s, l)| *s == OutputStream::Stdout && l.contains("added 1 package")), "{events:#?}");
    let program = root.join("codex/node_modules/.bin/codex");
    let ran = std::process::Command::new(&program).arg("--version").output().unwrap();
    assert_eq!(String::from_utf8_lossy(&ran.stdout).trim(), "codex-cli 0.169.0", "the installed command runs");
    assert_eq!(entries(&root), ["codex"], "no partial folder left");
    assert_eq!(warden_engine::agents::managed::bin_dirs(&root), [root.join("codex/node_modules/.bin")], "discovery looks there");
    assert!(!installs.is_running(AgentKind::Codex), "a finished install is forgotten");
    // Detection finds it and reads its version.
    let mut env = install_env(work.path(), "");
    env.vars.insert("WARDEN_CODEX".into(), program.display().to_string());
    let views = detect_all(&[], &env).await;
    assert_eq!(by_name(&views, "Codex").version.as_deref(), Some("0.169.0"));
}

#[tokio::test]
async fn a_failed_install_leaves_nothing_and_says_why_in_plain_words() {
    let work = tempfile::tempdir().unwrap();
    let root = work.path().join("data/agents");
    let installs = Installs::default();
    // An unreachable registry (a closed port on 127.0.0.1, no retries): npm fails with
    // ECONNREFUSED, and the window says the registry could not be reached.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut command = InstallCommand::for_agent(codex_spec(), false, &install_env(work.path(), "warden-no-such-agent@1.0.0"), &root).unwrap();
    command.env.push(("npm_config_registry".into(), format!("http://127.0.0.1:{port}/").into()));
    command.env.push(("npm_config_fetch_retries".into(), "0".into()));
    command.env.push(("npm_config_cache".into(), work.path().join("cache").into()));
    let (events, finished) = collect(installs.start(AgentKind::Codex, command).unwrap()).await;
    assert!(!finished.success && finished.code.is_some_and(|c| c != 0), "{finished:?}");
    let why = finished.error.clone().unwrap_or_default();
    assert!(why.contains("could not reach the package registry (ECONNREFUSED)"), "{why}: {events:#?}");
    assert!(entries(&root).is_empty(), "nothing half-installed: {:?}", entries(&root));

    // A package that installs but has no `codex` command is not kept either.
    let tarball = packed_package(work.path(), "warden-fixture-other", "other", "0.1.0");
    let mut command = InstallCommand::for_agent(codex_spec(), false, &install_env(work.path(), tarball.to_str().unwrap()), &root).unwrap();
    command.env.push(("npm_config_cache".into(), work.path().join("cache").into()));
    command.env.push(("npm_config_offline".into(), "true".into()));
    let (_, finished) = collect(installs.start(AgentKind::Codex, command).unwrap()).await;
    assert!(!finished.success && finished.code == Some(0), "npm succeeded, the install did not: {finished:?}");
    assert!(finished.error.as_deref().is_some_and(|e| e.contains("no `codex` command")), "{finished:?}");
    assert!(entries(&root).is_empty(), "{:?}", entries(&root));
}

#[tokio::test]
async fn the_list_answers_from_the_kept_versions_without_starting_the_agents_and_the_refresh_asks_again() {
    use warden_engine::agents::{detect_all_with, VersionRefresh};
    use warden_engine::discovery::Versions;
    let bin = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let asked = bin.path().join("asked");
    let log = |name: &str, version: &str| format!("echo {name} >> '{}'; echo '{version}'", asked.display());
    script(bin.path(), "codex", &log("codex", "codex-cli 0.170.2"));
    script(bin.path(), "gemini", &log("gemini", "0.61.0"));
    let times = || std::fs::read_to_string(&asked).map(|t| t.lines().count()).unwrap_or(0);
    let cache: &'static _ = Box::leak(Box::new(warden_engine::version_cache::VersionCache::in_data_dir(data.path())));
    let env = env(bin.path(), home.path(), &[]);

    let cold = detect_all_with(&[], &env, Versions::Kept, Some(cache)).await;
    assert_eq!((times(), by_name(&cold, "Codex").version.as_deref()), (2, Some("0.170.2")), "a cold cache asks each agent once");
    let warm = detect_all_with(&[], &env, Versions::Kept, Some(cache)).await;
    assert_eq!(times(), 2, "a warm cache starts no agent");
    assert_eq!(warm, cold);

    // The background refresh asks again; an unchanged list is not reported.
    let refresh = VersionRefresh::with_cache(Some(cache));
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let sender = tx.clone();
    assert!(refresh.start(warm.clone(), Vec::new(), env.clone(), move |fresh| drop(sender.send(fresh))));
    assert!(!refresh.start(warm.clone(), Vec::new(), env.clone(), |_| {}), "one refresh at a time, then a quiet minute");
    tokio::time::timeout(Duration::from_secs(30), async {
        while times() < 4 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .expect("the refresh asked both agents");
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(rx.try_recv().is_err(), "nothing changed, nothing reported");

    // An update behind the same file Warden looks at (the kept version is stale): the list
    // still answers at once from the cache, and the refresh reports the new version.
    cache.put(&bin.path().join("codex"), "0.169.0");
    let stale = detect_all_with(&[], &env, Versions::Kept, Some(cache)).await;
    assert_eq!((times(), by_name(&stale, "Codex").version.as_deref()), (4, Some("0.169.0")));
    refresh.forget();
    assert!(refresh.start(stale, Vec::new(), env, move |fresh| drop(tx.send(fresh))));
    let fresh = tokio::time::timeout(Duration::from_secs(30), rx.recv()).await.expect("reported in time").unwrap();
    assert_eq!(by_name(&fresh, "Codex").version.as_deref(), Some("0.170.2"));
}

#[tokio::test]
async fn a_running_install_can_be_cancelled_and_runs_once_per_agent() {
    let dir = tempfile::tempdir().unwrap();
    let marker = dir.path().join("grandchild-ran");
    let body = format!("echo downloading; (sleep 5; touch {}) & sleep 60", marker.display());
    let command = InstallCommand {
        program: "/bin/sh".into(),
        args: vec!["-c".into(), body.into()],
        env: Vec::new(),
        cwd: dir.path().to_path_buf(),
        shown: "fake installer".into(),
        staged: None,
    };
    let installs = Installs::default();
    let mut rx = installs.start(AgentKind::Goose, command.clone()).unwrap();
    assert_eq!(rx.recv().await, Some(InstallEvent::Started { command: "fake installer".into() }));
    assert_eq!(rx.recv().await, Some(InstallEvent::Output { stream: OutputStream::Stdout, line: "downloading".into() }));
    let again = installs.start(AgentKind::Goose, command).unwrap_err();
    assert!(again.to_string().contains("already being installed"), "{again}");

    assert!(installs.cancel(AgentKind::Goose));
    let (_, finished) = collect(rx).await;
    assert!(finished.cancelled && !finished.success, "{finished:?}");
    assert_eq!(finished.signal, Some(9), "killed, not exited");
    assert!(!installs.cancel(AgentKind::Goose), "nothing left to cancel");
    // The whole process group went: the background child never gets to write its marker.
    tokio::time::sleep(Duration::from_secs(6)).await;
    assert!(!marker.exists(), "the installer's own children were killed with it");
}

#[test]
fn a_shell_installer_needs_confirmation_and_npm_ones_install_the_pinned_version_into_wardens_folder() {
    let home = tempfile::tempdir().unwrap();
    let bin = tempfile::tempdir().unwrap();
    let npm = script(bin.path(), "npm", "exit 0");
    script(bin.path(), "node", "exit 0");
    let env = env(bin.path(), home.path(), &[]);
    let root = home.path().join("agents");
    let goose = warden_core::agent::spec(AgentKind::Goose).unwrap();
    let refused = InstallCommand::for_agent(goose, false, &env, &root).unwrap_err();
    assert!(refused.to_string().contains("confirmation") && refused.to_string().contains("download_cli.sh"), "{refused}");
    let confirmed = InstallCommand::for_agent(goose, true, &env, &root).unwrap();
    assert_eq!((confirmed.program.to_str(), confirmed.args[0].to_str()), (Some("/bin/sh"), Some("-c")));

    let gemini = warden_core::agent::spec(AgentKind::Gemini).unwrap();
    let command = InstallCommand::for_agent(gemini, false, &env, &root).unwrap();
    assert_eq!(command.program, npm, "the npm on the detection PATH");
    let partial = root.join(".gemini.partial");
    assert_eq!(command.args, ["install".as_ref(), "--prefix".as_ref(), partial.as_os_str(), "@google/gemini-cli@0.61.0".as_ref()]);
    assert_eq!(command.shown, "npm install @google/gemini-cli@0.61.0");
    assert!(partial.is_dir(), "npm installs into a partial folder");
    assert_eq!(gemini.install_plan().command, "npm install @google/gemini-cli@0.61.0", "the window shows what runs");
}

fn which(name: &str) -> PathBuf {
    let path = std::env::var_os("PATH").expect("PATH");
    std::env::split_paths(&path).map(|d| d.join(name)).find(|p| p.is_file()).unwrap_or_else(|| panic!("{name} is on PATH"))
}
