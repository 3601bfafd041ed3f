//! What a terminal printed: a bounded tail of its bytes, and the UTF-8 decoding that turns a
//! stream of byte chunks into text without breaking a character that a chunk boundary split.

use std::collections::VecDeque;

/// The most output a terminal keeps when its spec names no limit (1 MiB): enough for a shell's
/// scrollback to survive the window reopening its panel, small enough that a runaway command
/// cannot exhaust memory.
pub const DEFAULT_OUTPUT_LIMIT: usize = 1024 * 1024;

/// The last `limit` bytes a terminal printed. Older bytes are dropped from the front, and
/// [`OutputTail::truncated`] remembers that some were.
#[derive(Debug)]
pub struct OutputTail {
    bytes: VecDeque<u8>,
    limit: usize,
    truncated: bool,
}

impl OutputTail {
    /// An empty tail keeping at most `limit` bytes.
    pub fn new(limit: usize) -> Self {
        Self { bytes: VecDeque::with_capacity(limit.min(64 * 1024)), limit, truncated: false }
    }

    /// Appends `chunk`, dropping the oldest bytes beyond the limit.
    pub fn push(&mut self, chunk: &[u8]) {
        // A chunk larger than the whole limit only contributes its own tail.
        let chunk = if chunk.len() > self.limit {
            self.truncated = true;
            self.bytes.clear();
            &chunk[chunk.len() - self.limit..]
        } else {
            chunk
        };
        self.bytes.extend(chunk);
        let excess = self.bytes.len().saturating_sub(self.limit);
        if excess > 0 {
            self.truncated = true;
            self.bytes.drain(..excess);
        }
    }

    /// Whether output was dropped from the front to stay within the limit.
    pub fn truncated(&self) -> bool {
        self.truncated
    }

    /// The kept bytes, starting at a character boundary: after truncation the first kept byte
    /// may be the middle of a UTF-8 sequence, and those continuation bytes are skipped.
    pub fn bytes(&self) -> Vec<u8> {
        let skip = if self.truncated { self.bytes.iter().take(3).take_while(|b| is_continuation(**b)).count() } else { 0 };
        self.bytes.iter().skip(skip).copied().collect()
    }

    /// The kept output as text (invalid UTF-8 shows as U+FFFD), from a character boundary.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes()).into_owned()
    }
}

/// Decodes a stream of UTF-8 byte chunks into text. A character split across two chunks is held
/// back until its last byte arrives; bytes that can never be UTF-8 become U+FFFD, as a terminal
/// would draw them.
#[derive(Debug, Default)]
pub struct Utf8Decoder {
    pending: Vec<u8>,
}

impl Utf8Decoder {
    /// A decoder at the start of a stream.
    pub fn new() -> Self {
        Self::default()
    }

    /// The text `chunk` completes. Up to three bytes of an unfinished character stay pending.
    pub fn push(&mut self, chunk: &[u8]) -> String {
        let mut input = std::mem::take(&mut self.pending);
        input.extend_from_slice(chunk);
        let mut text = String::with_capacity(input.len());
        let mut rest = input.as_slice();
        loop {
            match std::str::from_utf8(rest) {
                Ok(valid) => {
                    text.push_str(valid);
                    break;
                }
                Err(e) => {
                    let (valid, after) = rest.split_at(e.valid_up_to());
                    // `valid_up_to` ends a valid prefix, so this decodes without loss.
                    text.push_str(std::str::from_utf8(valid).unwrap_or_default());
                    match e.error_len() {
                        Some(bad) => {
                            text.push(char::REPLACEMENT_CHARACTER);
                            rest = &after[bad..];
                        }
                        // An unfinished sequence at the end: wait for the rest of it.
                        None => {
                            self.pending = after.to_vec();
                            break;
                        }
                    }
                }
            }
        }
        text
    }

    /// What is left at the end of the stream: an unfinished character shows as U+FFFD.
    pub fn finish(&mut self) -> String {
        if self.pending.is_empty() {
            String::new()
        } else {
            self.pending.clear();
            char::REPLACEMENT_CHARACTER.to_string()
        }
    }
}

fn is_continuation(byte: u8) -> bool {
    byte & 0b1100_0000 == 0b1000_0000
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tail_keeps_the_last_bytes_and_says_it_dropped_some() {
        let mut tail = OutputTail::new(8);
        tail.push(b"abcd");
        assert_eq!((tail.text().as_str(), tail.truncated()), ("abcd", false));
        tail.push(b"efghij");
        assert_eq!((tail.text().as_str(), tail.truncated()), ("cdefghij", true));
        tail.push(b"0123456789xyz");
        assert_eq!(tail.text(), "56789xyz", "a chunk over the limit keeps its own tail");
    }

    #[test]
    fn a_truncated_tail_starts_at_a_character_boundary() {
        let mut tail = OutputTail::new(4);
        // "€" is three bytes: the last 4 bytes of "aé€xy" start inside it.
        tail.push("aé€xy".as_bytes());
        assert_eq!(tail.text(), "xy", "the cut character's continuation bytes are skipped");
        let mut tail = OutputTail::new(5);
        tail.push("a€xy".as_bytes());
        assert_eq!(tail.text(), "€xy", "a tail that starts on a boundary keeps its first character");
    }

    #[test]
    fn characters_split_across_chunks_decode_whole() {
        let bytes = "a€b🦀".as_bytes();
        for cut in 0..=bytes.len() {
            let mut decoder = Utf8Decoder::new();
            let text = decoder.push(&bytes[..cut]) + &decoder.push(&bytes[cut..]) + &decoder.finish();
            assert_eq!(text, "a€b🦀", "cut at {cut}");
        }
    }

    #[test]
    fn invalid_bytes_become_replacement_characters() {
        let mut decoder = Utf8Decoder::new();
        assert_eq!(decoder.push(b"ok\xff\xfeok"), "ok\u{fffd}\u{fffd}ok");
        assert_eq!(decoder.push(b"\xe2\x82"), "", "an unfinished character waits");
        assert_eq!(decoder.finish(), "\u{fffd}", "and shows as one replacement at the end");
    }
}
