//! Finding an agent's executable and its version.
//!
//! A desktop app started from a menu does not get the shell's PATH, so besides PATH the usual
//! install folders (npm global, nvm, Homebrew, the CLI's own installer) are searched too.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::Duration;
use warden_core::session::AgentKind;

/// Environment variable naming the Claude executable explicitly.
pub const CLAUDE_ENV: &str = "WARDEN_CLAUDE";

/// A usable agent executable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentBinary {
    /// Which agent.
    pub agent: AgentKind,
    /// The executable.
    pub program: PathBuf,
    /// Its version (`2.1.329`).
    pub version: String,
}

/// Why no usable executable was found.
#[derive(Debug, thiserror::Error)]
pub enum DiscoveryError {
    /// Not installed anywhere Warden looked.
    #[error("{agent} is not installed (looked on PATH and in {searched}). Install it with: {install}")]
    NotFound {
        /// The agent's command name.
        agent: &'static str,
        /// The folders searched besides PATH.
        searched: String,
        /// The install command.
        install: &'static str,
    },
    /// Installed, but older than Warden supports.
    #[error("{program} is version {version}; Warden needs {minimum} or newer. Update it with: {install}")]
    TooOld {
        /// The executable found.
        program: String,
        /// Its version.
        version: String,
        /// The minimum.
        minimum: String,
        /// The install command.
        install: &'static str,
    },
    /// It did not say which version it is.
    #[error("{program} --version did not report a version ({detail})")]
    NoVersion {
        /// The executable found.
        program: String,
        /// What happened instead.
        detail: String,
    },
}

/// Finds Claude Code: `$WARDEN_CLAUDE`, then PATH, then the usual install folders.
pub async fn find_claude() -> Result<AgentBinary, DiscoveryError> {
    find_agent(AgentKind::Claude).await
}

/// The environment variable naming an agent's executable explicitly (`WARDEN_CODEX`).
pub fn env_var(kind: AgentKind) -> String {
    format!("WARDEN_{}", kind.as_str().to_uppercase().replace('-', "_"))
}

/// Finds a preset agent: its `WARDEN_…` variable ([`env_var`]), then PATH, then the usual
/// install folders; and checks its version where Warden needs a minimum.
pub async fn find_agent(kind: AgentKind) -> Result<AgentBinary, DiscoveryError> {
    let explicit = std::env::var_os(env_var(kind)).filter(|v| !v.is_empty()).map(PathBuf::from);
    // The login shell's PATH on macOS (the app starts without it); this process's elsewhere.
    find_agent_in(kind, explicit, warden_platform::login_path::search_path(), home_dir().as_deref()).await
}

/// [`find_claude`] with its inputs spelled out: an explicit executable, a PATH value and a home
/// folder.
pub async fn find_claude_in(
    explicit: Option<PathBuf>,
    path_var: Option<OsString>,
    home: Option<&Path>,
) -> Result<AgentBinary, DiscoveryError> {
    find_agent_in(AgentKind::Claude, explicit, path_var, home).await
}

/// [`find_agent`] with its inputs spelled out. [`AgentKind::Custom`] has no preset: it is
/// looked for by the name `custom`, which the caller avoids by naming the executable.
pub async fn find_agent_in(
    kind: AgentKind,
    explicit: Option<PathBuf>,
    path_var: Option<OsString>,
    home: Option<&Path>,
) -> Result<AgentBinary, DiscoveryError> {
    find_agent_with(kind, explicit, path_var, home, Versions::Kept, crate::version_cache::shared()).await
}

/// Where a version comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Versions {
    /// The version kept for this executable (path, size, modification time), else asked.
    Kept,
    /// Asked again (`--version`) and kept: the background refresh, which catches an update
    /// that left the file Warden looks at unchanged (a wrapper script in front of the CLI).
    Asked,
}

/// [`find_agent_in`], with where its version comes from and the versions kept (`None`: none).
pub async fn find_agent_with(
    kind: AgentKind,
    explicit: Option<PathBuf>,
    path_var: Option<OsString>,
    home: Option<&Path>,
    versions: Versions,
    cache: Option<&crate::version_cache::VersionCache>,
) -> Result<AgentBinary, DiscoveryError> {
    let spec = warden_core::agent::spec(kind);
    let command = spec.map_or(kind.as_str(), |s| s.program);
    let install = spec.map_or("", |s| s.install);
    let program = match explicit {
        Some(p) => p,
        None => {
            // Warden's own agents folder comes first: an agent the person installed from the
            // window is the one they mean, even when an older one is on PATH.
            let mut places = crate::agents::managed::root().map(|root| crate::agents::managed::bin_dirs(&root)).unwrap_or_default();
            let managed = places.len();
            places.extend(usual_places(home));
            search_after(&names(command), &places[..managed], path_var, &places[managed..]).ok_or_else(|| DiscoveryError::NotFound {
                agent: command,
                searched: places.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", "),
                install,
            })?
        }
    };
    match spec.and_then(|s| s.min_version) {
        Some(minimum) => check_version_in(cache, versions, kind, program, minimum, install).await,
        // No minimum: the version is shown when the agent tells it, never required. Some ACP
        // adapters take `--version` for the start of a session and wait: they get 5 s.
        None => {
            let kept = cache.filter(|_| versions == Versions::Kept).and_then(|c| c.get(&program)).and_then(|v| parse_version(&v));
            let version = match kept {
                Some(version) => Some(version),
                None => match tokio::time::timeout(Duration::from_secs(5), version_output(&program)).await {
                    Ok(Ok(output)) => parse_version(&String::from_utf8_lossy(&output.stdout)).inspect(|v| keep_version(cache, &program, *v)),
                    _ => None,
                },
            };
            // codex-acp has no `--version`; an npm package says its version in its package.json.
            let version = version.map(|(a, b, c)| format!("{a}.{b}.{c}"));
            let version = version.or_else(|| spec.and_then(|s| s.npm_package).and_then(|p| npm_package_version(&program, p)));
            let version = version.unwrap_or_else(|| "unknown".to_owned());
            Ok(AgentBinary { agent: kind, program, version })
        }
    }
}

fn home_dir() -> Option<PathBuf> {
    std::env::var_os(if cfg!(windows) { "USERPROFILE" } else { "HOME" }).map(PathBuf::from)
}

fn names(command: &str) -> Vec<String> {
    if cfg!(windows) {
        // Only native executables: `.cmd` shims re-parse their arguments through cmd.exe.
        vec![format!("{command}.exe")]
    } else {
        vec![command.to_owned()]
    }
}

/// Install folders outside the usual PATH of a desktop session.
fn usual_places(home: Option<&Path>) -> Vec<PathBuf> {
    let mut places = Vec::new();
    if let Some(home) = home {
        for rel in [".claude/local", ".local/bin", ".npm-global/bin", ".bun/bin", ".volta/bin", ".yarn/bin", "node_modules/.bin"] {
            places.push(home.join(rel));
        }
        // Every Node version nvm manages.
        if let Ok(entries) = std::fs::read_dir(home.join(".nvm/versions/node")) {
            let mut versions: Vec<PathBuf> = entries.flatten().map(|e| e.path().join("bin")).collect();
            versions.sort();
            versions.reverse();
            places.extend(versions);
        }
        if cfg!(windows) {
            places.push(home.join("AppData/Roaming/npm"));
        }
    }
    places.extend(["/opt/homebrew/bin", "/usr/local/bin", "/usr/bin"].map(PathBuf::from));
    places
}

/// The first executable named one of `names` on `path_var`, then in `places`.
#[cfg(test)]
fn search(names: &[String], path_var: Option<OsString>, places: &[PathBuf]) -> Option<PathBuf> {
    search_after(names, &[], path_var, places)
}

/// The first executable named one of `names` in `first`, then on `path_var`, then in `places`.
fn search_after(names: &[String], first: &[PathBuf], path_var: Option<OsString>, places: &[PathBuf]) -> Option<PathBuf> {
    let on_path: Vec<PathBuf> = path_var.map(|p| std::env::split_paths(&p).collect()).unwrap_or_default();
    first
        .iter()
        .chain(&on_path)
        .chain(places)
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
        .find(|candidate| is_executable(candidate))
}

/// Whether `path` is a file this user may run (any execute bit on Unix).
pub(crate) fn is_executable(path: &Path) -> bool {
    let Ok(meta) = std::fs::metadata(path) else { return false };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        meta.is_file() && meta.permissions().mode() & 0o111 != 0
    }
    #[cfg(not(unix))]
    {
        meta.is_file()
    }
}

/// Reads `program`'s version (kept in `cache`, or asked) and holds it to `minimum`.
async fn check_version_in(
    cache: Option<&crate::version_cache::VersionCache>,
    versions: Versions,
    agent: AgentKind,
    program: PathBuf,
    minimum: (u32, u32, u32),
    install: &'static str,
) -> Result<AgentBinary, DiscoveryError> {
    let shown = program.display().to_string();
    // The same executable as last time (path, size, modification time) is not asked again.
    let kept = cache.filter(|_| versions == Versions::Kept).and_then(|c| c.get(&program)).and_then(|v| parse_version(&v));
    let version = match kept {
        Some(version) => version,
        None => {
            let output = match tokio::time::timeout(Duration::from_secs(20), version_output(&program)).await {
                Ok(Ok(output)) => output,
                Ok(Err(e)) => return Err(DiscoveryError::NoVersion { program: shown, detail: e.to_string() }),
                Err(_) => return Err(DiscoveryError::NoVersion { program: shown, detail: "it did not answer within 20 s".into() }),
            };
            let text = String::from_utf8_lossy(&output.stdout);
            let Some(version) = parse_version(&text) else {
                let detail = format!("it printed {:?}", text.trim());
                return Err(DiscoveryError::NoVersion { program: shown, detail });
            };
            if let Some(cache) = cache {
                cache.put(&program, &format!("{}.{}.{}", version.0, version.1, version.2));
            }
            version
        }
    };
    if version < minimum {
        return Err(DiscoveryError::TooOld {
            program: shown,
            version: format!("{}.{}.{}", version.0, version.1, version.2),
            minimum: format!("{}.{}.{}", minimum.0, minimum.1, minimum.2),
            install,
        });
    }
    Ok(AgentBinary { agent, program, version: format!("{}.{}.{}", version.0, version.1, version.2) })
}

/// Keeps what `program` said its version is, for the next runs (see `crate::version_cache`).
fn keep_version(cache: Option<&crate::version_cache::VersionCache>, program: &Path, (major, minor, patch): (u32, u32, u32)) {
    if let Some(cache) = cache {
        cache.put(program, &format!("{major}.{minor}.{patch}"));
    }
}

/// Runs `program --version`. A just-written executable can be briefly "busy" (ETXTBSY) while
/// another thread of this process forks, so that one error is retried a few times.
async fn version_output(program: &Path) -> std::io::Result<std::process::Output> {
    let mut attempt = 0;
    loop {
        match tokio::process::Command::new(program).arg("--version").kill_on_drop(true).output().await {
            Err(e) if e.kind() == std::io::ErrorKind::ExecutableFileBusy && attempt < 5 => {
                attempt += 1;
                tokio::time::sleep(Duration::from_millis(20 * attempt)).await;
            }
            result => return result,
        }
    }
}

/// The version of npm package `package` whose executable `program` is (npm links
/// `node_modules/.bin/<name>` into the package's folder): read from the first `package.json`
/// named `package` above the link's target.
pub fn npm_package_version(program: &Path, package: &str) -> Option<String> {
    let target = program.canonicalize().ok()?;
    target.ancestors().skip(1).take(6).find_map(|dir| {
        let manifest: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.join("package.json")).ok()?).ok()?;
        (manifest["name"] == package).then(|| manifest["version"].as_str().map(str::to_owned)).flatten()
    })
}

/// The first `major.minor.patch` in `text` ("2.1.329 (Claude Code)").
pub fn parse_version(text: &str) -> Option<(u32, u32, u32)> {
    text.split(|c: char| c.is_whitespace() || c == 'v' || c == '(' || c == ')').find_map(|word| {
        let mut parts = word.split('.');
        let major = parts.next()?.parse().ok()?;
        let minor = parts.next()?.parse().ok()?;
        let patch: String = parts.next()?.chars().take_while(char::is_ascii_digit).collect();
        Some((major, minor, patch.parse().ok()?))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn an_agents_version_is_asked_once_per_executable_and_the_minimum_still_holds() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let (program, asked) = (dir.path().join("agent"), dir.path().join("asked"));
        let script = |version: &str| format!("#!/bin/sh\necho x >> '{}'\necho '{version} (Agent)'\n", asked.display());
        std::fs::write(&program, script("2.0.0")).unwrap();
        std::fs::set_permissions(&program, std::fs::Permissions::from_mode(0o755)).unwrap();
        let cache = crate::version_cache::VersionCache::in_data_dir(dir.path());
        let times = || std::fs::read_to_string(&asked).map(|t| t.lines().count()).unwrap_or(0);
        for _ in 0..3 {
            let found = check_version_in(Some(&cache), Versions::Kept, AgentKind::Claude, program.clone(), (1, 0, 0), "npm i").await.unwrap();
            assert_eq!(found.version, "2.0.0");
        }
        assert_eq!(times(), 1, "asked once, then kept");
        // An update to a version below the minimum is asked again and refused.
        std::fs::write(&program, script("0.9.0")).unwrap();
        let old = check_version_in(Some(&cache), Versions::Kept, AgentKind::Claude, program.clone(), (1, 0, 0), "npm i").await.unwrap_err();
        assert!(matches!(old, DiscoveryError::TooOld { .. }), "{old}");
        assert_eq!(times(), 2);
        let again = check_version_in(Some(&cache), Versions::Kept, AgentKind::Claude, program.clone(), (1, 0, 0), "npm i").await.unwrap_err();
        assert!(matches!(again, DiscoveryError::TooOld { .. }), "a kept version is held to the minimum too");
        assert_eq!(times(), 2);
        // Asked again on purpose (the background refresh): it runs, and keeps what it heard.
        std::fs::write(&program, script("2.0.0")).unwrap();
        check_version_in(Some(&cache), Versions::Kept, AgentKind::Claude, program.clone(), (1, 0, 0), "npm i").await.unwrap();
        assert_eq!(times(), 3);
        check_version_in(Some(&cache), Versions::Asked, AgentKind::Claude, program.clone(), (1, 0, 0), "npm i").await.unwrap();
        assert_eq!(times(), 4, "asked although kept");
    }

    #[test]
    fn versions_are_read_from_what_the_clis_print() {
        assert_eq!(parse_version("2.1.329 (Claude Code)\n"), Some((2, 1, 329)));
        assert_eq!(parse_version("codex-cli 0.169.0"), Some((0, 169, 0)));
        assert_eq!(parse_version("v1.0.3-beta"), Some((1, 0, 3)));
        assert_eq!(parse_version("command not found"), None);
    }

    #[cfg(unix)]
    #[test]
    fn an_npm_package_tells_its_version_through_its_linked_executable() {
        let dir = tempfile::tempdir().unwrap();
        let package = dir.path().join("node_modules/@zed-industries/codex-acp");
        std::fs::create_dir_all(package.join("bin")).unwrap();
        std::fs::write(package.join("package.json"), r#"{"name":"@zed-industries/codex-acp","version":"0.16.0"}"#).unwrap();
        std::fs::write(package.join("bin/codex-acp.js"), "").unwrap();
        std::fs::create_dir_all(dir.path().join("node_modules/.bin")).unwrap();
        let link = dir.path().join("node_modules/.bin/codex-acp");
        std::os::unix::fs::symlink("../@zed-industries/codex-acp/bin/codex-acp.js", &link).unwrap();
        assert_eq!(npm_package_version(&link, "@zed-industries/codex-acp"), Some("0.16.0".to_owned()));
        assert_eq!(npm_package_version(&link, "another-package"), None);
    }

    #[test]
    fn the_usual_places_are_searched_after_path() {
        let dir = tempfile::tempdir().unwrap();
        let bin = dir.path().join(".local/bin");
        std::fs::create_dir_all(&bin).unwrap();
        let exe = bin.join("claude");
        std::fs::write(&exe, "#!/bin/sh\n").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&exe, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        let places = usual_places(Some(dir.path()));
        let found = search(&names("claude"), Some(OsString::from("/nonexistent")), &places);
        assert_eq!(found, Some(exe), "found without being on PATH");
    }
}
