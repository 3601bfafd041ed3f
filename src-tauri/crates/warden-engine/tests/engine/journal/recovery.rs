//! What the engine does with a rollback a crash interrupted: opening only reads, and a command
//! that changes files completes or abandons it and says so.

use super::crashing::crash_then_edit;
use super::*;
use warden_core::journal::RollbackState;
use warden_engine::Engine;

#[test]
fn only_commands_that_change_files_recover_and_they_say_what_happened() {
    // Untouched after the crash: completed when a changing command asks, not before.
    let (fx, after_crash, data) = crash_then_edit(2, |_| {});
    let (engine, notice) = Engine::open(&data).unwrap();
    assert!(notice.is_none(), "{notice:?}");
    engine.store().sessions(None).unwrap();
    let pending = engine.files().journal().unwrap().rollbacks(None).unwrap();
    assert_eq!(pending.iter().map(|r| r.state).collect::<Vec<_>>(), [RollbackState::Pending], "opening only reads");
    assert_eq!(tree(fx.project.path()), after_crash, "a read-only start touches nothing");
    let notice = engine.files().recover_rollbacks().expect("a notice");
    assert!(notice.contains("1 were completed"), "{notice}");
    assert_eq!(engine.files().journal().unwrap().rollbacks(None).unwrap()[0].state, RollbackState::Done);
    assert!(engine.files().recover_rollbacks().is_none(), "nothing left to tell");

    // Edited after the crash: abandoned, the edit kept, and the notice names the file.
    let (fx, edited, data) = crash_then_edit(6, |p| fs::write(p.join("src/file2.rs"), b"mine").unwrap());
    let (engine, _) = Engine::open(&data).unwrap();
    let notice = engine.files().recover_rollbacks().expect("a notice");
    assert!(notice.contains("abandoned") && notice.contains("src/file2.rs") && notice.contains("nothing was touched"), "{notice}");
    assert_eq!(tree(fx.project.path()), edited);
    assert_eq!(fs::read(fx.path("src/file2.rs")).unwrap(), b"mine");
}
