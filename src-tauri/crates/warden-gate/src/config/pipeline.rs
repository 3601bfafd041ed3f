//! `[[pipeline]]`: saved sequences of roles (plan → implement → review) in the same file as the
//! checks, as written ([`PipelineFile`]) and resolved into [`PipelineSpec`]s with their
//! defaults, merged by id across the layers.
//!
//! The person's layer overrides a project pipeline's `name`, `disabled` and `max_rounds` field
//! by field, and its steps as a whole (steps have no ids, so merging them one by one would guess).

use super::error::{ConfigError, SourceText};
use super::merge::Layer;
use super::model::{Disabled, Entry, Location, Source};
use schemars::JsonSchema;
use serde::Deserialize;
use std::ops::Range;
use toml::Spanned;
use warden_core::pipeline::{PipelineRole, PipelineSpec, PipelineStepSpec, PlanApproval, DEFAULT_BLOCK_ON};
use warden_core::review::ReviewSeverity;

/// `[[pipeline]]`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PipelineFile {
    /// Unique among the pipelines of the file; `warden run --pipeline ID` names it.
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// Shown in the New Session dialog (default: the id).
    pub name: Option<String>,
    /// `true` switches the pipeline off.
    pub disabled: Option<bool>,
    /// Rounds of the implementer at most, review feedback included (default: `[gate] max_rounds`).
    #[schemars(with = "Option<u32>")]
    pub max_rounds: Option<Spanned<u32>>,
    /// The steps, in order: at most one plan step, then one implement step, then review steps.
    #[serde(default, rename = "step")]
    #[schemars(with = "Option<Vec<PipelineStepFile>>")]
    pub steps: Option<Spanned<Vec<PipelineStepFile>>>,
}

/// `[[pipeline.step]]`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PipelineStepFile {
    /// What the step does: "plan" (plan mode, changes nothing), "implement", "review".
    pub role: RoleName,
    /// The agent: claude (the default), codex, gemini, another built-in agent or a custom agent.
    pub agent: Option<String>,
    /// The model, when not the agent's default.
    pub model: Option<String>,
    /// For the plan step: "person" (the default) approves, edits or rejects the plan; "auto".
    pub approve: Option<ApproveName>,
    /// For a review step: the severities that send findings back (default ["critical", "high"]).
    pub block_on: Option<Vec<SeverityName>>,
    /// Extra instructions added to the step's prompt.
    pub instructions: Option<String>,
}

/// `role`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum RoleName {
    /// A planner in plan mode.
    Plan,
    /// The implementer, under the gate.
    Implement,
    /// A read-only reviewer.
    Review,
}

/// `approve`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ApproveName {
    /// The person decides.
    Person,
    /// The plan goes on as written.
    Auto,
}

/// A severity in `block_on`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum SeverityName {
    /// Critical.
    Critical,
    /// High.
    High,
    /// Medium.
    Medium,
    /// Low.
    Low,
}

impl From<SeverityName> for ReviewSeverity {
    fn from(s: SeverityName) -> Self {
        match s {
            SeverityName::Critical => Self::Critical,
            SeverityName::High => Self::High,
            SeverityName::Medium => Self::Medium,
            SeverityName::Low => Self::Low,
        }
    }
}

/// A pipeline while merging.
struct Pending {
    raw: PipelineFile,
    source: Source,
    overridden: Vec<String>,
}

/// Merges the pipelines of both layers (project first) and resolves them; errors go to `errors`
/// and leave the pipeline out. `default_rounds` is `[gate] max_rounds`.
pub(crate) fn merge(layers: &[&Layer], default_rounds: u32, errors: &mut Vec<ConfigError>) -> Vec<Entry<PipelineSpec>> {
    let mut pending: Vec<Pending> = Vec::new();
    for layer in layers {
        let mut seen: Vec<&str> = Vec::new();
        for entry in &layer.file.pipelines {
            let raw = entry.get_ref();
            let id = raw.id.get_ref();
            if id.trim().is_empty() {
                errors.push(layer.text.at(raw.id.span(), None, Some("id"), "an id cannot be empty"));
                continue;
            }
            if seen.contains(&id.as_str()) {
                errors.push(layer.text.at(raw.id.span(), Some(id), Some("id"), format!("the pipeline `{id}` is defined twice in this file")));
                continue;
            }
            seen.push(id);
            match pending.iter_mut().find(|p| p.raw.id.get_ref() == id) {
                Some(existing) if layer.source == Source::Personal => overlay(existing, raw.clone()),
                _ => pending.push(Pending { raw: raw.clone(), source: layer.source, overridden: Vec::new() }),
            }
        }
    }
    let text_of = |source: Source| layers.iter().find(|l| l.source == source).map(|l| &l.text);
    pending
        .into_iter()
        .filter_map(|p| {
            let id_text = text_of(p.source)?;
            // Steps and `max_rounds` set by the person point into their layer.
            let field_text = |field: &str| if p.overridden.iter().any(|o| o == field) { text_of(Source::Personal).unwrap_or(id_text) } else { id_text };
            resolve(&p, id_text, &field_text, default_rounds, errors)
        })
        .collect()
}

fn overlay(base: &mut Pending, over: PipelineFile) {
    if let Some(name) = over.name {
        base.raw.name = Some(name);
        base.overridden.push("name".into());
    }
    if let Some(disabled) = over.disabled {
        base.raw.disabled = Some(disabled);
        base.overridden.push("disabled".into());
    }
    if let Some(rounds) = over.max_rounds {
        base.raw.max_rounds = Some(rounds);
        base.overridden.push("max_rounds".into());
    }
    if let Some(steps) = over.steps {
        base.raw.steps = Some(steps);
        base.overridden.push("step".into());
    }
}

fn resolve<'a>(p: &Pending, id_text: &'a SourceText, field_text: &dyn Fn(&str) -> &'a SourceText, default_rounds: u32, errors: &mut Vec<ConfigError>) -> Option<Entry<PipelineSpec>> {
    let raw = &p.raw;
    let id = raw.id.get_ref().clone();
    let before = errors.len();
    let mut error = |field: &str, span: Range<usize>, message: String| errors.push(field_text(field).at(span, Some(&id), Some(field), message));
    let max_rounds = match &raw.max_rounds {
        Some(m) if *m.get_ref() == 0 => {
            error("max_rounds", m.span(), "max_rounds counts the implementer's first task: it is at least 1".into());
            0
        }
        Some(m) => *m.get_ref(),
        None => default_rounds,
    };
    let (steps, span) = match &raw.steps {
        Some(steps) => (steps.get_ref().clone(), steps.span()),
        None => (Vec::new(), raw.id.span()),
    };
    let roles: Vec<RoleName> = steps.iter().map(|s| s.role).collect();
    if let Err(message) = check_order(&roles) {
        error("step", span.clone(), message);
    }
    for (i, step) in steps.iter().enumerate() {
        let n = i + 1;
        if step.approve.is_some() && step.role != RoleName::Plan {
            error("step", span.clone(), format!("step {n}: `approve` is for the plan step"));
        }
        if step.block_on.is_some() && step.role != RoleName::Review {
            error("step", span.clone(), format!("step {n}: `block_on` is for review steps"));
        }
        if step.agent.as_deref().is_some_and(|a| a.trim().is_empty()) {
            error("step", span.clone(), format!("step {n}: `agent` is empty"));
        }
    }
    if errors.len() > before {
        return None;
    }
    let steps = steps
        .into_iter()
        .map(|s| PipelineStepSpec {
            role: match s.role {
                RoleName::Plan => PipelineRole::Plan,
                RoleName::Implement => PipelineRole::Implement,
                RoleName::Review => PipelineRole::Review,
            },
            agent: s.agent.map(|a| a.trim().to_owned()).unwrap_or_else(|| "claude".to_owned()),
            model: s.model,
            approve: match s.approve {
                Some(ApproveName::Auto) => PlanApproval::Auto,
                Some(ApproveName::Person) | None => PlanApproval::Person,
            },
            block_on: s.block_on.map(|b| b.into_iter().map(Into::into).collect()).unwrap_or_else(|| DEFAULT_BLOCK_ON.to_vec()),
            instructions: s.instructions,
        })
        .collect();
    let disabled = match raw.disabled {
        Some(true) if p.source == Source::Personal || p.overridden.iter().any(|o| o == "disabled") => Some(Disabled::InPersonalLayer),
        Some(true) => Some(Disabled::InProjectFile),
        _ => None,
    };
    Some(Entry {
        id: id.clone(),
        source: p.source,
        overridden: p.overridden.clone(),
        disabled,
        location: Location { file: id_text.shown.clone(), line: super::error::line_column(&id_text.text, raw.id.span().start).0 },
        spec: PipelineSpec { name: raw.name.clone().unwrap_or_else(|| id.clone()), id, max_rounds, steps },
    })
}

/// Checks a pipeline given whole (defined in the New Session dialog, not read from a file) by
/// the same rules as `[[pipeline]]`: the steps' order, a non-empty agent, `max_rounds` ≥ 1.
pub fn check_spec(spec: &PipelineSpec) -> Result<(), String> {
    let roles: Vec<RoleName> = spec
        .steps
        .iter()
        .map(|s| match s.role {
            PipelineRole::Plan => RoleName::Plan,
            PipelineRole::Implement => RoleName::Implement,
            PipelineRole::Review => RoleName::Review,
        })
        .collect();
    check_order(&roles)?;
    if let Some(n) = spec.steps.iter().position(|s| s.agent.trim().is_empty()) {
        return Err(format!("step {}: `agent` is empty", n + 1));
    }
    if spec.max_rounds == 0 {
        return Err("max_rounds counts the implementer's first task: it is at least 1".into());
    }
    Ok(())
}

/// The steps' order: at most one plan step, first; exactly one implement step; review steps
/// after it.
fn check_order(roles: &[RoleName]) -> Result<(), String> {
    let implements: Vec<usize> = roles.iter().enumerate().filter(|(_, r)| **r == RoleName::Implement).map(|(i, _)| i).collect();
    let [implement] = implements[..] else {
        return Err(format!("a pipeline has exactly one step with role = \"implement\" (this one has {})", implements.len()));
    };
    let plans = roles.iter().filter(|r| **r == RoleName::Plan).count();
    if plans > 1 || (plans == 1 && roles[0] != RoleName::Plan) {
        return Err("a pipeline has at most one plan step, and it comes first".into());
    }
    if roles[..implement].contains(&RoleName::Review) {
        return Err("review steps come after the implement step: they review its work".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::inspect_str;
    use std::path::Path;
    use warden_core::pipeline::{PipelineRole, PipelineSpec, PlanApproval};
    use warden_core::review::ReviewSeverity;

    const HEAD: &str = "version = 1\n";
    const PIPELINE: &str = r#"
[[pipeline]]
id = "plan-implement-review"
name = "Plan, implement, review"

[[pipeline.step]]
role = "plan"
agent = "claude"
model = "opus"

[[pipeline.step]]
role = "implement"
agent = "codex"

[[pipeline.step]]
role = "review"
agent = "gemini"
block_on = ["critical", "high", "medium"]
"#;

    fn pipelines(project: &str, personal: Option<&str>) -> Result<Vec<PipelineSpec>, Vec<String>> {
        let inspection = inspect_str(Path::new("/nonexistent/p"), Some(project), personal);
        if inspection.errors.is_empty() {
            Ok(inspection.config.pipelines.into_iter().map(|e| e.spec).collect())
        } else {
            Err(inspection.errors.iter().map(ToString::to_string).collect())
        }
    }

    #[test]
    fn a_pipeline_reads_with_its_steps_and_defaults() {
        let all = pipelines(&format!("{HEAD}{PIPELINE}"), None).unwrap();
        let p = &all[0];
        assert_eq!((p.id.as_str(), p.name.as_str(), p.max_rounds), ("plan-implement-review", "Plan, implement, review", 3));
        let roles: Vec<_> = p.steps.iter().map(|s| (s.role, s.agent.as_str())).collect();
        assert_eq!(roles, [(PipelineRole::Plan, "claude"), (PipelineRole::Implement, "codex"), (PipelineRole::Review, "gemini")]);
        assert_eq!(p.steps[0].approve, PlanApproval::Person);
        assert_eq!(p.steps[0].model.as_deref(), Some("opus"));
        assert_eq!(p.steps[2].block_on, [ReviewSeverity::Critical, ReviewSeverity::High, ReviewSeverity::Medium]);
        assert_eq!(p.steps[1].block_on, [ReviewSeverity::Critical, ReviewSeverity::High], "the default");
    }

    #[test]
    fn the_rounds_default_to_the_gate_and_the_person_overrides_by_id() {
        let project = format!("{HEAD}[gate]\nmax_rounds = 5\n{PIPELINE}");
        assert_eq!(pipelines(&project, None).unwrap()[0].max_rounds, 5);
        let personal = "[[pipeline]]\nid = \"plan-implement-review\"\nmax_rounds = 2\n[[pipeline.step]]\nrole = \"implement\"\n";
        let p = &pipelines(&project, Some(personal)).unwrap()[0];
        assert_eq!(p.max_rounds, 2);
        assert_eq!(p.name, "Plan, implement, review", "the name stays the project's");
        assert_eq!(p.steps.len(), 1, "the person's steps replace the project's");
        assert_eq!(p.steps[0].agent, "claude", "the default agent");
    }

    #[test]
    fn a_spec_given_whole_is_checked_by_the_same_rules() {
        let ok = pipelines(&format!("{HEAD}{PIPELINE}"), None).unwrap().remove(0);
        assert_eq!(super::check_spec(&ok), Ok(()));
        let mut late_plan = ok.clone();
        late_plan.steps.swap(0, 1);
        assert!(super::check_spec(&late_plan).unwrap_err().contains("comes first"));
        let mut no_agent = ok.clone();
        no_agent.steps[1].agent = " ".into();
        assert_eq!(super::check_spec(&no_agent).unwrap_err(), "step 2: `agent` is empty");
        let mut no_rounds = ok;
        no_rounds.max_rounds = 0;
        assert!(super::check_spec(&no_rounds).unwrap_err().contains("at least 1"));
    }

    #[test]
    fn wrong_orders_and_fields_are_refused_with_their_place() {
        let one = |steps: &str| pipelines(&format!("{HEAD}[[pipeline]]\nid = \"p\"\n{steps}"), None).unwrap_err().join("\n");
        assert!(one("").contains("exactly one step with role = \"implement\""), "{}", one(""));
        let review_first = "[[pipeline.step]]\nrole = \"review\"\n[[pipeline.step]]\nrole = \"implement\"\n";
        assert!(one(review_first).contains("review steps come after"));
        let plan_late = "[[pipeline.step]]\nrole = \"implement\"\n[[pipeline.step]]\nrole = \"plan\"\n";
        assert!(one(plan_late).contains("comes first"));
        let approve = "[[pipeline.step]]\nrole = \"implement\"\napprove = \"auto\"\n";
        let err = one(approve);
        assert!(err.contains("`approve` is for the plan step") && err.contains("`p`, field `step`"), "{err}");
        let unknown = "[[pipeline.step]]\nrole = \"implement\"\nmode = \"plan\"\n";
        assert!(one(unknown).contains("unknown field `mode`"), "{}", one(unknown));
        let twice = format!("{HEAD}[[pipeline]]\nid = \"p\"\n[[pipeline.step]]\nrole = \"implement\"\n[[pipeline]]\nid = \"p\"\n[[pipeline.step]]\nrole = \"implement\"\n");
        assert!(pipelines(&twice, None).unwrap_err()[0].contains("defined twice"));
    }
}
