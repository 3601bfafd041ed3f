//! Deciding a tool call from the rules of a session and of a project.

use super::call::{covers, is_assignment, Call, Kind, Target, EDIT_TOOLS};
use super::glob::escape;
use super::path::{display, normalize, relative_to};
use super::rule::Rule;
use super::shell::SimpleCommand;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Rules of one scope (a session or a project): deny wins over allow.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct RuleSet {
    /// Calls these cover run without asking (unless a deny rule matches).
    #[serde(default)]
    pub allow: Vec<Rule>,
    /// Calls these cover are refused without asking.
    #[serde(default)]
    pub deny: Vec<Rule>,
}

impl RuleSet {
    /// Whether the set has no rules at all.
    pub fn is_empty(&self) -> bool {
        self.allow.is_empty() && self.deny.is_empty()
    }

    /// Adds allow rules, skipping ones already present, keeping the order they came in.
    pub fn add_allow(&mut self, rules: impl IntoIterator<Item = Rule>) {
        add_unique(&mut self.allow, rules);
    }

    /// Adds deny rules, skipping ones already present, keeping the order they came in.
    pub fn add_deny(&mut self, rules: impl IntoIterator<Item = Rule>) {
        add_unique(&mut self.deny, rules);
    }
}

fn add_unique(into: &mut Vec<Rule>, rules: impl IntoIterator<Item = Rule>) {
    for rule in rules {
        if !into.contains(&rule) {
            into.push(rule);
        }
    }
}

/// One tool call as the agent wants to run it.
#[derive(Debug, Clone, Copy)]
pub struct ToolUse<'a> {
    /// The tool's name, as the agent gives it (`Bash`, `Read`, `mcp__github__create_issue`).
    pub tool_name: &'a str,
    /// The tool's input as the agent sent it.
    pub input: &'a serde_json::Value,
}

/// Where the call runs: the folders relative paths and rule patterns are anchored to.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The project's root folder (absolute, symlinks already resolved by the caller).
    pub project: &'a Path,
    /// The folder the agent runs in, usually the project root.
    pub cwd: &'a Path,
    /// The person's home folder, for `~`; without it, `~` paths count as outside.
    pub home: Option<&'a Path>,
}

/// What the rules say about a call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Every part of the call is allowed; the rules that allowed them (deduplicated, in order).
    Allow(Vec<Rule>),
    /// A deny rule matched (the first one found).
    Deny(Rule),
    /// No rule decides; ask the person.
    Undecided,
}

/// The result of checking a call against a session's and a project's rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evaluation {
    /// What the rules decide.
    pub verdict: Verdict,
    /// Paths the call touches outside the project (after resolving `..`, `~`, relative paths);
    /// empty when none. Shown to the person, and the reason project rules did not apply.
    pub outside_project: Vec<PathBuf>,
}

/// Checks a call against the rules of its session and its project.
///
/// Deny rules of both scopes apply to every call, and win. A call is allowed only when every
/// part of it (each command of a compound shell line, each file a redirect writes) is allowed
/// by some rule of either scope, except that project allow rules never match a call that
/// touches a path outside the project: a project's settings should not grant access beyond it,
/// while a rule the person added for this session (`Read(//etc/hosts)`) may.
pub fn evaluate(session: &RuleSet, project: &RuleSet, tool: &ToolUse, ctx: &Context) -> Evaluation {
    let call = Call::read(tool, ctx);
    let outside_project = call.outside_paths(ctx);
    let deny_targets = call.deny_targets();
    let denied = session
        .deny
        .iter()
        .chain(&project.deny)
        .find(|rule| deny_targets.iter().any(|&target| covers(rule, target, ctx)));
    if let Some(rule) = denied {
        return Evaluation { verdict: Verdict::Deny(rule.clone()), outside_project };
    }
    let project_allow: &[Rule] = if outside_project.is_empty() { &project.allow } else { &[] };
    let mut used: Vec<Rule> = Vec::new();
    let targets = call.allow_targets();
    for target in &targets {
        let mut rules = session.allow.iter().chain(project_allow);
        let allowing = rules.find(|rule| covers(rule, *target, ctx));
        match allowing {
            Some(rule) if !used.contains(rule) => used.push(rule.clone()),
            Some(_) => {}
            None => return Evaluation { verdict: Verdict::Undecided, outside_project },
        }
    }
    // No targets means nothing was understood (an empty or unsplittable command): ask.
    let verdict = if used.is_empty() { Verdict::Undecided } else { Verdict::Allow(used) };
    Evaluation { verdict, outside_project }
}

/// The rules that "Allow for this session" / "Always allow in this project" would add for this
/// call, so the same call (and obvious relatives) no longer asks: one per part of a compound
/// shell command that `already` does not allow yet.
///
/// A shell command gives `Bash(<program> <subcommand>:*)` (or `Bash(<program>:*)` when the second
/// word is not a plain subcommand), the exact command when it starts with `VAR=value`, and an
/// `Edit(…)` rule per file it writes through a redirect; a command that cannot be split gives
/// nothing, since no rule could allow it. Read gives `Read(<path>)`, the file editing tools
/// `Edit(<path>)`, with the path relative to the project or `//absolute` outside it; Grep and
/// Glob give `Read(<folder>/**)`, or the tool alone when they search the working folder;
/// WebFetch gives `WebFetch(domain:<host>)`; anything else the tool name alone.
pub fn suggest_rules(tool: &ToolUse, ctx: &Context, already: &RuleSet) -> Vec<Rule> {
    let call = Call::read(tool, ctx);
    let allowed = |target: Target<'_>| already.allow.iter().any(|rule| covers(rule, target, ctx));
    let mut out: Vec<Rule> = Vec::new();
    match &call.kind {
        Kind::Shell { error: Some(_), .. } => {}
        Kind::Shell { parts, writes, .. } => {
            for (part, writes) in parts.iter().zip(writes) {
                if !part.words.is_empty() && !allowed(Target::Command(&part.text)) {
                    out.extend(command_rule(part));
                }
                for write in writes.iter().filter(|w| !allowed(Target::ShellWrite(w))) {
                    out.extend(path_rule("Edit", write, ctx, false));
                }
            }
        }
        _ if call.allow_targets().into_iter().all(allowed) => {}
        Kind::File { path: Some(path) } => {
            let name = call.tool;
            if name == "Read" {
                out.extend(path_rule("Read", path, ctx, false));
            } else if EDIT_TOOLS.contains(&name) {
                out.extend(path_rule("Edit", path, ctx, false));
            } else if normalize(path) == normalize(ctx.cwd) {
                out.extend(Rule::parse(name).ok());
            } else {
                out.extend(path_rule("Read", path, ctx, true));
            }
        }
        Kind::File { path: None } => {}
        Kind::Web { host } => {
            let host = host.as_deref().filter(|h| !h.contains('*'));
            out.extend(host.and_then(|h| Rule::parse(&format!("WebFetch(domain:{h})")).ok()));
        }
        Kind::Agent { .. } | Kind::Other => out.extend(Rule::parse(call.tool).ok()),
    }
    let mut unique = Vec::new();
    add_unique(&mut unique, out);
    unique
}

/// The Bash rule suggested for one simple command.
fn command_rule(part: &SimpleCommand) -> Option<Rule> {
    let first = part.words.first()?;
    // Only assignments (`x=1`) run no program at all.
    let program = part.words.iter().find(|w| !is_assignment(w)).unwrap_or(first);
    // A `*` in the program would turn the rule into a wildcard far wider than this command.
    if program.contains('*') || program.trim() != program.as_str() || program.is_empty() {
        return None;
    }
    let text = if is_assignment(first) {
        format!("Bash({})", part.text)
    } else {
        match part.words.get(1).filter(|w| is_subcommand(w)) {
            Some(second) => format!("Bash({first} {second}:*)"),
            None => format!("Bash({first}:*)"),
        }
    };
    Rule::parse(&text).ok()
}

/// A word that reads as a subcommand (`test`, `run`, `add-dir`), not a file, flag or value.
fn is_subcommand(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
}

/// A path rule for one file or folder, written so it matches that path only (and, for a folder,
/// what is inside): relative inside the project, `//absolute` outside it.
fn path_rule(tool: &str, path: &Path, ctx: &Context, folder: bool) -> Option<Rule> {
    let mut pattern = match relative_to(ctx.project, path) {
        // The project itself.
        Some(rel) if rel.is_empty() => "/".to_owned(),
        Some(rel) => {
            let rel = escape(&rel);
            if normalize(ctx.cwd) != normalize(ctx.project) {
                // Relative patterns are read from the working folder; `/x` is the project's.
                format!("/{rel}")
            } else if (folder || rel.contains('/')) && !rel.starts_with('~') {
                rel
            } else {
                // Without a slash, `Cargo.toml` would match that name at any depth (and `~/`
                // would be the home folder).
                format!("./{rel}")
            }
        }
        None if path.is_absolute() => format!("/{}", escape(&path.to_string_lossy())),
        None => return None,
    };
    if folder {
        pattern.push_str(if pattern.ends_with('/') { "**" } else { "/**" });
    }
    Rule::parse(&format!("{tool}({pattern})")).ok()
}

/// Paths outside the project a call touches: its file path, or the path-like words and redirect
/// targets of a shell command. The same list [`evaluate`] reports.
pub fn outside_paths(tool: &ToolUse, ctx: &Context) -> Vec<PathBuf> {
    Call::read(tool, ctx).outside_paths(ctx)
}

/// How many characters of a command [`subject`] shows.
const SUBJECT_LIMIT: usize = 200;

/// A short human summary of what the call acts on, for logs and lists: the shell command (its
/// first line, at most 200 characters), the path relative to the project (absolute outside it),
/// a search pattern and where it searches, the URL, the search query or the sub-agent's task,
/// or "" for tools without a subject.
pub fn subject(tool: &ToolUse, ctx: &Context) -> String {
    let input = tool.input;
    let get = |key: &str| input.get(key).and_then(|v| v.as_str()).unwrap_or("").trim();
    let shown = |p: &str| display(ctx.project, &super::path::resolve(ctx.cwd, p, ctx.home));
    match tool.tool_name {
        "Bash" => {
            let command = get("command");
            let first = command.lines().next().unwrap_or("").trim_end();
            let cut: String = first.chars().take(SUBJECT_LIMIT).collect();
            if cut.len() < command.len() { format!("{cut}…") } else { cut }
        }
        "Read" | "Edit" | "MultiEdit" | "Write" if !get("file_path").is_empty() => {
            shown(get("file_path"))
        }
        "NotebookEdit" if !get("notebook_path").is_empty() => shown(get("notebook_path")),
        "LS" if !get("path").is_empty() => shown(get("path")),
        "Grep" | "Glob" => match get("path") {
            "" => get("pattern").to_owned(),
            path => format!("{} in {}", get("pattern"), shown(path)),
        },
        "WebFetch" => get("url").to_owned(),
        "WebSearch" => get("query").to_owned(),
        "Agent" | "Task" => get("description").to_owned(),
        _ => String::new(),
    }
}
