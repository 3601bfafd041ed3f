//! `warden rollback --op ID --hunks 1,3` and `warden diff --op ID --hunks`: per-hunk work on
//! one recorded change without a window. The plan is the journal's (the one the window's
//! confirmation shows); this file only prints it.

use super::run::{OK, TURN_FAILED};
use warden_core::journal::{FileHunks, Hunk, HunkRevertPlan, HunkState, OpId, RollbackOutcome};
use warden_engine::Files;

/// `warden rollback --op ID --hunks …`, carried out (or with `dry_run`, planned); returns the
/// exit code like a rollback: 0 done, 1 refused over hunks changed since, 2 other errors.
pub fn rollback_hunks(engine: &Files, project: &str, op: u64, hunks: &[u32], force: bool, dry_run: bool, json: bool) -> u8 {
    let ops = [OpId(op)];
    if dry_run {
        return match engine.hunk_revert_plan(project, &ops, hunks) {
            Ok(plan) if json => {
                println!("{}", serde_json::to_string(&plan).expect("plans serialise"));
                OK
            }
            Ok(plan) => {
                print_plan(&plan);
                OK
            }
            Err(e) => super::files::fail(e),
        };
    }
    if let Some(notice) = engine.recover_rollbacks() {
        eprintln!("warden: {notice}");
    }
    let outcome = match engine.revert_hunks_outcome(project, &ops, hunks, force) {
        Ok(outcome) => outcome,
        Err(e) => return super::files::fail(e),
    };
    if json {
        println!("{}", serde_json::to_string(&outcome).expect("outcomes serialise"));
    }
    match outcome {
        RollbackOutcome::Done(report) => {
            if !json {
                let numbers: Vec<String> = hunks.iter().map(ToString::to_string).collect();
                println!("Reverted hunk(s) {} of {} as rollback {}.", numbers.join(", "), report.restored.join(", "), report.id);
                println!("Undo it with: warden rollback --project <DIR> --redo {}", report.id);
            }
            OK
        }
        RollbackOutcome::Conflicts(conflicts) => {
            let paths: Vec<&str> = conflicts.iter().map(|c| c.path.as_str()).collect();
            eprintln!("warden: refused: the lines of a chosen hunk of {} changed since; nothing was reverted.", paths.join(", "));
            eprintln!("Run again with --force to revert anyway (those later edits are overwritten; a redo can undo that).");
            TURN_FAILED
        }
    }
}

/// `warden diff --op ID --hunks`: the change's hunks, numbered as `--hunks` takes them.
pub fn print_hunks(engine: &Files, project: &str, op: u64, json: bool) -> u8 {
    match engine.file_hunks(project, &[OpId(op)]) {
        Ok(hunks) if json => {
            println!("{}", serde_json::to_string(&hunks).expect("hunks serialise"));
            OK
        }
        Ok(FileHunks { path, hunks, .. }) => {
            println!("--- a/{path}\n+++ b/{path}");
            for hunk in &hunks {
                print!("{}", hunk_text(hunk));
            }
            OK
        }
        Err(e) => super::files::fail(e),
    }
}

fn print_plan(plan: &HunkRevertPlan) {
    let numbers: Vec<String> = plan.hunks.iter().map(|h| h.index.to_string()).collect();
    println!("Reverting hunk(s) {} of {} would put these lines back; nothing was changed.", numbers.join(", "), plan.path);
    for hunk in &plan.hunks {
        print!("{}", hunk_text(hunk));
    }
    if plan.plan.steps.is_empty() {
        println!("  No file would change.");
    }
    if !plan.changed_since.is_empty() {
        let changed: Vec<String> = plan.changed_since.iter().map(ToString::to_string).collect();
        println!(
            "  changed since (the revert is refused unless --force, which overwrites those edits): hunk(s) {}",
            changed.join(", ")
        );
    }
}

/// A hunk as a unified diff fragment under a header naming its number and decision.
fn hunk_text(hunk: &Hunk) -> String {
    let state = match hunk.state {
        HunkState::Open => String::new(),
        HunkState::Kept => " (kept)".to_owned(),
        HunkState::Reverted { rollback_id } => format!(" (reverted by rollback {rollback_id})"),
    };
    let mut text = format!(
        "@@ -{},{} +{},{} @@ hunk {}{state}\n",
        hunk.old_start,
        hunk.removed.len(),
        hunk.new_start,
        hunk.added.len(),
        hunk.index
    );
    for (mark, lines) in [('-', &hunk.removed), ('+', &hunk.added)] {
        for line in lines {
            text.push(mark);
            text.push_str(line);
            if !line.ends_with('\n') {
                text.push_str("\n\\ No newline at end of file\n");
            }
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hunk_reads_as_a_numbered_unified_fragment() {
        let hunk = Hunk {
            index: 2,
            fingerprint: "f".into(),
            old_start: 3,
            removed: vec!["old\n".into()],
            new_start: 3,
            added: vec!["new".into()],
            state: HunkState::Kept,
        };
        assert_eq!(hunk_text(&hunk), "@@ -3,1 +3,1 @@ hunk 2 (kept)\n-old\n+new\n\\ No newline at end of file\n");
    }
}
