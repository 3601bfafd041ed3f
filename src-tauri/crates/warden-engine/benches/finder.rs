//! Issue 19's numbers for the `@` file finder: time to the first results on a 50,000-file
//! project, cold (the project's first query: the walk with its ignore rules, then the ranking)
//! and warm (the index kept: the ranking alone), for queries of different shapes. Not criterion:
//! the cold case builds its index once per run, so it is timed by hand and printed as a
//! markdown table (median, min, max) with the machine it ran on.
//!
//! The project is generated in a temporary folder: 50,000 files in 500 folders two levels deep
//! (`src/mod_NNN/part_M/file_NNNNN.rs` and friends), a `.gitignore`, and an ignored
//! `node_modules/` of 10,000 files that must not be walked into the answer. "Cold" is the
//! finder's cold: the operating system's file cache is warm after the files were written, as
//! it is for a project someone works in.
//!
//! Run: `cargo bench -p warden-engine --bench finder` (part of `make bench`). Smaller runs:
//! `WARDEN_BENCH_FILES` (default 50000), `WARDEN_BENCH_RUNS` (default 5).

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};
use warden_engine::finder::Finder;

const QUERIES: &[&str] = &["", "m", "main", "file_04242", "mod17part3", "src/mod_250/readme", "zzzzqx"];

fn main() {
    let files: usize = env_or("WARDEN_BENCH_FILES", 50_000);
    let runs: usize = env_or("WARDEN_BENCH_RUNS", 5);
    let dir = tempfile::tempdir().expect("temporary folder");
    let made = Instant::now();
    generate(dir.path(), files);
    println!("generated {files} files (+10,000 ignored) in {:.1} s", made.elapsed().as_secs_f64());

    let mut cold = Vec::new();
    let mut indexed = 0;
    for _ in 0..runs {
        let finder = Arc::new(Finder::new());
        let started = Instant::now();
        let found = finder.find(dir.path(), "main", 50);
        cold.push(started.elapsed());
        indexed = found.indexed;
        assert!(!found.paths.is_empty(), "no results");
        assert!(found.paths.iter().all(|p| !p.path.starts_with("node_modules")), "an ignored file was found");
    }

    let finder = Arc::new(Finder::new());
    finder.find(dir.path(), "", 1);
    let mut rows = Vec::new();
    for query in QUERIES {
        let mut times = Vec::new();
        let mut count = 0;
        for _ in 0..runs.max(3) * 4 {
            let started = Instant::now();
            count = finder.find(dir.path(), query, 50).paths.len();
            times.push(started.elapsed());
        }
        rows.push((query, times, count));
    }

    println!();
    println!("machine: {} cores, {}", std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1), cpu_name());
    println!("index: {indexed} files and folders (the 10,000 ignored ones left out)");
    println!();
    println!("| case | query | results | median | min | max |");
    println!("|---|---|---|---|---|---|");
    let (med, min, max) = stats(&mut cold);
    println!("| cold (walk + rank) | `main` | 50 | {med} | {min} | {max} |");
    for (query, mut times, count) in rows {
        let (med, min, max) = stats(&mut times);
        println!("| warm | `{query}` | {count} | {med} | {min} | {max} |");
    }
}

/// `src/mod_NNN/part_M/file_NNNNN.rs` (plus a `readme.md` per folder and a few `main.rs`), and
/// the ignored `node_modules/`.
fn generate(root: &Path, files: usize) {
    std::fs::write(root.join(".gitignore"), "node_modules/\ntarget/\n").expect("write");
    let per_folder = 100;
    for i in 0..files {
        let folder = root.join(format!("src/mod_{:03}/part_{}", i / per_folder / 5, (i / per_folder) % 5));
        if i % per_folder == 0 {
            std::fs::create_dir_all(&folder).expect("folder");
            std::fs::write(folder.join("readme.md"), "").expect("write");
        }
        let name = if i % 997 == 0 { format!("main_{i:05}.rs") } else { format!("file_{i:05}.rs") };
        std::fs::write(folder.join(name), "").expect("write");
    }
    for i in 0..10_000 {
        let folder = root.join(format!("node_modules/pkg_{:03}", i / 10));
        if i % 10 == 0 {
            std::fs::create_dir_all(&folder).expect("folder");
        }
        std::fs::write(folder.join(format!("main_{i}.js")), "").expect("write");
    }
}

fn stats(times: &mut [Duration]) -> (String, String, String) {
    times.sort();
    let ms = |d: Duration| format!("{:.2} ms", d.as_secs_f64() * 1000.0);
    (ms(times[times.len() / 2]), ms(times[0]), ms(times[times.len() - 1]))
}

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn cpu_name() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("model name")).and_then(|l| l.split(':').nth(1)).map(|s| s.trim().to_owned()))
        .unwrap_or_else(|| "unknown CPU".into())
}
