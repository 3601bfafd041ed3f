//! The project's `AGENTS.md`, read by Warden for Codex.
//!
//! Warden marks the project untrusted for Codex so that its `.codex/config.toml` cannot run
//! code; Codex's app server then also skips the project's `AGENTS.md`. Those are instructions
//! the person expects the model to see, so Warden reads the file itself and passes it with the
//! thread. A hostile repository must not turn this into a way of sending another file to the
//! model: the file is opened without following a link, must be a regular file, and is cut at
//! Codex's own limit for project instructions.

use crate::journal::beneath::Beneath;
use std::io::Read;
use std::path::Path;

/// How much of `AGENTS.md` is passed on: Codex's default `project_doc_max_bytes`.
pub const MAX_INSTRUCTION_BYTES: u64 = 32 * 1024;

/// The project's `AGENTS.md` as instructions for Codex, or `None` when there is none (or it is
/// a link, a folder, unreadable or empty).
pub fn project_instructions(project: &Path) -> Option<String> {
    // Opened beneath the project as the journal opens files: never through a link, and only a
    // regular file (a FIFO cannot hang the read).
    let beneath = Beneath::open(project).ok()?;
    let mut file = beneath.parent("AGENTS.md", false).ok()??.open_file().ok()?;
    let mut bytes = Vec::new();
    file.by_ref().take(MAX_INSTRUCTION_BYTES).read_to_end(&mut bytes).ok()?;
    let text = String::from_utf8_lossy(&bytes);
    let text = text.trim();
    (!text.is_empty()).then(|| {
        format!("The project's AGENTS.md (instructions from the repository, read by Warden):\n\n{text}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_project_s_agents_md_is_passed_on_with_where_it_came_from() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(project_instructions(dir.path()), None, "no file, no instructions");
        std::fs::write(dir.path().join("AGENTS.md"), "  \n").unwrap();
        assert_eq!(project_instructions(dir.path()), None, "a blank file says nothing");
        std::fs::write(dir.path().join("AGENTS.md"), "Run `make test` before you finish.\n").unwrap();
        let text = project_instructions(dir.path()).unwrap();
        assert!(text.starts_with("The project's AGENTS.md") && text.ends_with("Run `make test` before you finish."), "{text}");
    }

    #[test]
    fn a_long_file_is_cut_at_codex_s_own_limit() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("AGENTS.md"), "x".repeat(100_000)).unwrap();
        let text = project_instructions(dir.path()).unwrap();
        assert_eq!(text.matches('x').count() as u64, MAX_INSTRUCTION_BYTES);
    }

    #[cfg(unix)]
    #[test]
    fn a_link_or_a_folder_named_agents_md_is_never_read() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let secret = outside.path().join("id_rsa");
        std::fs::write(&secret, "PRIVATE KEY").unwrap();
        std::os::unix::fs::symlink(&secret, dir.path().join("AGENTS.md")).unwrap();
        assert_eq!(project_instructions(dir.path()), None, "a link to a file outside the project is not followed");
        std::fs::remove_file(dir.path().join("AGENTS.md")).unwrap();
        std::fs::create_dir(dir.path().join("AGENTS.md")).unwrap();
        assert_eq!(project_instructions(dir.path()), None, "a folder is not a file");
        std::fs::remove_dir(dir.path().join("AGENTS.md")).unwrap();
        std::os::unix::net::UnixListener::bind(dir.path().join("AGENTS.md")).unwrap();
        assert_eq!(project_instructions(dir.path()), None, "nor is a socket");
    }
}
