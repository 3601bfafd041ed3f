//! Reading an agent's stdout as lines of bytes, with a ceiling on line length.

use tokio::io::{AsyncBufRead, AsyncBufReadExt};
use tokio::sync::mpsc;

/// The longest line kept whole (32 MiB). Claude's tool results can be megabytes; an agent that
/// writes more than this without a newline has its line cut, the rest skipped up to the next
/// newline, so a runaway process cannot exhaust memory.
pub const MAX_LINE: usize = 32 * 1024 * 1024;

/// Sends every line of `reader` (newline removed, invalid UTF-8 kept as bytes) until EOF or until
/// the receiver is gone. A cut line arrives with its kept prefix.
pub async fn read_lines<R: AsyncBufRead + Unpin>(mut reader: R, lines: mpsc::Sender<Vec<u8>>, max: usize) {
    let mut line = Vec::new();
    let mut skipping = false;
    loop {
        let buf = match reader.fill_buf().await {
            Ok(buf) => buf,
            Err(e) => {
                tracing::warn!("reading agent output failed: {e}");
                break;
            }
        };
        if buf.is_empty() {
            break;
        }
        let (piece, newline) = match buf.iter().position(|&b| b == b'\n') {
            Some(i) => (&buf[..i], Some(i + 1)),
            None => (buf, None),
        };
        if !skipping {
            let room = max - line.len();
            line.extend_from_slice(&piece[..piece.len().min(room)]);
            if piece.len() > room {
                skipping = true;
            }
        }
        let used = newline.unwrap_or(buf.len());
        reader.consume(used);
        if newline.is_some() {
            skipping = false;
            if lines.send(std::mem::take(&mut line)).await.is_err() {
                return;
            }
        }
    }
    if !line.is_empty() {
        let _ = lines.send(line).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn collect(input: &[u8], max: usize) -> Vec<Vec<u8>> {
        let (tx, mut rx) = mpsc::channel(16);
        let reader = tokio::io::BufReader::with_capacity(4, std::io::Cursor::new(input.to_vec()));
        tokio::spawn(read_lines(reader, tx, max));
        let mut out = Vec::new();
        while let Some(l) = rx.recv().await {
            out.push(l);
        }
        out
    }

    #[tokio::test]
    async fn lines_split_across_reads_arrive_whole() {
        let lines = collect(b"{\"a\":1}\n\xff\xfe bytes\nlast without newline", 1024).await;
        assert_eq!(lines, vec![b"{\"a\":1}".to_vec(), b"\xff\xfe bytes".to_vec(), b"last without newline".to_vec()]);
    }

    #[tokio::test]
    async fn an_overlong_line_is_cut_and_the_next_line_is_intact() {
        let mut input = vec![b'x'; 50];
        input.extend_from_slice(b"\nnext\n");
        let lines = collect(&input, 10).await;
        assert_eq!(lines, vec![vec![b'x'; 10], b"next".to_vec()]);
    }
}
