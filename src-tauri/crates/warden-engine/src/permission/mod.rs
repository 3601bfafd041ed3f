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
//! - **Modes**: accept edits allows edits inside the project; bypass allows everything not
//!   denied; plan leaves the decisions to the agent's plan mode and asks for the plan approval.
//! - **Nothing is allowed by default or by a timeout.** A question nobody can answer any more
//!   (stop, quit) is answered "cancelled", which the agent reads as a denial.
//! - **Every decision is an event** (`PermissionResolved`) with its source, rule and time: the
//!   audit log is the session's stored stream.

mod policy;
mod rules_file;

pub(crate) use policy::{Auto, Policy};
pub use rules_file::{key as rules_key, ProjectRules, RulesError, RulesFile};
