//! One rule for the branch, tag and commit names a person or a script hands to git (a review's
//! base, a worktree's base or branch): a name git could read as anything but one revision —
//! an option, a range, a path or a search — or that anything could read as more than a name,
//! is refused before git sees it. Callers turn the reason into their own error.

/// The longest name taken.
pub const NAME_LIMIT: usize = 200;

/// Why `name` is not taken as one branch, tag or commit name: empty or too long, a leading `-`
/// (an option such as `--upload-pack=x`), `..` (a range), whitespace or control characters, or
/// any character but ASCII letters, digits and `/ . _ - + ~ ^ @ { }` (so no `:` paths or
/// searches, and no shell syntax like `$(…)`, even though git never sees a shell). `None` when
/// it is taken.
pub fn ref_name_problem(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("it is empty".into());
    }
    if name.len() > NAME_LIMIT {
        return Some("it is too long".into());
    }
    if name.starts_with('-') {
        return Some("it starts with '-'".into());
    }
    if name.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Some("it holds whitespace or control characters".into());
    }
    if name.contains("..") {
        return Some("it holds '..' (name one branch or commit, not a range)".into());
    }
    name.chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "/._-+~^@{}".contains(*c)))
        .map(|c| format!("it holds '{c}' (a branch, tag or commit name has letters, digits and / . _ - + ~ ^ @ {{ }})"))
}
