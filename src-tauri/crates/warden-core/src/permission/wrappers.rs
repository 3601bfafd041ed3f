//! The option grammars of wrappers — programs that run the rest of their arguments as a command
//! (`sudo -u root rm x`, `timeout -s KILL 5 rm x`) — so the command they run is found exactly,
//! and an option not known here makes the command uncertain rather than guessed.

use super::programs::is_assignment;

/// The grammar of the wrapper named `program`, if it is one.
pub(crate) fn wrapper(program: &str) -> Option<&'static Grammar> {
    GRAMMARS.iter().find(|g| g.names.contains(&program))
}

/// The option grammar of a wrapper: which options take a value, and what comes before the
/// command it runs.
pub(crate) struct Grammar {
    names: &'static [&'static str],
    /// Short options without a value.
    flags: &'static str,
    /// Short options taking a value, attached (`-uroot`) or as the next word.
    valued: &'static str,
    /// Short options whose value can only be attached (`xargs -i{}`), or is absent.
    optional: &'static str,
    long_flags: &'static [&'static str],
    long_valued: &'static [&'static str],
    /// `nice -5`: a number as an option.
    numeric: bool,
    /// `env A=b cmd`.
    assignments: bool,
    /// Words between the options and the command (`timeout 10s cmd`, `chroot /new cmd`).
    operands: usize,
}

const NONE: &[&str] = &[];

impl Grammar {
    /// What a wrapper has unless its entry says otherwise: no options, no `A=b` words, no
    /// operands; each entry in [`GRAMMARS`] names only what differs.
    const PLAIN: Grammar = Grammar {
        names: NONE,
        flags: "",
        valued: "",
        optional: "",
        long_flags: NONE,
        long_valued: NONE,
        numeric: false,
        assignments: false,
        operands: 0,
    };
}

const GRAMMARS: &[Grammar] = &[
    Grammar {
        names: &["sudo"],
        flags: "AbEHiKklnPSsVv",
        valued: "CDghpRrTtUu",
        long_flags: &[
            "askpass",
            "background",
            "preserve-env",
            "set-home",
            "login",
            "remove-timestamp",
            "reset-timestamp",
            "non-interactive",
            "preserve-groups",
            "stdin",
            "shell",
            "validate",
            "list",
        ],
        long_valued: &[
            "close-from",
            "chdir",
            "group",
            "host",
            "prompt",
            "role",
            "type",
            "command-timeout",
            "other-user",
            "user",
        ],
        assignments: true,
        ..Grammar::PLAIN
    },
    Grammar {
        names: &["doas"],
        flags: "nsL",
        valued: "uC",
        ..Grammar::PLAIN
    },
    Grammar {
        names: &["env"],
        flags: "i0v",
        valued: "uC",
        long_flags: &[
            "ignore-environment",
            "null",
            "debug",
            "block-signal",
            "default-signal",
            "ignore-signal",
        ],
        long_valued: &["unset", "chdir"],
        assignments: true,
        ..Grammar::PLAIN
    },
    Grammar {
        names: &["nice"],
        valued: "n",
        long_valued: &["adjustment"],
        numeric: true,
        ..Grammar::PLAIN
    },
    Grammar {
        names: &["timeout"],
        flags: "v",
        valued: "sk",
        long_flags: &["preserve-status", "foreground", "verbose"],
        long_valued: &["signal", "kill-after"],
        operands: 1,
        ..Grammar::PLAIN
    },
    Grammar {
        names: &["stdbuf"],
        valued: "ioe",
        long_valued: &["input", "output", "error"],
        ..Grammar::PLAIN
    },
    Grammar {
        names: &["xargs"],
        flags: "0oprtx",
        valued: "adEILnPs",
        optional: "ile",
        long_flags: &[
            "null",
            "verbose",
            "no-run-if-empty",
            "open-tty",
            "interactive",
            "exit",
            "show-limits",
        ],
        long_valued: &[
            "arg-file",
            "delimiter",
            "eof",
            "replace",
            "max-lines",
            "max-args",
            "max-procs",
            "max-chars",
            "process-slot-var",
        ],
        ..Grammar::PLAIN
    },
    Grammar {
        names: &["nohup", "builtin"],
        ..Grammar::PLAIN
    },
    Grammar {
        names: &["setsid"],
        flags: "cfw",
        long_flags: &["ctty", "fork", "wait"],
        ..Grammar::PLAIN
    },
    Grammar {
        names: &["command"],
        flags: "pvV",
        ..Grammar::PLAIN
    },
    Grammar {
        names: &["exec"],
        flags: "cl",
        valued: "a",
        ..Grammar::PLAIN
    },
    Grammar {
        names: &["time"],
        flags: "pavq",
        valued: "fo",
        long_flags: &["append", "verbose", "portability", "quiet"],
        long_valued: &["format", "output"],
        ..Grammar::PLAIN
    },
    Grammar {
        names: &["chroot"],
        long_flags: &["skip-chdir"],
        long_valued: &["userspec", "groups"],
        operands: 1,
        ..Grammar::PLAIN
    },
    Grammar {
        names: &["ionice"],
        flags: "t",
        valued: "cnp",
        long_valued: &["class", "classdata", "pid"],
        ..Grammar::PLAIN
    },
];

impl Grammar {
    /// How many words the wrapper's options and operands take, or why they are not understood.
    pub(crate) fn skip(&self, args: &[String], literal: &[bool]) -> Result<usize, String> {
        let mut k = 0;
        let mut options_done = false;
        while k < args.len() {
            let a = args[k].as_str();
            if !literal.get(k).copied().unwrap_or(false) {
                return Err(format!("the word `{a}` is expanded by the shell"));
            }
            if options_done || a == "-" || !a.starts_with('-') {
                if self.assignments && is_assignment(a) {
                    k += 1;
                    continue;
                }
                break;
            }
            if a == "--" {
                options_done = true;
                k += 1;
                continue;
            }
            if let Some(long) = a.strip_prefix("--") {
                let (name, value) = long
                    .split_once('=')
                    .map_or((long, None), |(n, v)| (n, Some(v)));
                if self.long_valued.contains(&name) {
                    k += if value.is_some() { 1 } else { 2 };
                } else if self.long_flags.contains(&name) {
                    k += 1;
                } else {
                    return Err(format!("the option `{a}` is not understood"));
                }
                continue;
            }
            let body = &a[1..];
            if self.numeric && body.chars().all(|c| c.is_ascii_digit()) {
                k += 1;
                continue;
            }
            let mut takes_next = false;
            for (at, c) in body.char_indices() {
                if self.flags.contains(c) {
                    continue;
                }
                if self.optional.contains(c) {
                    break;
                }
                if self.valued.contains(c) {
                    takes_next = at + c.len_utf8() == body.len();
                    break;
                }
                return Err(format!("the option `-{c}` is not understood"));
            }
            k += if takes_next { 2 } else { 1 };
        }
        // Operands come before the command (`timeout 10s cmd`).
        let k = k + self.operands;
        if k > args.len() {
            return Ok(args.len());
        }
        if literal.get(..k).is_some_and(|l| l.iter().any(|&x| !x)) {
            return Err("an operand is expanded by the shell".to_owned());
        }
        Ok(k)
    }
}
