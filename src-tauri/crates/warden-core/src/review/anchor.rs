//! Placing findings on the scope's diff: the hunk whose lines a finding names, or "outside this
//! task's changes".

use super::{DiffHunk, ReviewFinding};

/// `file` as a project-relative path: an absolute path inside `project` loses the prefix, and
/// `./` or a unified diff's `a/` / `b/` prefix is dropped when what follows is one of
/// `changed` (so a real folder named `b` is left alone).
pub fn normalize_path(file: &str, project: &str, changed: &[&str]) -> String {
    let file = file.trim().replace('\\', "/");
    let project = project.trim_end_matches(['/', '\\']).replace('\\', "/");
    let mut rest = file.as_str();
    if !project.is_empty() {
        if let Some(inside) = rest.strip_prefix(&project).and_then(|r| r.strip_prefix('/')) {
            rest = inside;
        }
    }
    while let Some(r) = rest.strip_prefix("./") {
        rest = r;
    }
    if !changed.contains(&rest) {
        if let Some(r) = rest.strip_prefix("a/").or_else(|| rest.strip_prefix("b/")) {
            if changed.contains(&r) {
                rest = r;
            }
        }
    }
    rest.to_owned()
}

/// Unchanged lines around a hunk that still count as its place: the context a unified diff
/// shows, so a finding on the line just before a change (a caller, a missing check) is the
/// change's.
const NEAR: u32 = 3;

/// The lines of a file a hunk covers, on the side a finding's lines refer to: the file after
/// the change, or before it when nothing is left after (a deleted file). A hunk that only
/// removed lines covers the line where they were.
fn span(hunk: &DiffHunk, deleted_file: bool) -> (u32, u32) {
    let (start, count) = if deleted_file { (hunk.old_start, hunk.old_lines) } else { (hunk.new_start, hunk.new_lines) };
    (start, start + count.max(1) - 1)
}

fn overlaps(hunk: &DiffHunk, deleted_file: bool, start: u32, end: u32, near: u32) -> bool {
    let (first, last) = span(hunk, deleted_file);
    start <= last.saturating_add(near) && end.saturating_add(near) >= first
}

/// Anchors `findings` to `hunks` (the scope's diff): a finding's file is made project-relative
/// (see [`normalize_path`]); one whose line range overlaps a hunk of its file gets that hunk
/// (the first one, when it spans several), else the first hunk within three lines of it; one
/// naming a file or lines that no hunk covers is marked `outside_changes`. A finding on a
/// changed file without lines, or with no file at all, is about the change as a whole:
/// neither anchored nor outside.
pub fn anchor(findings: &mut [ReviewFinding], hunks: &[DiffHunk], project: &str) {
    let mut changed: Vec<&str> = hunks.iter().map(|h| h.path.as_str()).collect();
    changed.dedup();
    for finding in findings.iter_mut() {
        finding.hunk = None;
        finding.outside_changes = false;
        let Some(file) = finding.file.as_deref() else { continue };
        let path = normalize_path(file, project, &changed);
        let of_file: Vec<&DiffHunk> = hunks.iter().filter(|h| h.path == path).collect();
        finding.file = Some(path);
        if of_file.is_empty() {
            finding.outside_changes = true;
            continue;
        }
        let Some(start) = finding.line_start else { continue };
        let end = finding.line_end.unwrap_or(start).max(start);
        // Nothing is left of a deleted file: its findings can only name lines before.
        let deleted_file = of_file.iter().all(|h| h.new_start == 0);
        let found = of_file
            .iter()
            .find(|h| overlaps(h, deleted_file, start, end, 0))
            .or_else(|| of_file.iter().find(|h| overlaps(h, deleted_file, start, end, NEAR)));
        match found {
            Some(hunk) => finding.hunk = Some(hunk.id.clone()),
            None => finding.outside_changes = true,
        }
    }
}
