//! Detecting every agent: the executable, its version, the login, and from those its status.

use super::env::DetectEnv;
use super::login::check_login;
use crate::discovery::{self, is_executable, AgentBinary, DiscoveryError, Versions};
use crate::version_cache::VersionCache;
use std::path::PathBuf;
use warden_core::agent::{AgentSpec, AgentStatus, AgentView, CustomAgent, LoginCheck, LoginState};
use warden_core::session::AgentKind;

/// Every preset, then every custom agent, in the order the window lists them. A version kept
/// for an unchanged executable is used without starting it (`crate::version_cache`); the
/// others are asked at the same time, so the list takes as long as the slowest one.
pub async fn detect_all(custom: &[CustomAgent], env: &DetectEnv) -> Vec<AgentView> {
    detect_all_with(custom, env, Versions::Kept, crate::version_cache::shared()).await
}

/// [`detect_all`], with where the versions come from and the versions kept (`None`: none).
pub async fn detect_all_with(custom: &[CustomAgent], env: &DetectEnv, versions: Versions, cache: Option<&'static VersionCache>) -> Vec<AgentView> {
    let mut tasks = tokio::task::JoinSet::new();
    for (i, spec) in warden_core::agent::presets().iter().enumerate() {
        let env = env.clone();
        tasks.spawn(async move { (i, detect_preset_with(spec, &env, versions, cache).await) });
    }
    let mut found: Vec<(usize, AgentView)> = Vec::new();
    while let Some(joined) = tasks.join_next().await {
        match joined {
            Ok(entry) => found.push(entry),
            Err(e) => tracing::warn!("agent detection failed: {e}"),
        }
    }
    found.sort_by_key(|(i, _)| *i);
    let mut views: Vec<AgentView> = found.into_iter().map(|(_, v)| v).collect();
    views.extend(custom.iter().map(|agent| detect_custom(agent, env)));
    views
}

/// One preset: found where `find_agent` would find it (its `WARDEN_…` variable, PATH, the usual
/// install folders), its version checked, its login looked up.
pub async fn detect_preset(spec: &AgentSpec, env: &DetectEnv) -> AgentView {
    detect_preset_with(spec, env, Versions::Kept, crate::version_cache::shared()).await
}

async fn detect_preset_with(spec: &AgentSpec, env: &DetectEnv, versions: Versions, cache: Option<&VersionCache>) -> AgentView {
    let explicit = env.var(&discovery::env_var(spec.kind)).map(PathBuf::from);
    let found = discovery::find_agent_with(spec.kind, explicit, env.path.clone(), env.home.as_deref(), versions, cache).await;
    let login = check_login(spec.kind, env);
    let mut view = AgentView {
        kind: spec.kind,
        name: spec.name.to_owned(),
        protocol: spec.protocol(),
        program: None,
        version: None,
        status: AgentStatus::NotInstalled,
        login: login.clone(),
        login_help: Some(spec.login.to_owned()),
        install: Some(spec.install_plan()),
        min_version: spec.min_version_text(),
        custom: None,
    };
    match found {
        Ok(AgentBinary { program, version, .. }) => {
            view.program = Some(program.display().to_string());
            view.version = Some(version).filter(|v| v != "unknown");
            view.status = status_from_login(&login);
        }
        Err(DiscoveryError::NotFound { .. }) => {}
        Err(DiscoveryError::TooOld { program, version, minimum, .. }) => {
            view.program = Some(program);
            view.version = Some(version);
            view.status = AgentStatus::TooOld { minimum };
        }
        Err(DiscoveryError::NoVersion { program, detail }) => {
            view.program = Some(program);
            view.status = AgentStatus::Broken { detail: format!("--version did not report a version ({detail})") };
        }
    }
    view
}

fn status_from_login(login: &LoginCheck) -> AgentStatus {
    match login.state {
        LoginState::LoggedIn => AgentStatus::Ready,
        LoginState::NotLoggedIn => AgentStatus::NotLoggedIn,
        LoginState::Unknown => AgentStatus::LoginUnknown,
    }
}

/// A custom agent: its command found (a path, or a name on PATH). It is not run to ask for a
/// version: an ACP agent may take any argument for the start of a session, and Warden does
/// not start a person's program just to draw a list.
pub fn detect_custom(agent: &CustomAgent, env: &DetectEnv) -> AgentView {
    let program = find_custom(&agent.command, env);
    let login = check_login(AgentKind::Custom, env);
    let status = if program.is_some() { status_from_login(&login) } else { AgentStatus::NotInstalled };
    AgentView {
        kind: AgentKind::Custom,
        name: agent.name.clone(),
        protocol: AgentKind::Custom.protocol(),
        program: program.map(|p| p.display().to_string()),
        version: None,
        status,
        login,
        login_help: None,
        install: None,
        min_version: None,
        custom: Some(agent.clone()),
    }
}

/// The executable a custom agent's command names: a path as given (`~/` meaning the home
/// folder), or a bare name looked up on PATH.
pub fn find_custom(command: &str, env: &DetectEnv) -> Option<PathBuf> {
    let expanded = match (command.strip_prefix("~/"), env.home.as_deref()) {
        (Some(rest), Some(home)) => home.join(rest),
        _ => PathBuf::from(command),
    };
    if expanded.components().count() > 1 || expanded.is_absolute() {
        return is_executable(&expanded).then_some(expanded);
    }
    let path = env.path.as_ref()?;
    std::env::split_paths(path).map(|dir| dir.join(&expanded)).find(|candidate| is_executable(candidate))
}


#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;
    use std::path::Path;

    fn env(home: &Path, path: &Path) -> DetectEnv {
        DetectEnv { path: Some(path.as_os_str().to_owned()), home: Some(home.to_owned()), vars: Default::default() }
    }

    fn write(path: &Path, mode: u32) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, "#!/bin/sh\n").unwrap();
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
    }

    #[test]
    fn a_custom_agent_s_command_is_found_as_the_person_wrote_it() {
        // The Agents screen and a session start both resolve with this one function, so an
        // agent shown as found is the one that starts.
        let home = tempfile::tempdir().unwrap();
        let bin = tempfile::tempdir().unwrap();
        write(&home.path().join("bin/agent"), 0o755);
        write(&bin.path().join("on-path-agent"), 0o755);
        let env = env(home.path(), bin.path());
        assert_eq!(find_custom("~/bin/agent", &env), Some(home.path().join("bin/agent")), "`~/` is the home folder");
        assert_eq!(find_custom("on-path-agent", &env), Some(bin.path().join("on-path-agent")), "a bare name is looked up on PATH");
        let absolute = home.path().join("bin/agent");
        assert_eq!(find_custom(&absolute.to_string_lossy(), &env), Some(absolute.clone()));
    }

    #[test]
    fn a_command_that_cannot_run_is_not_found() {
        let home = tempfile::tempdir().unwrap();
        write(&home.path().join("bin/not-executable"), 0o644);
        std::fs::create_dir_all(home.path().join("bin/a-folder")).unwrap();
        let env = env(home.path(), &home.path().join("bin"));
        for command in ["~/bin/not-executable", "not-executable", "~/bin/a-folder", "a-folder", "~/bin/missing", "missing"] {
            assert_eq!(find_custom(command, &env), None, "{command}");
        }
    }
}
