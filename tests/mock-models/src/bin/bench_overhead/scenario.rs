//! What is measured: each agent's turn (a plain answer, or one tool call and then the answer)
//! against a fresh mock model, run bare (the agent's own non-interactive command) or through
//! `warden run`, with the same environment either way.

use std::path::{Path, PathBuf};
use std::process::Command;
use warden_mock_models::{agents, AnthropicMock, GeminiMock, OpenAiMock, Reply};

/// The agents of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Agent {
    /// Claude Code: `claude -p` bare, stream-json through Warden.
    Claude,
    /// Codex: `codex exec` bare, `codex app-server` through Warden.
    Codex,
    /// Gemini CLI: `gemini -p` bare, ACP (`gemini --acp`) through Warden.
    Gemini,
}

impl Agent {
    /// Every agent, in the table's order.
    pub const ALL: [Agent; 3] = [Agent::Claude, Agent::Codex, Agent::Gemini];

    /// The name `warden run --agent` takes.
    pub fn name(self) -> &'static str {
        match self {
            Agent::Claude => "claude",
            Agent::Codex => "codex",
            Agent::Gemini => "gemini",
        }
    }

    /// As the table shows it.
    pub fn title(self) -> &'static str {
        match self {
            Agent::Claude => "Claude Code",
            Agent::Codex => "Codex",
            Agent::Gemini => "Gemini CLI",
        }
    }

    /// The pinned CLI (`WARDEN_TEST_CLAUDE` … or the repository's `.cache/agents`).
    pub fn program(self) -> PathBuf {
        match self {
            Agent::Claude => agents::claude_program(),
            Agent::Codex => agents::codex_program(),
            Agent::Gemini => agents::gemini_program(),
        }
    }

    /// The variable that names the executable to Warden (so it runs the same file).
    fn warden_var(self) -> &'static str {
        match self {
            Agent::Claude => "WARDEN_CLAUDE",
            Agent::Codex => "WARDEN_CODEX",
            Agent::Gemini => "WARDEN_GEMINI",
        }
    }

    /// The rule that lets the one tool of [`Turn::Tool`] run without asking anyone (reads
    /// inside the project are allowed anyway; the rule makes that explicit for every agent).
    pub fn tool_rule(self) -> &'static str {
        match self {
            Agent::Codex => "Bash(cat notes.txt)",
            Agent::Claude | Agent::Gemini => "Read",
        }
    }
}

/// The turns of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Turn {
    /// "hello", answered with text.
    Hello,
    /// The model reads a file of the project with one tool call, then answers.
    Tool,
    /// The model reads the file [`MANY_CALLS`] times, one call after another, then answers: not
    /// in the default table; it makes what each call costs large enough to measure
    /// (`--turns tools`).
    Tools,
}

/// How many calls [`Turn::Tools`] makes.
pub const MANY_CALLS: usize = 10;

impl Turn {
    /// Both turns, in the table's order.
    pub const ALL: [Turn; 2] = [Turn::Hello, Turn::Tool];

    /// As the table shows it.
    pub fn title(self) -> &'static str {
        match self {
            Turn::Hello => "no tool",
            Turn::Tool => "one tool",
            Turn::Tools => "ten tools",
        }
    }

    /// What the person asks.
    pub fn prompt(self) -> &'static str {
        match self {
            Turn::Hello => "hello",
            Turn::Tool => "What does notes.txt say?",
            Turn::Tools => "What does notes.txt say? Read it ten times.",
        }
    }
}

/// What the file of the project says; the tool turn checks it reached the model.
pub const NOTE: &str = "the word is pomegranate";
/// The model's last words in every turn; a run that does not print them failed.
pub const ANSWER: &str = "All done here.";

/// A mock model serving one run's replies.
pub enum Mock {
    /// Claude Code's.
    Anthropic(AnthropicMock),
    /// Codex's.
    OpenAi(OpenAiMock),
    /// Gemini CLI's.
    Gemini(GeminiMock),
}

impl Mock {
    /// Starts the mock `agent` talks to, scripted for `turn` in `project`.
    pub fn start(agent: Agent, turn: Turn, project: &Path) -> anyhow::Result<Mock> {
        let note = project.join("notes.txt");
        let mut replies = Vec::new();
        let calls = match turn {
            Turn::Hello => 0,
            Turn::Tool => 1,
            Turn::Tools => MANY_CALLS,
        };
        for call in 0..calls {
            replies.push(match agent {
                Agent::Claude => Reply::tool("Read", serde_json::json!({"file_path": note})),
                Agent::Codex => Reply::tool("exec_command", serde_json::json!({"cmd": "cat notes.txt"})),
                // Gemini CLI ends a turn that repeats the same call five times (its loop
                // detection): every other call reads the README.
                Agent::Gemini => {
                    let file = if call % 2 == 0 { note.clone() } else { project.join("README.md") };
                    Reply::tool("read_file", serde_json::json!({"file_path": file}))
                }
            });
        }
        replies.push(Reply::text(ANSWER));
        Ok(match agent {
            Agent::Claude => Mock::Anthropic(AnthropicMock::start(replies)?),
            Agent::Codex => Mock::OpenAi(OpenAiMock::start(replies)?),
            Agent::Gemini => Mock::Gemini(GeminiMock::start(replies)?),
        })
    }

    fn url(&self) -> String {
        match self {
            Mock::Anthropic(m) => m.url(),
            Mock::OpenAi(m) => m.url(),
            Mock::Gemini(m) => m.url(),
        }
    }

    /// Whether the run went as scripted: every reply used and, for the tool turn, the file's
    /// text sent back to the model.
    pub fn check(&self, turn: Turn) -> Result<(), String> {
        let (remaining, requests) = match self {
            Mock::Anthropic(m) => (m.remaining(), m.requests()),
            Mock::OpenAi(m) => (m.remaining(), m.requests()),
            Mock::Gemini(m) => (m.remaining(), m.requests()),
        };
        if remaining != 0 {
            return Err(format!("{remaining} scripted replies were not asked for"));
        }
        let sent = serde_json::to_string(&requests).unwrap_or_default();
        if turn != Turn::Hello && !sent.contains("pomegranate") {
            return Err("the tool's result never reached the model".into());
        }
        Ok(())
    }
}

/// One agent's folders: a home (the agent's settings), the project and Warden's data folder.
pub struct Place {
    /// HOME of every run.
    pub home: PathBuf,
    /// The project, a git repository with one commit.
    pub project: PathBuf,
    /// WARDEN_DATA_DIR of the Warden runs.
    pub data: PathBuf,
}

impl Place {
    /// Makes the folders under `root`.
    pub fn new(root: &Path, agent: Agent) -> anyhow::Result<Place> {
        let base = root.join(agent.name());
        let place = Place { home: base.join("home"), project: base.join("project"), data: base.join("data") };
        for dir in [&place.home, &place.project, &place.data] {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(place.project.join("notes.txt"), format!("{NOTE}\n"))?;
        std::fs::write(place.project.join("README.md"), "# A small project\n")?;
        // A real project is a repository; Codex also refuses to work outside one.
        let git = |args: &[&str]| -> anyhow::Result<()> {
            let status = Command::new("git")
                .args(args)
                .current_dir(&place.project)
                .env("GIT_AUTHOR_NAME", "bench")
                .env("GIT_AUTHOR_EMAIL", "bench@example.invalid")
                .env("GIT_COMMITTER_NAME", "bench")
                .env("GIT_COMMITTER_EMAIL", "bench@example.invalid")
                .output()?;
            anyhow::ensure!(status.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&status.stderr));
            Ok(())
        };
        git(&["init", "-q"])?;
        git(&["add", "."])?;
        git(&["commit", "-q", "-m", "start"])?;
        Ok(place)
    }

    /// The environment that points `agent` at `mock` and keeps it in this place (the engine
    /// tests' own: `warden_mock_models::agents`).
    pub fn env(&self, agent: Agent, mock: &Mock) -> Vec<(String, String)> {
        match agent {
            Agent::Claude => agents::claude_env(&self.home, &mock.url()),
            Agent::Codex => agents::codex_env(&self.home, &mock.url()),
            Agent::Gemini => agents::gemini_env(&self.home, &mock.url()),
        }
    }

    /// The bare agent's command for `turn`: what a person runs without Warden, non-interactive,
    /// with the one tool allowed (reads need no approval in any of them).
    pub fn bare(&self, agent: Agent, turn: Turn, mock: &Mock) -> Command {
        let mut command = Command::new(agent.program());
        match agent {
            Agent::Claude => command.args(["-p", turn.prompt()]),
            // Approval "never" and the workspace-write sandbox are `codex exec`'s defaults.
            Agent::Codex => command.args(["exec", turn.prompt()]),
            Agent::Gemini => command.args(["-p", turn.prompt()]),
        };
        command.current_dir(&self.project).envs(self.env(agent, mock));
        command
    }

    /// The same turn in the mode Warden drives the agent, without Warden: this benchmark run
    /// as `--drive` (see `drive`), with the agent's environment.
    pub fn mode(&self, agent: Agent, turn: Turn, mock: &Mock) -> anyhow::Result<Command> {
        let mut command = Command::new(std::env::current_exe()?);
        command.arg("--drive").arg(agent.name()).arg(&self.project).arg(turn.prompt());
        command.current_dir(&self.project).envs(self.env(agent, mock));
        Ok(command)
    }

    /// The same turn through `warden run` (its defaults: the task gate on, questions denied
    /// when no one can answer; the tool is allowed by the project's rule).
    pub fn warden(&self, warden: &Path, agent: Agent, turn: Turn, mock: &Mock) -> Command {
        let mut command = Command::new(warden);
        command.args(["run", "--project"]).arg(&self.project).args(["--agent", agent.name(), turn.prompt()]);
        command
            .current_dir(&self.project)
            .envs(self.env(agent, mock))
            .env("WARDEN_DATA_DIR", &self.data)
            .env(agent.warden_var(), agent.program());
        command
    }

    /// Adds the tool's rule to the project's rules with `warden permissions allow`.
    pub fn allow_tool(&self, warden: &Path, agent: Agent) -> anyhow::Result<()> {
        let output = Command::new(warden)
            .args(["permissions", "allow", agent.tool_rule(), "--project"])
            .arg(&self.project)
            .env("WARDEN_DATA_DIR", &self.data)
            .output()?;
        anyhow::ensure!(output.status.success(), "warden permissions allow: {}", String::from_utf8_lossy(&output.stderr));
        Ok(())
    }
}
