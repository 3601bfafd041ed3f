//! Installing an agent from the window: what would run, and the progress it reports.

use serde::{Deserialize, Serialize};
use specta::Type;

/// How an agent is installed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct InstallPlan {
    /// The command, as shown (`npm install @openai/codex@0.169.0`; it runs in Warden's own
    /// agents folder).
    pub command: String,
    /// The npm package spec (`@openai/codex@0.169.0`), when it is installed with npm. Without one the command is a shell
    /// script from the agent's makers: it runs only after the person confirmed it.
    pub npm_package: Option<String>,
}

impl InstallPlan {
    /// Whether the person must confirm before it runs (a shell script, not an npm package).
    pub fn needs_confirmation(&self) -> bool {
        self.npm_package.is_none()
    }
}

/// Which output stream a line came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum OutputStream {
    /// Standard output.
    Stdout,
    /// Standard error (npm writes its progress there).
    Stderr,
}

/// How an install ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct InstallFinished {
    /// Whether it exited with status 0.
    pub success: bool,
    /// Its exit code, when it exited.
    pub code: Option<i32>,
    /// The signal that ended it, on Unix.
    pub signal: Option<i32>,
    /// Whether it ended because the person cancelled it.
    pub cancelled: bool,
    /// Why it failed, in plain words, when Warden can tell ("npm could not reach the package
    /// registry …", "the package has no `codex` command"); npm's own lines are in the output.
    pub error: Option<String>,
}

/// What an install reports, in order: started, lines of output, finished.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(tag = "type", content = "data", rename_all = "camelCase")]
pub enum InstallEvent {
    /// The command started.
    Started {
        /// The command line that runs.
        command: String,
    },
    /// One line of its output.
    Output {
        /// Where it came from.
        stream: OutputStream,
        /// The line, without its newline (invalid UTF-8 replaced).
        line: String,
    },
    /// It ended; nothing follows.
    Finished(InstallFinished),
}
