//! Claude Code over its stream-json control protocol (see PROTOCOLS.md §1).

mod adapter;
mod command;
pub mod history;
mod tools;
mod wire;

pub use adapter::{raw_output, ClaudeAdapter, CANCELLED_MESSAGE, DEFAULT_DENY_MESSAGE, RAW_KEEP};
pub use command::spawn_spec;

#[cfg(test)]
mod tests;
