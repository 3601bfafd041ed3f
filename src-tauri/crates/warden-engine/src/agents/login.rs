//! Whether an agent is logged in, told from the files and variables its CLI reads its
//! credentials from, without starting it and without the network.

use super::env::DetectEnv;
use std::path::Path;
use warden_core::agent::LoginCheck;
use warden_core::session::AgentKind;

/// The login check of `kind` in `env`. An ACP adapter uses its base agent's login.
pub fn check_login(kind: AgentKind, env: &DetectEnv) -> LoginCheck {
    match kind {
        AgentKind::Claude | AgentKind::ClaudeAcp => claude(env),
        AgentKind::Codex | AgentKind::CodexAcp => codex(env),
        AgentKind::Gemini => gemini(env),
        AgentKind::Goose => goose(env),
        AgentKind::Opencode => opencode(env),
        AgentKind::Custom => {
            LoginCheck::unknown("Warden cannot tell whether a custom agent is logged in; the agent says so when a session starts")
        }
    }
}

/// The first of `names` that is set.
fn first_set<'a>(env: &DetectEnv, names: &[&'a str]) -> Option<&'a str> {
    names.iter().copied().find(|n| env.var(n).is_some())
}

/// Whether a file exists and has something in it (an empty credentials file logs nobody in).
fn has_content(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() > 0)
}

fn claude(env: &DetectEnv) -> LoginCheck {
    const KEYS: [&str; 4] = ["ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "CLAUDE_CODE_OAUTH_TOKEN", "ANTHROPIC_BASE_URL"];
    if let Some(key) = first_set(env, &KEYS) {
        return LoginCheck::logged_in(format!("{key} is set"));
    }
    for (flag, cloud) in [("CLAUDE_CODE_USE_BEDROCK", "Amazon Bedrock"), ("CLAUDE_CODE_USE_VERTEX", "Google Vertex AI"), ("CLAUDE_CODE_USE_FOUNDRY", "Microsoft Foundry")] {
        if env.flag(flag) {
            return LoginCheck::logged_in(format!("uses {cloud} ({flag} is set)"));
        }
    }
    let Some(config) = env.dir("CLAUDE_CONFIG_DIR", ".claude") else {
        return LoginCheck::unknown("no home folder to look for Claude Code's credentials in");
    };
    let credentials = config.join(".credentials.json");
    if has_content(&credentials) {
        return LoginCheck::logged_in(format!("{} is there", env.shown(&credentials)));
    }
    // A key helper or keys in the `env` block of Claude's own settings count like the variables.
    let settings = config.join("settings.json");
    if let Some(json) = std::fs::read_to_string(&settings).ok().and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok()) {
        if json.get("apiKeyHelper").and_then(|h| h.as_str()).is_some_and(|h| !h.is_empty()) {
            return LoginCheck::logged_in(format!("{} sets an apiKeyHelper", env.shown(&settings)));
        }
        if let Some(key) = KEYS.iter().find(|k| json["env"].get(**k).and_then(|v| v.as_str()).is_some_and(|v| !v.is_empty())) {
            return LoginCheck::logged_in(format!("{} sets {key}", env.shown(&settings)));
        }
    }
    if cfg!(target_os = "macos") {
        return LoginCheck::unknown("Claude Code keeps its login in the macOS keychain, which Warden does not read");
    }
    LoginCheck::not_logged_in(format!("no {} and none of {} is set", env.shown(&credentials), KEYS.join(", ")))
}

fn codex(env: &DetectEnv) -> LoginCheck {
    const KEYS: [&str; 2] = ["OPENAI_API_KEY", "CODEX_API_KEY"];
    if let Some(key) = first_set(env, &KEYS) {
        return LoginCheck::logged_in(format!("{key} is set"));
    }
    let Some(home) = env.dir("CODEX_HOME", ".codex") else {
        return LoginCheck::unknown("no home folder to look for Codex's credentials in");
    };
    let auth = home.join("auth.json");
    if has_content(&auth) {
        return LoginCheck::logged_in(format!("{} is there", env.shown(&auth)));
    }
    let config_path = home.join("config.toml");
    let config = std::fs::read_to_string(&config_path).unwrap_or_default();
    if let Some(provider) = toml_top_level(&config, "model_provider") {
        return LoginCheck::logged_in(format!("{} uses the model provider '{provider}'", env.shown(&config_path)));
    }
    // `codex login` may keep the login in the system keyring instead of auth.json.
    if let Some(store) = toml_top_level(&config, "cli_auth_credentials_store").filter(|s| s != "file") {
        return LoginCheck::unknown(format!("Codex keeps its login in the system keyring ({store}), which Warden does not read"));
    }
    LoginCheck::not_logged_in(format!("no {}, no model_provider in {} and none of {} is set", env.shown(&auth), env.shown(&config_path), KEYS.join(", ")))
}

/// A top-level `key = value` of a TOML file (before its first table), its quotes removed.
/// Enough for the two plain settings read here; the file is Codex's, not Warden's.
fn toml_top_level(text: &str, key: &str) -> Option<String> {
    text.lines()
        .map(str::trim)
        .take_while(|line| !line.starts_with('['))
        .filter_map(|line| line.split_once('='))
        .find(|(k, _)| k.trim() == key)
        .map(|(_, v)| v.split('#').next().unwrap_or("").trim().trim_matches(['"', '\'']).to_owned())
        .filter(|v| !v.is_empty())
}

fn gemini(env: &DetectEnv) -> LoginCheck {
    const KEYS: [&str; 3] = ["GEMINI_API_KEY", "GOOGLE_GEMINI_BASE_URL", "GOOGLE_APPLICATION_CREDENTIALS"];
    if let Some(key) = first_set(env, &KEYS) {
        return LoginCheck::logged_in(format!("{key} is set"));
    }
    if env.flag("GOOGLE_GENAI_USE_VERTEXAI") {
        if env.var("GOOGLE_API_KEY").is_some() {
            return LoginCheck::logged_in("uses Vertex AI with GOOGLE_API_KEY");
        }
        if env.var("GOOGLE_CLOUD_PROJECT").is_some() && env.var("GOOGLE_CLOUD_LOCATION").is_some() {
            return LoginCheck::logged_in("uses Vertex AI (GOOGLE_CLOUD_PROJECT and GOOGLE_CLOUD_LOCATION are set)");
        }
    }
    if env.var("GOOGLE_API_KEY").is_some() {
        return LoginCheck::logged_in("GOOGLE_API_KEY is set");
    }
    if env.flag("CLOUD_SHELL") || env.flag("GEMINI_CLI_USE_COMPUTE_ADC") {
        return LoginCheck::logged_in("uses Google Cloud's own credentials (Cloud Shell or compute ADC)");
    }
    let Some(home) = env.home.as_deref() else {
        return LoginCheck::unknown("no home folder to look for Gemini CLI's credentials in");
    };
    let dir = home.join(".gemini");
    for file in ["oauth_creds.json", "gemini-credentials.json"] {
        let path = dir.join(file);
        if has_content(&path) {
            return LoginCheck::logged_in(format!("{} is there", env.shown(&path)));
        }
    }
    // Gemini CLI reads keys from this .env file too.
    let dotenv = dir.join(".env");
    let from_file = std::fs::read_to_string(&dotenv).unwrap_or_default();
    let key_in_file = from_file.lines().any(|l| {
        let l = l.trim().trim_start_matches("export ").trim_start();
        ["GEMINI_API_KEY=", "GOOGLE_API_KEY="].iter().any(|k| l.strip_prefix(k).is_some_and(|v| !v.trim().trim_matches(['"', '\'']).is_empty()))
    });
    if key_in_file {
        return LoginCheck::logged_in(format!("{} sets an API key", env.shown(&dotenv)));
    }
    if env.flag("GEMINI_FORCE_ENCRYPTED_FILE_STORAGE") {
        return LoginCheck::unknown("Gemini CLI keeps its login in the system keychain, which Warden does not read");
    }
    LoginCheck::not_logged_in(format!("no {} and none of GEMINI_API_KEY, GOOGLE_API_KEY or Vertex AI settings is set", env.shown(&dir.join("oauth_creds.json"))))
}

fn goose(env: &DetectEnv) -> LoginCheck {
    if env.var("GOOSE_PROVIDER").is_some() {
        return LoginCheck::logged_in("GOOSE_PROVIDER is set");
    }
    let Some(config) = env.dir("XDG_CONFIG_HOME", ".config").map(|d| d.join("goose/config.yaml")) else {
        return LoginCheck::unknown("no home folder to look for goose's configuration in");
    };
    let text = std::fs::read_to_string(&config).unwrap_or_default();
    let provider = text.lines().find_map(|l| l.strip_prefix("GOOSE_PROVIDER:")).map(|v| v.trim().trim_matches(['"', '\'']));
    match provider {
        Some(p) if !p.is_empty() => LoginCheck::logged_in(format!("{} sets the provider '{p}'", env.shown(&config))),
        _ => LoginCheck::not_logged_in(format!("no GOOSE_PROVIDER in {} nor in the environment", env.shown(&config))),
    }
}

fn opencode(env: &DetectEnv) -> LoginCheck {
    let Some(auth) = env.dir("XDG_DATA_HOME", ".local/share").map(|d| d.join("opencode/auth.json")) else {
        return LoginCheck::unknown("no home folder to look for opencode's credentials in");
    };
    let logins = std::fs::read_to_string(&auth)
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(&t).ok())
        .map(|m| m.keys().cloned().collect::<Vec<_>>())
        .unwrap_or_default();
    if !logins.is_empty() {
        return LoginCheck::logged_in(format!("{} holds a login for {}", env.shown(&auth), logins.join(", ")));
    }
    // opencode also takes any provider's key from the environment; which ones is its catalog's
    // business, so without a stored login it cannot be told.
    LoginCheck::unknown(format!("no login in {}; opencode may still use a provider key from the environment", env.shown(&auth)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use warden_core::agent::LoginState;

    fn env_with(home: &Path, vars: &[(&str, &str)]) -> DetectEnv {
        DetectEnv {
            path: None,
            home: Some(home.to_path_buf()),
            vars: vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        }
    }

    #[test]
    fn keys_in_the_environment_log_in_and_adapters_inherit_them() {
        let home = tempfile::tempdir().unwrap();
        let env = env_with(home.path(), &[("ANTHROPIC_API_KEY", "k"), ("CODEX_API_KEY", "k"), ("GEMINI_API_KEY", "")]);
        assert_eq!(check_login(AgentKind::ClaudeAcp, &env).detail, "ANTHROPIC_API_KEY is set");
        assert_eq!(check_login(AgentKind::CodexAcp, &env).detail, "CODEX_API_KEY is set");
        // An empty variable is not a key.
        assert_eq!(check_login(AgentKind::Gemini, &env).state, LoginState::NotLoggedIn);
    }

    #[test]
    fn credential_files_log_in() {
        let home = tempfile::tempdir().unwrap();
        let env = env_with(home.path(), &[]);
        for kind in [AgentKind::Claude, AgentKind::Codex, AgentKind::Gemini, AgentKind::Goose] {
            if cfg!(target_os = "macos") && kind == AgentKind::Claude {
                continue; // the keychain there makes it unknown
            }
            assert_eq!(check_login(kind, &env).state, LoginState::NotLoggedIn, "{kind:?} with an empty home");
        }
        std::fs::create_dir_all(home.path().join(".claude")).unwrap();
        std::fs::write(home.path().join(".claude/.credentials.json"), "{\"claudeAiOauth\":{}}").unwrap();
        std::fs::create_dir_all(home.path().join(".gemini")).unwrap();
        std::fs::write(home.path().join(".gemini/.env"), "export GEMINI_API_KEY=\"abc\"\n").unwrap();
        std::fs::create_dir_all(home.path().join(".config/goose")).unwrap();
        std::fs::write(home.path().join(".config/goose/config.yaml"), "GOOSE_PROVIDER: openai\nGOOSE_MODEL: gpt-4o\n").unwrap();
        assert_eq!(check_login(AgentKind::Claude, &env).detail, "~/.claude/.credentials.json is there");
        assert_eq!(check_login(AgentKind::Gemini, &env).detail, "~/.gemini/.env sets an API key");
        assert_eq!(check_login(AgentKind::Goose, &env).detail, "~/.config/goose/config.yaml sets the provider 'openai'");
    }

    #[test]
    fn codex_reads_its_home_and_config() {
        let home = tempfile::tempdir().unwrap();
        let codex_home = home.path().join("ch");
        std::fs::create_dir_all(&codex_home).unwrap();
        let env = env_with(home.path(), &[("CODEX_HOME", codex_home.to_str().unwrap())]);
        std::fs::write(codex_home.join("config.toml"), "model = \"m\"\n\n[model_providers.mock]\nmodel_provider = \"x\"\n").unwrap();
        assert_eq!(check_login(AgentKind::Codex, &env).state, LoginState::NotLoggedIn, "a key inside a table is not the top-level setting");
        std::fs::write(codex_home.join("config.toml"), "cli_auth_credentials_store = \"keyring\"\n").unwrap();
        assert_eq!(check_login(AgentKind::Codex, &env).state, LoginState::Unknown, "the keyring cannot be read");
        std::fs::write(codex_home.join("config.toml"), "model_provider = \"mock\" # local\n").unwrap();
        assert!(check_login(AgentKind::Codex, &env).detail.contains("'mock'"));
        std::fs::write(codex_home.join("config.toml"), "").unwrap();
        std::fs::write(codex_home.join("auth.json"), "{\"OPENAI_API_KEY\":\"k\"}").unwrap();
        assert_eq!(check_login(AgentKind::Codex, &env).state, LoginState::LoggedIn);
    }

    #[test]
    fn what_cannot_be_told_is_unknown() {
        let home = tempfile::tempdir().unwrap();
        let env = env_with(home.path(), &[]);
        assert_eq!(check_login(AgentKind::Custom, &env).state, LoginState::Unknown);
        assert_eq!(check_login(AgentKind::Opencode, &env).state, LoginState::Unknown);
        let env = env_with(home.path(), &[("GEMINI_FORCE_ENCRYPTED_FILE_STORAGE", "true")]);
        assert_eq!(check_login(AgentKind::Gemini, &env).state, LoginState::Unknown);
    }
}
