//! `warden-mock-models anthropic [--port N] [SCRIPT.json]`: serves a scripted Anthropic API on
//! 127.0.0.1 until killed, printing the base URL first. SCRIPT.json is a JSON array of replies
//! (`[{"blocks":[{"type":"text","text":"hi"}]}]`). Used to record real CLI output and by the
//! end-to-end tests of the window.

use warden_mock_models::{AnthropicMock, Reply};

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let api = args.next().unwrap_or_default();
    anyhow::ensure!(api == "anthropic", "usage: warden-mock-models anthropic [--port N] [SCRIPT.json]");
    let mut port = 0;
    let mut replies: Vec<Reply> = Vec::new();
    while let Some(arg) = args.next() {
        if arg == "--port" {
            port = args.next().unwrap_or_default().parse()?;
        } else {
            replies = serde_json::from_str(&std::fs::read_to_string(&arg)?)?;
        }
    }
    let mock = AnthropicMock::start_on(port, replies)?;
    println!("{}", mock.url());
    loop {
        std::thread::park();
    }
}
