//! The agents Warden knows: how each is found, started, installed and logged in to.
//!
//! A preset is fixed data; an agent the person defines ([`CustomAgent`]) fills the same roles
//! from the settings. Detection and installation (I/O) live in the engine.

mod custom;
mod install;
mod view;

pub use custom::{AgentChoice, CustomAgent, CustomAgentError, EnvVar, NAME_MAX};
pub use install::{InstallEvent, InstallFinished, InstallPlan, OutputStream};
pub use view::{AgentStatus, AgentView, LoginCheck, LoginState};

use crate::session::{AgentKind, AgentProtocol};

/// How to find, start, install and log in to one agent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AgentSpec {
    /// Which agent.
    pub kind: AgentKind,
    /// Its name for people ("Gemini CLI").
    pub name: &'static str,
    /// The executable's name, looked for on PATH and in the usual install folders.
    pub program: &'static str,
    /// The arguments that start its machine interface (`["--acp"]`, `["app-server"]`).
    pub args: &'static [&'static str],
    /// The npm package it is installed from, when it comes from npm.
    pub npm_package: Option<&'static str>,
    /// The version of [`Self::npm_package`] Warden installs: the one its tests drive
    /// (`tests/agent-clis`), since the agents' machine protocols change between releases.
    /// `None`: the latest (an agent Warden's tests do not pin).
    pub npm_version: Option<&'static str>,
    /// The command that installs it.
    pub install: &'static str,
    /// The oldest version Warden works with (`None`: any).
    pub min_version: Option<(u32, u32, u32)>,
    /// How to log in, in words (with the command where there is one).
    pub login: &'static str,
}

impl AgentSpec {
    /// The protocol it speaks.
    pub fn protocol(&self) -> AgentProtocol {
        self.kind.protocol()
    }

    /// How the window offers to install it: npm packages at Warden's pinned version into
    /// Warden's own agents folder (`npm install <package>@<version>`), anything else as the
    /// shell command it is, which runs only after the person confirmed it.
    pub fn install_plan(&self) -> InstallPlan {
        match self.npm_spec() {
            Some(spec) => InstallPlan { command: format!("npm install {spec}"), npm_package: Some(spec) },
            None => InstallPlan { command: self.install.to_owned(), npm_package: None },
        }
    }

    /// The npm package spec Warden installs (`@openai/codex@0.169.0`), when it comes from npm.
    pub fn npm_spec(&self) -> Option<String> {
        let package = self.npm_package?;
        Some(match self.npm_version {
            Some(version) => format!("{package}@{version}"),
            None => package.to_owned(),
        })
    }

    /// The minimum version as text (`0.169.0`).
    pub fn min_version_text(&self) -> Option<String> {
        self.min_version.map(|(a, b, c)| format!("{a}.{b}.{c}"))
    }
}

const PRESETS: [AgentSpec; 7] = [
    AgentSpec {
        kind: AgentKind::Claude,
        name: "Claude Code",
        program: "claude",
        args: &[],
        npm_package: Some("@anthropic-ai/claude-code"),
        npm_version: Some("2.1.329"),
        install: "npm install -g @anthropic-ai/claude-code",
        min_version: Some((2, 0, 0)),
        login: "Run `claude` in a terminal and type /login, or set ANTHROPIC_API_KEY.",
    },
    AgentSpec {
        kind: AgentKind::Codex,
        name: "Codex",
        program: "codex",
        args: &["app-server"],
        npm_package: Some("@openai/codex"),
        npm_version: Some("0.169.0"),
        install: "npm install -g @openai/codex",
        min_version: Some((0, 169, 0)),
        login: "Run `codex login` in a terminal, or set OPENAI_API_KEY.",
    },
    AgentSpec {
        kind: AgentKind::Gemini,
        name: "Gemini CLI",
        program: "gemini",
        args: &["--acp"],
        npm_package: Some("@google/gemini-cli"),
        npm_version: Some("0.61.0"),
        install: "npm install -g @google/gemini-cli",
        min_version: Some((0, 61, 0)),
        login: "Run `gemini` in a terminal and choose a login, or set GEMINI_API_KEY.",
    },
    AgentSpec {
        kind: AgentKind::ClaudeAcp,
        name: "Claude Code (ACP adapter)",
        program: "claude-agent-acp",
        args: &[],
        npm_package: Some("@agentclientprotocol/claude-agent-acp"),
        npm_version: Some("0.100.0"),
        install: "npm install -g @agentclientprotocol/claude-agent-acp",
        min_version: None,
        login: "Uses Claude Code's login: run `claude` and type /login, or set ANTHROPIC_API_KEY.",
    },
    AgentSpec {
        kind: AgentKind::CodexAcp,
        name: "Codex (ACP adapter)",
        program: "codex-acp",
        args: &[],
        npm_package: Some("@zed-industries/codex-acp"),
        npm_version: Some("0.16.0"),
        install: "npm install -g @zed-industries/codex-acp",
        min_version: None,
        login: "Uses Codex's login: run `codex login`, or set OPENAI_API_KEY.",
    },
    AgentSpec {
        kind: AgentKind::Goose,
        name: "goose",
        program: "goose",
        args: &["acp"],
        npm_package: None,
        npm_version: None,
        install: "curl -fsSL https://github.com/block/goose/releases/download/stable/download_cli.sh | bash",
        min_version: None,
        login: "Run `goose configure` in a terminal to pick a provider and key.",
    },
    AgentSpec {
        kind: AgentKind::Opencode,
        name: "opencode",
        program: "opencode",
        args: &["acp"],
        npm_package: Some("opencode-ai"),
        npm_version: None,
        install: "npm install -g opencode-ai",
        min_version: None,
        login: "Run `opencode auth login` in a terminal.",
    },
];

/// The preset for `kind`; `None` for [`AgentKind::Custom`], whose definition is in the settings.
pub fn spec(kind: AgentKind) -> Option<&'static AgentSpec> {
    PRESETS.iter().find(|p| p.kind == kind)
}

/// Every preset, in the order the window lists them.
pub fn presets() -> &'static [AgentSpec] {
    &PRESETS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_agent_but_custom_has_one_preset() {
        for kind in AgentKind::ALL {
            assert_eq!(spec(kind).is_some(), kind != AgentKind::Custom, "{kind:?}");
        }
        assert_eq!(presets().len(), AgentKind::ALL.len() - 1);
    }

    #[test]
    fn the_pinned_versions_are_the_ones_the_tests_drive() {
        // tests/agent-clis/package.json pins the CLIs every engine test runs; what the window
        // installs must be the same, or it installs a version nobody tested.
        let file = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../tests/agent-clis/package.json");
        let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
        let tested = json["dependencies"].as_object().unwrap();
        for spec in presets() {
            let (Some(package), Some(version)) = (spec.npm_package, spec.npm_version) else { continue };
            assert_eq!(tested.get(package).and_then(|v| v.as_str()), Some(version), "{package}");
        }
        for (package, version) in tested {
            if let Some(spec) = presets().iter().find(|s| s.npm_package == Some(package.as_str())) {
                assert_eq!(spec.npm_version, version.as_str(), "{package} is pinned for installs too");
            }
        }
        assert_eq!(spec(AgentKind::Codex).unwrap().npm_spec().as_deref(), Some("@openai/codex@0.169.0"));
        assert_eq!(spec(AgentKind::Opencode).unwrap().npm_spec().as_deref(), Some("opencode-ai"), "not pinned: the latest");
    }

    #[test]
    fn agent_names_round_trip_and_map_to_their_protocol() {
        for kind in AgentKind::ALL {
            assert_eq!(kind.as_str().parse::<AgentKind>(), Ok(kind));
        }
        assert_eq!(AgentKind::Codex.protocol(), AgentProtocol::CodexAppServer);
        assert_eq!(AgentKind::Gemini.protocol(), AgentProtocol::Acp);
        assert!("gpt".parse::<AgentKind>().unwrap_err().contains("known: claude, codex"));
    }
}
