//! A prompt as ACP content blocks: the text, each mentioned file or folder, then each image as
//! an `image` block — only ever sent to an agent whose `promptCapabilities.image` is true. A
//! small text file goes as an embedded `resource` with its content when the agent declares
//! `embeddedContext` (as Zed sends mentions: the model sees the file at once, as Claude Code's
//! own `@` gives it); anything else — a folder, a large or binary file, an agent without
//! embedded context — as a `resource_link` to its `file://` URI, which every ACP agent must
//! take (it reads the file itself, through Warden's `fs/read_text_file` or its own tools).

use crate::session::prompt_input::AgentPrompt;
use agent_client_protocol::v1::schema as acp;
use std::path::Path;
use warden_core::session::PathKind;

/// The content blocks of `prompt`.
pub(super) fn blocks(prompt: &AgentPrompt, embedded: bool) -> Vec<acp::ContentBlock> {
    let mut blocks = vec![acp::ContentBlock::Text(acp::TextContent::new(prompt.text.clone()))];
    for mention in &prompt.mentions {
        if let (true, Some(text)) = (embedded, &mention.text) {
            let contents = acp::TextResourceContents::new(text.to_string(), file_uri(&mention.absolute));
            let resource = acp::EmbeddedResource::new(acp::EmbeddedResourceResource::TextResourceContents(contents));
            blocks.push(acp::ContentBlock::Resource(resource));
            continue;
        }
        let name = mention.path.rsplit('/').next().unwrap_or(&mention.path).to_owned();
        let mut link = acp::ResourceLink::new(name, file_uri(&mention.absolute)).title(mention.path.clone());
        if mention.kind == PathKind::Folder {
            // No MIME type of its own; the one `xdg-mime` and GNOME use for folders.
            link = link.mime_type("inode/directory".to_owned());
        }
        blocks.push(acp::ContentBlock::ResourceLink(link));
    }
    for image in &prompt.images {
        blocks.push(acp::ContentBlock::Image(acp::ImageContent::new(image.base64(), image.media_type.media_type())));
    }
    blocks
}

/// `file://` and the absolute path, each byte outside the URI's unreserved set and `/`
/// percent-encoded (RFC 8089); on Windows the drive gets its leading `/` (`file:///C:/x`).
pub(super) fn file_uri(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    let mut uri = String::from("file://");
    if !text.starts_with('/') {
        uri.push('/');
    }
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => uri.push(byte as char),
            // A drive letter's colon stays readable, as agents' own URIs have it.
            b':' if cfg!(windows) => uri.push(':'),
            _ => uri.push_str(&format!("%{byte:02X}")),
        }
    }
    uri
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::prompt_input::ResolvedMention;

    #[test]
    fn a_path_becomes_a_file_uri_with_unsafe_bytes_encoded() {
        assert_eq!(file_uri(Path::new("/p/src/main.rs")), "file:///p/src/main.rs");
        assert_eq!(file_uri(Path::new("/p/my file#1.txt")), "file:///p/my%20file%231.txt");
        assert_eq!(file_uri(Path::new("/p/é")), "file:///p/%C3%A9");
    }

    #[test]
    fn mentions_follow_the_text_as_links_or_as_embedded_text() {
        let prompt = AgentPrompt {
            text: "look".into(),
            mentions: vec![
                ResolvedMention { path: "src".into(), absolute: "/p/src".into(), kind: PathKind::Folder, text: None },
                ResolvedMention { path: "a.md".into(), absolute: "/p/a.md".into(), kind: PathKind::File, text: Some("hi".into()) },
            ],
            images: Vec::new(),
        };
        let json = serde_json::to_value(blocks(&prompt, true)).unwrap();
        assert_eq!(
            json,
            serde_json::json!([
                {"type": "text", "text": "look"},
                {"type": "resource_link", "name": "src", "uri": "file:///p/src", "title": "src", "mimeType": "inode/directory"},
                {"type": "resource", "resource": {"text": "hi", "uri": "file:///p/a.md"}}
            ])
        );
        let linked = serde_json::to_value(blocks(&prompt, false)).unwrap();
        assert_eq!(linked[2]["type"], "resource_link", "without embedded context, a link");
    }
}
