//! Commands for the task gate's checks in the window: the merged configuration with its trust
//! (for the Checks panel and the trust dialog), the person's trust decision pinned to the exact
//! content they were shown, a check's stored log read in pages, and the person's gate actions
//! on a task (send, dismiss or accept feedback; re-run checks). The values are the gate
//! crate's, re-shaped into typed IPC structs here so the bindings carry no untyped JSON.

use crate::error::IpcError;
use crate::state::AppState;
use serde::{Deserialize, Serialize};
use specta::Type;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use tauri::State;
use warden_core::session::{FeedbackDecision, SessionId, TaskId};
use warden_gate::config::{self, CheckCommand, ConfigError, EntryKind, Source};
use warden_gate::overview::{overview, Overview};
use warden_gate::trust::{trust_request, Decision, EntryTrust, FileTrust, TrustError, TrustRequest, TrustStore};

/// Warden's data folder, where the gate keeps trust records, personal layers and check logs.
pub struct ChecksData(pub PathBuf);

/// Where an entry is defined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum ChecksSource {
    /// `.warden/checks.toml` in the project (needs the person's trust).
    Project,
    /// The person's own layer in Warden's data folder.
    Personal,
}

/// What an entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum ChecksEntryKind {
    /// A check (a command).
    Check,
    /// A webhook endpoint.
    Webhook,
    /// A reviewer (`[[review]]`).
    Review,
}

/// Where the project file stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum ChecksFileTrust {
    /// The project has no checks file.
    NoFile,
    /// Trusted as it is.
    Trusted,
    /// Allowed to run once as it is.
    RunOnce,
    /// The person chose not to run this content.
    Refused,
    /// Never approved.
    NotTrusted,
    /// Approved for other content: the file changed since.
    Changed,
}

/// One thing wrong with a configuration file, placed in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ChecksConfigError {
    /// The file as shown.
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<u32>,
    /// 1-based column, when known.
    pub column: Option<u32>,
    /// The field, such as `check[2].timeout`.
    pub field: Option<String>,
    /// The entry's id.
    pub entry: Option<String>,
    /// What is wrong.
    pub message: String,
}

/// One merged entry of the configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ChecksEntry {
    /// Its id.
    pub id: String,
    /// What it is.
    pub kind: ChecksEntryKind,
    /// The layer that defines it.
    pub source: ChecksSource,
    /// Whether it may run.
    pub may_run: bool,
    /// Why it may not run (not trusted), in words.
    pub not_trusted: Option<String>,
    /// Why it is switched off, if it is.
    pub disabled: Option<String>,
    /// Fields the person's layer sets on it.
    pub overridden: Vec<String>,
    /// The file it is defined in.
    pub file: String,
    /// The line of its id.
    pub line: u32,
    /// What it runs or where it sends, in one line.
    pub summary: String,
    /// Its errors (an entry with errors never runs).
    pub errors: Vec<ChecksConfigError>,
}

/// One command trusting the project file would allow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TrustCommand {
    /// The check's id.
    pub id: String,
    /// The command as one line (argv quoted, or `sh -c "…"`).
    pub command: String,
    /// Whether it runs through the shell.
    pub shell: bool,
    /// The folder, relative to the project.
    pub cwd: String,
    /// The environment variables it sets (names only).
    pub env: Vec<String>,
    /// Whether the file switches it off.
    pub disabled: bool,
}

/// One URL trusting the project file would send events to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TrustUrl {
    /// The webhook's id.
    pub id: String,
    /// The URL.
    pub url: String,
    /// The events sent there.
    pub events: Vec<String>,
    /// Whether loopback and private addresses are allowed.
    pub allow_private: bool,
}

/// Everything trusting the project file as it is would allow: what the trust dialog shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ChecksTrustRequest {
    /// The project file.
    pub file: String,
    /// The content shown; `checks_trust` must get it back, and refuses when the file changed.
    pub sha256: String,
    /// Every command.
    pub commands: Vec<TrustCommand>,
    /// Every webhook URL.
    pub urls: Vec<TrustUrl>,
    /// Every reviewer of the file, one line each: its agent, model and instructions.
    pub reviews: Vec<String>,
}

/// The project's checks configuration as the window shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ChecksOverview {
    /// The project's folder.
    pub project: String,
    /// The project file's path, when there is one.
    pub project_file: Option<String>,
    /// Where the project file stands.
    pub trust: ChecksFileTrust,
    /// Rounds of one task at most (`[gate] max_rounds`), the person's own turn included.
    pub max_rounds: u32,
    /// The task cost at which automatic feedback stops (`[gate] budget_usd`), in US dollars;
    /// null when no budget is set.
    pub budget_usd: Option<f64>,
    /// The person's layer.
    pub personal_file: String,
    /// Whether the person's layer exists.
    pub personal_file_exists: bool,
    /// No errors anywhere.
    pub valid: bool,
    /// Every error, entries' included.
    pub errors: Vec<ChecksConfigError>,
    /// Every entry in file order.
    pub entries: Vec<ChecksEntry>,
    /// What trusting the project file would allow; absent without a file or when it has errors
    /// (a file with errors cannot be trusted).
    pub request: Option<ChecksTrustRequest>,
}

/// The person's decision about the project file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum ChecksTrustDecision {
    /// Its commands and URLs may run until it changes.
    Trust,
    /// They may run once.
    RunOnce,
    /// They never run; asked again when it changes.
    DontRun,
    /// Forget the decision.
    Revoke,
}

/// A page of a check's log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ChecksLogPage {
    /// The text of the page (invalid UTF-8 replaced).
    pub text: String,
    /// Where the next page starts.
    pub next_offset: u64,
    /// The file's size now (a running check's log grows).
    pub size: u64,
}

/// Bytes read per page of a log.
const LOG_PAGE: u64 = 64 * 1024;

/// The project's merged checks configuration, its trust, errors, and what trusting it would
/// allow.
#[tauri::command]
#[specta::specta]
pub async fn checks_overview(data: State<'_, ChecksData>, project: String) -> Result<ChecksOverview, IpcError> {
    let data_dir = data.0.clone();
    blocking(move || overview_of(&project, &data_dir)).await
}

/// Records the person's decision about the project file. `sha256` is the content they were
/// shown; when the file changed since, nothing is decided and the error says so. Returns the
/// overview as it is after the decision.
#[tauri::command]
#[specta::specta]
pub async fn checks_trust(
    data: State<'_, ChecksData>,
    project: String,
    decision: ChecksTrustDecision,
    sha256: Option<String>,
) -> Result<ChecksOverview, IpcError> {
    let data_dir = data.0.clone();
    blocking(move || decide(&project, &data_dir, decision, sha256.as_deref())).await
}

/// A page of a check's log from `offset`. Only files under Warden's own checks log folder are
/// read; any other path is refused.
#[tauri::command]
#[specta::specta]
pub async fn checks_log(data: State<'_, ChecksData>, path: String, offset: u64) -> Result<ChecksLogPage, IpcError> {
    let data_dir = data.0.clone();
    blocking(move || read_log(&data_dir, Path::new(&path), offset)).await
}

/// The person's decision on the feedback proposed for `task`: send it (`text` is what is sent,
/// as edited; `None` sends the proposed text), dismiss it, or accept the work as it is.
#[tauri::command]
#[specta::specta]
pub async fn task_feedback(
    state: State<'_, AppState>,
    session_id: SessionId,
    task: TaskId,
    decision: FeedbackDecision,
    text: Option<String>,
) -> Result<(), IpcError> {
    Ok(live(&state, &session_id)?.decide_feedback(task, decision, text).await?)
}

/// Runs `task`'s checks again (only those that failed, with `only_failed`).
#[tauri::command]
#[specta::specta]
pub async fn task_rerun(state: State<'_, AppState>, session_id: SessionId, task: TaskId, only_failed: bool) -> Result<(), IpcError> {
    Ok(live(&state, &session_id)?.rerun_checks(task, only_failed).await?)
}

fn live(state: &AppState, id: &SessionId) -> Result<warden_engine::SessionHandle, IpcError> {
    state.engine.sessions().handle(id).ok_or_else(|| warden_engine::SessionError::NotRunning.into())
}

async fn blocking<T: Send + 'static>(work: impl FnOnce() -> Result<T, IpcError> + Send + 'static) -> Result<T, IpcError> {
    match tauri::async_runtime::spawn_blocking(work).await {
        Ok(result) => result,
        Err(e) => Err(IpcError::internal(format!("the checks task failed: {e}"))),
    }
}

fn overview_of(project: &str, data_dir: &Path) -> Result<ChecksOverview, IpcError> {
    let project = warden_engine::resolve_project_dir(project)?;
    let view = overview(&project, data_dir).map_err(IpcError::internal)?;
    let gate = config::inspect(&project, data_dir).config.gate;
    let request = match trust_request(&project, data_dir) {
        Ok(request) => Some(request_view(request)),
        Err(TrustError::Invalid(_) | TrustError::NoFile(_)) => None,
        Err(e) => return Err(IpcError::internal(e)),
    };
    Ok(overview_view(view, request, gate.max_rounds, gate.budget_usd))
}

fn decide(project: &str, data_dir: &Path, decision: ChecksTrustDecision, shown: Option<&str>) -> Result<ChecksOverview, IpcError> {
    let folder = warden_engine::resolve_project_dir(project)?;
    let store = TrustStore::new(data_dir, &folder);
    let decision = match decision {
        ChecksTrustDecision::Revoke => {
            store.revoke().map_err(IpcError::internal)?;
            return overview_of(project, data_dir);
        }
        ChecksTrustDecision::Trust => Decision::Trust,
        ChecksTrustDecision::RunOnce => Decision::RunOnce,
        ChecksTrustDecision::DontRun => Decision::DontRun,
    };
    let Some(shown) = shown else {
        return Err(IpcError::internal("no content was shown: a decision is about the content the person saw"));
    };
    let request = trust_request(&folder, data_dir).map_err(|e| match e {
        TrustError::Invalid(_) => IpcError::internal("the checks file has errors: nothing can be trusted until they are fixed"),
        other => IpcError::internal(other),
    })?;
    // What is trusted is exactly what was shown: a file changed meanwhile is asked about again.
    if request.sha256 != shown {
        return Err(IpcError::internal("the checks file changed since it was shown: nothing was decided; review it again"));
    }
    store.decide(&request.sha256, decision).map_err(IpcError::internal)?;
    tracing::info!(project = %folder.display(), ?decision, "checks file trust decided");
    overview_of(project, data_dir)
}

fn read_log(data_dir: &Path, path: &Path, offset: u64) -> Result<ChecksLogPage, IpcError> {
    let refused = || IpcError::internal(format!("{} is not a check's log", path.display()));
    let root = config::logs_folder(data_dir);
    // Both sides canonical: `..`, symlinks and a data folder reached through a link all resolve
    // before the comparison.
    let root = std::fs::canonicalize(&root).map_err(|_| refused())?;
    let file = std::fs::canonicalize(path).map_err(|_| refused())?;
    if !file.starts_with(&root) || !file.is_file() {
        return Err(refused());
    }
    let mut handle = std::fs::File::open(&file).map_err(IpcError::internal)?;
    let size = handle.metadata().map_err(IpcError::internal)?.len();
    let start = offset.min(size);
    handle.seek(SeekFrom::Start(start)).map_err(IpcError::internal)?;
    let mut bytes = Vec::new();
    handle.take(LOG_PAGE).read_to_end(&mut bytes).map_err(IpcError::internal)?;
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
        reviews: r.reviews.iter().map(warden_gate::trust::ReviewToTrust::describe).collect(),
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
