//! A terminal's output as the window takes it: text messages of whole characters, the chunks
//! read meanwhile joined into one message (up to a limit), then the exit.
//!
//! A fast printer costs a few large messages rather than thousands of small ones; a character
//! split between two reads is held back until it is whole ([`Utf8Decoder`]).

use super::output::Utf8Decoder;
use super::spec::{Subscription, TerminalEvent as Chunk, TerminalExit};
use warden_core::terminal::TerminalEvent;

/// The most text one message carries, unless one chunk alone is larger.
pub const MESSAGE_LIMIT: usize = 256 * 1024;

/// The messages of one terminal subscription, from its backlog on.
#[derive(Debug)]
pub struct TextStream {
    subscription: Subscription,
    decoder: Utf8Decoder,
    /// Decoded text not sent yet.
    text: String,
    exit: Option<TerminalExit>,
    limit: usize,
    finished: bool,
}

impl TextStream {
    /// The messages of `subscription`, starting with its backlog.
    pub fn new(subscription: Subscription) -> Self {
        Self::with_limit(subscription, MESSAGE_LIMIT)
    }

    /// The same, with messages of at most `limit` bytes of text (unless one chunk alone is
    /// larger).
    pub fn with_limit(mut subscription: Subscription, limit: usize) -> Self {
        let mut decoder = Utf8Decoder::new();
        let text = decoder.push(&std::mem::take(&mut subscription.backlog));
        Self { subscription, decoder, text, exit: None, limit, finished: false }
    }

    /// The next message: the text read so far (joined up to the limit), or the exit, which is
    /// last. `None` once the exit was given, or when the terminal went away without one.
    pub async fn next(&mut self) -> Option<TerminalEvent> {
        if self.finished {
            return None;
        }
        loop {
            // Everything already read goes in one message (up to the limit).
            while self.exit.is_none() && self.text.len() < self.limit {
                match self.subscription.events.try_recv() {
                    Ok(Chunk::Output(bytes)) => self.text += &self.decoder.push(&bytes),
                    Ok(Chunk::Exited(exit)) => self.exit = Some(exit),
                    Err(_) => break,
                }
            }
            if self.exit.is_some() {
                // The end of the stream: an unfinished character shows as U+FFFD.
                self.text += &self.decoder.finish();
            }
            if !self.text.is_empty() {
                return Some(TerminalEvent::Output(std::mem::take(&mut self.text)));
            }
            if let Some(exit) = self.exit.take() {
                self.finished = true;
                return Some(TerminalEvent::Exited(exit));
            }
            match self.subscription.events.recv().await {
                Some(Chunk::Output(bytes)) => self.text = self.decoder.push(&bytes),
                Some(Chunk::Exited(exit)) => self.exit = Some(exit),
                None => {
                    self.finished = true;
                    return None;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::sync::mpsc;

    fn stream(backlog: &[u8], chunks: &[&[u8]], exit: bool, limit: usize) -> (TextStream, mpsc::Sender<Chunk>) {
        let (tx, events) = mpsc::channel(64);
        for chunk in chunks {
            tx.try_send(Chunk::Output(chunk.to_vec())).unwrap();
        }
        if exit {
            tx.try_send(Chunk::Exited(TerminalExit { code: Some(0), signal: None })).unwrap();
        }
        let subscription = Subscription { backlog: backlog.to_vec(), truncated: false, events };
        (TextStream::with_limit(subscription, limit), tx)
    }

    async fn all(stream: &mut TextStream) -> Vec<TerminalEvent> {
        let mut got = Vec::new();
        while let Some(event) = tokio::time::timeout(std::time::Duration::from_secs(5), stream.next()).await.expect("bounded") {
            got.push(event);
        }
        got
    }

    fn output(text: &str) -> TerminalEvent {
        TerminalEvent::Output(text.to_owned())
    }

    fn exited() -> TerminalEvent {
        TerminalEvent::Exited(TerminalExit { code: Some(0), signal: None })
    }

    #[tokio::test]
    async fn chunks_read_meanwhile_go_in_one_message_with_the_backlog_then_the_exit() {
        let (mut stream, tx) = stream(b"$ ", &[b"ls\r\n", b"a b\r\n"], true, MESSAGE_LIMIT);
        drop(tx);
        assert_eq!(all(&mut stream).await, [output("$ ls\r\na b\r\n"), exited()]);
        assert_eq!(stream.next().await, None, "nothing after the exit");
    }

    #[tokio::test]
    async fn a_character_split_across_chunks_and_the_backlog_arrives_whole() {
        let euro = "€".as_bytes();
        let (mut stream, tx) = stream(&euro[..1], &[&euro[1..2], &euro[2..], "🦀".as_bytes()], false, MESSAGE_LIMIT);
        assert_eq!(stream.next().await, Some(output("€🦀")));
        // Split across two messages: the first part waits for the rest.
        tx.send(Chunk::Output(euro[..2].to_vec())).await.unwrap();
        let pending = tokio::time::timeout(std::time::Duration::from_millis(100), stream.next()).await;
        assert!(pending.is_err(), "no message for half a character: {pending:?}");
        tx.send(Chunk::Output(euro[2..].to_vec())).await.unwrap();
        assert_eq!(stream.next().await, Some(output("€")));
        // An unfinished character at the exit shows as one replacement character.
        tx.send(Chunk::Output(euro[..1].to_vec())).await.unwrap();
        tx.send(Chunk::Exited(TerminalExit { code: Some(0), signal: None })).await.unwrap();
        drop(tx);
        assert_eq!(all(&mut stream).await, [output("\u{fffd}"), exited()]);
    }

    #[tokio::test]
    async fn messages_are_cut_at_the_limit_between_chunks() {
        let (mut stream, tx) = stream(b"", &[b"aaaa", b"bbbb", b"cccc"], true, 6);
        drop(tx);
        assert_eq!(all(&mut stream).await, [output("aaaabbbb"), output("cccc"), exited()], "joined until the limit is reached");
    }

    #[tokio::test]
    async fn a_terminal_gone_without_an_exit_ends_the_stream() {
        let (mut stream, tx) = stream(b"", &[], false, MESSAGE_LIMIT);
        drop(tx);
        assert_eq!(all(&mut stream).await, []);
    }
}
