//! A Bash call, read for the rules: its commands, the folder each runs in, the files its words
//! and redirects name, and what cannot be read with certainty.
//!
//! The folder a command runs in is the call's `cwd` (absolute, or relative to the project; the
//! project when absent), changed by `cd DIR` / `pushd DIR` for the commands after it; a bare `cd`
//! goes home, and `cd -`, `popd` or a `cd` to an expanded word lead somewhere unknown, where no
//! relative path can be placed (it then counts as outside the project). Because subshells
//! (`(cd x); rm y`) are not tracked, deny rules check each relative path against every folder
//! the line may be in, which only ever denies more.

use super::path::{is_inside, resolve};
use super::policy::Context;
use super::programs::{
    basename, is_assignment, literal_flags, read_command, word_is_literal, Reading,
};
use super::protected::is_protected;
use super::shell::{is_device, rough_pieces, split_best_effort, ShellError, SimpleCommand};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// Programs that only read the files they name; their path words are not writes of protected
/// configuration. Anything else naming a protected path may write it.
const READ_ONLY: &[&str] = &[
    "cat", "head", "tail", "less", "more", "ls", "grep", "egrep", "fgrep", "rg", "ag", "wc",
    "diff", "cmp", "stat", "file", "du", "tree", "bat", "pwd", "which", "realpath", "readlink",
    "basename", "dirname", "test", "[", "echo", "printf",
];

/// How many different folders one line is followed into.
const MAX_FOLDERS: usize = 32;

/// A Bash call as the rules see it.
pub(crate) struct ShellCall {
    pub(crate) command: String,
    pub(crate) parts: Vec<SimpleCommand>,
    pub(crate) error: Option<ShellError>,
    /// Each part's redirect writes, resolved in the folder it runs in, in the order of `parts`.
    pub(crate) writes: Vec<Vec<PathBuf>>,
    /// Texts Bash deny rules are checked against.
    pub(crate) deny_texts: Vec<String>,
    /// Files named by the words of any command, in every folder the line may be in: a Read or an
    /// Edit deny rule that covers one denies the call.
    pub(crate) named: Vec<PathBuf>,
    /// Files read through redirects (`< .env`): Read deny rules meet them.
    pub(crate) reads: Vec<PathBuf>,
    /// Files written through redirects or options, in every folder: Edit deny rules meet them.
    pub(crate) all_writes: Vec<PathBuf>,
    /// Words that may name files but cannot be placed (globs, expansions).
    pub(crate) unplaced: Vec<String>,
    /// Why a Bash deny rule cannot be sure of this call.
    pub(crate) uncertain: Option<String>,
    /// Paths the line touches, for "outside the project": path-like words, redirect targets,
    /// the folders it runs in.
    pub(crate) touched: Vec<PathBuf>,
    /// Protected configuration the line may write.
    pub(crate) protected: Vec<PathBuf>,
}

/// The folder a call's relative paths start from: its `cwd` input, else the context's.
pub(crate) fn call_cwd(input: &crate::session::ToolInput, ctx: &Context) -> PathBuf {
    match input.cwd() {
        Some(cwd) => resolve(ctx.project, cwd, ctx.home),
        None => ctx.cwd.to_path_buf(),
    }
}

impl ShellCall {
    pub(crate) fn read(command: String, start: PathBuf, ctx: &Context) -> ShellCall {
        let (parts, error) = split_best_effort(&command);
        let mut call = ShellCall {
            command,
            parts: Vec::new(),
            error,
            writes: Vec::new(),
            deny_texts: Vec::new(),
            named: Vec::new(),
            reads: Vec::new(),
            all_writes: Vec::new(),
            unplaced: Vec::new(),
            uncertain: None,
            touched: vec![start.clone()],
            protected: Vec::new(),
        };
        if let Some(error) = &call.error {
            call.uncertain = Some(format!("Warden cannot fully read this command: {error}"));
            for piece in rough_pieces(&call.command) {
                let words: Vec<String> = piece.split(' ').map(str::to_owned).collect();
                let mut reading = Reading::default();
                read_command(&words, &vec![true; words.len()], 0, &mut reading);
                call.deny_texts.extend(reading.texts);
            }
        }
        // A line that sets `HOME` moves `~`: its tilde words cannot be placed.
        let home_changed = call.command.contains("HOME=");
        // `None` once the line has gone somewhere that cannot be known.
        let mut cwd: Option<PathBuf> = Some(start.clone());
        let mut folders: Vec<Option<PathBuf>> = vec![Some(start)];
        for part in &parts {
            let literal = flags(part, home_changed);
            let mut reading = Reading::default();
            read_command(&part.words, &literal, 0, &mut reading);
            if let Some(reason) = reading.uncertain.take() {
                call.uncertain.get_or_insert(reason);
            }
            call.deny_texts.append(&mut reading.texts);
            if let Some(next) = changed_folder(part, &literal, cwd.as_deref(), ctx) {
                // The folder it goes to is what a `cd` touches; its word is not read again in
                // the new folder.
                call.touched.push(
                    next.clone()
                        .unwrap_or_else(|| PathBuf::from(cd_target(part))),
                );
                cwd = next;
                if !folders.contains(&cwd) {
                    folders.push(cwd.clone());
                }
                // Each path is checked in every folder: a hostile line must not multiply that
                // without bound. Past the limit the line is not read with certainty.
                if folders.len() > MAX_FOLDERS {
                    call.error
                        .get_or_insert(ShellError::Unsupported("this many changes of folder"));
                    folders.truncate(MAX_FOLDERS);
                }
                call.writes.push(Vec::new());
                continue;
            }
            let here = |word: &str| place(word, cwd.as_deref(), ctx);
            call.writes
                .push(part.writes.iter().map(|w| here(w)).collect());
            for word in part
                .words
                .iter()
                .filter_map(|w| path_word(w))
                .chain(part.redirects.iter().map(String::as_str))
            {
                call.touched.push(here(word));
            }
            let writes_files = !READ_ONLY.contains(&program(part));
            if let Some(config) = git_config_write(part, cwd.as_deref(), ctx) {
                call.protected.push(config);
            }
            let mut commands: Vec<(&SimpleCommand, Vec<bool>)> = vec![(part, literal)];
            commands.extend(reading.inner.iter().map(|c| (c, flags(c, home_changed))));
            for (command, literal) in &commands {
                for (word, &plain) in command.words.iter().zip(literal).skip(1) {
                    let Some(word) = file_word(word) else {
                        continue;
                    };
                    if !plain {
                        call.unplaced.push(word.to_owned());
                        continue;
                    }
                    for folder in &folders {
                        let path = place(word, folder.as_deref(), ctx);
                        if writes_files && is_protected(&path) {
                            call.protected.push(path.clone());
                        }
                        call.named.push(path);
                    }
                }
            }
            for folder in &folders {
                let at = |w: &String| place(w, folder.as_deref(), ctx);
                call.reads.extend(
                    part.redirects
                        .iter()
                        .filter(|r| !part.writes.contains(r))
                        .map(at),
                );
                call.all_writes
                    .extend(part.writes.iter().chain(&reading.writes).map(at));
            }
            let unplaced_writes = part
                .writes
                .iter()
                .chain(&reading.writes)
                .filter(|w| !word_is_literal(w));
            call.unplaced.extend(unplaced_writes.cloned());
        }
        call.protected
            .extend(call.all_writes.iter().filter(|p| is_protected(p)).cloned());
        call.parts = parts;
        dedup(&mut call.deny_texts);
        dedup(&mut call.named);
        dedup(&mut call.protected);
        call
    }

    /// Paths outside the project this line touches, in order, without repeats.
    pub(crate) fn outside(&self, ctx: &Context) -> Vec<PathBuf> {
        let mut out: Vec<PathBuf> = self
            .touched
            .iter()
            .filter(|p| !is_inside(ctx.project, p))
            .cloned()
            .collect();
        dedup(&mut out);
        out
    }
}

/// `git config` that sets something writes git's configuration (aliases, pagers, hooks path)
/// without naming the file: the repository's `.git/config` (or `~/.gitconfig` with
/// `--global`) counts as written.
fn git_config_write(part: &SimpleCommand, cwd: Option<&Path>, ctx: &Context) -> Option<PathBuf> {
    if program(part) != "git" {
        return None;
    }
    let words: Vec<&str> = part.words.iter().map(String::as_str).collect();
    let at = words.iter().position(|w| *w == "config")?;
    let reading = [
        "--get",
        "--get-all",
        "--get-regexp",
        "--list",
        "-l",
        "get",
        "list",
        "--show-origin",
    ];
    if words[at + 1..].iter().any(|w| reading.contains(w)) || words.len() <= at + 2 {
        return None;
    }
    if words.contains(&"--global") {
        return Some(place("~/.gitconfig", cwd, ctx));
    }
    Some(place(".git/config", cwd, ctx))
}

/// The words' literal marks, with tilde words unplaced when the line sets `HOME`.
fn flags(part: &SimpleCommand, home_changed: bool) -> Vec<bool> {
    let mut flags = literal_flags(part);
    if home_changed {
        for (flag, word) in flags.iter_mut().zip(&part.words) {
            *flag &= !word.starts_with('~');
        }
    }
    flags
}

fn dedup<T: Clone + Eq + std::hash::Hash>(items: &mut Vec<T>) {
    let mut seen = HashSet::new();
    items.retain(|item| seen.insert(item.clone()));
}

/// The program of a part, past assignments and its folder.
fn program(part: &SimpleCommand) -> &str {
    part.words
        .iter()
        .find(|w| !is_assignment(w))
        .map_or("", |w| basename(w))
}

/// The folder a `cd`/`pushd`/`popd` part leads to: `None` when the part changes nothing,
/// `Some(None)` when it leads somewhere unknown.
fn changed_folder(
    part: &SimpleCommand,
    literal: &[bool],
    cwd: Option<&Path>,
    ctx: &Context,
) -> Option<Option<PathBuf>> {
    let (first, rest) = part.words.split_first()?;
    match first.as_str() {
        "cd" | "pushd" | "chdir" => {}
        "popd" => return Some(None),
        _ => return None,
    }
    let args: Vec<(usize, &String)> = rest
        .iter()
        .enumerate()
        .filter(|(_, a)| !(a.starts_with('-') && a.len() > 1))
        .collect();
    Some(match args.first() {
        None => ctx.home.map(Path::to_path_buf),
        Some((_, target)) if target.as_str() == "-" => None,
        Some((i, _)) if !literal.get(i + 1).copied().unwrap_or(false) => None,
        Some((_, target)) => Some(place(target, cwd, ctx)).filter(|p| p.is_absolute()),
    })
}

fn cd_target(part: &SimpleCommand) -> String {
    part.words.get(1).cloned().unwrap_or_else(|| "~".to_owned())
}

/// Resolves a word in `folder`; in an unknown folder only absolute and `~` paths can be placed,
/// and an expanded word never: those stay relative, which counts as outside the project.
fn place(word: &str, folder: Option<&Path>, ctx: &Context) -> PathBuf {
    if word.contains(['$', '`']) {
        return PathBuf::from(word);
    }
    match folder {
        Some(folder) => resolve(folder, word, ctx.home),
        None if word.starts_with(['/', '~']) => resolve(Path::new("/"), word, ctx.home),
        None => PathBuf::from(word),
    }
}

/// The part of a shell word that names a path, if any: options are skipped but the value of
/// `--out=/tmp/x` or `of=/dev/sda` is not; URLs and the standard devices are not paths.
pub(crate) fn path_word(word: &str) -> Option<&str> {
    let value = file_word(word)?;
    let looks_like_path = value.starts_with(['/', '~'])
        || value == ".."
        || value.starts_with("./")
        || value.contains('/');
    looks_like_path.then_some(value)
}

/// The part of a word that may name a file (deny rules check every one, path-like or not):
/// the word itself, or the value of `--opt=value` / `key=value`; never an option, a URL or a
/// standard device.
fn file_word(word: &str) -> Option<&str> {
    let is_key = |key: &str| {
        key.chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-".contains(c))
    };
    let value = match word.split_once('=') {
        Some((key, value)) if is_key(key) => value,
        _ if word.starts_with('-') => return None,
        _ => word,
    };
    (!value.is_empty() && !value.contains("://") && !is_device(value)).then_some(value)
}
