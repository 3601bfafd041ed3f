//! Agent processes: spawned in their own process group, read line by line, killed as a group.

mod child;
mod lines;
mod stderr_tail;

pub use child::{AgentProcess, ExitStatusInfo, Pipes, SpawnSpec};
pub use lines::{read_lines, MAX_LINE};
pub use stderr_tail::StderrTail;
