//! What a tool call acts on, read from its input, and whether a rule covers it.

use super::path::{is_inside, resolve, PathPattern};
use super::policy::{Context, ToolUse};
use super::rule::{bash_matches, wildcard, Rule, PATH_RULE_TOOLS};
use super::shell::{is_device, rough_pieces, split_best_effort, ShellError, SimpleCommand};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// Tools an unqualified `Read(…)` rule covers: everything that only reads files.
pub(crate) const READ_TOOLS: &[&str] = &["Read", "Grep", "Glob", "LS"];
/// Tools an `Edit(…)` rule covers: everything that changes files.
pub(crate) const EDIT_TOOLS: &[&str] = &["Edit", "MultiEdit", "Write", "NotebookEdit"];

/// Programs that run the rest of their arguments as a command; deny rules look through them so
/// `sudo rm x` or `FOO=1 rm x` still meet `Bash(rm:*)`.
const WRAPPERS: &[&str] = &[
    "env", "command", "builtin", "exec", "nohup", "nice", "time", "sudo", "doas", "xargs",
    "timeout", "stdbuf", "setsid",
];

/// Programs whose arguments hold a shell script; deny rules look into it.
const SHELLS: &[&str] = &["sh", "bash", "zsh", "dash", "ksh", "eval"];

/// How deep deny rules look into scripts within scripts.
const MAX_SCRIPT_DEPTH: usize = 3;

/// One thing a rule is matched against. A call is allowed when each of its targets is.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Target<'a> {
    /// One simple command of a Bash call, by its normalised text.
    Command(&'a str),
    /// A file a Bash command writes through a redirect: an edit, so `Edit` rules decide.
    ShellWrite(&'a Path),
    /// A file tool and the path it acts on (`None` when its input names none).
    File { tool: &'a str, path: Option<&'a Path> },
    /// A fetch and the host of its URL.
    Web(Option<&'a str>),
    /// A sub-agent launch and the agent type.
    Agent(Option<&'a str>),
    /// Any other tool, known only by name.
    Tool(&'a str),
}

/// A tool call, read.
pub(crate) struct Call<'a> {
    pub(crate) tool: &'a str,
    pub(crate) kind: Kind,
}

pub(crate) enum Kind {
    Shell {
        command: String,
        parts: Vec<SimpleCommand>,
        /// Each part's redirect writes, resolved, in the order of `parts`.
        writes: Vec<Vec<PathBuf>>,
        error: Option<ShellError>,
        /// Texts deny rules are checked against: each part, looked through wrappers, and the
        /// rough pieces of a command that failed to split.
        deny_texts: Vec<String>,
    },
    File { path: Option<PathBuf> },
    Web { host: Option<String> },
    Agent { subagent: Option<String> },
    Other,
}

fn text<'v>(input: &'v serde_json::Value, key: &str) -> Option<&'v str> {
    input.get(key).and_then(|v| v.as_str()).filter(|s| !s.trim().is_empty())
}

impl<'a> Call<'a> {
    pub(crate) fn read(tool: &ToolUse<'a>, ctx: &Context) -> Call<'a> {
        let input = tool.input;
        let resolve_in_cwd = |p: &str| resolve(ctx.cwd, p, ctx.home);
        let kind = match tool.tool_name {
            "Bash" => {
                let command = text(input, "command").unwrap_or("").to_owned();
                let (parts, error) = split_best_effort(&command);
                let writes = parts
                    .iter()
                    .map(|p| p.writes.iter().map(|w| resolve_word(w, ctx)).collect())
                    .collect();
                let mut deny_texts = Vec::new();
                for part in &parts {
                    deny_texts.extend(looked_through(&part.words, 0));
                }
                if error.is_some() {
                    for piece in rough_pieces(&command) {
                        let words: Vec<String> = piece.split(' ').map(str::to_owned).collect();
                        deny_texts.extend(looked_through(&words, 0));
                    }
                }
                let mut seen = HashSet::new();
                deny_texts.retain(|t| !t.is_empty() && seen.insert(t.clone()));
                Kind::Shell { command, parts, writes, error, deny_texts }
            }
            "Read" | "Edit" | "MultiEdit" | "Write" => {
                Kind::File { path: text(input, "file_path").map(resolve_in_cwd) }
            }
            "NotebookEdit" => Kind::File { path: text(input, "notebook_path").map(resolve_in_cwd) },
            "Grep" | "LS" => {
                Kind::File { path: Some(resolve_in_cwd(text(input, "path").unwrap_or("."))) }
            }
            "Glob" => {
                let dir = resolve_in_cwd(text(input, "path").unwrap_or("."));
                // A pattern can reach out of its folder (`../../**`, `/etc/*`): the folder it
                // really searches is the one its literal leading segments name.
                let pattern = text(input, "pattern").unwrap_or("");
                let lead = literal_lead(pattern);
                let path = if pattern[lead.len()..].contains("..") {
                    // `src/*/../../..` or `{..,x}`: where it ends up cannot be placed, so it is
                    // kept relative, which counts as outside the project.
                    PathBuf::from(pattern.trim_start_matches('/'))
                } else if lead.is_empty() {
                    dir
                } else {
                    resolve(&dir, &lead, ctx.home)
                };
                Kind::File { path: Some(path) }
            }
            "WebFetch" => Kind::Web { host: text(input, "url").and_then(host_of) },
            "Agent" | "Task" => {
                Kind::Agent { subagent: text(input, "subagent_type").map(str::to_owned) }
            }
            _ => Kind::Other,
        };
        Call { tool: tool.tool_name, kind }
    }

    /// What must each be allowed for the call to be allowed. Empty when the call cannot be
    /// allowed by rules at all (an unsplittable or empty command).
    pub(crate) fn allow_targets(&self) -> Vec<Target<'_>> {
        match &self.kind {
            Kind::Shell { error: Some(_), .. } => Vec::new(),
            Kind::Shell { parts, writes, .. } => {
                let mut targets = Vec::new();
                for (part, writes) in parts.iter().zip(writes) {
                    // A bare redirect (`> file`) runs no program; only its file is checked.
                    if !part.words.is_empty() {
                        targets.push(Target::Command(&part.text));
                    }
                    targets.extend(writes.iter().map(|w| Target::ShellWrite(w)));
                }
                targets
            }
            _ => vec![self.single_target()],
        }
    }

    /// Everything a deny rule may catch: more than `allow_targets`, never less.
    pub(crate) fn deny_targets(&self) -> Vec<Target<'_>> {
        match &self.kind {
            Kind::Shell { command, deny_texts, writes, .. } => {
                let mut targets: Vec<Target<'_>> =
                    deny_texts.iter().map(|t| Target::Command(t)).collect();
                targets.push(Target::Command(command.trim()));
                targets.extend(writes.iter().flatten().map(|w| Target::ShellWrite(w)));
                targets
            }
            _ => vec![self.single_target()],
        }
    }

    fn single_target(&self) -> Target<'_> {
        match &self.kind {
            Kind::File { path } => Target::File { tool: self.tool, path: path.as_deref() },
            Kind::Web { host } => Target::Web(host.as_deref()),
            Kind::Agent { subagent } => Target::Agent(subagent.as_deref()),
            Kind::Shell { .. } | Kind::Other => Target::Tool(self.tool),
        }
    }

    /// Paths outside the project the call touches, in order of appearance, without repeats.
    pub(crate) fn outside_paths(&self, ctx: &Context) -> Vec<PathBuf> {
        let mut touched = Vec::new();
        match &self.kind {
            Kind::Shell { parts, .. } => {
                for part in parts {
                    let words = part.words.iter().filter_map(|w| path_word(w));
                    let files = part.redirects.iter().map(String::as_str);
                    touched.extend(words.chain(files).map(|w| resolve_word(w, ctx)));
                }
            }
            Kind::File { path: Some(path) } => touched.push(path.clone()),
            _ => {}
        }
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
        Target::ShellWrite(path) => match tool {
            "Bash" => content.is_none(),
            "Edit" | "Write" => path_rule(Some(path)),
            _ => false,
        },
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

/// The part of a shell word that names a path, if any: options are skipped but the value of
/// `--out=/tmp/x` or `of=/dev/sda` is not; URLs and the standard devices are not paths.
fn path_word(word: &str) -> Option<&str> {
    let is_key = |key: &str| key.chars().all(|c| c.is_ascii_alphanumeric() || "_-".contains(c));
    let value = match word.split_once('=') {
        Some((key, value)) if is_key(key) => value,
        _ if word.starts_with('-') => return None,
        _ => word,
    };
    let looks_like_path = value.starts_with(['/', '~'])
        || value == ".."
        || value.starts_with("./")
        || value.contains('/');
    (looks_like_path && !value.contains("://") && !is_device(value)).then_some(value)
}

/// Resolves a path written in a command. One that depends on a variable or substitution
/// cannot be placed, so it is kept as written, relative, which counts as outside the project.
fn resolve_word(word: &str, ctx: &Context) -> PathBuf {
    if word.contains(['$', '`']) {
        PathBuf::from(word)
    } else {
        resolve(ctx.cwd, word, ctx.home)
    }
}

/// The texts a deny rule should see for one command: itself, and the command that remains once
/// leading `VAR=value` assignments, a program's folder (`/bin/rm`) and wrappers such as `sudo`
/// are removed, and the commands in the script of `bash -c '…'` or `eval '…'`.
fn looked_through(words: &[String], depth: usize) -> Vec<String> {
    let mut texts = vec![words.join(" ")];
    let mut rest = words;
    loop {
        let assignments = rest.iter().take_while(|w| is_assignment(w)).count();
        rest = &rest[assignments..];
        let Some((first, args)) = rest.split_first() else { return texts };
        let program = first.rsplit('/').next().unwrap_or(first);
        let mut bare = vec![program.to_owned()];
        bare.extend(args.iter().cloned());
        texts.push(bare.join(" "));
        if SHELLS.contains(&program) && depth < MAX_SCRIPT_DEPTH {
            for script in args.iter().filter(|a| !a.starts_with('-')) {
                for part in split_best_effort(script).0 {
                    texts.extend(looked_through(&part.words, depth + 1));
                }
            }
        }
        if !WRAPPERS.contains(&program) {
            return texts;
        }
        // Skip the wrapper's own options and their values (`nice -n 5`, `timeout 10s`).
        let is_option = |w: &&String| {
            w.starts_with(|c: char| c == '-' || c.is_ascii_digit()) || is_assignment(w)
        };
        let options = args.iter().take_while(is_option).count();
        texts.push(args.join(" "));
        rest = &args[options..];
    }
}

/// `NAME=value`, as a shell assignment (or `env` argument) is written.
pub(crate) fn is_assignment(word: &str) -> bool {
    word.split_once('=').is_some_and(|(name, _)| {
        name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    })
}
