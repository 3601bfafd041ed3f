//! Sessions as actors: each owns its agent process, and the app talks to it through a handle.

mod actor;
mod chunks;
mod file_write;
mod handle;
mod launch;
pub mod prompt_input;
mod recording;

pub use handle::{ReviewReport, SessionError, SessionHandle};
pub(crate) use launch::{launch, Launch};
pub use recording::TurnGate;
pub(crate) use recording::{blocking, Recording};
