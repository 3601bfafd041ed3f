//! Cutting a text change into hunks, and putting some of them back into a file that may have
//! changed since: pure text work, no disk.
//!
//! Lines keep their endings, so what is put back is byte for byte what was there. A hunk is a
//! run of changed lines with no context. Putting hunks back into the file as it is now is a
//! three-way move: the changes from the agent's "after" to what is on disk now are found the
//! same way, and a chosen hunk is refused as changed since when one of them touches its lines
//! (or sits right next to them, where the hunk's place is ambiguous). Changes elsewhere in the
//! file stay. Forced, a hunk's region grows over the changes that touch it, and that region is
//! written as the agent left it with the hunk put back: those later changes are lost, no other.

use sha2::{Digest, Sha256};
use similar::{capture_diff_slices_deadline, Algorithm, DiffTag};
use std::collections::HashMap;
use std::ops::Range;
use std::time::{Duration, Instant};

/// Longest a line diff may take before settling for a less minimal (still correct) one.
const DIFF_DEADLINE: Duration = Duration::from_millis(500);

/// One run of changed lines: `old` in the text before, `new` in the text after (line indexes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cut {
    /// The lines removed, as indexes into the text before.
    pub old: Range<usize>,
    /// The lines added, as indexes into the text after.
    pub new: Range<usize>,
}

/// A text's lines, each with its line ending (the last one may have none).
pub fn lines(text: &str) -> Vec<&str> {
    text.split_inclusive('\n').collect()
}

/// The hunks of the change from `old` to `new` (as [`lines`] cuts them), in file order.
pub fn cut(old: &[&str], new: &[&str]) -> Vec<Cut> {
    let ops = capture_diff_slices_deadline(Algorithm::Myers, old, new, Some(Instant::now() + DIFF_DEADLINE));
    let mut cuts: Vec<Cut> = Vec::new();
    // Where each op sits is counted here from the ops' lengths: `similar` can report a delete
    // at the wrong place in the new text (a delete after an equal run that follows an insert
    // is given the equal run's start), and a hunk put back there would land mid-file.
    let (mut at_old, mut at_new) = (0usize, 0usize);
    for op in &ops {
        let (o, n) = (at_old..at_old + op.old_range().len(), at_new..at_new + op.new_range().len());
        (at_old, at_new) = (o.end, n.end);
        if op.tag() == DiffTag::Equal {
            continue;
        }
        match cuts.last_mut() {
            // Adjacent changes (a delete then an insert) are one hunk.
            Some(last) if last.old.end == o.start && last.new.end == n.start => {
                last.old.end = o.end;
                last.new.end = n.end;
            }
            _ => cuts.push(Cut { old: o, new: n }),
        }
    }
    cuts
}

/// The fingerprint of every hunk of the change `old` → `new` of `path` (as [`cut`] gives them),
/// in order: what the Files panel's decisions are stored under. An edit made twice in the file
/// is two hunks, told apart by how many with the same lines come before.
pub fn fingerprints(path: &str, old: &[&str], new: &[&str], cuts: &[Cut]) -> Vec<String> {
    let mut seen: HashMap<(&[&str], &[&str]), usize> = HashMap::new();
    cuts.iter()
        .map(|c| {
            let (removed, added) = (&old[c.old.clone()], &new[c.new.clone()]);
            let nth = seen.entry((removed, added)).or_default();
            let print = fingerprint(path, removed, added, *nth);
            *nth += 1;
            print
        })
        .collect()
}

/// The name of a hunk of `path` by its lines: the same edit in another scope's diff (a turn's,
/// the session's) has the same fingerprint. `nth` counts the earlier hunks of the file with the
/// very same lines (from 0), so an edit made twice is two hunks; [`fingerprints`] counts them.
pub fn fingerprint(path: &str, removed: &[&str], added: &[&str], nth: usize) -> String {
    let mut hash = Sha256::new();
    hash.update(path.as_bytes());
    if nth > 0 {
        hash.update(nth.to_le_bytes());
    }
    for (mark, lines) in [(b'-', removed), (b'+', added)] {
        for line in lines {
            hash.update([0, mark]);
            hash.update(line.as_bytes());
        }
    }
    hash.finalize().iter().take(12).map(|b| format!("{b:02x}")).collect()
}

/// The outcome of putting hunks back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PutBack {
    /// The file's new content.
    pub text: String,
    /// Positions (in `chosen`) of the hunks whose lines changed since.
    pub changed_since: Vec<usize>,
}

/// `current` (the file now) with the `chosen` hunks of the change `before` → `after` put back.
/// `chosen` must be hunks of [`cut`]`(before, after)`, in file order. Hunks whose lines changed
/// since are listed; the text is what forcing writes (see the module).
pub fn put_back(before: &[&str], after: &[&str], current: &[&str], chosen: &[Cut]) -> PutBack {
    let since = cut(after, current);
    let touches = |region: &Range<usize>, c: &Cut| c.old.start <= region.end && region.start <= c.old.end;
    let changed_since: Vec<usize> =
        chosen.iter().enumerate().filter(|(_, h)| since.iter().any(|c| touches(&h.new, c))).map(|(i, _)| i).collect();

    // Regions of the text after, each holding chosen hunks and every later change touching
    // them, grown until nothing else touches; regions that meet are one.
    let mut regions: Vec<(Range<usize>, Vec<&Cut>)> = Vec::new();
    for hunk in chosen {
        let mut region = hunk.new.clone();
        let mut hunks = vec![hunk];
        loop {
            let mut grown = region.clone();
            for c in since.iter().filter(|c| touches(&region, c)) {
                grown = grown.start.min(c.old.start)..grown.end.max(c.old.end);
            }
            if let Some((last, last_hunks)) = regions.last_mut().filter(|(last, _)| last.end >= grown.start) {
                grown = last.start.min(grown.start)..last.end.max(grown.end);
                hunks.splice(0..0, last_hunks.drain(..));
                regions.pop();
            }
            if grown == region {
                break;
            }
            region = grown;
        }
        regions.push((region, hunks));
    }

    let delta = |c: &Cut| c.new.len() as isize - c.old.len() as isize;
    let mut text = String::new();
    let mut at = 0usize;
    for (region, hunks) in &regions {
        // Where the region starts in the file now: after every later change before it.
        let shift: isize = since.iter().filter(|c| c.old.end < region.start).map(delta).sum();
        let inside: isize = since.iter().filter(|c| touches(region, c)).map(delta).sum();
        let start = (region.start as isize + shift) as usize;
        let end = (start as isize + region.len() as isize + inside) as usize;
        current[at..start].iter().for_each(|l| text.push_str(l));
        let mut p = region.start;
        for hunk in hunks {
            after[p..hunk.new.start].iter().for_each(|l| text.push_str(l));
            before[hunk.old.clone()].iter().for_each(|l| text.push_str(l));
            p = hunk.new.end;
        }
        after[p..region.end].iter().for_each(|l| text.push_str(l));
        at = end;
    }
    current[at..].iter().for_each(|l| text.push_str(l));
    PutBack { text, changed_since }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chosen(before: &str, after: &str, pick: &[usize]) -> Vec<Cut> {
        let cuts = cut(&lines(before), &lines(after));
        pick.iter().map(|&i| cuts[i].clone()).collect()
    }

    #[test]
    fn two_changes_a_line_apart_are_two_hunks_and_each_goes_back_alone() {
        let before = "a\nb\nc\nd\n";
        let after = "a\nB\nc\nD\nextra\n";
        let cuts = cut(&lines(before), &lines(after));
        assert_eq!(cuts, [Cut { old: 1..2, new: 1..2 }, Cut { old: 3..4, new: 3..5 }]);
        let first = put_back(&lines(before), &lines(after), &lines(after), &chosen(before, after, &[0]));
        assert_eq!(first, PutBack { text: "a\nb\nc\nD\nextra\n".into(), changed_since: vec![] });
        let second = put_back(&lines(before), &lines(after), &lines(after), &chosen(before, after, &[1]));
        assert_eq!(second.text, "a\nB\nc\nd\n");
    }

    #[test]
    fn a_change_elsewhere_stays_and_a_change_to_the_hunk_is_refused_or_overwritten() {
        let (before, after) = ("1\n2\n3\n4\n5\n6\n", "1\nTWO\n3\n4\n5\n6\n");
        let elsewhere = "1\nTWO\n3\n4\n5\nsix\n";
        let done = put_back(&lines(before), &lines(after), &lines(elsewhere), &chosen(before, after, &[0]));
        assert_eq!(done, PutBack { text: "1\n2\n3\n4\n5\nsix\n".into(), changed_since: vec![] });
        let on_it = "1\nTwo!\n3\n4\n5\nsix\n";
        let forced = put_back(&lines(before), &lines(after), &lines(on_it), &chosen(before, after, &[0]));
        assert_eq!(forced, PutBack { text: "1\n2\n3\n4\n5\nsix\n".into(), changed_since: vec![0] });
        // A line added right next to the hunk makes its place ambiguous: changed since too.
        let beside = "1\nTWO\nnew\n3\n4\n5\n6\n";
        assert_eq!(put_back(&lines(before), &lines(after), &lines(beside), &chosen(before, after, &[0])).changed_since, [0]);
    }

    #[test]
    fn the_last_line_without_an_ending_is_put_back_exactly() {
        let (before, after) = ("a\nb", "a\nb\nc\n");
        let back = put_back(&lines(before), &lines(after), &lines(after), &chosen(before, after, &[0]));
        assert_eq!(back.text, before);
        assert_eq!(fingerprint("x", &["b"], &["b\n", "c\n"], 0).len(), 24);
        assert_ne!(fingerprint("x", &["b"], &["b\n"], 0), fingerprint("y", &["b"], &["b\n"], 0));
        // The same insertion twice: two hunks, two names, the first as `fingerprint` says.
        let (old, new) = (lines("a\nb\n"), lines("a\nX\nb\nX\n"));
        let prints = fingerprints("x", &old, &new, &cut(&old, &new));
        assert_eq!(prints.len(), 2);
        assert_eq!(prints[0], fingerprint("x", &[], &["X\n"], 0));
        assert_ne!(prints[0], prints[1]);
    }

    #[test]
    fn a_delete_after_an_insert_and_an_equal_line_is_placed_after_them() {
        // `similar` reports this delete at new line 3, before the equal line it follows.
        let (before, after) = ("x\nx\nx", "x\nA\nx\nx\n");
        let cuts = cut(&lines(before), &lines(after));
        assert_eq!(cuts, [Cut { old: 1..1, new: 1..3 }, Cut { old: 2..3, new: 4..4 }]);
        let last = put_back(&lines(before), &lines(after), &lines(after), &chosen(before, after, &[1]));
        assert_eq!(last.text, "x\nA\nx\nx\nx");
        let first = put_back(&lines(before), &lines(after), &lines(after), &chosen(before, after, &[0]));
        assert_eq!(first.text, "x\nx\n");
    }
}
