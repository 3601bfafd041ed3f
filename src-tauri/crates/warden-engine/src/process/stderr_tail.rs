//! The last lines an agent wrote to stderr, for the "agent exited" report.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use tokio::io::AsyncBufRead;
use tokio::sync::mpsc;

/// Lines kept.
const KEEP_LINES: usize = 40;
/// Bytes kept per line.
const KEEP_BYTES_PER_LINE: usize = 2048;

/// A shared, bounded tail of an agent's stderr.
#[derive(Debug, Clone, Default)]
pub struct StderrTail(Arc<Mutex<VecDeque<String>>>);

impl StderrTail {
    /// Reads `reader` to its end, keeping the last lines and logging every line at debug level.
    pub async fn collect<R: AsyncBufRead + Unpin + Send + 'static>(self, reader: R) {
        let (tx, mut rx) = mpsc::channel(64);
        tokio::spawn(super::read_lines(reader, tx, KEEP_BYTES_PER_LINE));
        while let Some(line) = rx.recv().await {
            let text = String::from_utf8_lossy(&line).trim_end().to_owned();
            tracing::debug!(target: "warden::agent_stderr", "{text}");
            let mut tail = self.0.lock().unwrap_or_else(|p| p.into_inner());
            if tail.len() == KEEP_LINES {
                tail.pop_front();
            }
            tail.push_back(text);
        }
    }

    /// The kept lines joined with newlines.
    pub fn text(&self) -> String {
        let tail = self.0.lock().unwrap_or_else(|p| p.into_inner());
        tail.iter().cloned().collect::<Vec<_>>().join("\n")
    }
}
