//! Warden's engine over a stdio pipe. The [`protocol`] (versioned, newline-delimited JSON
//! frames carrying warden-core's own types), the [`server`] that `warden serve --stdio` runs
//! (one engine per data folder, shared by every connection), and the [`client`] with its
//! [`transport`]s (ssh, docker exec, any command) and a [`resume`]-able follower of event
//! streams. Nothing here listens on a network port.
#![deny(missing_docs)]

mod calls;
pub mod client;
pub mod protocol;
pub mod request;
pub mod resume;
pub mod server;
pub mod transport;

pub use client::{ClientError, Connection, Lost, Subscription, TerminalSubscription};
pub use protocol::{ErrorKind, Hello, RemoteError, ServerFrame, TerminalChunk, PROTOCOL_VERSION, WARDEN_VERSION};
pub use request::{Request, Response, StartSession, Started, TerminalSubscribed};
pub use resume::Remote;
pub use server::Server;
pub use transport::{Place, SshOptions, Transport, TransportError};
