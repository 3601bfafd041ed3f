//! Claude Code over its stream-json control protocol (see PROTOCOLS.md §1).

mod adapter;
mod command;
mod controls;
pub mod history;
mod permissions;
mod questions;
mod rate_limits;
mod slash_commands;
mod tools;
mod wire;

pub use adapter::{raw_output, ClaudeAdapter, RAW_KEEP};
pub use permissions::{CANCELLED_MESSAGE, DEFAULT_DENY_MESSAGE, STOP_MESSAGE};
pub use command::spawn_spec;

#[cfg(test)]
mod grant_tests;
#[cfg(test)]
mod tests;
