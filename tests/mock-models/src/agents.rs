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
