//! The host's terminals for remote windows: the engine's own terminal registry (the calls the
//! window's Terminal panel makes), and for each terminal a numbered log of its output messages,
//! so a client that lost its connection subscribes again after the last `seq` it has and misses
//! nothing, and sees nothing twice.
//!
//! A terminal outlives the connection that opened it (a dropped ssh connection must not kill
//! the build running in it), but not forever: one that no client has followed for
//! [`ORPHAN_GRACE`] is released, so a window that crashed does not leave shells behind for the
//! engine's lifetime. The log keeps about [`KEPT_BYTES`] of the newest output, as the engine
//! keeps a terminal's scrollback; a client that resumes from before that is told where the kept
//! output starts.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use tokio::sync::mpsc;
use warden_core::terminal::{TerminalEvent, TerminalId};
use warden_engine::terminal::{TerminalError, TerminalSpec, Terminals, TextStream, DEFAULT_OUTPUT_LIMIT};

/// How much of a terminal's newest output the host keeps for clients that resume (bytes of
/// text; at least the last message is always kept).
pub const KEPT_BYTES: usize = DEFAULT_OUTPUT_LIMIT;

/// How long a terminal no client follows is kept for one to come back.
pub const ORPHAN_GRACE: Duration = Duration::from_secs(5 * 60);

/// One numbered message of a terminal.
pub type Numbered = (u64, TerminalEvent);

/// The host's terminals and their logs.
#[derive(Default)]
pub struct HostTerminals {
    registry: Arc<Terminals>,
    logs: Mutex<HashMap<TerminalId, Arc<Log>>>,
}

/// A terminal's numbered messages and who follows them.
#[derive(Default)]
struct Log {
    state: Mutex<LogState>,
}

#[derive(Default)]
struct LogState {
    kept: VecDeque<Numbered>,
    kept_bytes: usize,
    /// The `seq` the next message gets (messages are numbered from 1).
    next_seq: u64,
    listeners: Vec<mpsc::UnboundedSender<Numbered>>,
    /// Since when no client follows the terminal.
    unfollowed_since: Option<Instant>,
}

fn size(event: &TerminalEvent) -> usize {
    match event {
        TerminalEvent::Output(text) => text.len(),
        TerminalEvent::Exited(_) => 16,
    }
}

impl Log {
    fn state(&self) -> MutexGuard<'_, LogState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Numbers `event`, keeps it, and hands it to every follower.
    fn push(&self, event: TerminalEvent) {
        let mut state = self.state();
        let seq = state.next_seq;
        state.next_seq += 1;
        state.kept_bytes += size(&event);
        state.kept.push_back((seq, event.clone()));
        while state.kept_bytes > KEPT_BYTES && state.kept.len() > 1 {
            if let Some((_, old)) = state.kept.pop_front() {
                state.kept_bytes -= size(&old);
            }
        }
        state.listeners.retain(|tx| tx.send((seq, event.clone())).is_ok());
    }

    /// The kept messages after `after_seq`, then every new one, on the returned receiver; and
    /// the first `seq` kept. Under the log's lock, so no message falls between the two.
    fn follow(&self, after_seq: u64) -> (u64, mpsc::UnboundedReceiver<Numbered>) {
        let (tx, rx) = mpsc::unbounded_channel();
        let mut state = self.state();
        let first_seq = state.kept.front().map_or(state.next_seq, |(seq, _)| *seq);
        for (seq, event) in state.kept.iter().filter(|(seq, _)| *seq > after_seq) {
            let _ = tx.send((*seq, event.clone()));
        }
        state.listeners.push(tx);
        state.unfollowed_since = None;
        (first_seq, rx)
    }

    /// Whether no client has followed it for `grace` (checked now).
    fn orphaned(&self, now: Instant, grace: Duration) -> bool {
        let mut state = self.state();
        state.listeners.retain(|tx| !tx.is_closed());
        if !state.listeners.is_empty() {
            state.unfollowed_since = None;
            return false;
        }
        now.duration_since(*state.unfollowed_since.get_or_insert(now)) >= grace
    }
}

impl HostTerminals {
    fn logs(&self) -> MutexGuard<'_, HashMap<TerminalId, Arc<Log>>> {
        self.logs.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Starts `spec` and begins numbering its output.
    pub fn open(&self, spec: TerminalSpec) -> Result<TerminalId, TerminalError> {
        let id = self.registry.spawn(spec)?;
        let subscription = match self.registry.subscribe(id) {
            Ok(s) => s,
            Err(e) => {
                let _ = self.registry.release(id);
                return Err(e);
            }
        };
        let log = Arc::new(Log { state: Mutex::new(LogState { next_seq: 1, unfollowed_since: Some(Instant::now()), ..LogState::default() }) });
        self.logs().insert(id, log.clone());
        tokio::spawn(async move {
            let mut stream = TextStream::new(subscription);
            while let Some(event) = stream.next().await {
                log.push(event);
            }
        });
        Ok(id)
    }

    /// Types `data` into terminal `id`.
    pub fn write(&self, id: TerminalId, data: &[u8]) -> Result<(), TerminalError> {
        self.registry.write(id, data)
    }

    /// Resizes terminal `id`.
    pub fn resize(&self, id: TerminalId, cols: u16, rows: u16) -> Result<(), TerminalError> {
        self.registry.resize(id, cols, rows)
    }

    /// Closes terminal `id` (ending its processes) and forgets its log; one already gone is no
    /// error.
    pub fn close(&self, id: TerminalId) -> Result<(), TerminalError> {
        self.logs().remove(&id);
        match self.registry.release(id) {
            Ok(()) | Err(TerminalError::NotFound(_)) => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// Follows terminal `id` after `after_seq`: the first `seq` kept, and the messages.
    pub fn follow(&self, id: TerminalId, after_seq: u64) -> Result<(u64, mpsc::UnboundedReceiver<Numbered>), TerminalError> {
        let log = self.logs().get(&id).cloned().ok_or(TerminalError::NotFound(id))?;
        Ok(log.follow(after_seq))
    }

    /// Releases the terminals no client has followed for `grace`.
    pub fn release_orphans(&self, grace: Duration) {
        let now = Instant::now();
        let orphans: Vec<TerminalId> = self.logs().iter().filter(|(_, log)| log.orphaned(now, grace)).map(|(id, _)| *id).collect();
        for id in orphans {
            tracing::info!(terminal = %id, "no client followed this terminal for a while; releasing it");
            let _ = self.close(id);
        }
    }

    /// Ends every terminal and waits (about a second at most) for their processes: the engine
    /// is ending.
    pub fn shutdown(&self) {
        self.logs().clear();
        self.registry.shutdown();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use warden_core::terminal::TerminalExit;

    fn out(text: &str) -> TerminalEvent {
        TerminalEvent::Output(text.to_owned())
    }

    #[test]
    fn a_follower_gets_what_is_kept_after_its_seq_then_the_new_messages_once_each() {
        let log = Log { state: Mutex::new(LogState { next_seq: 1, ..LogState::default() }) };
        log.push(out("a"));
        log.push(out("b"));
        let (first, mut rx) = log.follow(1);
        assert_eq!(first, 1);
        log.push(out("c"));
        log.push(TerminalEvent::Exited(TerminalExit { code: Some(0), signal: None }));
        let got: Vec<u64> = std::iter::from_fn(|| rx.try_recv().ok()).map(|(seq, _)| seq).collect();
        assert_eq!(got, vec![2, 3, 4]);
    }

    #[test]
    fn old_output_beyond_the_limit_is_dropped_and_the_first_kept_seq_says_so() {
        let log = Log { state: Mutex::new(LogState { next_seq: 1, ..LogState::default() }) };
        let big = "x".repeat(KEPT_BYTES / 2 + 1);
        for _ in 0..3 {
            log.push(out(&big));
        }
        let (first, mut rx) = log.follow(0);
        assert_eq!(first, 3, "only the newest message fits");
        assert_eq!(rx.try_recv().map(|(seq, _)| seq).ok(), Some(3));
    }

    #[test]
    fn a_terminal_nobody_follows_is_orphaned_after_the_grace_only() {
        let log = Log { state: Mutex::new(LogState { next_seq: 1, ..LogState::default() }) };
        let now = Instant::now();
        let (_, rx) = log.follow(0);
        assert!(!log.orphaned(now, Duration::ZERO), "followed");
        drop(rx);
        assert!(!log.orphaned(now, Duration::from_secs(60)), "within the grace");
        assert!(log.orphaned(now + Duration::from_secs(61), Duration::from_secs(60)));
    }
}
