//! Warden's data folder on disk: owner-only files and folders ([`private`]), SQLite databases
//! configured, checked and set aside when corrupt ([`sqlite`]), checked only when their last use
//! did not end cleanly ([`occupancy`]), and the clock every stored row
//! is stamped with ([`now_ms`]).
//!
//! The session store (in `warden-engine`) and the file journal (`warden-journal`) both keep
//! their data here, with the same rules; this crate holds those rules so neither has to depend
//! on the other, and a change to the engine does not rebuild the journal.
#![deny(missing_docs)]

mod clock;
pub mod occupancy;
pub mod private;
pub mod sqlite;

pub use clock::now_ms;
