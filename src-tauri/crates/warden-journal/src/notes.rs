//! Telling an agent what was rolled back under it: otherwise its next turn works from files it
//! believes it wrote, and the first edit it makes fails or, worse, reintroduces what the person
//! undid.

use super::{Journal, JournalError};
use std::collections::{BTreeSet, HashSet};
use warden_core::journal::{OpKind, RollbackId, RollbackState};
use warden_core::session::SessionId;

/// How every note to an agent begins, so a test or a person can find it in the transcript.
pub const NOTE_PREFIX: &str = "Note from Warden:";

impl Journal {
    /// The note for `session`'s agent about rollbacks (and redos) of its changes it has not been
    /// told about, or `None` when there is nothing to tell. They count as told from now on: the
    /// caller puts the note in front of the prompt it is about to send.
    ///
    /// A rollback that was redone before the agent heard of it cancels out with its redo: the
    /// files are as the agent left them, so neither is mentioned.
    pub fn take_rollback_note(&self, session: &SessionId) -> Result<Option<String>, JournalError> {
        let untold = self.db.untold(session)?;
        if untold.is_empty() {
            return Ok(None);
        }
        let mut cancelled: HashSet<RollbackId> = HashSet::new();
        let mut restored = BTreeSet::new();
        let mut removed = BTreeSet::new();
        let mut put_back = BTreeSet::new();
        let mut partly = BTreeSet::new();
        for (record, made) in &untold {
            match (record.state, record.redo_of) {
                (RollbackState::Undone, _) => {
                    cancelled.insert(record.id);
                }
                (RollbackState::Done, Some(undid)) if !cancelled.contains(&undid) => {
                    put_back.extend(made.iter().map(|op| op.path.clone()));
                }
                // A hunk revert: part of the change is gone, the rest stands.
                (RollbackState::Done, None) if !record.hunks.is_empty() => {
                    partly.extend(made.iter().map(|op| op.path.clone()));
                }
                (RollbackState::Done, None) => {
                    for op in made {
                        let set = if op.kind == OpKind::Delete { &mut removed } else { &mut restored };
                        set.insert(op.path.clone());
                    }
                }
                _ => {}
            }
        }
        let ids: Vec<RollbackId> = untold.iter().map(|(record, _)| record.id).collect();
        self.db.mark_told(session, &ids)?;
        Ok(note(&restored, &removed, &put_back).map(|text| text + &partly_note(&partly)).or_else(|| {
            (!partly.is_empty()).then(|| format!("{NOTE_PREFIX}{}", partly_note(&partly)))
        }))
    }
}

/// The sentence about hunk reverts (`""` when there were none), to follow the note's prefix
/// or its other sentences.
fn partly_note(paths: &BTreeSet<String>) -> String {
    if paths.is_empty() {
        return String::new();
    }
    let list = paths.iter().map(String::as_str).collect::<Vec<_>>().join(", ");
    format!(" The user reverted some hunks of your changes to these files (the rest of your changes stand); read them again before editing: {list}.")
}

/// The note's text, or `None` when no path is left to mention.
fn note(restored: &BTreeSet<String>, removed: &BTreeSet<String>, put_back: &BTreeSet<String>) -> Option<String> {
    let list = |paths: &BTreeSet<String>| paths.iter().map(String::as_str).collect::<Vec<_>>().join(", ");
    let mut parts = Vec::new();
    if !restored.is_empty() || !removed.is_empty() {
        let mut text = "the user rolled back your changes to these files, which are now as they were before".to_owned();
        if !restored.is_empty() {
            text.push_str(&format!(": {}", list(restored)));
        }
        if !removed.is_empty() {
            text.push_str(&format!(" (removed: {})", list(removed)));
        }
        parts.push(text);
    }
    if !put_back.is_empty() {
        parts.push(format!("the user put back your changes to these files, after rolling them back: {}", list(put_back)));
    }
    (!parts.is_empty()).then(|| format!("{NOTE_PREFIX} {}.", parts.join("; then ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(paths: &[&str]) -> BTreeSet<String> {
        paths.iter().map(|p| p.to_string()).collect()
    }

    #[test]
    fn the_note_lists_restored_then_removed_files() {
        let text = note(&set(&["src/x.rs", "a.txt"]), &set(&["new.txt"]), &set(&[])).unwrap();
        assert_eq!(
            text,
            "Note from Warden: the user rolled back your changes to these files, which are now as they were \
             before: a.txt, src/x.rs (removed: new.txt)."
        );
    }

    #[test]
    fn only_removals_or_only_redos_still_read_as_one_sentence() {
        let text = note(&set(&[]), &set(&["new.txt"]), &set(&[])).unwrap();
        assert!(text.ends_with("as they were before (removed: new.txt)."), "{text}");
        let text = note(&set(&[]), &set(&[]), &set(&["b.txt"])).unwrap();
        assert!(text.starts_with("Note from Warden: the user put back your changes") && text.ends_with("b.txt."), "{text}");
        assert_eq!(note(&set(&[]), &set(&[]), &set(&[])), None);
    }
}
