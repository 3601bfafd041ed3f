//! Where the pinned agent CLIs are, and the environment that keeps them offline.

use std::path::{Path, PathBuf};

/// The real Claude Code CLI `make test` installed (pinned in tests/agent-clis/package.json):
/// `$WARDEN_TEST_CLAUDE`, else the repository's `.cache/agents`. Panics with the fix when it is
/// missing: a test of the real CLI must not silently pass without it.
pub fn claude_program() -> PathBuf {
    let program = std::env::var_os("WARDEN_TEST_CLAUDE").map(PathBuf::from).unwrap_or_else(|| {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.cache/agents/node_modules/.bin/claude")
    });
    assert!(
        program.exists(),
        "Claude Code is not installed at {}; run `make test` (it installs the pinned CLI) or set WARDEN_TEST_CLAUDE",
        program.display()
    );
    program
}

/// Environment that points Claude Code at a mock model on `mock_url`, keeps it off the network
/// and out of the real home folder.
pub fn claude_env(home: &Path, mock_url: &str) -> Vec<(String, String)> {
    [
        ("HOME", home.to_string_lossy().into_owned()),
        ("ANTHROPIC_BASE_URL", mock_url.to_owned()),
        ("ANTHROPIC_API_KEY", "dummy".to_owned()),
        ("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1".to_owned()),
        ("DISABLE_TELEMETRY", "1".to_owned()),
        ("DISABLE_AUTOUPDATER", "1".to_owned()),
        ("DISABLE_ERROR_REPORTING", "1".to_owned()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

/// The real Codex CLI `make test` installed (pinned in tests/agent-clis/package.json):
/// `$WARDEN_TEST_CODEX`, else the repository's `.cache/agents`. Panics with the fix when it is
/// missing: a test of the real CLI must not silently pass without it.
pub fn codex_program() -> PathBuf {
    let program = std::env::var_os("WARDEN_TEST_CODEX").map(PathBuf::from).unwrap_or_else(|| {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.cache/agents/node_modules/.bin/codex")
    });
    assert!(
        program.exists(),
        "Codex is not installed at {}; run `make test` (it installs the pinned CLI) or set WARDEN_TEST_CODEX",
        program.display()
    );
    program
}

/// The model provider Codex is pointed at in tests (a name of ours, not a built-in one).
pub const CODEX_MOCK_PROVIDER: &str = "warden_mock";

/// Environment that points Codex at a mock Responses API on `mock_url` (the [`OpenAiMock`]'s
/// root URL) and keeps it off the network and out of the real home folder: `HOME` is `home`,
/// `CODEX_HOME` is `home/.codex` with a `config.toml` naming the mock as its model provider
/// (written here), and `TMPDIR` is `home/tmp`. Codex refuses to create its sandbox helper
/// (`codex-linux-sandbox`) inside the temporary folder, and then every sandboxed command fails
/// with "bwrap: execvp codex-linux-sandbox"; a `TMPDIR` that does not contain `CODEX_HOME`
/// avoids that even when `home` is itself under `/tmp`.
///
/// [`OpenAiMock`]: crate::OpenAiMock
pub fn codex_env(home: &Path, mock_url: &str) -> Vec<(String, String)> {
    let codex_home = home.join(".codex");
    let tmp = home.join("tmp");
    for dir in [&codex_home, &tmp] {
        std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    }
    // Retries off: a test that scripted a reply wrong fails at once instead of after backoff.
    let config = format!(
        r#"model = "mock-model"
model_provider = "{CODEX_MOCK_PROVIDER}"
approval_policy = "on-request"
sandbox_mode = "workspace-write"

[model_providers.{CODEX_MOCK_PROVIDER}]
name = "Warden mock Responses API"
base_url = "{mock_url}/v1"
wire_api = "responses"
env_key = "WARDEN_MOCK_API_KEY"
request_max_retries = 0
stream_max_retries = 0

[analytics]
enabled = false

[feedback]
enabled = false
"#
    );
    let path = codex_home.join("config.toml");
    std::fs::write(&path, config).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
    [
        ("HOME", home.to_string_lossy().into_owned()),
        ("CODEX_HOME", codex_home.to_string_lossy().into_owned()),
        ("TMPDIR", tmp.to_string_lossy().into_owned()),
        ("WARDEN_MOCK_API_KEY", "dummy".to_owned()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

/// The real Gemini CLI `make test` installed (pinned in tests/agent-clis/package.json):
/// `$WARDEN_TEST_GEMINI`, else the repository's `.cache/agents`. Panics with the fix when it is
/// missing: a test of the real CLI must not silently pass without it.
pub fn gemini_program() -> PathBuf {
    pinned_program("WARDEN_TEST_GEMINI", "gemini")
}

/// The real Claude Code ACP adapter (`@agentclientprotocol/claude-agent-acp`) `make test`
/// installed: `$WARDEN_TEST_CLAUDE_ACP`, else the repository's `.cache/agents`. Panics with the
/// fix when it is missing.
pub fn claude_acp_program() -> PathBuf {
    pinned_program("WARDEN_TEST_CLAUDE_ACP", "claude-agent-acp")
}

/// The real Codex ACP adapter (`@zed-industries/codex-acp`) `make test` installed:
/// `$WARDEN_TEST_CODEX_ACP`, else the repository's `.cache/agents`. Panics with the fix when it
/// is missing. It reads the same `CODEX_HOME` configuration as Codex ([`codex_env`]).
pub fn codex_acp_program() -> PathBuf {
    pinned_program("WARDEN_TEST_CODEX_ACP", "codex-acp")
}

fn pinned_program(var: &str, name: &str) -> PathBuf {
    let program = std::env::var_os(var).map(PathBuf::from).unwrap_or_else(|| {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.cache/agents/node_modules/.bin").join(name)
    });
    assert!(
        program.exists(),
        "{name} is not installed at {}; run `make test` (it installs the pinned CLI) or set {var}",
        program.display()
    );
    program
}

/// Environment that points Gemini CLI at a mock Gemini API on `mock_url` (the [`GeminiMock`]'s
/// URL), keeps it off the network and out of the real home folder: `HOME` is `home`, whose
/// `.gemini/settings.json` (written here) picks API-key login and turns off folder trust,
/// telemetry, usage statistics and update checks. `GEMINI_CLI_NO_RELAUNCH` keeps it in one
/// process (it otherwise re-executes itself with more memory), so Warden's process group holds
/// the whole agent.
///
/// [`GeminiMock`]: crate::GeminiMock
pub fn gemini_env(home: &Path, mock_url: &str) -> Vec<(String, String)> {
    let dir = home.join(".gemini");
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    let settings = r#"{"security":{"auth":{"selectedType":"gemini-api-key"},"folderTrust":{"enabled":false}},"privacy":{"usageStatisticsEnabled":false},"telemetry":{"enabled":false},"general":{"disableAutoUpdate":true,"disableUpdateNag":true}}"#;
    let path = dir.join("settings.json");
    std::fs::write(&path, settings).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
    [
        ("HOME", home.to_string_lossy().into_owned()),
        ("GEMINI_API_KEY", "dummy".to_owned()),
        ("GOOGLE_GEMINI_BASE_URL", mock_url.to_owned()),
        ("GEMINI_CLI_NO_RELAUNCH", "true".to_owned()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

/// Environment for the Claude Code ACP adapter against a mock Anthropic API on `mock_url`:
/// [`claude_env`], the pinned Claude Code as the CLI the adapter drives
/// (`CLAUDE_CODE_EXECUTABLE`; its own bundled one would be another version), and `IS_SANDBOX=1`,
/// without which the adapter refuses to start a session as root ("--dangerously-skip-permissions
/// cannot be used with root/sudo privileges").
pub fn claude_acp_env(home: &Path, mock_url: &str) -> Vec<(String, String)> {
    let mut env = claude_env(home, mock_url);
    env.push(("CLAUDE_CODE_EXECUTABLE".to_owned(), claude_program().to_string_lossy().into_owned()));
    env.push(("IS_SANDBOX".to_owned(), "1".to_owned()));
    env
}

/// The fault-injecting fake agent (crate warden-fake-agent), built next to the running test
/// binary: `target/<profile>/deps/<test>` → `target/<profile>/warden-fake-agent`.
pub fn fake_agent_program() -> PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    let program = exe.parent().and_then(Path::parent).expect("target folder").join("warden-fake-agent");
    assert!(program.exists(), "{} is missing: run `cargo build -p warden-fake-agent` first (make test does)", program.display());
    program
}

/// Whether a process is running (a zombie counts as gone). Reads /proc, so Linux only, which is
/// where the tests run.
pub fn alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .map(|stat| stat.split_whitespace().nth(2) != Some("Z"))
        .unwrap_or(false)
}

/// Whether a process is gone within `limit`. A killed process closes its pipes before the kernel
/// marks it dead, so a check right after "its output ended" can still catch it in its last
/// moments; this waits for the kernel, bounded.
pub fn gone_within(pid: u32, limit: std::time::Duration) -> bool {
    let deadline = std::time::Instant::now() + limit;
    while alive(pid) {
        if std::time::Instant::now() > deadline {
            return false;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    true
}
