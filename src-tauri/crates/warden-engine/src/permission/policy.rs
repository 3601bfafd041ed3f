//! The decisions Warden makes before anyone is asked, for one session.

use super::rules_file::{ProjectRules, RulesError};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use warden_core::permission::{self, Context, Rule, RuleSet, ToolUse, Verdict};
use warden_core::session::{DecisionSource, PermissionDecision, PermissionMode, PermissionRequest};

/// Tools whose question is the point (a plan approval, a question to the person): rules and
/// modes never answer them.
const ALWAYS_ASK: &[&str] = &["ExitPlanMode", "AskUserQuestion"];
/// Tools that edit files, which "accept edits" lets through inside the project.
const EDIT_TOOLS: &[&str] = &["Edit", "MultiEdit", "Write", "NotebookEdit"];
/// Inputs that name the file or folder a path tool works on.
const PATH_INPUTS: &[&str] = &["file_path", "notebook_path", "path"];

/// A decision made without asking.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Auto {
    pub decision: PermissionDecision,
    pub source: DecisionSource,
    /// The rules that decided.
    pub rules: Vec<Rule>,
    /// What the agent is told (denials).
    pub message: Option<String>,
}

/// One session's permission state: its mode, its own rules, and its project's rules.
pub(crate) struct Policy {
    project: PathBuf,
    home: Option<PathBuf>,
    mode: PermissionMode,
    session: RuleSet,
    project_rules: Arc<dyn ProjectRules>,
    /// The last complaint about the project rules, so it is told once, not on every call.
    last_warning: Option<String>,
}

impl Policy {
    pub fn new(project: PathBuf, mode: PermissionMode, session: RuleSet, project_rules: Arc<dyn ProjectRules>) -> Self {
        let home = std::env::var_os("HOME").map(PathBuf::from);
        Self { project, home, mode, session, project_rules, last_warning: None }
    }

    pub fn mode(&self) -> PermissionMode {
        self.mode
    }

    pub fn set_mode(&mut self, mode: PermissionMode) {
        self.mode = mode;
    }

    pub fn session_rules(&self) -> &RuleSet {
        &self.session
    }

    /// Replaces the session's rules; whether anything changed.
    pub fn set_session_rules(&mut self, rules: RuleSet) -> bool {
        let changed = self.session != rules;
        self.session = rules;
        changed
    }

    /// Adds allow rules to the session; whether anything changed.
    pub fn allow_in_session(&mut self, rules: Vec<Rule>) -> bool {
        let before = self.session.clone();
        self.session.add_allow(rules);
        before != self.session
    }

    /// Adds allow rules to the project and saves them.
    pub fn allow_in_project(&self, rules: Vec<Rule>) -> Result<(), RulesError> {
        let mut set = self.project_rules.rules(&self.project)?;
        set.add_allow(rules);
        self.project_rules.set_rules(&self.project, &set)
    }

    /// The project's rules, and a complaint the first time they cannot be read (unreadable
    /// rules count as none: nothing is allowed by them, and the person is told).
    fn project_set(&mut self) -> (RuleSet, Option<String>) {
        match self.project_rules.rules(&self.project) {
            Ok(set) => (set, None),
            Err(e) => {
                let text = e.to_string();
                let fresh = self.last_warning.as_deref() != Some(text.as_str());
                self.last_warning = Some(text.clone());
                (RuleSet::default(), fresh.then_some(text))
            }
        }
    }

    fn context(&self) -> Context<'_> {
        Context { project: &self.project, cwd: &self.project, home: self.home.as_deref() }
    }

    /// Looks at a question from the agent: fills in what the question shows (subject, paths
    /// outside the project, suggested rules) and says what the rules and the mode decide,
    /// `None` meaning ask the person. The second value is a complaint about unreadable project
    /// rules, the first time it is seen.
    pub fn consider(&mut self, request: &mut PermissionRequest) -> (Option<Auto>, Option<String>) {
        // Read once per question: the file may change between questions (another window, a
        // `warden run`), never within one.
        let (project, warning) = self.project_set();
        let tool = ToolUse { tool_name: &request.tool_name, input: &request.raw_input };
        let ctx = self.context();
        request.subject = permission::subject(&tool, &ctx);
        let mut outside: Vec<PathBuf> = permission::outside_paths(&tool, &ctx);
        for linked in self.linked_outside(&request.raw_input) {
            if !outside.contains(&linked) {
                outside.push(linked);
            }
        }
        request.outside_project = outside.iter().map(|p| p.display().to_string()).collect();
        let mut known = self.session.clone();
        known.add_allow(project.allow.iter().cloned());
        request.suggested_rules = permission::suggest_rules(&tool, &ctx, &known);
        (self.decide(request, project), warning)
    }

    fn decide(&self, request: &PermissionRequest, mut project: RuleSet) -> Option<Auto> {
        if ALWAYS_ASK.contains(&request.tool_name.as_str()) {
            return None;
        }
        // A call that leaves the project (also through a symbolic link) is never allowed by a
        // project rule; project deny rules still count.
        if !request.outside_project.is_empty() {
            project.allow.clear();
        }
        let tool = ToolUse { tool_name: &request.tool_name, input: &request.raw_input };
        let allow = |source, rules| Some(Auto { decision: PermissionDecision::AllowOnce, source, rules, message: None });
        match permission::evaluate(&self.session, &project, &tool, &self.context()).verdict {
            Verdict::Deny(rule) => Some(deny_by(rule)),
            _ if self.mode == PermissionMode::Bypass => allow(DecisionSource::Mode, Vec::new()),
            Verdict::Allow(rules) => allow(DecisionSource::Rule, rules),
            Verdict::Undecided
                if self.mode == PermissionMode::AcceptEdits
                    && EDIT_TOOLS.contains(&request.tool_name.as_str())
                    && request.outside_project.is_empty() =>
            {
                allow(DecisionSource::Mode, Vec::new())
            }
            Verdict::Undecided => None,
        }
    }

    /// The deny rule that forbids a call about to run, if any (checked for every call, also
    /// those the agent would run without asking).
    pub fn veto(&mut self, tool_name: &str, input: &serde_json::Value) -> (Option<Auto>, Option<String>) {
        let (project, warning) = self.project_set();
        let tool = ToolUse { tool_name, input };
        match permission::evaluate(&self.session, &project, &tool, &self.context()).verdict {
            Verdict::Deny(rule) => (Some(deny_by(rule)), warning),
            _ => (None, warning),
        }
    }

    /// What a call acts on, in a few words.
    pub fn subject(&self, tool_name: &str, input: &serde_json::Value) -> String {
        permission::subject(&ToolUse { tool_name, input }, &self.context())
    }

    /// Paths of a path tool that look inside the project but lead out of it through a
    /// symbolic link.
    fn linked_outside(&self, input: &serde_json::Value) -> Vec<PathBuf> {
        PATH_INPUTS
            .iter()
            .filter_map(|key| input.get(*key).and_then(|v| v.as_str()))
            .map(|raw| permission::path::resolve(&self.project, raw, self.home.as_deref()))
            .filter(|path| permission::path::is_inside(&self.project, path) && leaves_through_link(&self.project, path))
            .collect()
    }
}

fn deny_by(rule: Rule) -> Auto {
    Auto {
        decision: PermissionDecision::Deny,
        source: DecisionSource::Rule,
        message: Some(format!("Denied by the permission rule {rule} in Warden.")),
        rules: vec![rule],
    }
}

/// Whether the deepest existing part of `path` really lies outside `project` (a symbolic link
/// inside the project pointing out of it).
fn leaves_through_link(project: &Path, path: &Path) -> bool {
    let mut existing = path;
    while std::fs::symlink_metadata(existing).is_err() {
        match existing.parent() {
            Some(parent) => existing = parent,
            None => return false,
        }
    }
    match std::fs::canonicalize(existing) {
        Ok(real) => !real.starts_with(project),
        Err(_) => false,
    }
}
