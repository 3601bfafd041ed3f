//! The `warden` command line: `warden [PATH]` opens the window, with PATH as a project.

use clap::Parser;
use std::path::PathBuf;

/// Run AI coding agents on your projects while staying in charge.
#[derive(Debug, Parser)]
#[command(name = "warden", version, about)]
pub struct Cli {
    /// A project folder to open in the window.
    pub path: Option<String>,
    /// Where Warden keeps its settings and recent projects (default: the platform's app data
    /// folder). Tests point this at a temporary folder.
    #[arg(long, value_name = "DIR", env = "WARDEN_DATA_DIR", hide = true)]
    pub data_dir: Option<PathBuf>,
    /// Accepted and ignored: WebKitWebDriver passes it when it launches the app for end-to-end
    /// tests; automation itself is switched on by TAURI_WEBVIEW_AUTOMATION.
    #[arg(long, hide = true)]
    pub automation: bool,
}

/// What the window starts with.
#[derive(Debug, Clone, Default)]
pub struct Launch {
    /// A project folder to open at start, exactly as given.
    pub open: Option<String>,
    /// Overrides the folder for settings and recent projects.
    pub data_dir: Option<PathBuf>,
}

impl Cli {
    /// The launch settings this command line asks for.
    pub fn into_launch(self) -> Launch {
        Launch { open: self.path, data_dir: self.data_dir }
    }
}

/// On Linux and the BSDs a window needs an X11 or Wayland display. Without one GTK aborts with a
/// cryptic message, so say plainly what is wrong and how to run Warden anyway.
pub fn missing_display() -> Option<String> {
    if !cfg!(all(unix, not(target_os = "macos"))) {
        return None;
    }
    let has = |var: &str| std::env::var_os(var).is_some_and(|v| !v.is_empty());
    if has("DISPLAY") || has("WAYLAND_DISPLAY") {
        return None;
    }
    Some(
        "warden: no display found (neither DISPLAY nor WAYLAND_DISPLAY is set).\n\
         Warden is a desktop app and needs a graphical session. On a machine without one, run it \
         under a virtual display:\n    xvfb-run -a warden [PROJECT]\n\
         or, from a source checkout:\n    xvfb-run -a make run"
            .to_owned(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_argument_becomes_the_project_to_open() {
        let launch = Cli::parse_from(["warden", "/srv/app"]).into_launch();
        assert_eq!(launch.open.as_deref(), Some("/srv/app"));
    }

    #[test]
    fn the_webdriver_automation_flag_is_accepted() {
        let cli = Cli::try_parse_from(["warden", "--automation"]).expect("WebKitWebDriver passes it");
        assert!(cli.path.is_none());
    }
}
