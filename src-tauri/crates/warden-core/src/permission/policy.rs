//! Deciding a tool call from the rules of a session and of a project.

use super::call::{covers, covers_deny, is_assignment, may_name, Call, Kind, Target, EDIT_TOOLS};
use super::rule::PATH_RULE_TOOLS;
use super::glob::escape;
use super::path::{display, normalize, relative_to};
use super::rule::Rule;
use super::programs::basename;
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
    /// What the call does, read from the agent's input.
    pub input: &'a crate::session::ToolInput,
}

/// Where the call runs: the folders relative paths and rule patterns are anchored to.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The project's root folder (absolute, symlinks already resolved by the caller).
    pub project: &'a Path,
    /// The folder the agent runs in, usually the project root. Relative rule patterns are
    /// anchored here; a call's own `cwd` input only moves where its relative paths resolve.
    pub cwd: &'a Path,
    /// The person's home folder, for `~`; without it, `~` paths count as outside.
    pub home: Option<&'a Path>,
    /// Where symbolic links lead, when the caller looks at the disk: deny rules then check both
    /// the path as written and the file it really is. `None` keeps everything lexical.
    pub links: Option<&'a dyn Links>,
}

/// Where symbolic links lead. The core never touches the disk; the engine implements this so
/// that `Read(.env)` also denies reading a link to `.env`.
pub trait Links: std::fmt::Debug {
    /// The real path `path` leads to when one of its components is a symbolic link (or it is
    /// otherwise not where it is written), else `None`.
    fn target(&self, path: &Path) -> Option<PathBuf>;
}

/// What the rules say about a call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Every part of the call is allowed; the rules that allowed them (deduplicated, in order).
    Allow(Vec<Rule>),
    /// A deny rule matched (the first one found).
    Deny(Rule),
    /// No rule decides; ask the person (a mode may still decide).
    Undecided,
    /// A deny rule of this kind of call exists and Warden cannot read the call with certainty
    /// (the command does not split, its program word is expanded, a wrapper's options are not
    /// understood, a glob may name a denied file). Deny rules fail closed: the person is asked,
    /// in every mode; no rule or mode runs it. The text says why, for the person.
    Uncertain(String),
}

/// The result of checking a call against a session's and a project's rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evaluation {
    /// What the rules decide.
    pub verdict: Verdict,
    /// Paths the call touches outside the project (after resolving `..`, `~`, relative paths);
    /// empty when none. Shown to the person, and the reason project rules did not apply.
    pub outside_project: Vec<PathBuf>,
    /// Protected configuration the call may write ([`super::protected`]): such a call is only
    /// ever allowed by a rule naming that very file, never by a mode or a broader rule.
    pub protected: Vec<PathBuf>,
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
    let protected = call.protected_paths();
    let done = |verdict| Evaluation { verdict, outside_project: outside_project.clone(), protected: protected.clone() };
    let deny_targets = call.deny_targets();
    let deny: Vec<&Rule> = session.deny.iter().chain(&project.deny).collect();
    let denied = deny.iter().find(|rule| deny_targets.iter().any(|&target| covers_deny(rule, target, ctx)));
    if let Some(rule) = denied {
        return done(Verdict::Deny((*rule).clone()));
    }
    if let Some(reason) = doubt(&call, &deny) {
        return done(Verdict::Uncertain(reason));
    }
    let project_allow: &[Rule] = if outside_project.is_empty() { &project.allow } else { &[] };
    let mut used: Vec<Rule> = Vec::new();
    let targets = call.allow_targets();
    for target in &targets {
        let mut rules = session.allow.iter().chain(project_allow);
        // Protected configuration is only allowed by a rule for that very file.
        let exact_only = target.path().is_some_and(|p| protected.iter().any(|q| q == p));
        let allowing = rules.find(|rule| {
            covers(rule, *target, ctx) && (!exact_only || names_exactly(rule, *target, ctx))
        });
        match allowing {
            Some(rule) if !used.contains(rule) => used.push(rule.clone()),
            Some(_) => {}
            None => return done(Verdict::Undecided),
        }
    }
    // A shell line that writes protected configuration through a word (`cp x .git/hooks/`) has
    // no path target an exact rule could name: it is never allowed by a rule.
    let unmatched = protected.iter().any(|p| !targets.iter().any(|t| t.path() == Some(p.as_path())));
    // No targets means nothing was understood (an empty or unsplittable command): ask.
    let verdict = if used.is_empty() || unmatched { Verdict::Undecided } else { Verdict::Allow(used) };
    done(verdict)
}

/// Why the deny rules cannot be sure of this call, if one of them is of its kind: a Bash deny
/// rule and a shell line not read with certainty, or a path deny rule and a word or filter
/// that may name a file it covers.
fn doubt(call: &Call, deny: &[&Rule]) -> Option<String> {
    if let Some(reason) = call.unreadable() {
        if let Some(rule) = deny.iter().find(|r| r.tool() == "Bash" || PATH_RULE_TOOLS.contains(&r.tool())) {
            return Some(format!("{reason}; with the deny rule {rule}, Warden asks rather than guess"));
        }
    }
    if let Some(reason) = call.shell_doubt() {
        if let Some(rule) = deny.iter().find(|r| r.tool() == "Bash") {
            return Some(format!("{reason}; with the deny rule {rule}, Warden asks rather than guess"));
        }
    }
    for word in call.unplaced() {
        let path_rules = deny.iter().filter(|r| PATH_RULE_TOOLS.contains(&r.tool()));
        if let Some(rule) = path_rules.clone().find(|r| may_name(r, word, call.dotglob())) {
            return Some(format!("`{word}` may name a file the deny rule {rule} covers; Warden asks rather than guess"));
        }
    }
    None
}

/// Whether an allow rule names exactly the file of `target`: an anchored pattern without
/// wildcards, not a folder holding it.
fn names_exactly(rule: &Rule, target: Target<'_>, ctx: &Context) -> bool {
    let (Some(content), Some(path)) = (rule.content(), target.path()) else { return false };
    if !PATH_RULE_TOOLS.contains(&rule.tool()) || content.contains(['*', '?', '[', '{']) {
        return false;
    }
    super::path::PathPattern::parse(content).is_ok_and(|p| p.names_exactly(path, ctx))
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
        Kind::Shell(shell) if shell.error.is_some() => {}
        // A command the shell expands is allowed by no narrow rule, so no rule is offered that
        // would look as if it stopped the question.
        Kind::Shell(shell) if shell.parts.iter().any(|p| p.literal.iter().any(|&literal| !literal)) => {}
        Kind::Shell(shell) => {
            for (part, writes) in shell.parts.iter().zip(&shell.writes) {
                if !part.words.is_empty() && !allowed(Target::Command(&part.text)) {
                    out.extend(command_rule(part));
                }
                for write in writes.iter().filter(|w| !allowed(Target::ShellWrite(w))) {
                    out.extend(path_rule("Edit", write, ctx, false));
                }
            }
        }
        _ if call.allow_targets().into_iter().all(allowed) => {}
        Kind::File { paths, .. } => {
            let name = call.tool;
            for path in paths {
                let target = Target::File { tool: name, path: Some(path) };
                if allowed(target) {
                    continue;
                }
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
        }
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

/// Programs that run other programs or code given to them: wrappers, shells, interpreters,
/// package runners (and the command runners deny rules cannot read through). A rule for one of
/// them and `:*` would allow anything at all, so only the exact command is suggested.
pub const EXACT_ONLY_PROGRAMS: &[&str] = &[
    "sudo", "doas", "su", "runuser", "env", "command", "builtin", "exec", "eval", "source", ".",
    "nohup", "nice", "ionice", "time", "timeout", "stdbuf", "setsid", "chroot", "xargs", "parallel",
    "watch", "flock", "script", "ssh", "find", "sh", "bash", "zsh", "dash", "ksh", "mksh", "fish",
    "busybox", "python", "python2", "python3", "pypy", "pypy3", "node", "nodejs", "deno", "bun",
    "bunx", "npx", "pnpx", "uvx", "pipx", "perl", "ruby", "php", "lua", "luajit", "Rscript",
    "osascript", "pwsh", "powershell", "awk", "gawk", "mawk", "nawk", "make", "git",
];

/// Whether `program` (a path or a name, with a version suffix such as `python3.12`) is one of
/// [`EXACT_ONLY_PROGRAMS`].
fn exact_only(program: &str) -> bool {
    let name = super::programs::basename(program);
    let family = name.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
    let mut listed = EXACT_ONLY_PROGRAMS.iter().chain(super::programs::RUNNERS);
    listed.any(|p| p.eq_ignore_ascii_case(name) || p.eq_ignore_ascii_case(family))
}

/// The Bash rule suggested for one simple command.
fn command_rule(part: &SimpleCommand) -> Option<Rule> {
    let first = part.words.first()?;
    // `'A'=1 x` runs a program named `A=1`, but its rule would read as an assignment before `x`:
    // no rule is offered for such a look-alike.
    if part.assignments == 0 && is_assignment(first) {
        return None;
    }
    // Only assignments (`x=1`) run no program at all.
    let program = part.words.get(part.assignments).unwrap_or(first);
    // A `*` in the program would turn the rule into a wildcard far wider than this command.
    if program.contains('*') || program.trim() != program.as_str() || program.is_empty() {
        return None;
    }
    // `git status` is as narrow as `git status:*`; `git -c x=y …` or `git` alone is not.
    let plain_git = basename(program) == "git" && part.words.get(1).is_some_and(|w| is_subcommand(w));
    let text = if part.assignments > 0 || (exact_only(program) && !plain_git) {
        // The exact command: a `*` in it would be a wildcard, so such a command gets no rule.
        if part.text.contains('*') {
            return None;
        }
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

/// A text field trimmed, unless it is blank (which names nothing).
fn given(text: Option<&str>) -> Option<&str> {
    text.map(str::trim).filter(|s| !s.is_empty())
}

/// How many characters of a command [`subject`] shows.
const SUBJECT_LIMIT: usize = 200;

/// A short human summary of what the call acts on, for logs and lists: the shell command (its
/// first line, at most 200 characters), the path relative to the project (absolute outside it),
/// a search pattern and where it searches, the URL, the search query or the sub-agent's task,
/// or "" for tools without a subject.
pub fn subject(tool: &ToolUse, ctx: &Context) -> String {
    use crate::session::ToolInput;
    let input = tool.input;
    let cwd = super::shell_call::call_cwd(input, ctx);
    let shown = |p: &str| display(ctx.project, &super::path::resolve(&cwd, p, ctx.home));
    match (tool.tool_name, input) {
        ("Bash", _) => {
            let command = input.command().unwrap_or("").trim();
            let first = command.lines().next().unwrap_or("").trim_end();
            let cut: String = first.chars().take(SUBJECT_LIMIT).collect();
            if cut.len() < command.len() { format!("{cut}…") } else { cut }
        }
        ("Read" | "Edit" | "MultiEdit" | "Write" | "NotebookEdit", ToolInput::Patch { .. }) => {
            let paths: Vec<PathBuf> = input.patch_paths().into_iter().map(|p| super::path::resolve(&cwd, p, ctx.home)).collect();
            let paths: Vec<&str> = paths.iter().filter_map(|p| p.to_str()).collect();
            match crate::session::common_folder(&paths) {
                Some(folder) => shown(&folder),
                None => display(ctx.project, ctx.project),
            }
        }
        ("Read" | "Edit" | "MultiEdit" | "Write" | "NotebookEdit", _) => given(input.file_path()).map(shown).unwrap_or_default(),
        ("LS", ToolInput::List { path, .. }) => given(path.as_deref()).map(shown).unwrap_or_default(),
        ("Grep" | "Glob", ToolInput::Search { pattern, path, .. }) => match given(path.as_deref()) {
            None => pattern.trim().to_owned(),
            Some(path) => format!("{} in {}", pattern.trim(), shown(path)),
        },
        ("WebFetch", ToolInput::Fetch { url, .. }) => url.trim().to_owned(),
        ("WebSearch", ToolInput::WebSearch { query }) => query.trim().to_owned(),
        ("Agent" | "Task", ToolInput::Subagent { description, .. }) => given(description.as_deref()).unwrap_or("").to_owned(),
        _ => String::new(),
    }
}
