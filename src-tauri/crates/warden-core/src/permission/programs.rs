//! What program a simple command really runs, for deny rules: through assignments, a program's
//! folder, wrappers (`sudo -u root rm`), shells' scripts (`bash -c '…'`, `eval`) and `find`'s
//! actions — or why that cannot be known.
//!
//! Deny rules must fail closed. Matching them as string prefixes let `sudo -u root rm`,
//! `/bin/r? x` or `$x -f y` past `Bash(rm:*)`. So a command is read the way the shell and the
//! wrapper would read it, and whatever this reading does not fully understand (a program word
//! that is not a plain literal, a wrapper option it does not know, inline code of an
//! interpreter, commands read from standard input) makes the call *uncertain*: when a Bash deny
//! rule exists, it is asked, in every mode, never run unasked.

use super::shell::{rough_pieces, split_best_effort, SimpleCommand};
use super::wrappers::wrapper;

/// How deep scripts within scripts are read; deeper is uncertain.
const MAX_DEPTH: usize = 3;

/// What deny rules see of one simple command.
#[derive(Debug, Default)]
pub(crate) struct Reading {
    /// Texts Bash deny rules are matched against: the command as written, and each command that
    /// remains once assignments, folders and wrappers are removed.
    pub(crate) texts: Vec<String>,
    /// Why the command cannot be read with certainty (the first reason found).
    pub(crate) uncertain: Option<String>,
    /// Commands found inside this one (a shell's script, `find -exec`): their words name paths
    /// too.
    pub(crate) inner: Vec<SimpleCommand>,
    /// Files written through options (`find -fprint FILE`).
    pub(crate) writes: Vec<String>,
}

impl Reading {
    fn doubt(&mut self, reason: String) {
        self.uncertain.get_or_insert(reason);
    }
}

/// Whether each word of `part` is exactly what the program receives (no expansion left), as
/// the tokenizer marks it — except that `~` and `~/…` count as literal, since the home folder is
/// known (a line that assigns `HOME` is read by [`super::shell_call`] with these unplaced).
/// A command built without the marks falls back to [`word_is_literal`].
pub(crate) fn literal_flags(part: &SimpleCommand) -> Vec<bool> {
    if part.literal.len() != part.words.len() {
        return part.words.iter().map(|w| word_is_literal(w)).collect();
    }
    let tilde = |w: &str| (w == "~" || w.starts_with("~/")) && word_is_literal(w);
    part.words
        .iter()
        .zip(&part.literal)
        .map(|(w, &literal)| literal || tilde(w))
        .collect()
}

/// Whether a word's value, as the tokenizer gives it, holds nothing the shell may still expand
/// (a guess from its characters, for words the tokenizer does not mark: redirect targets and
/// commands built here). Erring this way only ever asks more.
pub(crate) fn word_is_literal(word: &str) -> bool {
    word == "[" || !(word.contains(['$', '`', '*', '?', '[', '\r']) || has_brace_expansion(word))
}

/// `{a,b}` or `{1..3}`; a lone `{}` (as `find -exec` and `xargs -I` use it) is not expanded.
fn has_brace_expansion(word: &str) -> bool {
    word.match_indices('{').any(|(open, _)| {
        let rest = &word[open + 1..];
        rest.find('}')
            .is_some_and(|close| rest[..close].contains(',') || rest[..close].contains(".."))
    })
}

/// The last component of a program path: `/usr/bin/rm` and `./rm` run an `rm`.
pub(crate) fn basename(program: &str) -> &str {
    program.rsplit('/').next().unwrap_or(program)
}

/// Reads one command (its words and whether each is literal) into `out`.
pub(crate) fn read_command(words: &[String], literal: &[bool], depth: usize, out: &mut Reading) {
    let is_literal = |i: usize| literal.get(i).copied().unwrap_or(false);
    out.texts.push(words.join(" "));
    let mut i = 0;
    loop {
        while words.get(i).is_some_and(|w| is_assignment(w)) {
            i += 1;
        }
        let Some(first) = words.get(i) else { return };
        out.texts.push(words[i..].join(" "));
        let program = basename(first);
        let args = &words[i + 1..];
        // The program's own name, also lower-cased: on a case-insensitive file system `RM` is rm.
        for name in [program.to_owned(), program.to_lowercase()] {
            let bare: Vec<&str> = std::iter::once(name.as_str())
                .chain(args.iter().map(String::as_str))
                .collect();
            out.texts.push(bare.join(" "));
        }
        if !is_literal(i) {
            return out.doubt(format!(
                "the program word `{first}` is expanded by the shell"
            ));
        }
        if depth > MAX_DEPTH {
            return out.doubt("scripts are nested too deeply to read".to_owned());
        }
        let arg_literal = &literal[(i + 1).min(literal.len())..];
        match program {
            _ if SHELLS.contains(&program) => {
                return shell_script(program, args, arg_literal, depth, out)
            }
            "eval" => return eval(args, arg_literal, depth, out),
            "find" => return find(args, arg_literal, depth, out),
            "git" => return git(args, out),
            _ if RUNNERS.contains(&program) && !args.is_empty() => {
                return out.doubt(format!("`{program}` runs a command Warden does not read"));
            }
            _ if inline_code(program, args) => {
                return out.doubt(format!("`{program}` runs code Warden cannot read"));
            }
            _ => {}
        }
        let Some(grammar) = wrapper(program) else {
            return;
        };
        match grammar.skip(args, arg_literal) {
            Ok(skipped) => i += 1 + skipped,
            Err(reason) => return out.doubt(format!("`{program}`: {reason}")),
        }
    }
}

/// `NAME=value`, as a shell assignment (or `env` argument) is written.
pub(crate) fn is_assignment(word: &str) -> bool {
    word.split_once('=').is_some_and(|(name, _)| {
        name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    })
}

/// Programs that run a command given on their command line, whose option grammar is not known
/// here: what they run is uncertain.
pub(crate) const RUNNERS: &[&str] = &[
    "su", "runuser", "sg", "script", "watch", "parallel", "flock", "unshare", "nsenter", "firejail",
    "bwrap", "strace", "ltrace", "valgrind", "perf", "caffeinate", "proxychains", "proxychains4",
    "torsocks", "fakeroot", "chrt", "taskset", "numactl", "cgexec", "systemd-run", "toybox",
    "dbus-run-session", "ssh-agent", "unbuffer", "catchsegv", "pkexec", "run0",
];

/// Shells: their `-c` script is read; one reading commands from standard input is not readable.
const SHELLS: &[&str] = &[
    "sh", "bash", "zsh", "dash", "ksh", "mksh", "ash", "fish", "busybox",
];

fn shell_script(program: &str, args: &[String], literal: &[bool], depth: usize, out: &mut Reading) {
    let mut has_c = false;
    let mut has_s = false;
    let mut script = None;
    let mut k = 0;
    while k < args.len() {
        let a = &args[k];
        if a == "--" {
            k += 1;
            break;
        }
        if a.starts_with('-') || a.starts_with('+') {
            has_c |= !a.starts_with("--") && a.contains('c');
            has_s |= !a.starts_with("--") && a.contains('s');
            // `-o option`, `+O shopt` take a value.
            if a.ends_with('o') || a.ends_with('O') {
                k += 1;
            }
            k += 1;
            continue;
        }
        break;
    }
    if k < args.len() {
        script = Some(k);
    }
    if has_s && !has_c {
        return out.doubt(format!(
            "`{program} -s` reads its commands from standard input"
        ));
    }
    match (has_c, script) {
        // `{}` is filled in later by `find -exec` or `xargs -I{}` with file names or input lines,
        // which become script text: unknown commands.
        (true, Some(k)) if args[k].contains("{}") => out.doubt(format!(
            "the script of `{program} -c` is filled in with names or input Warden cannot see"
        )),
        (true, Some(k)) if literal.get(k).copied().unwrap_or(false) => {
            read_script(&args[k], depth, out)
        }
        (true, Some(_)) => out.doubt(format!(
            "the script of `{program} -c` is expanded by the shell"
        )),
        // A script file, like any program, is not read: deny rules see the command that runs it.
        (false, Some(_)) if program != "busybox" => {}
        (false, Some(_)) => out.doubt("`busybox` runs an applet Warden does not read".to_owned()),
        (_, None) => out.doubt(format!(
            "`{program}` reads its commands from standard input"
        )),
    }
}

fn eval(args: &[String], literal: &[bool], depth: usize, out: &mut Reading) {
    if literal.iter().take(args.len()).all(|&l| l) && literal.len() >= args.len() {
        read_script(&args.join(" "), depth, out);
    } else {
        out.doubt("the script of `eval` is expanded by the shell".to_owned());
    }
}

/// Splits a script found in a command and reads each of its commands.
fn read_script(script: &str, depth: usize, out: &mut Reading) {
    let (parts, error) = split_best_effort(script);
    if let Some(error) = error {
        out.doubt(format!(
            "a script inside the command cannot be read: {error}"
        ));
        out.texts.extend(rough_pieces(script));
    }
    for part in parts {
        let literal = literal_flags(&part);
        read_command(&part.words, &literal, depth + 1, out);
        out.inner.push(part);
    }
}

/// `find`: the commands of `-exec`/`-execdir`/`-ok`/`-okdir` are read as commands, `-delete` as
/// `rm` of its start paths (so `Bash(rm:*)` meets it), `-fprint*`/`-fls` as writes.
fn find(args: &[String], literal: &[bool], depth: usize, out: &mut Reading) {
    let starts: Vec<&str> = args
        .iter()
        .take_while(|a| !a.starts_with('-') && !matches!(a.as_str(), "(" | "!" | ")" | ","))
        .map(String::as_str)
        .collect();
    let mut k = starts.len();
    while k < args.len() {
        match args[k].as_str() {
            "-exec" | "-execdir" | "-ok" | "-okdir" => {
                let end = args[k + 1..]
                    .iter()
                    .position(|a| a == ";" || a == "+")
                    .map_or(args.len(), |p| k + 1 + p);
                let words = args[k + 1..end].to_vec();
                let flags = literal
                    .get(k + 1..end)
                    .map(<[bool]>::to_vec)
                    .unwrap_or_default();
                read_command(&words, &flags, depth + 1, out);
                let text = words.join(" ");
                out.inner.push(SimpleCommand {
                    words,
                    literal: flags,
                    assignments: 0,
                    text,
                    redirects: Vec::new(),
                    writes: Vec::new(),
                });
                k = end + 1;
            }
            "-delete" => {
                let paths = if starts.is_empty() {
                    ".".to_owned()
                } else {
                    starts.join(" ")
                };
                for flags in ["", "-r ", "-f ", "-rf ", "-fr ", "-r -f "] {
                    out.texts.push(format!("rm {flags}{paths}"));
                }
                k += 1;
            }
            "-fprint" | "-fprint0" | "-fls" | "-fprintf" => {
                out.writes.extend(args.get(k + 1).cloned());
                k += 2;
            }
            _ => k += 1,
        }
    }
}

/// `git -c` and `--config-env` can define aliases, pagers and hooks that run any command.
fn git(args: &[String], out: &mut Reading) {
    let mut k = 0;
    while let Some(a) = args.get(k) {
        if !a.starts_with('-') {
            return;
        }
        if a.starts_with("-c") || a.starts_with("--config-env") || a.starts_with("--exec-path") {
            return out.doubt("`git -c` can make git run other commands".to_owned());
        }
        // Options whose value is the next word.
        let valued = [
            "-C",
            "--git-dir",
            "--work-tree",
            "--namespace",
            "--super-prefix",
        ];
        k += if valued.contains(&a.as_str()) { 2 } else { 1 };
    }
}

/// Interpreters given code on the command line (`python3 -c`, `node -e`, `perl -ne`), or none at
/// all (reading it from standard input): code Warden cannot read.
fn inline_code(program: &str, args: &[String]) -> bool {
    let family = program.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
    let flags: &[&str] = match family {
        "python" | "pypy" => &["-c"],
        "node" | "nodejs" | "bun" => &["-e", "--eval", "-p", "--print"],
        "deno" => return args.first().is_some_and(|a| a == "eval"),
        "perl" => &["-e", "-E"],
        "ruby" | "lua" | "luajit" | "Rscript" | "osascript" => &["-e"],
        "php" => &["-r"],
        "pwsh" | "powershell" => &["-c", "-command"],
        "awk" | "gawk" | "mawk" | "nawk" => {
            return args
                .iter()
                .any(|a| a.contains("system") || a.contains('|') || a.contains('>'));
        }
        _ => return false,
    };
    // Short flags may be clustered (`perl -ne`), so a flag letter anywhere in a cluster counts.
    let clustered = |a: &str| {
        !a.starts_with("--")
            && flags
                .iter()
                .any(|f| f.len() == 2 && a[1..].contains(&f[1..]))
    };
    for a in args {
        match a.as_str() {
            "-" => return true,
            "--version" | "-V" | "--help" | "-h" => return false,
            // A script file or a module: code in a file, like any program's.
            "-m" => return false,
            a if !a.starts_with('-') => return false,
            a if flags.iter().any(|f| a.eq_ignore_ascii_case(f)) || clustered(a) => return true,
            _ => {}
        }
    }
    // No script: the code comes from standard input.
    true
}
