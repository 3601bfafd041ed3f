//! Warden's engine over a stdio pipe. The [`protocol`] (versioned, newline-delimited JSON
//! frames carrying warden-core's own types), the [`server`] that `warden serve --stdio` runs
//! (one engine per data folder, shared by every connection), and the [`client`] with its
//! [`transport`]s (ssh, docker exec, any command) and a [`resume`]-able follower of event
//! streams. Nothing here listens on a network port.
#![deny(missing_docs)]

/// The answer arm a typed call expects, as a closure taking the answer: `arm!(Enum::Arm)` for
/// an arm without data, `arm!(Enum::Arm(v))` for one carrying a value; any other arm is
/// described for the "unexpected answer" error. One macro for `calls*.rs` and every answer enum.
macro_rules! arm {
    ($answer:ident :: $variant:ident) => {
        |a| match a {
            $answer::$variant => Ok(()),
            other => Err(format!("{other:?}")),
        }
    };
    ($answer:ident :: $variant:ident(v)) => {
        |a| match a {
            $answer::$variant(v) => Ok(v),
            other => Err(format!("{other:?}")),
        }
    };
}

mod calls;
mod calls_gate;
mod calls_worktrees;
pub mod client;
mod failure;
pub mod protocol;
pub mod request;
pub mod request_gate;
pub mod request_host;
pub mod request_worktrees;
pub mod resume;
pub mod server;
pub mod ssh_extra;
pub mod transport;

pub use client::{ClientError, Connection, Lost, Subscription, TerminalSubscription};
pub use protocol::{ErrorKind, Hello, RemoteError, ServerFrame, TerminalChunk, PROTOCOL_VERSION, WARDEN_VERSION};
pub use request::{Request, Response, StartSession, Started, TerminalSubscribed};
pub use request_gate::{GateRequest, GateResponse};
pub use request_host::{HostRequest, HostResponse, UsageAsked};
pub use request_worktrees::{WorktreesRequest, WorktreesResponse};
pub use resume::Remote;
pub use server::Server;
pub use ssh_extra::{SshExtra, SshExtraError, SshOption};
pub use transport::{Place, SshOptions, Transport, TransportError};
