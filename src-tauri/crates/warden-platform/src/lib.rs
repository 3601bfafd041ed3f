//! What differs by operating system and has no other home, kept here so the engine, the task
//! gate and the app share one copy:
//!
//! - [`login_path`]: a macOS app started from the Finder or the Dock gets a bare PATH, not the
//!   one the person's login shell sets up (nvm, Homebrew, Volta). It is read from that shell in
//!   the background and used to find and start agents and checks.
//! - [`console`]: on Windows the release build is a GUI-subsystem program, so a headless
//!   command (`warden run`, …) attaches to the console it was started from to print there.
//! - `job` (Windows only): a Job Object that ends a process and everything it started.
//!
//! The decisions (parsing the shell's output, merging PATHs, when to attach) are plain
//! functions compiled and tested on every platform; only the system calls are `cfg`-gated.
#![deny(missing_docs)]

pub mod console;
#[cfg(windows)]
pub mod job;
pub mod login_path;
