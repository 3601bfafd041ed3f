//! What a tool call acts on, read from its input, and whether a rule covers it.

use super::path::{is_inside, resolve, PathPattern};
use super::policy::{Context, ToolUse};
use super::protected::is_protected;
use super::rule::{bash_matches, wildcard, Rule, PATH_RULE_TOOLS};
use super::shell_call::{call_cwd, ShellCall};
use crate::session::{common_folder, ToolInput};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// Tools an unqualified `Read(…)` rule covers: everything that only reads files.
pub(crate) const READ_TOOLS: &[&str] = &["Read", "Grep", "Glob", "LS"];
/// Tools an `Edit(…)` rule covers: everything that changes files.
pub(crate) const EDIT_TOOLS: &[&str] = &["Edit", "MultiEdit", "Write", "NotebookEdit"];

/// One thing a rule is matched against. A call is allowed when each of its targets is.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Target<'a> {
    /// One simple command of a Bash call, by its normalised text.
    Command(&'a str),
    /// A simple command some of whose words the shell expands (`$x`, `"$(…)"`, `~`, a glob in an
    /// argument): what the program receives is not known, so only a rule for every command
    /// (`Bash` alone) covers it.
    ExpandedCommand,
    /// A file a Bash command writes through a redirect: an edit, so `Edit` rules decide.
    ShellWrite(&'a Path),
    /// A file a Bash command names in a word (deny only): it may read or write it, so `Read` and
    /// `Edit` deny rules both meet it.
    ShellPath(&'a Path),
    /// A file a Bash command reads through a redirect (deny only): `Read` deny rules meet it.
    ShellRead(&'a Path),
    /// A file tool and the path it acts on (`None` when its input names none).
    File { tool: &'a str, path: Option<&'a Path> },
    /// A fetch and the host of its URL.
    Web(Option<&'a str>),
    /// A sub-agent launch and the agent type.
    Agent(Option<&'a str>),
    /// Any other tool, known only by name.
    Tool(&'a str),
}

impl Target<'_> {
    /// The file the target names, if it is about one.
    pub(crate) fn path(&self) -> Option<&Path> {
        match *self {
            Target::ShellWrite(p) | Target::ShellPath(p) | Target::ShellRead(p) => Some(p),
            Target::File { path, .. } => path,
            _ => None,
        }
    }

    /// The same target about another file.
    pub(crate) fn with_path<'b>(&self, path: &'b Path) -> Target<'b>
    where
        Self: 'b,
    {
        match *self {
            Target::ShellWrite(_) => Target::ShellWrite(path),
            Target::ShellPath(_) => Target::ShellPath(path),
            Target::ShellRead(_) => Target::ShellRead(path),
            Target::File { tool, .. } => Target::File { tool, path: Some(path) },
            other => other,
        }
    }
}

/// A tool call, read.
pub(crate) struct Call<'a> {
    pub(crate) tool: &'a str,
    pub(crate) kind: Kind,
}

pub(crate) enum Kind {
    Shell(Box<ShellCall>),
    File {
        /// The files the call acts on: its `file_paths` (a patch over several files), else its
        /// one path; empty when its input names none.
        paths: Vec<PathBuf>,
        /// More files deny rules check: the common folder of a multi-file edit, and the files a
        /// search's literal `glob` filter names.
        extra: Vec<PathBuf>,
        /// Search filters that may name files but cannot be placed (`*.env`).
        unplaced: Vec<String>,
    },
    Web { host: Option<String> },
    Agent { subagent: Option<String> },
    Other,
}

/// A text field, unless it is blank (which names nothing).
fn given(text: Option<&str>) -> Option<&str> {
    text.filter(|s| !s.trim().is_empty())
}

/// Whether a glob filter holds a wildcard.
fn has_wildcard(text: &str) -> bool {
    text.contains(['*', '?', '[', '{'])
}

impl<'a> Call<'a> {
    pub(crate) fn read(tool: &ToolUse<'a>, ctx: &Context) -> Call<'a> {
        let input = tool.input;
        let cwd = call_cwd(input, ctx);
        let resolve_in_cwd = |p: &str| resolve(&cwd, p, ctx.home);
        let one = |path: Option<PathBuf>| Kind::File { paths: path.into_iter().collect(), extra: Vec::new(), unplaced: Vec::new() };
        // The rules are written in Claude's tool names (`Edit(src/**)` covers every tool that
        // edits), so the name says which rules meet the call; the typed input says what it acts on.
        let kind = match tool.tool_name {
            "Bash" => Kind::Shell(Box::new(ShellCall::read(given(input.command()).unwrap_or("").to_owned(), cwd.clone(), ctx))),
            "Read" | "Edit" | "MultiEdit" | "Write" | "NotebookEdit" => match input {
                // A patch is decided on each file it touches; deny rules also meet the deepest
                // folder holding them all (what its question names).
                ToolInput::Patch { .. } => {
                    let many: Vec<PathBuf> = input.patch_paths().into_iter().map(resolve_in_cwd).collect();
                    let shown: Vec<&str> = many.iter().filter_map(|p| p.to_str()).collect();
                    let folder = common_folder(&shown).map_or_else(|| ctx.project.to_path_buf(), PathBuf::from);
                    if many.is_empty() {
                        one(Some(folder))
                    } else {
                        Kind::File { paths: many, extra: vec![folder], unplaced: Vec::new() }
                    }
                }
                _ => one(given(input.file_path()).map(resolve_in_cwd)),
            },
            "Grep" | "LS" => {
                let (path, filters) = match input {
                    ToolInput::Search { path, globs, .. } => (path.as_deref(), globs.as_slice()),
                    ToolInput::List { path, .. } => (path.as_deref(), &[][..]),
                    _ => (None, &[][..]),
                };
                let dir = resolve_in_cwd(given(path).unwrap_or("."));
                let mut extra = Vec::new();
                let mut unplaced = Vec::new();
                for filter in filters.iter().filter_map(|f| given(Some(f))) {
                    if has_wildcard(filter) {
                        unplaced.push(filter.to_owned());
                    } else {
                        extra.push(resolve(&dir, filter, ctx.home));
                    }
                }
                Kind::File { paths: vec![dir], extra, unplaced }
            }
            "Glob" => {
                let (path, pattern) = match input {
                    ToolInput::Search { path, pattern, .. } => (path.as_deref(), pattern.as_str()),
                    _ => (None, ""),
                };
                let dir = resolve_in_cwd(given(path).unwrap_or("."));
                // A pattern can reach out of its folder (`../../**`, `/etc/*`): the folder it
                // really searches is the one its literal leading segments name.
                let pattern = given(Some(pattern)).unwrap_or("");
                let lead = literal_lead(pattern);
                let path = if pattern[lead.len()..].contains("..") {
                    // `src/*/../../..` or `{..,x}`: where it ends up cannot be placed, so it is
                    // kept relative, which counts as outside the project.
                    PathBuf::from(pattern.trim_start_matches('/'))
                } else if lead.is_empty() {
                    dir.clone()
                } else {
                    resolve(&dir, &lead, ctx.home)
                };
                let (extra, unplaced) = if pattern.is_empty() {
                    (Vec::new(), Vec::new())
                } else if has_wildcard(pattern) {
                    (Vec::new(), vec![pattern.to_owned()])
                } else {
                    (vec![resolve(&dir, pattern, ctx.home)], Vec::new())
                };
                Kind::File { paths: vec![path], extra, unplaced }
            }
            "WebFetch" => Kind::Web {
                host: match input {
                    ToolInput::Fetch { url, .. } => given(Some(url)).and_then(host_of),
                    _ => None,
                },
            },
            "Agent" | "Task" => Kind::Agent {
                subagent: match input {
                    ToolInput::Subagent { agent, .. } => given(agent.as_deref()).map(str::to_owned),
                    _ => None,
                },
            },
            _ => Kind::Other,
        };
        Call { tool: tool.tool_name, kind }
    }

    /// What must each be allowed for the call to be allowed. Empty when the call cannot be
    /// allowed by rules at all (an unsplittable or empty command).
    pub(crate) fn allow_targets(&self) -> Vec<Target<'_>> {
        match &self.kind {
            Kind::Shell(shell) if shell.error.is_some() => Vec::new(),
            Kind::Shell(shell) => {
                let mut targets = Vec::new();
                for (part, writes) in shell.parts.iter().zip(&shell.writes) {
                    // A bare redirect (`> file`) runs no program; only its file is checked.
                    if !part.words.is_empty() {
                        let certain = part.literal.iter().all(|&literal| literal);
                        targets.push(if certain { Target::Command(&part.text) } else { Target::ExpandedCommand });
                    }
                    targets.extend(writes.iter().map(|w| Target::ShellWrite(w)));
                }
                targets
            }
            Kind::File { paths, .. } if paths.is_empty() => {
                vec![Target::File { tool: self.tool, path: None }]
            }
            Kind::File { paths, .. } => {
                paths.iter().map(|p| Target::File { tool: self.tool, path: Some(p) }).collect()
            }
            _ => vec![self.single_target()],
        }
    }

    /// Everything a deny rule may catch: more than `allow_targets`, never less.
    pub(crate) fn deny_targets(&self) -> Vec<Target<'_>> {
        match &self.kind {
            Kind::Shell(shell) => {
                let mut targets: Vec<Target<'_>> =
                    shell.deny_texts.iter().map(|t| Target::Command(t)).collect();
                targets.push(Target::Command(shell.command.trim()));
                targets.extend(shell.writes.iter().flatten().map(|w| Target::ShellWrite(w)));
                targets.extend(shell.all_writes.iter().map(|w| Target::ShellWrite(w)));
                targets.extend(shell.named.iter().map(|p| Target::ShellPath(p)));
                targets.extend(shell.reads.iter().map(|p| Target::ShellRead(p)));
                targets
            }
            Kind::File { extra, .. } => {
                let mut targets = self.allow_targets();
                targets.extend(extra.iter().map(|p| Target::File { tool: self.tool, path: Some(p) }));
                targets
            }
            _ => vec![self.single_target()],
        }
    }

    fn single_target(&self) -> Target<'_> {
        match &self.kind {
            Kind::File { paths, .. } => Target::File { tool: self.tool, path: paths.first().map(PathBuf::as_path) },
            Kind::Web { host } => Target::Web(host.as_deref()),
            Kind::Agent { subagent } => Target::Agent(subagent.as_deref()),
            Kind::Shell(_) | Kind::Other => Target::Tool(self.tool),
        }
    }

    /// Words or filters that may name files Warden cannot place.
    pub(crate) fn unplaced(&self) -> &[String] {
        match &self.kind {
            Kind::Shell(shell) => &shell.unplaced,
            Kind::File { unplaced, .. } => unplaced,
            _ => &[],
        }
    }

    /// Whether a glob among [`Call::unplaced`] may match hidden names: always for a search
    /// tool's filter; for a shell line only when it changes how bash globs (`dotglob`,
    /// `GLOBIGNORE`).
    pub(crate) fn dotglob(&self) -> bool {
        match &self.kind {
            Kind::Shell(shell) => shell.command.contains("dotglob") || shell.command.contains("GLOBIGNORE"),
            // Glob lists names and reads nothing: its wildcards are read as bash's. Grep reads
            // the files its filter picks, so there hidden files count.
            _ => self.tool != "Glob",
        }
    }

    /// Why no deny rule about commands or files can be sure of this call: a shell line that
    /// does not split.
    pub(crate) fn unreadable(&self) -> Option<String> {
        match &self.kind {
            Kind::Shell(shell) => shell.error.as_ref().map(|e| format!("Warden cannot fully read this command: {e}")),
            _ => None,
        }
    }

    /// Why a Bash deny rule cannot be sure of this call, if it is a shell call.
    pub(crate) fn shell_doubt(&self) -> Option<&str> {
        match &self.kind {
            Kind::Shell(shell) => shell.uncertain.as_deref(),
            _ => None,
        }
    }

    /// Protected configuration the call may write (see [`super::protected`]).
    pub(crate) fn protected_paths(&self) -> Vec<PathBuf> {
        match &self.kind {
            Kind::Shell(shell) => shell.protected.clone(),
            Kind::File { paths, .. } if EDIT_TOOLS.contains(&self.tool) => {
                paths.iter().filter(|p| is_protected(p)).cloned().collect()
            }
            _ => Vec::new(),
        }
    }

    /// Paths outside the project the call touches, in order of appearance, without repeats.
    pub(crate) fn outside_paths(&self, ctx: &Context) -> Vec<PathBuf> {
        let mut touched = match &self.kind {
            Kind::Shell(shell) => return shell.outside(ctx),
            Kind::File { paths, .. } => paths.clone(),
            _ => Vec::new(),
        };
        let mut seen = HashSet::new();
        touched.retain(|path| !is_inside(ctx.project, path) && seen.insert(path.clone()));
        touched
    }
}

/// Whether `rule` covers `target`. Content a tool's rules do not define never matches.
pub(crate) fn covers(rule: &Rule, target: Target<'_>, ctx: &Context) -> bool {
    let (tool, content) = (rule.tool(), rule.content());
    let path_rule = |path: Option<&Path>| match content {
        None => true,
        Some(pattern) => path.is_some_and(|p| {
            PathPattern::parse(pattern).is_ok_and(|pattern| pattern.matches(p, ctx))
        }),
    };
    match target {
        Target::Command(text) => tool == "Bash" && content.is_none_or(|c| bash_matches(c, text)),
        Target::ExpandedCommand => tool == "Bash" && content.is_none(),
        Target::ShellWrite(path) => match tool {
            "Bash" => content.is_none(),
            "Edit" | "Write" => path_rule(Some(path)),
            _ => false,
        },
        Target::ShellPath(path) => PATH_RULE_TOOLS.contains(&tool) && path_rule(Some(path)),
        Target::ShellRead(path) => tool == "Read" && path_rule(Some(path)),
        Target::File { tool: called, path } => {
            let family = match tool {
                "Read" => READ_TOOLS.contains(&called),
                "Edit" => EDIT_TOOLS.contains(&called),
                _ => tool == called,
            };
            let path_aware = PATH_RULE_TOOLS.contains(&tool);
            family && if path_aware { path_rule(path) } else { content.is_none() }
        }
        Target::Web(host) => {
            tool == "WebFetch"
                && content.is_none_or(|c| {
                    let pattern = c.strip_prefix("domain:").unwrap_or("").to_ascii_lowercase();
                    host.is_some_and(|h| wildcard(&pattern, h))
                })
        }
        Target::Agent(kind) => {
            matches!(tool, "Agent" | "Task")
                && content.is_none_or(|c| kind.is_some_and(|k| wildcard(c, k)))
        }
        Target::Tool(called) => content.is_none() && tool_name_matches(tool, called),
    }
}

/// Whether a deny rule covers `target`, read so that it fails closed: a Bash rule's program
/// also matches by its last component (`Bash(/bin/rm:*)` meets `rm x`); a path rule matches
/// ignoring case (on a case-insensitive file system `.ENV` is `.env`) and also the file a
/// symbolic link leads to, when the caller says where links lead ([`Context::links`]).
pub(crate) fn covers_deny(rule: &Rule, target: Target<'_>, ctx: &Context) -> bool {
    if covers(rule, target, ctx) {
        return true;
    }
    match (target, rule.content()) {
        (Target::Command(_), Some(content)) => {
            let program = content.split(' ').next().unwrap_or("");
            let bare = super::programs::basename(program);
            bare != program
                && Rule::parse(&format!("{}({}{})", rule.tool(), bare, &content[program.len()..]))
                    .is_ok_and(|r| covers(&r, target, ctx))
        }
        (_, Some(content)) if PATH_RULE_TOOLS.contains(&rule.tool()) => {
            let Some(path) = target.path() else { return false };
            let mut candidates = vec![path.to_path_buf()];
            if let Some(real) = ctx.links.and_then(|links| links.target(path)) {
                candidates.push(real);
            }
            let folded = Rule::parse(&format!("{}({})", rule.tool(), content.to_lowercase()));
            let Ok(folded) = folded else { return false };
            let lower = |p: &Path| PathBuf::from(p.to_string_lossy().to_lowercase());
            let (project, cwd) = (lower(ctx.project), lower(ctx.cwd));
            let home = ctx.home.map(lower);
            let folded_ctx = Context { project: &project, cwd: &cwd, home: home.as_deref(), links: None };
            candidates.iter().any(|candidate| {
                covers(rule, target.with_path(candidate), ctx)
                    || covers(&folded, target.with_path(&lower(candidate)), &folded_ctx)
            })
        }
        _ => false,
    }
}

/// Whether an unplaced word or filter (a glob, an expansion) may name a file a deny path rule
/// covers. Only what cannot match is cleared: an expansion may be anything, and a glob may name
/// the rule's file when one of its segments matches one of the rule's names (ignoring case).
///
/// With `dotglob` false, globs are read as bash reads them by default: a wildcard never matches
/// the leading `.` of a name (so `*` does not name `.env`, `.e*` does).
pub(crate) fn may_name(rule: &Rule, word: &str, dotglob: bool) -> bool {
    let Some(content) = rule.content() else { return true };
    if word.contains(['$', '`', '{']) {
        return true;
    }
    let names: Vec<String> = content
        .split('/')
        .filter(|s| !matches!(*s, "" | "~" | "**" | "." | ".."))
        .map(str::to_lowercase)
        .collect();
    // A rule whose names are patterns themselves (`*.key`) may meet any glob.
    if names.iter().any(|n| has_wildcard(n)) || names.is_empty() {
        return true;
    }
    let word = word.to_lowercase();
    let segments: Vec<&str> = word.split('/').collect();
    // `**` spans folders; only as the last segment does it name files itself.
    let last = segments.len().saturating_sub(1);
    // Literal segments count too: `**/.env` names `.env`, `src/*.rs` lies in `src`.
    let naming = segments
        .iter()
        .enumerate()
        .filter(|&(i, s)| !matches!(*s, "" | "." | ".." | "~") && (*s != "**" || i == last));
    naming.map(|(_, s)| *s).any(|segment| {
        let hidden_ok = |name: &str| dotglob || !name.starts_with('.') || segment.starts_with('.');
        super::glob::Glob::new(segment)
            .is_ok_and(|glob| names.iter().any(|n| hidden_ok(n) && glob.matches(&[n.as_str()])))
    })
}

/// Tool names match exactly, except that an MCP server's name (`mcp__github`, or
/// `mcp__github__*`) stands for all of that server's tools.
fn tool_name_matches(rule_tool: &str, called: &str) -> bool {
    let server = match rule_tool.strip_suffix("__*") {
        Some(server) => Some(server),
        None => rule_tool
            .strip_prefix("mcp__")
            .filter(|rest| !rest.is_empty() && !rest.contains("__"))
            .map(|_| rule_tool),
    };
    rule_tool == called
        || server.is_some_and(|s| called.strip_prefix(s).is_some_and(|t| t.starts_with("__")))
}

/// The host of a URL, lower-cased, or `None` when it has none (`file:///…`, garbage).
pub(crate) fn host_of(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    // Browsers treat `\` like `/`; stopping there too means `a.com\@b.com` is not `b.com`.
    let authority = rest.split(['/', '?', '#', '\\']).next()?;
    let host_port = authority.rsplit('@').next()?;
    let host = match host_port.strip_prefix('[') {
        Some(v6) => v6.split(']').next()?,
        None => host_port.split(':').next()?,
    };
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    (!host.is_empty()).then_some(host)
}

/// The leading segments of a glob pattern that hold no wildcard: `src/app` in `src/app/**/*.ts`.
fn literal_lead(pattern: &str) -> String {
    let segments: Vec<&str> = pattern.split('/').collect();
    let literal = segments.iter().take_while(|s| !s.contains(['*', '?', '[', '{'])).count();
    // The last segment names files, not the folder searched, unless everything is literal.
    let keep = if literal == segments.len() { literal.saturating_sub(1) } else { literal };
    let lead = segments[..keep].join("/");
    if lead.is_empty() && pattern.starts_with('/') { "/".to_owned() } else { lead }
}

pub(crate) use super::programs::is_assignment;
