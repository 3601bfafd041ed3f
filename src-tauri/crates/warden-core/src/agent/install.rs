//! Installing an agent from the window: what would run, and the progress it reports.

use serde::{Deserialize, Serialize};
use specta::Type;

/// How an agent is installed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct InstallPlan {
    /// The command, as shown and as run (`npm install -g @openai/codex`).
    pub command: String,
    /// The npm package, when it is installed with npm. Without one the command is a shell
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
