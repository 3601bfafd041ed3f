//! The Agents screen's backend: which agents are installed, in which version, whether they are
//! logged in, installing the missing ones, and the custom agents the person defined.
//!
//! Detection never starts a session and never touches the network: it runs `--version` and
//! looks at the credential files and environment variables each CLI reads. Where that cannot
//! tell (a system keychain, a custom agent), it says "unknown" rather than "ready".

mod custom_file;
mod detect;
mod env;
mod install;
mod login;
mod login_flow;
pub mod managed;
mod refresh;
mod requests;

pub use custom_file::{CustomAgentsError, CustomAgentsFile, CUSTOM_AGENTS_FILE};
pub use detect::{detect_all, detect_all_with, detect_custom, detect_preset, find_custom};
pub use env::DetectEnv;
pub use install::{explain_npm_line, package_override_var, InstallCommand, InstallError, Installs};
pub use login::check_login;
pub use login_flow::{login_command, login_spec};
pub use refresh::{detect_all_fresh, VersionRefresh};
pub use requests::{login_terminal, start_install};
