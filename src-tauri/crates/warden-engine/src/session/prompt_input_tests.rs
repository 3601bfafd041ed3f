//! The checks of a prompt's attachments: mentions inside the project only, images by their
//! bytes and size, kept copies read back only from the session's own folder.

use super::*;
use warden_core::session::prompt_input::MentionInput;

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";

fn place() -> (tempfile::TempDir, PromptPlace) {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("project");
    std::fs::create_dir_all(project.join("src")).unwrap();
    std::fs::write(project.join("src/main.rs"), "fn main() {}").unwrap();
    std::fs::write(dir.path().join("secret.txt"), "no").unwrap();
    let place = PromptPlace::new(&dir.path().join("data"), &project, &SessionId::from("s1"));
    (dir, place)
}

fn mention(path: &str) -> PromptAttachment {
    PromptAttachment::Mention(MentionInput { path: path.into() })
}

fn image(data: &[u8], name: &str) -> PromptAttachment {
    let data_base64 = base64::engine::general_purpose::STANDARD.encode(data);
    PromptAttachment::Image(ImageInput { data_base64, name: Some(name.into()) })
}

fn input(attachments: Vec<PromptAttachment>) -> PromptInput {
    PromptInput { text: "look".into(), attachments }
}

#[test]
fn files_and_folders_inside_the_project_are_mentioned_with_their_kind() {
    let (_dir, place) = place();
    let prompt = resolve(&place, input(vec![mention("./src//main.rs"), mention("src/")])).unwrap();
    assert_eq!(prompt.mentions[0].path, "src/main.rs");
    assert_eq!(prompt.mentions[0].kind, PathKind::File);
    assert_eq!(prompt.mentions[0].absolute, place.project.join("src/main.rs"));
    assert_eq!(prompt.mentions[1].kind, PathKind::Folder);
    assert_eq!(prompt.text_with_mentions(), "look @src/main.rs @src");
}

#[test]
fn a_mention_outside_missing_or_through_a_link_is_refused() {
    let (dir, place) = place();
    for bad in ["../secret.txt", "/etc/passwd", "src/nope.rs", "src/main.rs/x"] {
        let err = resolve(&place, input(vec![mention(bad)])).unwrap_err();
        assert!(matches!(err, AttachmentError::BadMention { .. }), "{bad}: {err}");
    }
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(dir.path(), place.project.join("out")).unwrap();
        let err = resolve(&place, input(vec![mention("out/secret.txt")])).unwrap_err();
        assert!(err.to_string().contains("symbolic link"), "{err}");
    }
}

#[test]
fn an_image_is_known_by_its_bytes_kept_and_read_back() {
    let (dir, place) = place();
    let prompt = resolve(&place, input(vec![image(PNG, "shot.jpg")])).unwrap();
    let image = &prompt.images[0];
    assert_eq!(image.media_type, ImageType::Png);
    assert!(image.stored.file.ends_with(".png"));
    assert_eq!(std::fs::read(&image.file).unwrap(), PNG);
    let back = read_image(&dir.path().join("data"), &SessionId::from("s1"), &image.stored.file).unwrap();
    assert_eq!(back.media_type, ImageType::Png);
    assert_eq!(back.data_base64, image.base64());
    assert!(read_image(&dir.path().join("data"), &SessionId::from("s1"), "../s1/x.png").is_err());
    assert!(read_image(&dir.path().join("data"), &SessionId::from("s2"), &image.stored.file).is_err());
    assert_eq!(prompt.attachments(), vec![Attachment::Image(image.stored.clone())]);
}

#[test]
fn a_data_url_is_accepted() {
    let (_dir, place) = place();
    let url = format!("data:image/png;base64,{}", base64::engine::general_purpose::STANDARD.encode(PNG));
    let prompt = resolve(&place, input(vec![PromptAttachment::Image(ImageInput { data_base64: url, name: None })])).unwrap();
    assert_eq!(prompt.images[0].media_type, ImageType::Png);
}

#[test]
fn not_an_image_too_large_or_too_many_is_refused_with_a_clear_error_and_nothing_kept() {
    let (_dir, place) = place();
    let err = resolve(&place, input(vec![image(b"<svg/>", "x.png")])).unwrap_err();
    assert_eq!(err.to_string(), "the image x.png is not a PNG, JPEG, GIF or WebP image");
    let mut big = PNG.to_vec();
    big.resize(MAX_IMAGE_BYTES as usize + 1, 0);
    let err = resolve(&place, input(vec![image(PNG, "ok.png"), image(&big, "big.png")])).unwrap_err();
    assert!(matches!(err, AttachmentError::ImageTooLarge { .. }), "{err}");
    assert!(err.to_string().contains("5 MB"), "{err}");
    let many = (0..=MAX_IMAGES).map(|_| image(PNG, "a.png")).collect();
    assert_eq!(resolve(&place, input(many)).unwrap_err(), AttachmentError::TooManyImages(MAX_IMAGES as usize + 1));
    // Refused prompts keep no image.
    let kept = std::fs::read_dir(&place.images).map(|d| d.count()).unwrap_or(0);
    assert_eq!(kept, 0);
}
