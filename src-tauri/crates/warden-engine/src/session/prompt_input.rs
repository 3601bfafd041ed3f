//! A prompt's attachments checked and made ready for the agent: each mentioned path walked
//! component by component inside the project (no symbolic link followed, so a link cannot lead
//! out of it), each image decoded, known by its bytes, held to the size limit and kept as a file
//! of the data folder (the stored event names the file; the chat reads it back with
//! [`read_image`]). The checks run on the caller's side of the session actor, off its thread.

use base64::Engine as _;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use warden_core::session::prompt_input::{
    mention_components, text_with_mentions, ImageInput, MentionInput, MAX_IMAGES, MAX_IMAGE_BYTES, MAX_MENTIONS,
};
use warden_core::session::{Attachment, PromptImage, ImageType, Mention, PathKind, PromptAttachment, PromptInput, SessionId, StoredImage};

/// Where a session's prompts are checked and kept: its project folder and its image folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PromptPlace {
    /// The folder mentions are relative to (the session's project or worktree).
    pub project: PathBuf,
    /// The folder its images are kept in (`<data>/images/<session>`).
    pub images: PathBuf,
}

impl PromptPlace {
    /// The place of session `id` of `project`, with Warden's data in `data_dir`.
    pub fn new(data_dir: &Path, project: &Path, id: &SessionId) -> Self {
        Self { project: project.to_owned(), images: images_dir(data_dir, id) }
    }
}

/// The folder a session's prompt images are kept in.
pub fn images_dir(data_dir: &Path, id: &SessionId) -> PathBuf {
    data_dir.join("images").join(id.to_string())
}

/// A prompt the adapters send: the text and what it carries, checked.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AgentPrompt {
    /// What the person wrote (with Warden's note, if any, before it).
    pub text: String,
    /// Mentioned files and folders, in the order given.
    pub mentions: Vec<ResolvedMention>,
    /// Images, in the order given.
    pub images: Vec<KeptImage>,
}

impl AgentPrompt {
    /// A prompt of text only.
    pub fn text(text: impl Into<String>) -> Self {
        Self { text: text.into(), ..Default::default() }
    }

    /// The text with an `@path` for each mention it does not name yet (for agents that read
    /// mentions from the text).
    pub fn text_with_mentions(&self) -> String {
        text_with_mentions(&self.text, self.mentions.iter().map(|m| m.path.as_str()))
    }

    /// What the stored `userMessage` keeps of the attachments.
    pub fn attachments(&self) -> Vec<Attachment> {
        let mentions = self.mentions.iter().map(|m| Attachment::Mention(Mention { path: m.path.clone(), kind: m.kind }));
        let images = self.images.iter().map(|i| Attachment::Image(i.stored.clone()));
        mentions.chain(images).collect()
    }
}

/// A mentioned file or folder that exists inside the project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedMention {
    /// Relative to the project, `/`-separated, normalised (`./a//b` → `a/b`).
    pub path: String,
    /// The absolute path.
    pub absolute: PathBuf,
    /// File or folder.
    pub kind: PathKind,
    /// A text file's content, when it is UTF-8 and at most [`EMBED_LIMIT`] bytes: agents that
    /// take a file's content with the prompt (ACP's embedded resources) get it as it was when
    /// the prompt was sent.
    pub text: Option<Arc<str>>,
}

/// The largest file whose text goes with the prompt (see [`ResolvedMention::text`]); a larger
/// one is only named, and the agent reads what it needs of it.
pub const EMBED_LIMIT: u64 = 256 * 1024;

/// An image of a prompt, checked and kept.
#[derive(Debug, Clone, PartialEq)]
pub struct KeptImage {
    /// Its kind, from its bytes.
    pub media_type: ImageType,
    /// The bytes.
    pub data: Arc<[u8]>,
    /// The kept copy (absolute): agents that take an image by path (Codex) read it there.
    pub file: PathBuf,
    /// What the stored event says of it.
    pub stored: StoredImage,
}

impl KeptImage {
    /// The bytes as base64, as most wire formats carry them.
    pub fn base64(&self) -> String {
        base64::engine::general_purpose::STANDARD.encode(&self.data)
    }
}

/// Why a prompt's attachments were refused. The text is shown to the person as it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AttachmentError {
    /// More images than [`MAX_IMAGES`].
    #[error("a prompt can carry at most {max} images; this one has {0}", max = MAX_IMAGES)]
    TooManyImages(usize),
    /// More mentions than [`MAX_MENTIONS`].
    #[error("a prompt can mention at most {max} files and folders; this one has {0}", max = MAX_MENTIONS)]
    TooManyMentions(usize),
    /// An image over [`MAX_IMAGE_BYTES`].
    #[error("the image {name} is {size}, over the limit of 5 MB; make it smaller (a screenshot of part of the screen) and try again")]
    ImageTooLarge {
        /// Its name, or "pasted".
        name: String,
        /// Its size, readable.
        size: String,
    },
    /// Not PNG, JPEG, GIF or WebP (by its bytes), or not base64.
    #[error("the image {0} is not a PNG, JPEG, GIF or WebP image")]
    NotAnImage(String),
    /// A mention that is no path inside the project.
    #[error("cannot mention {path}: {reason}")]
    BadMention {
        /// As given.
        path: String,
        /// Why.
        reason: String,
    },
    /// The agent takes no images.
    #[error("this agent does not take images; remove the image and send the prompt again")]
    ImagesNotTaken,
    /// The image could not be kept in the data folder.
    #[error("could not keep the image in Warden's data folder: {0}")]
    Keep(String),
}

/// Checks `input` against `place` and keeps its images there. Blocking (file system).
pub fn resolve(place: &PromptPlace, input: PromptInput) -> Result<AgentPrompt, AttachmentError> {
    let (mut mentions, mut images) = (Vec::new(), Vec::new());
    for attachment in input.attachments {
        match attachment {
            PromptAttachment::Mention(m) => mentions.push(m),
            PromptAttachment::Image(i) => images.push(i),
        }
    }
    if images.len() > MAX_IMAGES as usize {
        return Err(AttachmentError::TooManyImages(images.len()));
    }
    if mentions.len() > MAX_MENTIONS as usize {
        return Err(AttachmentError::TooManyMentions(mentions.len()));
    }
    let mentions = mentions.iter().map(|m| resolve_mention(&place.project, m)).collect::<Result<Vec<_>, _>>()?;
    let decoded = images.iter().map(decode_image).collect::<Result<Vec<_>, _>>()?;
    let mut kept = Vec::new();
    for (data, media_type, name) in decoded {
        match keep_image(&place.images, data, media_type, name) {
            Ok(image) => kept.push(image),
            Err(e) => {
                forget_images(&kept);
                return Err(e);
            }
        }
    }
    Ok(AgentPrompt { text: input.text, mentions, images: kept })
}

/// Removes the kept copies of images whose prompt was refused after all.
pub fn forget_images(images: &[KeptImage]) {
    for image in images {
        let _ = std::fs::remove_file(&image.file);
    }
}

fn resolve_mention(project: &Path, mention: &MentionInput) -> Result<ResolvedMention, AttachmentError> {
    let bad = |reason: String| AttachmentError::BadMention { path: mention.path.clone(), reason };
    let parts = mention_components(&mention.path).map_err(|e| bad(e.to_string()))?;
    let mut absolute = project.to_owned();
    let mut kind = PathKind::Folder;
    for (i, part) in parts.iter().enumerate() {
        // One component at a time, so `a/b` is a real `b` inside a real folder `a`, never a
        // name with a separator in it.
        let mut components = Path::new(part).components();
        if !matches!((components.next(), components.next()), (Some(Component::Normal(_)), None)) {
            return Err(bad("it is not a path inside the project".into()));
        }
        absolute.push(part);
        let meta = std::fs::symlink_metadata(&absolute).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => bad("there is no such file or folder in the project".into()),
            _ => bad(e.to_string()),
        })?;
        let last = i + 1 == parts.len();
        kind = if meta.file_type().is_symlink() {
            return Err(bad("it goes through a symbolic link, which Warden does not follow".into()));
        } else if meta.is_dir() {
            PathKind::Folder
        } else if meta.is_file() && last {
            PathKind::File
        } else if meta.is_file() {
            return Err(bad(format!("{part} is a file, not a folder")));
        } else {
            return Err(bad("it is neither a file nor a folder".into()));
        };
    }
    let text = match kind {
        PathKind::File => read_small_text(&absolute),
        PathKind::Folder => None,
    };
    Ok(ResolvedMention { path: parts.join("/"), absolute, kind, text })
}

fn read_small_text(path: &Path) -> Option<Arc<str>> {
    use std::io::Read;
    let file = std::fs::File::open(path).ok()?;
    let mut bytes = Vec::new();
    // One byte past the limit tells a file that grew since it was looked at.
    file.take(EMBED_LIMIT + 1).read_to_end(&mut bytes).ok()?;
    if bytes.len() as u64 > EMBED_LIMIT {
        return None;
    }
    String::from_utf8(bytes).ok().map(Arc::from)
}

fn decode_image(input: &ImageInput) -> Result<(Vec<u8>, ImageType, Option<String>), AttachmentError> {
    let name = input.name.clone().unwrap_or_else(|| "pasted".into());
    // A `data:` URL is what the webview's FileReader gives; the part after the comma is the data.
    let raw = match input.data_base64.split_once(',') {
        Some((head, data)) if head.starts_with("data:") => data,
        _ => input.data_base64.as_str(),
    };
    let raw: String = raw.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    // The size is checked before decoding, from the length alone: base64 is 4 bytes per 3.
    let size = raw.len() as u64 / 4 * 3;
    if size > MAX_IMAGE_BYTES + 3 {
        return Err(AttachmentError::ImageTooLarge { name, size: readable(size) });
    }
    let data = base64::engine::general_purpose::STANDARD.decode(raw.as_bytes()).map_err(|_| AttachmentError::NotAnImage(name.clone()))?;
    if data.len() as u64 > MAX_IMAGE_BYTES {
        return Err(AttachmentError::ImageTooLarge { name, size: readable(data.len() as u64) });
    }
    let media_type = ImageType::sniff(&data).ok_or(AttachmentError::NotAnImage(name))?;
    Ok((data, media_type, input.name.clone()))
}

fn keep_image(dir: &Path, data: Vec<u8>, media_type: ImageType, name: Option<String>) -> Result<KeptImage, AttachmentError> {
    std::fs::create_dir_all(dir).map_err(|e| AttachmentError::Keep(e.to_string()))?;
    let file_name = format!("{}.{}", uuid::Uuid::new_v4(), media_type.extension());
    let file = dir.join(&file_name);
    std::fs::write(&file, &data).map_err(|e| AttachmentError::Keep(e.to_string()))?;
    let stored = StoredImage { file: file_name, media_type, bytes: data.len() as u64, name };
    Ok(KeptImage { media_type, data: data.into(), file, stored })
}

/// Reads image `file` (a name from a stored `userMessage`) of session `id`. Only a plain file
/// name directly in the session's image folder is read; anything else is refused.
pub fn read_image(data_dir: &Path, id: &SessionId, file: &str) -> Result<PromptImage, String> {
    let mut components = Path::new(file).components();
    if !matches!((components.next(), components.next()), (Some(Component::Normal(_)), None)) || file.contains(['/', '\\']) {
        return Err(format!("{file} is not an image of this session"));
    }
    let path = images_dir(data_dir, id).join(file);
    let meta = std::fs::symlink_metadata(&path).map_err(|_| format!("the image {file} is no longer kept"))?;
    if !meta.is_file() || meta.len() > MAX_IMAGE_BYTES {
        return Err(format!("{file} is not an image of this session"));
    }
    let data = std::fs::read(&path).map_err(|e| format!("could not read the image {file}: {e}"))?;
    let media_type = ImageType::sniff(&data).ok_or_else(|| format!("{file} is not an image"))?;
    Ok(PromptImage { media_type, data_base64: base64::engine::general_purpose::STANDARD.encode(&data) })
}

fn readable(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1_000_000.0)
}

#[cfg(test)]
#[path = "prompt_input_tests.rs"]
mod tests;
