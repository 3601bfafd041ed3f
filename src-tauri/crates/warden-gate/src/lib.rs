//! Warden's task gate: what runs when an agent says it is done.
//!
//! [`config`] reads `.warden/checks.toml` and the person's own layer for the project, merged by
//! id; [`trust`] pins the project file's content to the person's decision; [`filters`] says
//! whether a check's `when.*` matches a situation; [`overview`] is what lists show
//! ([`panel`]: the Checks panel's calls, for the window and `warden serve` alike);
//! [`endpoints`] says which webhook endpoints may be delivered to now; [`manual`] sends the
//! person's Redeliver and test event. Running
//! checks and parsing their output live in `run` and `parse`; [`worktree`] is how a session's
//! own worktree is prepared (files copied in, a setup command trusted like the checks).
#![deny(missing_docs)]

pub mod config;
pub mod endpoints;
pub mod filters;
pub mod manual;
pub mod overview;
pub mod panel;
pub mod parse;
pub mod run;
pub mod secrets;
pub mod trust;
pub mod worktree;
