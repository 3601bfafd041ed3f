//! The folder an ACP agent's shell call runs in, for the `cwd` of the `Bash` input Warden's
//! rules read: the rules resolve the command's relative words against it and flag a folder
//! outside the project.
//!
//! Where it comes from, by agent:
//! - a `cwd` in the raw input (the Codex ACP adapter's `exec` calls);
//! - Gemini CLI's `dir_path` argument, in the raw input when it sends one; its permission
//!   questions carry no raw input (0.61.0), only the command as the title and the details
//!   `[in DIR] (description)` or `[current working directory DIR] (description)` as text;
//! - nothing from the Claude Code adapter: Claude runs `Bash` in the session's folder (and
//!   moves back into the project when a `cd` leaves it), so the folder is the project.
//!
//! A relative folder is taken against the project (Gemini resolves `dir_path` so). When the
//! details can be read more than one way (a `]` inside the folder name or the description
//! followed by what looks like the end, as after every ` [background]`), the reading that is
//! an existing folder is taken (Gemini runs only in an existing folder); if that is not
//! exactly one, the folder is the filesystem root: outside the project, so it is flagged and
//! never allowed by a project rule, and the person decides.

use super::tools::{block_text, AcpCall};
use agent_client_protocol::v1::schema as acp;
use serde_json::Value;
use std::path::Path;

/// The openings of Gemini CLI's details text, before the folder.
const GEMINI_OPENINGS: &[&str] = &["[in ", "[current working directory "];

/// The folder `call` runs in, absolute, or `Null` when the agent does not say (the project).
pub(super) fn shell_cwd(call: &AcpCall, project: &Path) -> Value {
    let raw = |key: &str| call.raw_input.as_ref().and_then(|v| v.get(key)).and_then(Value::as_str).map(str::to_owned);
    let given = raw("cwd").or_else(|| raw("dir_path")).filter(|d| !d.is_empty());
    let folder = given.or_else(|| {
        call.content.iter().find_map(|c| match c {
            acp::ToolCallContent::Content(c) => gemini_folder(&block_text(&c.content), project),
            _ => None,
        })
    });
    match folder {
        Some(folder) => Value::String(project.join(folder).to_string_lossy().into_owned()),
        None => Value::Null,
    }
}

/// The folder in Gemini CLI's details text (`[in DIR] (description) [background]`); the root
/// when it cannot be told for certain.
fn gemini_folder(text: &str, project: &Path) -> Option<String> {
    let rest = GEMINI_OPENINGS.iter().find_map(|opening| text.strip_prefix(opening))?;
    let mut readings: Vec<&str> =
        rest.match_indices(']').map(|(i, _)| i).filter(|&i| ends_details(&rest[i + 1..])).map(|i| &rest[..i]).collect();
    if readings.len() > 1 {
        readings.retain(|r| !r.is_empty() && project.join(r).is_dir());
    }
    match readings.as_slice() {
        [one] if !one.is_empty() => Some((*one).to_owned()),
        _ => Some("/".to_owned()),
    }
}

/// Whether `tail` can follow the folder's `]`: nothing, ` (description)`, ` [background]`, or
/// both in that order.
fn ends_details(tail: &str) -> bool {
    let tail = tail.strip_suffix(" [background]").unwrap_or(tail);
    tail.is_empty() || (tail.starts_with(" (") && tail.ends_with(')'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn gemini_call(details: &str) -> AcpCall {
        let content = acp::ToolCallContent::Content(acp::Content::new(acp::ContentBlock::Text(acp::TextContent::new(details))));
        AcpCall { kind: acp::ToolKind::Execute, title: "ls".into(), content: vec![content], ..AcpCall::default() }
    }

    #[test]
    fn geminis_details_name_the_folder() {
        let project = tempfile::tempdir().unwrap();
        let p = project.path();
        for folder in ["sub", "up] (go up", "a b (c)"] {
            std::fs::create_dir_all(p.join(folder)).unwrap();
        }
        let at = |rel: &str| json!(p.join(rel).to_string_lossy());
        let cases = [
            ("[in sub] (list files)", at("sub")),
            ("[in /elsewhere/x]", json!("/elsewhere/x")),
            ("[in sub] (go up) [background]", at("sub")),
            ("[in ../up] (go up)", at("../up")),
            ("[current working directory /p] (make a file)", json!("/p")),
            ("[in a b (c)] (spaces and brackets in the name)", at("a b (c)")),
            ("[in weird]name] (x)", at("weird]name")),
            // Two readings, and the folder that exists decides.
            ("[in up] (go up] (really)", at("up] (go up")),
            // Two readings, neither or both existing: the root.
            ("[in /p/x] (y)] (z)", json!("/")),
            ("[in name] [background]] (d)", at("name] [background]")),
            ("[in none] [background]", json!("/")),
            ("[in ] (empty)", json!("/")),
            ("[in unclosed", json!("/")),
            ("no details at all", Value::Null),
        ];
        for (details, want) in cases {
            assert_eq!(shell_cwd(&gemini_call(details), p), want, "{details}");
        }
    }

    #[test]
    fn the_raw_inputs_folder_comes_first() {
        let p = Path::new("/p");
        let mut call = gemini_call("[in other]");
        call.raw_input = Some(json!({"command": "ls", "dir_path": "src"}));
        assert_eq!(shell_cwd(&call, p), json!("/p/src"), "Gemini's argument");
        call.raw_input = Some(json!({"command": ["ls"], "cwd": "/tmp/w"}));
        assert_eq!(shell_cwd(&call, p), json!("/tmp/w"), "the Codex adapter's cwd");
        let claude = AcpCall { raw_input: Some(json!({"command": "ls", "description": "list"})), ..AcpCall::default() };
        assert_eq!(shell_cwd(&claude, p), Value::Null, "Claude's adapter runs in the session's folder");
    }
}
