//! The pure half of reading the login shell's PATH: finding the value in the shell's output
//! between two markers, and merging it with the PATH the app was started with.

use std::ffi::{OsStr, OsString};
use std::path::PathBuf;

/// The text between the first two occurrences of `mark` in `output`, without the line end
/// `printenv` adds. `None` when the marker does not appear twice (the shell failed before
/// printing) or the value is empty. Whatever the shell's start-up files print before or after
/// the markers (greetings, warnings, a message of the day) is ignored.
pub(crate) fn between_markers(output: &[u8], mark: &str) -> Option<OsString> {
    let mark = mark.as_bytes();
    let start = find(output, mark)? + mark.len();
    let len = find(&output[start..], mark)?;
    let mut value = &output[start..start + len];
    while let [rest @ .., b'\n' | b'\r'] = value {
        value = rest;
    }
    (!value.is_empty()).then(|| os_from_bytes(value))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    haystack.windows(needle.len()).position(|window| window == needle)
}

#[cfg(unix)]
fn os_from_bytes(bytes: &[u8]) -> OsString {
    use std::os::unix::ffi::OsStrExt;
    OsStr::from_bytes(bytes).to_owned()
}

#[cfg(not(unix))]
fn os_from_bytes(bytes: &[u8]) -> OsString {
    String::from_utf8_lossy(bytes).into_owned().into()
}

/// The login shell's folders first (their order is the person's choice: an nvm `node` before
/// the system's), then every folder of the app's own PATH the shell's lacks; empty entries and
/// repeats dropped. `None` only when the result cannot be a PATH (a folder holding the
/// separator).
pub(crate) fn merge(login: &OsStr, current: Option<&OsStr>) -> Option<OsString> {
    let mut folders: Vec<PathBuf> = Vec::new();
    for dir in std::env::split_paths(login).chain(current.into_iter().flat_map(std::env::split_paths)) {
        if !dir.as_os_str().is_empty() && !folders.contains(&dir) {
            folders.push(dir);
        }
    }
    std::env::join_paths(folders).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const MARK: &str = "__WARDEN_PATH_1_2__";

    #[test]
    fn the_value_between_the_markers_is_found_among_the_noise_of_start_up_files() {
        let output = format!("Welcome to zsh!\nnvm: using node v22\n{MARK}/Users/a/.nvm/versions/node/v22/bin:/usr/bin\n{MARK}logout\n");
        assert_eq!(between_markers(output.as_bytes(), MARK), Some(OsString::from("/Users/a/.nvm/versions/node/v22/bin:/usr/bin")));
        let crlf = format!("{MARK}/opt/homebrew/bin\r\n{MARK}");
        assert_eq!(between_markers(crlf.as_bytes(), MARK), Some(OsString::from("/opt/homebrew/bin")));
    }

    #[test]
    fn a_missing_marker_or_an_empty_value_is_no_path() {
        assert_eq!(between_markers(b"zsh: command not found: printenv\n", MARK), None);
        assert_eq!(between_markers(format!("{MARK}/usr/bin").as_bytes(), MARK), None);
        assert_eq!(between_markers(format!("{MARK}\n{MARK}").as_bytes(), MARK), None);
        assert_eq!(between_markers(b"anything", ""), None);
    }

    #[test]
    fn the_login_folders_come_first_and_the_apps_own_follow_without_repeats() {
        let merged = merge(OsStr::new("/opt/homebrew/bin:/usr/bin::/bin"), Some(OsStr::new("/usr/bin:/bin:/usr/sbin:/sbin")));
        assert_eq!(merged, Some(OsString::from("/opt/homebrew/bin:/usr/bin:/bin:/usr/sbin:/sbin")));
        assert_eq!(merge(OsStr::new("/a:/a"), None), Some(OsString::from("/a")));
    }
}
