//! What a prompt carries besides its text: files and folders of the project it mentions, and
//! images. [`PromptInput`] is what the window sends; [`Attachment`] is what the stored
//! `userMessage` keeps (an image by reference to a file in the data folder, never inline);
//! [`PromptAccepts`] tells the window which attachments the session's agent takes. The checks
//! that need no I/O live here too: the image kinds by their first bytes ([`ImageType::sniff`])
//! and the syntax of a mentioned path ([`mention_components`]).

use serde::{Deserialize, Serialize};
use specta::Type;

/// The most bytes one image may have once decoded. Anthropic's API refuses images over 5 MB,
/// and the other agents' models are no more generous, so a larger one is refused here with a
/// clear message rather than by the model with a vague one.
pub const MAX_IMAGE_BYTES: u64 = 5_000_000;

/// The most images one prompt may carry.
pub const MAX_IMAGES: u32 = 5;

/// The most mentions one prompt may carry (a guard against a runaway paste, not a taste).
pub const MAX_MENTIONS: u32 = 50;

/// A prompt as the window sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PromptInput {
    /// What the person wrote. A mention usually appears in it as `@path` where the person put
    /// it; one that does not is added at the end for agents that read mentions from the text.
    pub text: String,
    /// Files, folders and images, in the order the person added them.
    #[serde(default)]
    pub attachments: Vec<PromptAttachment>,
}

impl PromptInput {
    /// A prompt of text only.
    pub fn text(text: impl Into<String>) -> Self {
        Self { text: text.into(), attachments: Vec::new() }
    }
}

/// One attachment of a [`PromptInput`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum PromptAttachment {
    /// A file or folder of the project.
    Mention(MentionInput),
    /// An image, pasted or dropped.
    Image(ImageInput),
}

/// A mentioned file or folder, as the window names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct MentionInput {
    /// Relative to the project, `/`-separated (as the finder gives it).
    pub path: String,
}

/// An image as the window sends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ImageInput {
    /// The image's bytes, base64 (standard alphabet; a `data:` URL prefix is accepted). Its
    /// kind is read from the bytes, never from a name.
    pub data_base64: String,
    /// The file name it came with, if any (shown on the chip only).
    #[serde(default)]
    pub name: Option<String>,
}

/// Whether a path names a file or a folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum PathKind {
    /// A regular file.
    File,
    /// A folder.
    Folder,
}

/// An attachment as the stored `userMessage` keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum Attachment {
    /// A file or folder of the project, checked when the prompt was sent.
    Mention(Mention),
    /// An image kept in Warden's data folder (read with `session_image`).
    Image(StoredImage),
}

/// A mentioned file or folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Mention {
    /// Relative to the project, `/`-separated.
    pub path: String,
    /// File or folder.
    pub kind: PathKind,
}

/// An image the prompt carried, kept as a file of Warden's data folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct StoredImage {
    /// The file's name in the session's image folder (no folder part); what `session_image`
    /// takes.
    pub file: String,
    /// Its kind, read from its bytes.
    pub media_type: ImageType,
    /// Its size.
    pub bytes: u64,
    /// The name it came with, if any.
    #[serde(default)]
    pub name: Option<String>,
}

/// A kept image as the window reads it back for a thumbnail (`session_image`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PromptImage {
    /// Its kind, from its bytes.
    pub media_type: ImageType,
    /// The bytes, base64.
    pub data_base64: String,
}

/// The image kinds every agent's model reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
pub enum ImageType {
    /// PNG.
    #[serde(rename = "image/png")]
    Png,
    /// JPEG.
    #[serde(rename = "image/jpeg")]
    Jpeg,
    /// GIF.
    #[serde(rename = "image/gif")]
    Gif,
    /// WebP.
    #[serde(rename = "image/webp")]
    Webp,
}

impl ImageType {
    /// The kind `bytes` are, by their first bytes; `None` for anything else (whatever the
    /// file was called).
    pub fn sniff(bytes: &[u8]) -> Option<Self> {
        if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(Self::Png)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(Self::Jpeg)
        } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
            Some(Self::Gif)
        } else if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
            Some(Self::Webp)
        } else {
            None
        }
    }

    /// The MIME type (`image/png`, …).
    pub fn media_type(self) -> &'static str {
        match self {
            Self::Png => "image/png",
            Self::Jpeg => "image/jpeg",
            Self::Gif => "image/gif",
            Self::Webp => "image/webp",
        }
    }

    /// The file name extension used for the stored copy.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Png => "png",
            Self::Jpeg => "jpg",
            Self::Gif => "gif",
            Self::Webp => "webp",
        }
    }
}

/// What the session's agent takes in a prompt besides text, announced once the agent is ready
/// (and again when it changes). The window offers images only when `images` is true.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PromptAccepts {
    /// The agent takes images.
    pub images: bool,
    /// How mentions reach it (every agent takes them in some form).
    pub mentions: MentionDelivery,
    /// The most bytes one image may have ([`MAX_IMAGE_BYTES`]).
    pub max_image_bytes: u64,
    /// The most images one prompt may carry ([`MAX_IMAGES`]).
    pub max_images: u32,
}

impl PromptAccepts {
    /// With Warden's limits.
    pub fn new(images: bool, mentions: MentionDelivery) -> Self {
        Self { images, mentions, max_image_bytes: MAX_IMAGE_BYTES, max_images: MAX_IMAGES }
    }
}

/// How a mention reaches the agent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum MentionDelivery {
    /// As an `@path` in the text, which the agent resolves itself (Claude Code reads the file).
    AtPath,
    /// As a link to the file the agent reads itself (ACP `resource_link`).
    ResourceLink,
    /// A small text file's content goes with the prompt (ACP embedded `resource`); folders and
    /// large files as links.
    EmbeddedResource,
    /// As the path in the text only; the agent reads it with its tools (Codex).
    Text,
}

/// Why a mention's path is not a project-relative path.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MentionPathError {
    /// Empty.
    #[error("the mention names no path")]
    Empty,
    /// Absolute, or with a drive or `..`.
    #[error("`{0}` is not a path inside the project")]
    Outside(String),
}

/// The components of a mentioned path (`a/b/c` → `["a", "b", "c"]`), refusing an absolute
/// path, `..` and anything else that could leave the project; `.` and empty components are
/// dropped. A backslash counts as a separator, so a Windows-style path cannot hide a `..`.
pub fn mention_components(path: &str) -> Result<Vec<&str>, MentionPathError> {
    let trimmed = path.trim();
    if trimmed.is_empty() {
        return Err(MentionPathError::Empty);
    }
    if trimmed.starts_with('/') || trimmed.starts_with('\\') || trimmed.contains(':') {
        return Err(MentionPathError::Outside(trimmed.to_owned()));
    }
    let mut parts = Vec::new();
    for part in trimmed.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => return Err(MentionPathError::Outside(trimmed.to_owned())),
            p => parts.push(p),
        }
    }
    if parts.is_empty() {
        return Err(MentionPathError::Empty);
    }
    Ok(parts)
}

/// `text` with an `@path` for every mention it does not name yet, so agents that read
/// mentions from the text (Claude Code, Codex) see each one. A path with a space is quoted
/// (`@"a b.txt"`), as Claude Code reads it.
pub fn text_with_mentions<'a>(text: &str, mentions: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = text.to_owned();
    for path in mentions {
        let token = at_token(path);
        if !contains_token(text, &token) {
            if !out.is_empty() && !out.ends_with(char::is_whitespace) {
                out.push(' ');
            }
            out.push_str(&token);
        }
    }
    out
}

/// The `@` reference to `path` as Claude Code reads it.
pub fn at_token(path: &str) -> String {
    if path.chars().any(char::is_whitespace) {
        format!("@\"{path}\"")
    } else {
        format!("@{path}")
    }
}

/// Whether `token` occurs in `text` as a whole word (so `@src/a` is not taken for `@src/ab`).
fn contains_token(text: &str, token: &str) -> bool {
    text.match_indices(token).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + token.len()..].chars().next();
        before.is_none_or(char::is_whitespace) && after.is_none_or(|c| c.is_whitespace() || ",.;:!?)".contains(c))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_are_known_by_their_bytes_not_their_name() {
        assert_eq!(ImageType::sniff(b"\x89PNG\r\n\x1a\n...."), Some(ImageType::Png));
        assert_eq!(ImageType::sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some(ImageType::Jpeg));
        assert_eq!(ImageType::sniff(b"GIF89a...."), Some(ImageType::Gif));
        assert_eq!(ImageType::sniff(b"RIFF\0\0\0\0WEBPVP8 "), Some(ImageType::Webp));
        assert_eq!(ImageType::sniff(b"RIFF\0\0\0\0WAVE"), None);
        assert_eq!(ImageType::sniff(b"<svg xmlns="), None);
        assert_eq!(ImageType::sniff(b""), None);
    }

    #[test]
    fn a_mention_cannot_leave_the_project() {
        assert_eq!(mention_components("src/./main.rs").unwrap(), vec!["src", "main.rs"]);
        assert_eq!(mention_components("docs/").unwrap(), vec!["docs"]);
        for bad in ["/etc/passwd", "../x", "a/../../x", "a\\..\\x", "C:/x", "\\\\server\\x"] {
            assert!(matches!(mention_components(bad), Err(MentionPathError::Outside(_))), "{bad}");
        }
        assert_eq!(mention_components(" ./ "), Err(MentionPathError::Empty));
    }

    #[test]
    fn mentions_missing_from_the_text_are_added_once() {
        assert_eq!(text_with_mentions("look at @src/a.rs", ["src/a.rs"]), "look at @src/a.rs");
        assert_eq!(text_with_mentions("look at @src/ab.rs", ["src/a"]), "look at @src/ab.rs @src/a");
        assert_eq!(text_with_mentions("see", ["my file.txt"]), "see @\"my file.txt\"");
        assert_eq!(text_with_mentions("", ["x"]), "@x");
        assert_eq!(text_with_mentions("what is @x?", ["x"]), "what is @x?");
    }

    #[test]
    fn the_stored_shapes_are_the_documented_json() {
        let stored = Attachment::Image(StoredImage { file: "a.png".into(), media_type: ImageType::Png, bytes: 3, name: None });
        let json = serde_json::to_value(&stored).unwrap();
        assert_eq!(json, serde_json::json!({"type": "image", "file": "a.png", "mediaType": "image/png", "bytes": 3, "name": null}));
        let input: PromptInput =
            serde_json::from_value(serde_json::json!({"text": "hi", "attachments": [{"type": "mention", "path": "src"}]})).unwrap();
        assert_eq!(input.attachments, vec![PromptAttachment::Mention(MentionInput { path: "src".into() })]);
        let old: PromptInput = serde_json::from_value(serde_json::json!({"text": "hi"})).unwrap();
        assert!(old.attachments.is_empty());
    }
}
