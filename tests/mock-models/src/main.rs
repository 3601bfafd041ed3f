//! `warden-mock-models anthropic|openai|gemini [--port N] [SCRIPT.json]`: serves a scripted
//! Anthropic Messages API, OpenAI Responses API or Gemini API on 127.0.0.1 until killed, printing
//! the base URL first.
//! SCRIPT.json is a JSON array of replies (`[{"blocks":[{"type":"text","text":"hi"}]}]`). Used to
//! record real CLI output and by the end-to-end tests of the window.

use warden_mock_models::{AnthropicMock, GeminiMock, OpenAiMock, Reply};

const USAGE: &str = "usage: warden-mock-models anthropic|openai|gemini [--port N] [SCRIPT.json]";

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let api = args.next().unwrap_or_default();
    anyhow::ensure!(matches!(api.as_str(), "anthropic" | "openai" | "gemini"), "{USAGE}");
    let mut port = 0;
    let mut replies: Vec<Reply> = Vec::new();
    while let Some(arg) = args.next() {
        if arg == "--port" {
            let value = args.next().unwrap_or_default();
            port = value.parse().map_err(|e| anyhow::anyhow!("--port {value:?}: {e}\n{USAGE}"))?;
        } else {
            let text = std::fs::read_to_string(&arg).map_err(|e| anyhow::anyhow!("{arg}: {e}"))?;
            replies = serde_json::from_str(&text).map_err(|e| anyhow::anyhow!("{arg} is not a list of replies: {e}"))?;
        }
    }
    // The servers stop when dropped, so each lives until the process is killed.
    if api == "openai" {
        let mock = OpenAiMock::start_on(port, replies)?;
        // Codex's provider `base_url` (it POSTs to `{base_url}/responses`).
        println!("{}", mock.base_url());
        park()
    } else if api == "gemini" {
        let mock = GeminiMock::start_on(port, replies)?;
        // Gemini CLI's `GOOGLE_GEMINI_BASE_URL`.
        println!("{}", mock.url());
        park()
    } else {
        let mock = AnthropicMock::start_on(port, replies)?;
        println!("{}", mock.url());
        park()
    }
}

fn park() -> ! {
    loop {
        std::thread::park();
    }
}
