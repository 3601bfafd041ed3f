//! Reading recorded ops back for people: a short summary of each (with added and removed line
//! counts), files before and after for a diff viewer, and unified diff text.

use super::{Journal, JournalError};
use similar::{ChangeTag, TextDiff};
use std::collections::{BTreeMap, HashSet};
use std::time::Duration;
use warden_core::journal::{DiffSide, FileDiff, FileImage, FileKind, FileOp, FileOpSummary, OpKind};

/// Line counts are left out for a side larger than this: the summary is made while the agent
/// waits, and a timeline does not need the exact count of a multi-megabyte file.
const LINE_COUNT_CAP: u64 = 4 * 1024 * 1024;
/// Longest a line diff may take before settling for a less minimal (still correct) count.
const DIFF_DEADLINE: Duration = Duration::from_millis(200);

impl Journal {
    /// The op as a session event shows it. Line counts are `None` unless both sides are text
    /// (or absent) whose content was kept and could be read.
    pub fn summarize(&self, op: &FileOp) -> FileOpSummary {
        let lines = match (self.text_for_count(&op.before), self.text_for_count(&op.after)) {
            (Some(before), Some(after)) if op.kind != OpKind::Chmod => Some(count_lines(&before, &after)),
            (Some(_), Some(_)) => Some((0, 0)),
            _ => None,
        };
        let too_large = [&op.before, &op.after].into_iter().flatten().any(|i| i.too_large);
        FileOpSummary {
            id: op.id,
            path: op.path.clone(),
            kind: op.kind.clone(),
            size_before: op.before.as_ref().map(|i| i.size),
            size_after: op.after.as_ref().map(|i| i.size),
            lines_added: lines.map(|(added, _)| added),
            lines_removed: lines.map(|(_, removed)| removed),
            ignored: op.ignored,
            too_large,
        }
    }

    /// The text of one side for counting lines: `""` for no file, `None` when it is not text,
    /// not kept, too big to count or unreadable.
    fn text_for_count(&self, image: &Option<FileImage>) -> Option<String> {
        let Some(image) = image else { return Some(String::new()) };
        if image.kind != FileKind::File || image.size > LINE_COUNT_CAP {
            return None;
        }
        let bytes = self.content(image.hash.as_ref()?).ok()?;
        String::from_utf8(bytes).ok().filter(|t| !t.contains('\0'))
    }

    /// The files `ops` changed, before and after, oldest change first. The ops of one path are
    /// taken together (its state before the first and after the last), except where a rename is
    /// involved, which is shown op by op so no path appears twice over. A path that ended as it
    /// began is left out.
    pub fn diffs(&self, ops: &[FileOp]) -> Result<Vec<FileDiff>, JournalError> {
        let renamed: HashSet<&str> = ops
            .iter()
            .filter_map(|op| match &op.kind {
                OpKind::Rename { from } => Some([from.as_str(), op.path.as_str()]),
                _ => None,
            })
            .flatten()
            .collect();
        // Grouped by path, in the order paths were first changed.
        let mut order: Vec<String> = Vec::new();
        let mut groups: BTreeMap<String, Vec<&FileOp>> = BTreeMap::new();
        for op in ops {
            let key = if renamed.contains(op.path.as_str()) { format!("{}\0{}", op.path, op.id) } else { op.path.clone() };
            let group = groups.entry(key.clone()).or_default();
            if group.is_empty() {
                order.push(key);
            }
            group.push(op);
        }
        let mut diffs = Vec::new();
        for key in order {
            let group = &groups[&key];
            let (first, last) = (group[0], group[group.len() - 1]);
            let kind = if group.len() == 1 {
                first.kind.clone()
            } else {
                match (&first.before, &last.after) {
                    (None, None) => continue,
                    (None, Some(_)) => OpKind::Create,
                    (Some(_), None) => OpKind::Delete,
                    (Some(b), Some(a)) if b == a => continue,
                    (Some(b), Some(a)) if b.same_content(a) => OpKind::Chmod,
                    _ => OpKind::Modify,
                }
            };
            diffs.push(FileDiff {
                path: first.path.clone(),
                kind,
                before: self.side(&first.before)?,
                after: self.side(&last.after)?,
                ops: group.iter().map(|op| op.id).collect(),
            });
        }
        Ok(diffs)
    }

    fn side(&self, image: &Option<FileImage>) -> Result<DiffSide, JournalError> {
        Ok(match image {
            None => DiffSide::Absent,
            Some(i) if i.too_large => DiffSide::TooLarge { size: i.size },
            Some(FileImage { hash: None, size, .. }) => DiffSide::NotKept { size: *size },
            Some(FileImage { hash: Some(hash), kind, .. }) => DiffSide::of_bytes(*kind, self.content(hash)?),
        })
    }
}

/// Lines added and removed from `before` to `after`.
fn count_lines(before: &str, after: &str) -> (u32, u32) {
    let diff = TextDiff::configure().timeout(DIFF_DEADLINE).diff_lines(before, after);
    let (mut added, mut removed) = (0u32, 0u32);
    for change in diff.iter_all_changes() {
        match change.tag() {
            ChangeTag::Insert => added += 1,
            ChangeTag::Delete => removed += 1,
            ChangeTag::Equal => {}
        }
    }
    (added, removed)
}

/// `diff` as unified diff text, git's way: `a/` and `b/` paths, `/dev/null` for no file, a
/// one-line statement where there is no text to compare.
pub fn unified_diff(diff: &FileDiff) -> String {
    let old_path = match &diff.kind {
        OpKind::Rename { from } => from.as_str(),
        _ => diff.path.as_str(),
    };
    let old_name = if diff.before == DiffSide::Absent { "/dev/null".to_owned() } else { format!("a/{old_path}") };
    let new_name = if diff.after == DiffSide::Absent { "/dev/null".to_owned() } else { format!("b/{}", diff.path) };
    let mut out = format!("diff --warden a/{old_path} b/{} ({})\n", diff.path, diff.kind.as_str());
    let text_of = |side: &DiffSide| match side {
        DiffSide::Absent => Some(String::new()),
        DiffSide::Text { text } => Some(text.clone()),
        DiffSide::Symlink { target } => Some(format!("-> {target}\n")),
        _ => None,
    };
    match (text_of(&diff.before), text_of(&diff.after)) {
        (Some(before), Some(after)) if before != after => {
            let text = TextDiff::configure().timeout(DIFF_DEADLINE).diff_lines(&before, &after);
            out.push_str(&text.unified_diff().context_radius(3).header(&old_name, &new_name).to_string());
        }
        (Some(_), Some(_)) => out.push_str("(same content)\n"),
        _ => out.push_str(&format!("{} and {} differ: {} -> {}\n", old_name, new_name, describe(&diff.before), describe(&diff.after))),
    }
    out
}

fn describe(side: &DiffSide) -> String {
    match side {
        DiffSide::Absent => "no file".to_owned(),
        DiffSide::Text { text } => format!("text, {} bytes", text.len()),
        DiffSide::Symlink { target } => format!("symlink to {target}"),
        DiffSide::Binary { size } => format!("binary, {size} bytes"),
        DiffSide::TooLarge { size } => format!("{size} bytes, over the size cap (not kept)"),
        DiffSide::NotKept { size } => format!("{size} bytes, ignored by .gitignore (not kept)"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_counted_as_a_line_diff_does() {
        assert_eq!(count_lines("", "a\nb\n"), (2, 0));
        assert_eq!(count_lines("a\nb\nc\n", "a\nB\nc\n"), (1, 1));
        assert_eq!(count_lines("a\n", ""), (0, 1));
    }

    #[test]
    fn a_unified_diff_names_both_sides_and_binary_sides_are_described() {
        let text = FileDiff {
            path: "f.txt".into(),
            kind: OpKind::Modify,
            before: DiffSide::Text { text: "a\nb\n".into() },
            after: DiffSide::Text { text: "a\nc\n".into() },
            ops: vec![],
        };
        let out = unified_diff(&text);
        assert!(out.contains("--- a/f.txt\n+++ b/f.txt\n") && out.contains("-b\n+c\n"), "{out}");
        let binary = FileDiff { before: DiffSide::Absent, after: DiffSide::Binary { size: 3 }, kind: OpKind::Create, ..text };
        assert!(unified_diff(&binary).contains("/dev/null and b/f.txt differ: no file -> binary, 3 bytes"));
    }
}
