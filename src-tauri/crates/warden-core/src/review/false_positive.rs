//! Findings the person marked as false positives: named by file and title, so a later round of
//! the same task (the lines moved, the body was worded anew) does not raise one again.

use serde::{Deserialize, Serialize};
use specta::Type;

/// A finding the person marked as a false positive in a task: not shown as open again in later
/// rounds of that task, and not sent to the agent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct FalsePositive {
    /// The finding's key (see [`finding_key`]).
    pub key: String,
    /// Its file, as the reviewer named it.
    pub file: Option<String>,
    /// Its title.
    pub title: String,
}

/// What names a finding across rounds and reviewers: its file and its title, trimmed and in
/// lower case (its lines move as the agent edits, the body is worded anew each time). The window
/// computes the same key (`ui/src/model/reviews.ts`, `findingKey`).
pub fn finding_key(file: Option<&str>, title: &str) -> String {
    format!("{}\n{}", file.unwrap_or(""), title.trim().to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_ignores_case_and_surrounding_space_of_the_title() {
        assert_eq!(finding_key(Some("a.rs"), " H() returns 0 "), finding_key(Some("a.rs"), "h() returns 0"));
        assert_ne!(finding_key(Some("a.rs"), "x"), finding_key(Some("b.rs"), "x"));
        assert_eq!(finding_key(None, "X"), "\nx");
    }
}
