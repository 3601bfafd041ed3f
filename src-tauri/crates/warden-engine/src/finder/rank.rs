//! Ranking an index against what the person typed: `nucleo-matcher` (the matcher of the Helix
//! editor, fzf's scoring with its path bonuses) scores every path; ties go to the shorter path,
//! then the alphabetical one, so the order is stable from one keystroke to the next. Only the
//! kept results pay for the matched positions.

use super::index::Entry;
use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher};
use std::cmp::Ordering;
use warden_core::finder::FoundPath;

/// The best `limit` entries for `query`, best first. An empty query gives the paths nearest
/// the project's root in `root_order` (see [`super::index::root_order`]), which is what `@`
/// alone shows.
pub fn rank(entries: &[Entry], root_order: &[u32], query: &str, limit: usize) -> Vec<FoundPath> {
    if limit == 0 {
        return Vec::new();
    }
    if query.trim().is_empty() {
        return nearest_root(entries, root_order, limit);
    }
    let mut matcher = Matcher::new(Config::DEFAULT.match_paths());
    // Smart case as in editors: a capital letter makes the query case-sensitive; spaces split
    // it into words that must all match, in any order.
    let pattern = Pattern::parse(query, CaseMatching::Smart, Normalization::Smart);
    let mut scored: Vec<(u32, usize)> = entries
        .iter()
        .enumerate()
        .filter_map(|(i, e)| pattern.score(e.haystack.slice(..), &mut matcher).map(|s| (s, i)))
        .collect();
    let better = |a: &(u32, usize), b: &(u32, usize)| -> Ordering {
        let (ea, eb) = (&entries[a.1], &entries[b.1]);
        b.0.cmp(&a.0).then(ea.path.len().cmp(&eb.path.len())).then_with(|| ea.path.cmp(&eb.path))
    };
    if scored.len() > limit {
        scored.select_nth_unstable_by(limit - 1, better);
        scored.truncate(limit);
    }
    scored.sort_unstable_by(better);
    let mut indices = Vec::new();
    scored
        .into_iter()
        .map(|(score, i)| {
            let entry = &entries[i];
            indices.clear();
            pattern.indices(entry.haystack.slice(..), &mut matcher, &mut indices);
            // Several words may match the same character; the window wants each once, in order.
            indices.sort_unstable();
            indices.dedup();
            FoundPath { path: entry.path.clone(), kind: entry.kind, score, indices: indices.clone() }
        })
        .collect()
}

fn nearest_root(entries: &[Entry], root_order: &[u32], limit: usize) -> Vec<FoundPath> {
    root_order
        .iter()
        .filter_map(|&i| entries.get(i as usize))
        .take(limit)
        .map(|e| FoundPath { path: e.path.clone(), kind: e.kind, score: 0, indices: Vec::new() })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use nucleo_matcher::Utf32String;
    use warden_core::session::PathKind;

    fn entries(paths: &[&str]) -> Vec<Entry> {
        paths
            .iter()
            .map(|p| {
                let (path, kind) = match p.strip_suffix('/') {
                    Some(folder) => (folder, PathKind::Folder),
                    None => (*p, PathKind::File),
                };
                Entry { path: path.into(), haystack: Utf32String::from(path), kind, depth: path.matches('/').count() as u32 }
            })
            .collect()
    }

    fn ranked(paths: &[&str], query: &str, n: usize) -> Vec<FoundPath> {
        let entries = entries(paths);
        rank(&entries, &super::super::index::root_order(&entries), query, n)
    }

    fn top(paths: &[&str], query: &str, n: usize) -> Vec<String> {
        ranked(paths, query, n).into_iter().map(|f| f.path).collect()
    }

    const TREE: &[&str] = &[
        "src/",
        "src/main.rs",
        "src/session/",
        "src/session/actor.rs",
        "src/session/handle.rs",
        "docs/domain/maintenance.md",
        "ui/src/features/chat/PromptBox.tsx",
        "ui/src/features/chat/PromptBox.test.tsx",
        "README.md",
        "tests/e2e/prompt_box.test.mjs",
        "Cargo.toml",
        "crates/warden-core/Cargo.toml",
    ];

    #[test]
    fn a_file_name_typed_in_full_comes_first() {
        assert_eq!(top(TREE, "main.rs", 1), vec!["src/main.rs"]);
        assert_eq!(top(TREE, "actor", 1), vec!["src/session/actor.rs"]);
        assert_eq!(top(TREE, "PromptBox.tsx", 1), vec!["ui/src/features/chat/PromptBox.tsx"]);
    }

    #[test]
    fn ties_go_to_the_shorter_path() {
        assert_eq!(top(TREE, "cargo.toml", 2), vec!["Cargo.toml", "crates/warden-core/Cargo.toml"]);
    }

    #[test]
    fn abbreviations_and_words_in_any_order_match() {
        assert_eq!(top(TREE, "sesshandle", 1), vec!["src/session/handle.rs"]);
        assert_eq!(top(TREE, "handle session", 1), vec!["src/session/handle.rs"]);
        assert!(top(TREE, "zzz", 5).is_empty());
    }

    #[test]
    fn smart_case_a_capital_letter_is_matched_exactly() {
        assert_eq!(top(TREE, "readme", 1), vec!["README.md"]);
        assert!(top(TREE, "README", 5).contains(&"README.md".to_owned()));
        assert!(top(TREE, "ReadMe", 5).is_empty());
    }

    #[test]
    fn folders_are_found_and_marked() {
        let found = ranked(TREE, "session", 1);
        assert_eq!(found[0].path, "src/session");
        assert_eq!(found[0].kind, PathKind::Folder);
    }

    #[test]
    fn the_matched_positions_are_sorted_characters_of_the_path() {
        let found = ranked(TREE, "main", 1);
        assert_eq!(found[0].path, "src/main.rs");
        assert_eq!(found[0].indices, vec![4, 5, 6, 7]);
    }

    #[test]
    fn an_empty_query_shows_the_top_of_the_project_folders_first() {
        assert_eq!(top(TREE, "", 4), vec!["src", "Cargo.toml", "README.md", "src/session"]);
        assert_eq!(top(TREE, "  ", 0), Vec::<String>::new());
    }

    #[test]
    fn the_limit_keeps_the_best() {
        let many: Vec<String> = (0..1000).map(|i| format!("gen/file{i:04}.rs")).chain(["lib/target.rs".into()]).collect();
        let refs: Vec<&str> = many.iter().map(String::as_str).collect();
        assert_eq!(top(&refs, "target", 1), vec!["lib/target.rs"]);
        assert_eq!(top(&refs, "file", 10).len(), 10);
    }
}
