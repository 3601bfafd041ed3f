//! The decisions Warden makes before anyone is asked, for one session.

use super::rules_file::{ProjectRules, RulesError};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use warden_core::permission::{self, Context, Evaluation, Links, Rule, RuleSet, ToolUse, Verdict};
use warden_core::session::{DecisionSource, PermissionDecision, PermissionMode, PermissionRequest, ToolInput};

/// Tools that edit files, which "accept edits" lets through inside the project.
const EDIT_TOOLS: &[&str] = &["Edit", "MultiEdit", "Write", "NotebookEdit"];
/// Tools that change nothing on disk: in plan mode, rules answer only these.
pub(crate) const READ_ONLY_TOOLS: &[&str] = &[
    "Read", "Grep", "Glob", "LS", "NotebookRead", "WebFetch", "WebSearch", "TodoWrite", "BashOutput",
    "ListMcpResourcesTool", "ReadMcpResourceTool",
];

/// What the rules say about a call about to run (see [`Policy::check`]).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum PreCheck {
    /// No deny rule stands in the way.
    Proceed,
    /// A deny rule forbids it.
    Deny(Auto),
    /// Deny rules of its kind exist and Warden cannot read the call with certainty: it must be
    /// asked, whatever the mode. Carries the reason.
    Ask(String),
}

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
        Context { project: &self.project, cwd: &self.project, home: self.home.as_deref(), links: Some(&DiskLinks) }
    }

    /// Looks at a question from the agent: fills in what the question shows (subject, paths
    /// outside the project, protected configuration, suggested rules) and says what the rules
    /// and the mode decide, `None` meaning ask the person. The second value is a warning for the
    /// person: a complaint about unreadable project rules (the first time it is seen), or why
    /// Warden asks although the mode would not (a call it cannot read with certainty while deny
    /// rules exist).
    pub fn consider(&mut self, request: &mut PermissionRequest) -> (Option<Auto>, Option<String>) {
        // Read once per question: the file may change between questions (another window, a
        // `warden run`), never within one.
        let (mut project, warning) = self.project_set();
        let tool = ToolUse { tool_name: &request.tool_name, input: &request.input };
        let ctx = self.context();
        request.subject = permission::subject(&tool, &ctx);
        let linked = self.linked_outside(&request.input);
        // A call that leaves the project (also through a symbolic link) is never allowed by a
        // project rule; project deny rules still count.
        if !linked.is_empty() {
            project.allow.clear();
        }
        let evaluation = permission::evaluate(&self.session, &project, &tool, &ctx);
        let mut outside = evaluation.outside_project.clone();
        for path in linked {
            if !outside.contains(&path) {
                outside.push(path);
            }
        }
        request.outside_project = outside.iter().map(|p| p.display().to_string()).collect();
        request.protected_paths = evaluation.protected.iter().map(|p| p.display().to_string()).collect();
        let mut known = self.session.clone();
        known.add_allow(project.allow.iter().cloned());
        request.suggested_rules = permission::suggest_rules(&tool, &ctx, &known);
        let uncertain = match &evaluation.verdict {
            Verdict::Uncertain(reason) => Some(format!("Warden asks about this {} call: {reason}.", request.tool_name)),
            _ => None,
        };
        let auto = self.decide(request, evaluation);
        let warning = match (warning, uncertain) {
            (Some(a), Some(b)) => Some(format!("{a}\n{b}")),
            (a, b) => a.or(b),
        };
        (auto, warning)
    }

    /// What the mode makes of the rules' verdict. Deny rules win in every mode; a call Warden
    /// cannot read with certainty while deny rules exist, and a write of protected
    /// configuration not allowed by its exact rule, are asked in every mode; in plan mode
    /// rules answer only read-only tools.
    fn decide(&self, request: &PermissionRequest, evaluation: Evaluation) -> Option<Auto> {
        let tool = request.tool_name.as_str();
        // A plan to approve or a question to the person: the question is the point.
        if request.input.always_asks() {
            return None;
        }
        let allow = |source, rules| Some(Auto { decision: PermissionDecision::AllowOnce, source, rules, message: None });
        let protected = !evaluation.protected.is_empty();
        match (evaluation.verdict, self.mode) {
            (Verdict::Deny(rule), _) => Some(deny_by(rule)),
            (Verdict::Uncertain(_), _) => None,
            (Verdict::Allow(_), PermissionMode::Plan) if !READ_ONLY_TOOLS.contains(&tool) => None,
            (Verdict::Allow(rules), _) => allow(DecisionSource::Rule, rules),
            (Verdict::Undecided, _) if protected => None,
            (Verdict::Undecided, PermissionMode::Bypass) => allow(DecisionSource::Mode, Vec::new()),
            (Verdict::Undecided, PermissionMode::AcceptEdits)
                if EDIT_TOOLS.contains(&tool) && request.outside_project.is_empty() =>
            {
                allow(DecisionSource::Mode, Vec::new())
            }
            (Verdict::Undecided, _) => None,
        }
    }

    /// The deny rule that forbids a call about to run, if any (checked for every call, also
    /// those the agent would run without asking). A call Warden cannot read with certainty
    /// while deny rules of its kind exist is refused here too: this check cannot ask, and deny
    /// rules fail closed.
    pub fn veto(&mut self, tool_name: &str, input: &ToolInput) -> (Option<Auto>, Option<String>) {
        let (check, warning) = self.check(tool_name, input);
        let auto = match check {
            PreCheck::Proceed => None,
            PreCheck::Deny(auto) => Some(auto),
            PreCheck::Ask(reason) => Some(refuse_uncertain(&reason)),
        };
        (auto, warning)
    }

    /// Like [`Policy::veto`], for an agent that can still be made to ask (Claude's
    /// `PreToolUse` hook): a call Warden cannot read with certainty is put to the person
    /// instead of refused.
    pub fn check(&mut self, tool_name: &str, input: &ToolInput) -> (PreCheck, Option<String>) {
        let (project, warning) = self.project_set();
        let tool = ToolUse { tool_name, input };
        let check = match permission::evaluate(&self.session, &project, &tool, &self.context()).verdict {
            Verdict::Deny(rule) => PreCheck::Deny(deny_by(rule)),
            Verdict::Uncertain(reason) => PreCheck::Ask(reason),
            _ => PreCheck::Proceed,
        };
        (check, warning)
    }

    /// What a call acts on, in a few words.
    pub fn subject(&self, tool_name: &str, input: &ToolInput) -> String {
        permission::subject(&ToolUse { tool_name, input }, &self.context())
    }

    /// Paths of a path tool (and the files of a multi-file edit, and the call's folder) that
    /// look inside the project but lead out of it through a symbolic link.
    fn linked_outside(&self, input: &ToolInput) -> Vec<PathBuf> {
        let home = self.home.as_deref();
        let cwd = match input.cwd() {
            Some(cwd) => permission::path::resolve(&self.project, cwd, home),
            None => self.project.clone(),
        };
        let named = input.named_paths();
        let mut paths: Vec<PathBuf> = named.iter().map(|raw| permission::path::resolve(&cwd, raw, home)).collect();
        paths.push(cwd);
        paths.retain(|path| permission::path::is_inside(&self.project, path) && leaves_through_link(&self.project, path));
        paths.dedup();
        paths
    }
}

/// Where links lead, read from the disk: the deepest part of a path that exists, with its links
/// resolved, and the rest appended.
#[derive(Debug)]
struct DiskLinks;

impl Links for DiskLinks {
    fn target(&self, path: &Path) -> Option<PathBuf> {
        if !path.is_absolute() {
            return None;
        }
        let mut existing = path;
        let mut rest = Vec::new();
        while std::fs::symlink_metadata(existing).is_err() {
            rest.push(existing.file_name()?.to_owned());
            existing = existing.parent()?;
        }
        let mut real = std::fs::canonicalize(existing).ok()?;
        real.extend(rest.iter().rev());
        (real != path).then_some(real)
    }
}

/// The refusal of a call that cannot be checked against the deny rules and cannot be asked.
fn refuse_uncertain(reason: &str) -> Auto {
    Auto {
        decision: PermissionDecision::Deny,
        source: DecisionSource::Rule,
        message: Some(format!(
            "Warden did not run this call: {reason}. Write it plainly (no variables, globs or \
             expansions in the program or file names, no unknown wrapper options) so it can be checked."
        )),
        rules: Vec::new(),
    }
}

/// The denial of a call a deny rule covers.
fn deny_by(rule: Rule) -> Auto {
    Auto {
        decision: PermissionDecision::Deny,
        source: DecisionSource::Rule,
        message: Some(format!("Denied by the permission rule {rule} in Warden.")),
        rules: vec![rule],
    }
}

/// Whether `path`, inside `project` as written, really lies outside it: a symbolic link inside
/// the project points out of it (the project folder itself is already resolved).
fn leaves_through_link(project: &Path, path: &Path) -> bool {
    DiskLinks.target(path).is_some_and(|real| !real.starts_with(project))
}

#[cfg(test)]
#[path = "policy_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "agent_calls_tests.rs"]
mod agent_calls_tests;
