//! What the file journal costs on a big project: 50,000 small files in 500 folders.
//!
//! - `snapshot/unchanged`: one snapshot when nothing changed (what a tool call's begin or end
//!   costs).
//! - `turn/unchanged`: recording a turn that changes nothing (two snapshots and a diff).
//! - `turn/100_changed`: recording a turn that rewrites 100 files (the writes are not timed).
//! - `rollback/1000_files`: rolling back a turn that rewrote 1,000 files (the turn is not timed).
//!
//! Generating the project and its first snapshot (which copies every file into the blob store)
//! happen once and are printed, not measured by criterion.

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode};
use std::path::Path;
use std::time::{Duration, Instant};
use warden_core::session::{SessionId, TurnId};
use warden_journal::{Recorder, DEFAULT_CAP};

const FOLDERS: usize = 500;
const PER_FOLDER: usize = 100;

fn generate(root: &Path) {
    for d in 0..FOLDERS {
        let dir = root.join(format!("pkg{d:03}/src"));
        std::fs::create_dir_all(&dir).unwrap();
        for f in 0..PER_FOLDER {
            std::fs::write(dir.join(format!("mod{f:03}.rs")), format!("// package {d}, module {f}\npub fn f() {{}}\n")).unwrap();
        }
    }
}

/// Rewrites `count` files spread over the tree with content unique to `round`.
fn rewrite(root: &Path, count: usize, round: usize) {
    let step = FOLDERS * PER_FOLDER / count;
    for i in 0..count {
        let n = i * step;
        let path = root.join(format!("pkg{:03}/src/mod{:03}.rs", n / PER_FOLDER, n % PER_FOLDER));
        std::fs::write(path, format!("// rewritten in round {round}, file {i}\n")).unwrap();
    }
}

fn journal(c: &mut Criterion) {
    let project = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let started = Instant::now();
    generate(project.path());
    println!("generated {} files in {:.2?}", FOLDERS * PER_FOLDER, started.elapsed());

    let mut recorder = Recorder::new(project.path(), data.path(), DEFAULT_CAP).unwrap();
    let session = SessionId::from("bench");
    let mut turn = 0u32;
    let mut next_turn = || {
        turn += 1;
        TurnId(turn)
    };
    let started = Instant::now();
    recorder.begin_turn(session.clone(), next_turn()).unwrap();
    println!("first snapshot (hashes and copies every file): {:.2?}", started.elapsed());
    recorder.end_turn().unwrap();
    // Past the window in which a just-written file is not trusted, so what follows is steady.
    std::thread::sleep(Duration::from_millis(2100));
    recorder.begin_turn(session.clone(), next_turn()).unwrap();
    let started = Instant::now();
    recorder.end_turn().unwrap();
    let snap = recorder.last_snapshot().unwrap();
    println!("steady snapshot: {:.2?}, {} entries, {} files read", started.elapsed(), snap.len(), snap.files_read());

    let mut group = c.benchmark_group("snapshot");
    group.sample_size(10).sampling_mode(SamplingMode::Flat);
    group.bench_function("unchanged", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                recorder.begin_turn(session.clone(), next_turn()).unwrap();
                let started = Instant::now();
                recorder.end_turn().unwrap();
                total += started.elapsed();
            }
            total
        })
    });
    group.finish();

    let mut group = c.benchmark_group("turn");
    group.sample_size(10).sampling_mode(SamplingMode::Flat);
    group.bench_function("unchanged", |b| {
        b.iter(|| {
            recorder.begin_turn(session.clone(), next_turn()).unwrap();
            recorder.end_turn().unwrap()
        })
    });
    let mut round = 0;
    group.bench_function("100_changed", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                round += 1;
                let started = Instant::now();
                recorder.begin_turn(session.clone(), next_turn()).unwrap();
                total += started.elapsed();
                rewrite(project.path(), 100, round);
                let started = Instant::now();
                let ops = recorder.end_turn().unwrap();
                total += started.elapsed();
                assert_eq!(ops.len(), 100);
            }
            total
        })
    });
    group.finish();

    let mut group = c.benchmark_group("rollback");
    group.sample_size(10).sampling_mode(SamplingMode::Flat);
    group.bench_function("1000_files", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                round += 1;
                recorder.begin_turn(session.clone(), next_turn()).unwrap();
                rewrite(project.path(), 1000, round);
                let ops: Vec<_> = recorder.end_turn().unwrap().iter().map(|op| op.id).collect();
                assert_eq!(ops.len(), 1000);
                let started = Instant::now();
                let report = recorder.rollback(&ops, false).unwrap();
                total += started.elapsed();
                assert_eq!(report.restored.len(), 1000);
            }
            total
        })
    });
    group.finish();
}

criterion_group!(benches, journal);
criterion_main!(benches);
