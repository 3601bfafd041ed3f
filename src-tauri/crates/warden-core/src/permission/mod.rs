//! Permission rules: which tool calls an agent may run without asking, and which never.
//!
//! Rules use Claude Code's syntax, which people already know: `Bash(npm test:*)`,
//! `Read(src/**)`, `Edit(//etc/hosts)`, `WebFetch(domain:example.com)`, `mcp__github`. A session
//! and a project each hold a [`RuleSet`]; [`evaluate`] decides a call from both, [`suggest_rules`]
//! proposes the rules that would stop a call from asking again.
//!
//! This is pure logic: no I/O, no clock. Paths are resolved lexically; the caller says where
//! symbolic links lead ([`Links`]) if it wants them followed. When in doubt the answer is
//! [`Verdict::Undecided`] (ask the person), never an allow: a shell line the tokenizer cannot
//! fully split is never allowed by a rule.
//!
//! # Deny rules fail closed
//! Allow rules match narrowly; deny rules are read so that they catch more, never less:
//! - a program matches by its name whatever folder it runs from (`/usr/bin/rm`, `./rm`), in any
//!   case, and through wrappers read with their own option grammar (`sudo -u root rm`,
//!   `env -i A=1 rm`, `timeout -s KILL 5 rm`, `xargs -0 rm`, …), shells' `-c` scripts, `eval`,
//!   and `find -exec`; `find -delete` is read as `rm` of its start folders;
//! - `Read`/`Edit` deny rules meet every word and redirect of a shell line that may name a file
//!   (`cat .env`, `cp x secrets/`, `> .env`), a search's `glob` filter, the files of a
//!   multi-file edit, and the target of a symbolic link; path deny rules ignore case;
//! - what cannot be read with certainty while a deny rule of its kind exists is
//!   [`Verdict::Uncertain`]: a line that does not split, a program word the shell expands
//!   (`$x`, `r?`, `{rm,-f}`), a wrapper option not understood, inline code of an interpreter
//!   (`python3 -c`), commands read from standard input (`… | sh`), `git -c`, a glob that may
//!   name a denied file. Every mode asks it; nothing runs it unasked.
//!
//! # Protected configuration
//! Writing an agent's, git's, an editor's, CI's or the shell's own configuration
//! ([`protected::PROTECTED_FOLDERS`], [`protected::PROTECTED_FILES`]) is allowed only by a rule
//! naming that very file (`Edit(.claude/settings.json)`), never by a broader rule; the engine
//! never lets a mode allow it.
//!
//! # The call's folder
//! A call may carry `cwd` (absolute, or relative to the project): its relative paths resolve
//! there, and `cd DIR` moves the commands after it. A folder outside the project is itself an
//! outside path. Rule patterns stay anchored to [`Context::cwd`], the session's folder.

mod call;
mod glob;
pub mod path;
pub mod policy;
mod programs;
pub mod protected;
pub mod rule;
pub mod shell;
mod shell_call;
mod shell_words;
mod wrappers;

pub use policy::{
    evaluate, outside_paths, subject, suggest_rules, Context, Evaluation, Links, RuleSet,
    ToolUse, Verdict,
};
pub use rule::{Rule, RuleError};
pub use shell::{command_line, shell_script, split, ShellError, SimpleCommand};

#[cfg(test)]
mod tests;
