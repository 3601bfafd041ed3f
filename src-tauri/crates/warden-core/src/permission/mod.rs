//! Permission rules: which tool calls an agent may run without asking, and which never.
//!
//! Rules use Claude Code's syntax, which people already know: `Bash(npm test:*)`,
//! `Read(src/**)`, `Edit(//etc/hosts)`, `WebFetch(domain:example.com)`, `mcp__github`. A session
//! and a project each hold a [`RuleSet`]; [`evaluate`] decides a call from both, [`suggest_rules`]
//! proposes the rules that would stop a call from asking again.
//!
//! This is pure logic: no I/O, no clock. Paths are resolved lexically; the caller resolves
//! symlinks first if it wants them followed. When in doubt the answer is [`Verdict::Undecided`]
//! (ask the person), never an allow: a shell line the tokenizer cannot fully split is never
//! allowed by a rule, though deny rules are still checked against whatever could be read of it.

mod call;
mod glob;
pub mod path;
pub mod policy;
pub mod rule;
pub mod shell;
mod shell_words;

pub use policy::{
    evaluate, outside_paths, subject, suggest_rules, Context, Evaluation, RuleSet, ToolUse,
    Verdict,
};
pub use rule::{Rule, RuleError};
pub use shell::{command_line, shell_script, split, ShellError, SimpleCommand};

#[cfg(test)]
mod tests;
