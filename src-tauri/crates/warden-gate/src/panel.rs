//! The Checks panel's calls, one home for every front end: the project's merged configuration
//! with its trust and what trusting the file would allow ([`checks_overview`]), the person's
//! decision pinned to the content they were shown ([`decide_trust`]), and a check's log read in
//! pages ([`log_page`]). The window's commands and `warden serve` call these with a project
//! folder they resolved and checked themselves; the values are warden-core's IPC types.

use crate::config::{self, CheckCommand, ConfigError, EntryKind, Source};
use crate::overview::{overview, Overview};
use crate::trust::{trust_request, Decision, EntryTrust, FileTrust, ReviewToTrust, TrustError, TrustRequest, TrustStore};
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;
use warden_core::checks::{
    ChecksConfigError, ChecksEntry, ChecksEntryKind, ChecksFileTrust, ChecksLogPage, ChecksOverview, ChecksSource, ChecksTrustDecision,
    ChecksTrustRequest, TrustCommand, TrustUrl,
};

/// Bytes read per page of a log.
pub const LOG_PAGE: u64 = 64 * 1024;

/// Why a panel call did nothing.
#[derive(Debug, thiserror::Error)]
pub enum PanelError {
    /// A trust decision came without the content it is about.
    #[error("no content was shown: a decision is about the content the person saw")]
    NothingShown,
    /// The project file has errors: it cannot be trusted.
    #[error("the checks file has errors: nothing can be trusted until they are fixed")]
    Invalid,
    /// The project file changed between being shown and the decision.
    #[error("the checks file changed since it was shown: nothing was decided; review it again")]
    Changed,
    /// The path is not one of Warden's check logs.
    #[error("{0} is not a check's log")]
    NotALog(String),
    /// The trust record or configuration could not be read or written.
    #[error(transparent)]
    Trust(#[from] TrustError),
    /// A log could not be read.
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// `project`'s merged checks configuration, its trust, errors, and what trusting it would
/// allow. `project` is a folder the caller resolved.
pub fn checks_overview(project: &Path, data_dir: &Path) -> Result<ChecksOverview, PanelError> {
    let view = overview(project, data_dir)?;
    let gate = config::inspect(project, data_dir).config.gate;
    let request = match trust_request(project, data_dir) {
        Ok(request) => Some(request_view(request)),
        Err(TrustError::Invalid(_) | TrustError::NoFile(_)) => None,
        Err(e) => return Err(e.into()),
    };
    Ok(overview_view(view, request, gate.max_rounds, gate.budget_usd))
}

/// Records the person's decision about `project`'s file (kept in `data_dir`: on the machine
/// whose engine runs the checks). `shown` is the hash of the content they were shown; when the
/// file changed since, nothing is decided. Returns the overview as it is after the decision.
pub fn decide_trust(project: &Path, data_dir: &Path, decision: ChecksTrustDecision, shown: Option<&str>) -> Result<ChecksOverview, PanelError> {
    let store = TrustStore::new(data_dir, project);
    let decision = match decision {
        ChecksTrustDecision::Revoke => {
            store.revoke()?;
            return checks_overview(project, data_dir);
        }
        ChecksTrustDecision::Trust => Decision::Trust,
        ChecksTrustDecision::RunOnce => Decision::RunOnce,
        ChecksTrustDecision::DontRun => Decision::DontRun,
    };
    let shown = shown.ok_or(PanelError::NothingShown)?;
    let request = trust_request(project, data_dir).map_err(|e| match e {
        TrustError::Invalid(_) => PanelError::Invalid,
        other => PanelError::Trust(other),
    })?;
    // What is trusted is exactly what was shown: a file changed meanwhile is asked about again.
    if request.sha256 != shown {
        return Err(PanelError::Changed);
    }
    store.decide(&request.sha256, decision)?;
    tracing::info!(project = %project.display(), ?decision, "checks file trust decided");
    checks_overview(project, data_dir)
}

/// A page of a check's log from `offset`. Only files under `data_dir`'s checks log folder are
/// read; any other path (`..`, a link out of it, another file) is refused.
pub fn log_page(data_dir: &Path, path: &Path, offset: u64) -> Result<ChecksLogPage, PanelError> {
    let refused = || PanelError::NotALog(path.display().to_string());
    let root = config::logs_folder(data_dir);
    // Both sides canonical: `..`, symlinks and a data folder reached through a link all resolve
    // before the comparison.
    let root = std::fs::canonicalize(&root).map_err(|_| refused())?;
    let file = std::fs::canonicalize(path).map_err(|_| refused())?;
    if !file.starts_with(&root) || !file.is_file() {
        return Err(refused());
    }
    let mut handle = std::fs::File::open(&file)?;
    let size = handle.metadata()?.len();
    let start = offset.min(size);
    handle.seek(SeekFrom::Start(start))?;
    let mut bytes = Vec::new();
    handle.take(LOG_PAGE).read_to_end(&mut bytes)?;
    // A page ends on a whole character, so a multi-byte one is never split across pages.
    let end = match std::str::from_utf8(&bytes) {
        Err(e) if e.error_len().is_none() && e.valid_up_to() > 0 => e.valid_up_to(),
        _ => bytes.len(),
    };
    let text = String::from_utf8_lossy(&bytes[..end]).into_owned();
    Ok(ChecksLogPage { text, next_offset: start + end as u64, size })
}

fn overview_view(view: Overview, request: Option<ChecksTrustRequest>, max_rounds: u32, budget_usd: Option<f64>) -> ChecksOverview {
    let trust = view.project_file.as_ref().map_or(ChecksFileTrust::NoFile, |f| file_trust(&f.trust));
    ChecksOverview {
        project: view.project.display().to_string(),
        project_file: view.project_file.as_ref().map(|f| f.path.display().to_string()),
        trust,
        max_rounds,
        budget_usd,
        personal_file: view.personal_file.display().to_string(),
        personal_file_exists: view.personal_file_exists,
        valid: view.valid,
        errors: view.errors.iter().map(error_view).collect(),
        entries: view
            .entries
            .into_iter()
            .map(|e| ChecksEntry {
                kind: match e.kind {
                    EntryKind::Check => ChecksEntryKind::Check,
                    EntryKind::Webhook => ChecksEntryKind::Webhook,
                    EntryKind::Review => ChecksEntryKind::Review,
                },
                source: source_view(e.source),
                may_run: e.trust.may_run(),
                not_trusted: match e.trust {
                    EntryTrust::NotTrusted(why) => Some(why),
                    _ => None,
                },
                disabled: e.disabled,
                overridden: e.overridden,
                file: e.location.file,
                line: to_u32(e.location.line),
                summary: e.summary,
                errors: e.errors.iter().map(error_view).collect(),
                id: e.id,
            })
            .collect(),
        request,
    }
}

fn request_view(r: TrustRequest) -> ChecksTrustRequest {
    ChecksTrustRequest {
        file: r.file.display().to_string(),
        sha256: r.sha256,
        commands: r
            .commands
            .into_iter()
            .map(|c| TrustCommand {
                shell: matches!(c.command, CheckCommand::Shell(_)),
                command: c.command.to_string(),
                id: c.id,
                cwd: c.cwd,
                env: c.env,
                disabled: c.disabled,
            })
            .collect(),
        urls: r.urls.into_iter().map(|u| TrustUrl { id: u.id, url: u.url, events: u.events, allow_private: u.allow_private }).collect(),
        reviews: r.reviews.iter().map(ReviewToTrust::describe).collect(),
    }
}

fn file_trust(t: &FileTrust) -> ChecksFileTrust {
    match t {
        FileTrust::NoFile => ChecksFileTrust::NoFile,
        FileTrust::Trusted => ChecksFileTrust::Trusted,
        FileTrust::RunOnce => ChecksFileTrust::RunOnce,
        FileTrust::Refused => ChecksFileTrust::Refused,
        FileTrust::NotTrusted { changed: true } => ChecksFileTrust::Changed,
        FileTrust::NotTrusted { changed: false } => ChecksFileTrust::NotTrusted,
    }
}

fn source_view(s: Source) -> ChecksSource {
    match s {
        Source::Project => ChecksSource::Project,
        Source::Personal => ChecksSource::Personal,
    }
}

fn error_view(e: &ConfigError) -> ChecksConfigError {
    ChecksConfigError {
        file: e.file.clone(),
        line: e.line.map(to_u32),
        column: e.column.map(to_u32),
        field: e.field.clone(),
        entry: e.entry.clone(),
        message: e.message.clone(),
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_log_outside_the_logs_folder_is_refused_and_a_page_ends_on_a_whole_character() {
        let data = tempfile::tempdir().unwrap();
        let logs = config::logs_folder(data.path()).join("p");
        std::fs::create_dir_all(&logs).unwrap();
        let log = logs.join("tests.log");
        std::fs::write(&log, "é".repeat(40_000)).unwrap();
        let page = log_page(data.path(), &log, 0).unwrap();
        assert_eq!(page.next_offset as usize, page.text.len(), "no replacement character at the end");
        assert!(page.text.chars().all(|c| c == 'é'));
        assert_eq!(page.size, 80_000);
        let outside = data.path().join("secret.txt");
        std::fs::write(&outside, "x").unwrap();
        assert!(matches!(log_page(data.path(), &outside, 0), Err(PanelError::NotALog(_))));
        let escaping = logs.join("../../../secret.txt");
        assert!(matches!(log_page(data.path(), &escaping, 0), Err(PanelError::NotALog(_))));
    }

    #[test]
    fn a_decision_is_about_the_content_shown() {
        let data = tempfile::tempdir().unwrap();
        let project = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(project.path().join(".warden")).unwrap();
        std::fs::write(project.path().join(".warden/checks.toml"), "version = 1\n[[check]]\nid = \"t\"\nrun = [\"true\"]\n").unwrap();
        let before = checks_overview(project.path(), data.path()).unwrap();
        assert_eq!(before.trust, ChecksFileTrust::NotTrusted);
        let sha = before.request.expect("a request").sha256;
        assert!(matches!(decide_trust(project.path(), data.path(), ChecksTrustDecision::Trust, None), Err(PanelError::NothingShown)));
        assert!(matches!(decide_trust(project.path(), data.path(), ChecksTrustDecision::Trust, Some("0")), Err(PanelError::Changed)));
        let after = decide_trust(project.path(), data.path(), ChecksTrustDecision::Trust, Some(&sha)).unwrap();
        assert_eq!(after.trust, ChecksFileTrust::Trusted);
        let revoked = decide_trust(project.path(), data.path(), ChecksTrustDecision::Revoke, None).unwrap();
        assert_eq!(revoked.trust, ChecksFileTrust::NotTrusted);
    }
}
