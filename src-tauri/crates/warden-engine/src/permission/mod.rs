//! Permissions on Warden's side of the agent: the session's mode and rules, the project's
//! persisted rules, and the decisions they make before anyone is asked.
//!
//! # Concepts
//! - **Rules** are Claude Code's syntax (`Bash(npm test:*)`, `Edit(src/**)`), matched in
//!   `warden-core`. A session has its own rules (from "Allow for this session"); a project has
//!   rules kept by Warden (from "Always allow in this project" or the Permissions panel), never in
//!   the project's own `.claude` files.
//! - **Deny wins.** A deny rule of either scope refuses a call before the agent runs it, even
//!   one the agent would run without asking (through Claude's `PreToolUse` hook).
//! - **Outside the project** a call is never allowed by a project rule; it is flagged in the
//!   question.
//! - **Deny rules fail closed.** A call Warden cannot read with certainty while a deny rule of
//!   its kind exists (`Verdict::Uncertain`) is asked in every mode, Bypass included, and the
//!   person is told why; where nobody can be asked (a call the agent runs without asking) it
//!   is refused with a message asking the agent to write it plainly.
//! - **Modes**: accept edits allows edits inside the project; bypass allows everything not
//!   denied; in plan mode rules answer only read-only tools (`READ_ONLY_TOOLS`) and everything
//!   else is asked, so an allow rule never lets the agent write while planning.
//! - **Protected configuration** (`.claude/`, `.codex/`, `.gemini/`, `.git/`, `.vscode/`,
//!   `.mcp.json`, `.envrc`, …, see `warden_core::permission::protected`) is never written by a
//!   mode or a broad rule: only a rule for that very file allows it; otherwise it is asked, and
//!   the question lists it in `protected_paths`.
//! - **Calls are read from their typed input** (`warden_core::session::ToolInput`), which each
//!   adapter builds from its protocol; the tool's name says which rules meet it. A plan to
//!   approve or a question to the person (`ToolInput::always_asks`) is never answered by a rule
//!   or a mode.
//! - **The call's folder** is its input's `cwd`: relative paths resolve there, and a folder
//!   outside the project is flagged like any outside path.
//! - **Nothing is allowed by default or by a timeout.** A question nobody can answer any more
//!   (stop, quit) is answered "cancelled", which the agent reads as a denial.
//! - **Every decision is an event** (`PermissionResolved`) with its source, rule and time: the
//!   audit log is the session's stored stream.

mod policy;
mod rules_file;

pub(crate) use policy::{Auto, Policy, PreCheck};
pub use rules_file::{key as rules_key, ProjectRules, RuleEdit, RulesError, RulesFile};
