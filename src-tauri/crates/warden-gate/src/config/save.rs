//! Saving a pipeline defined in the New Session dialog into the person's own layer for the
//! project (`<data>/checks/<project-key>.toml`), so it is offered next time and by
//! `warden run --pipeline ID`.
//!
//! The file is edited, not rewritten: the person's other entries, comments and layout stay as
//! they were. The result is read back by the same loader as every configuration before it
//! replaces the file (a temp file renamed over it), so a save never leaves a layer that does
//! not load.

use super::error::ConfigError;
use super::{inspect_str, personal_file, project_file};
use std::path::{Path, PathBuf};
use toml_edit::{value, Array, ArrayOfTables, DocumentMut, Item, Table};
use warden_core::pipeline::{PipelineRole, PipelineSpec, PlanApproval};

/// Why a pipeline was not saved.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    /// The id is taken (in the project file or the person's layer) and replacing was not asked.
    #[error("a pipeline with the id `{0}` already exists")]
    Exists(String),
    /// The id is empty.
    #[error("a pipeline needs an id")]
    NoId,
    /// The person's layer could not be read or edited as TOML.
    #[error("your checks layer {file} cannot be edited: {message}")]
    Unreadable {
        /// The layer's path.
        file: String,
        /// What is wrong.
        message: String,
    },
    /// The configuration with the pipeline saved would not load.
    #[error("the pipeline would not load: {}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<ConfigError>),
    /// Writing the file failed.
    #[error("cannot write {file}: {message}")]
    Io {
        /// The layer's path.
        file: String,
        /// The system's message.
        message: String,
    },
}

/// Saves `spec` as a `[[pipeline]]` of the person's layer for `project` (its canonical folder).
/// An id that already exists in either layer is refused unless `replace`; replacing one of the
/// person's own entries keeps its place (and the comments above it) in the file. Returns the
/// layer's path.
pub fn save_pipeline(project: &Path, data_dir: &Path, spec: &PipelineSpec, replace: bool) -> Result<PathBuf, SaveError> {
    let path = personal_file(data_dir, project);
    let shown = path.display().to_string();
    let current = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(SaveError::Unreadable { file: shown, message: e.to_string() }),
    };
    let project_text = match std::fs::read_to_string(project_file(project)) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(SaveError::Unreadable { file: project_file(project).display().to_string(), message: e.to_string() }),
    };
    let text = with_pipeline(project, project_text.as_deref(), &current, spec, replace).map_err(|e| match e {
        SaveError::Unreadable { message, .. } => SaveError::Unreadable { file: shown.clone(), message },
        other => other,
    })?;
    write_replacing(&path, &text).map_err(|e| SaveError::Io { file: shown, message: e.to_string() })?;
    Ok(path)
}

/// The person's layer `personal` with `spec` saved into it, checked by the loader together with
/// the project's file. Nothing is written.
pub fn with_pipeline(project: &Path, project_text: Option<&str>, personal: &str, spec: &PipelineSpec, replace: bool) -> Result<String, SaveError> {
    let id = spec.id.trim();
    if id.is_empty() {
        return Err(SaveError::NoId);
    }
    let unreadable = |message: String| SaveError::Unreadable { file: String::new(), message };
    let mut doc: DocumentMut = personal.parse().map_err(|e: toml_edit::TomlError| unreadable(e.to_string()))?;
    let in_project = project_text.is_some_and(|text| inspect_str(project, Some(text), None).config.pipelines.iter().any(|p| p.id == id));
    let list = doc
        .entry("pipeline")
        .or_insert_with(|| Item::ArrayOfTables(ArrayOfTables::new()))
        .as_array_of_tables_mut()
        .ok_or_else(|| unreadable("`pipeline` is not a list of [[pipeline]] tables".into()))?;
    let mine = list.iter().position(|t| t.get("id").and_then(Item::as_str) == Some(id));
    if (mine.is_some() || in_project) && !replace {
        return Err(SaveError::Exists(id.to_owned()));
    }
    let table = pipeline_table(spec);
    match mine.and_then(|i| list.get_mut(i)) {
        Some(old) => {
            // Keep the comments above the entry the person wrote.
            let decor = old.decor().clone();
            *old = table;
            *old.decor_mut() = decor;
        }
        None => list.push(table),
    }
    let text = doc.to_string();
    let inspection = inspect_str(project, project_text, Some(&text));
    if !inspection.errors.is_empty() {
        return Err(SaveError::Invalid(inspection.errors));
    }
    Ok(text)
}

/// `spec` as the `[[pipeline]]` table the file would hold: only the fields a step's role takes.
fn pipeline_table(spec: &PipelineSpec) -> Table {
    let mut table = Table::new();
    table.insert("id", value(spec.id.trim()));
    if !spec.name.trim().is_empty() && spec.name.trim() != spec.id.trim() {
        table.insert("name", value(spec.name.trim()));
    }
    table.insert("max_rounds", value(i64::from(spec.max_rounds)));
    let mut steps = ArrayOfTables::new();
    for step in &spec.steps {
        let mut t = Table::new();
        t.insert("role", value(step.role.as_str()));
        t.insert("agent", value(step.agent.trim()));
        if let Some(model) = step.model.as_deref().map(str::trim).filter(|m| !m.is_empty()) {
            t.insert("model", value(model));
        }
        match step.role {
            PipelineRole::Plan => {
                t.insert("approve", value(if step.approve == PlanApproval::Auto { "auto" } else { "person" }));
            }
            PipelineRole::Review => {
                let severities: Array = step.block_on.iter().map(|s| s.as_str()).collect();
                t.insert("block_on", value(severities));
            }
            PipelineRole::Implement => {}
        }
        if let Some(instructions) = step.instructions.as_deref().filter(|i| !i.trim().is_empty()) {
            t.insert("instructions", value(instructions));
        }
        steps.push(t);
    }
    table.insert("step", Item::ArrayOfTables(steps));
    table
}

/// Writes `text` to a temp file beside `path` and renames it over: a reader sees the old file
/// or the new one, never half of it.
fn write_replacing(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(folder) = path.parent() {
        std::fs::create_dir_all(folder)?;
    }
    let staged = path.with_extension("toml.saving");
    std::fs::write(&staged, text)?;
    std::fs::rename(&staged, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&staged);
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use warden_core::pipeline::{PipelineStepSpec, DEFAULT_BLOCK_ON};
    use warden_core::review::ReviewSeverity;

    fn step(role: PipelineRole, agent: &str) -> PipelineStepSpec {
        PipelineStepSpec { role, agent: agent.into(), model: None, approve: PlanApproval::Person, block_on: DEFAULT_BLOCK_ON.to_vec(), instructions: None }
    }

    fn spec(id: &str) -> PipelineSpec {
        let mut plan = step(PipelineRole::Plan, "claude");
        plan.approve = PlanApproval::Auto;
        plan.model = Some("opus".into());
        let mut review = step(PipelineRole::Review, "gemini");
        review.instructions = Some("Look at the tests.".into());
        review.block_on = vec![ReviewSeverity::Critical, ReviewSeverity::Medium];
        PipelineSpec { id: id.into(), name: "Mine".into(), max_rounds: 2, steps: vec![plan, step(PipelineRole::Implement, "codex"), review] }
    }

    const PERSONAL: &str = "# my layer: keep this\n[[check]]\nid = \"lint\" # and this\nshell = \"true\"\n\n# my pipeline\n[[pipeline]]\nid = \"old\"\n[[pipeline.step]]\nrole = \"implement\"\n";

    #[test]
    fn saving_keeps_the_other_content_and_comments_and_the_result_loads_and_merges() {
        let project = Path::new("/nonexistent/p");
        let text = with_pipeline(project, Some("version = 1\n"), PERSONAL, &spec("mine"), false).unwrap();
        assert!(text.starts_with(PERSONAL.trim_end()), "the person's text stays as it was:\n{text}");
        let inspection = inspect_str(project, Some("version = 1\n"), Some(&text));
        assert!(inspection.errors.is_empty(), "{:?}", inspection.errors);
        assert_eq!(inspection.config.checks.len(), 1);
        let saved = inspection.config.pipelines.iter().find(|p| p.id == "mine").unwrap();
        assert_eq!(saved.spec, spec("mine"), "what was saved reads back the same");
    }

    #[test]
    fn an_existing_id_is_refused_unless_replacing_which_keeps_its_place_and_comment() {
        let project = Path::new("/nonexistent/p");
        let err = with_pipeline(project, None, PERSONAL, &spec("old"), false).unwrap_err();
        assert!(matches!(err, SaveError::Exists(ref id) if id == "old"), "{err}");
        let in_project = "version = 1\n[[pipeline]]\nid = \"shared\"\n[[pipeline.step]]\nrole = \"implement\"\n";
        assert!(matches!(with_pipeline(project, Some(in_project), PERSONAL, &spec("shared"), false), Err(SaveError::Exists(_))));
        let text = with_pipeline(project, None, PERSONAL, &spec("old"), true).unwrap();
        assert_eq!(text.matches("[[pipeline]]").count(), 1, "{text}");
        assert!(text.contains("# my pipeline\n[[pipeline]]\nid = \"old\"\nname = \"Mine\""), "{text}");
        let merged = with_pipeline(project, Some(in_project), "", &spec("shared"), true).unwrap();
        let p = inspect_str(project, Some(in_project), Some(&merged)).config.pipelines;
        assert_eq!((p.len(), p[0].spec.steps.len(), p[0].spec.name.as_str()), (1, 3, "Mine"), "the person's entry overrides the project's");
    }

    #[test]
    fn a_pipeline_that_would_not_load_is_refused_and_nothing_is_written() {
        let data = tempfile::tempdir().unwrap();
        let project = tempfile::tempdir().unwrap();
        let mut wrong = spec("bad");
        wrong.steps.swap(0, 1);
        let err = save_pipeline(project.path(), data.path(), &wrong, false).unwrap_err();
        assert!(err.to_string().contains("at most one plan step"), "{err}");
        assert!(!personal_file(data.path(), project.path()).exists());
        assert!(matches!(save_pipeline(project.path(), data.path(), &spec(" "), false), Err(SaveError::NoId)));
        let path = save_pipeline(project.path(), data.path(), &spec("good"), false).unwrap();
        let loaded = super::super::load(project.path(), data.path()).unwrap();
        assert_eq!(loaded.pipelines[0].spec, spec("good"));
        assert_eq!(path, personal_file(data.path(), project.path()));
        assert!(!path.with_extension("toml.saving").exists(), "no temp file left");
    }
}
