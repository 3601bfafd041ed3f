//! Issue 18's numbers: what a session in its own worktree costs on a large repository, and what
//! the project watcher costs on it. Not criterion: each measurement is seconds long, so it is
//! timed a few times by hand and a markdown table is printed (median, min, max), with the
//! machine it ran on.
//!
//! The repository is generated in a temporary folder: 50,000 committed files in 500 folders
//! (sizes 100 B – 4 KiB), a `.gitignore`, and an ignored `node_modules/` of 10,000 files in
//! 1,000 folders, as a JavaScript project has. Measured:
//!
//! - a worktree session as the window starts one, `Sessions::start_in_worktree` (the branch,
//!   `git worktree add` checking out every file, the link record, the session started in it
//!   with the fake agent, to the handle), without a setup command;
//! - the same with the project's trusted `[worktree] setup` run: a trivial one (`true`) and a
//!   realistic one (copying the main folder's `node_modules` in). The command notes its own
//!   start and end (`date +%s%N` before and after it), so the table gives the start with and
//!   without the setup's own time, from the same run;
//! - the no-setup start's two parts timed apart: `worktrees::create`, then `Sessions::start` in
//!   the worktree; and `git worktree add` by itself on the same tree, for comparison;
//! - the watcher on the main folder (`watch::Watchers`, what every live session of a project
//!   has), each round in a fresh child process of this binary so its memory is its own: the
//!   time to its first snapshot (when its first inotify watch appears in `/proc/self/fdinfo`)
//!   and until every folder is watched, its CPU over an idle period and the resident memory it
//!   added (the kernel's memory for the watches is not in it: their count is given);
//! - an outside edit (a file of the tree rewritten while no turn runs) until the listener gets
//!   the `FileChanges` with `outside_turn` the session's stream shows: 10 edits a round.
//!
//! Run it with `make bench-worktrees` (`cargo build --release -p warden-fake-agent && cargo
//! bench -p warden-engine --bench worktrees`). Smaller or quicker runs: `WARDEN_BENCH_FILES`
//! (committed files, default 50000), `WARDEN_BENCH_IDLE_SECS` (default 30),
//! `WARDEN_BENCH_RUNS` (default 3). Linux only (it reads `/proc`).

#[cfg(not(target_os = "linux"))]
fn main() {
    println!("the worktrees bench reads /proc and runs on Linux only");
}

#[cfg(target_os = "linux")]
fn main() {
    if let Ok(spec) = std::env::var(linux::CHILD_ENV) {
        return linux::watch_child(&spec);
    }
    linux::run();
}

#[cfg(target_os = "linux")]
mod linux {
    use std::path::{Path, PathBuf};
    use std::process::{Command, Stdio};
    use std::sync::{mpsc, Arc};
    use std::time::{Duration, Instant};
    use warden_core::session::{AgentKind, SessionEventKind, SessionId, SessionWorktree};
    use warden_engine::journal::Journal;
    use warden_engine::session::TurnGate;
    use warden_engine::watch::Watchers;
    use warden_engine::worktrees::{self, CreateOptions, WorktreeStart};
    use warden_gate::trust::{content_hash, Decision, TrustStore};
    use warden_engine::{AgentBinary, Engine, EventSink, NewSession, RunOptions};

    /// Set in a child run of this binary: `<project>\t<data dir>\t<idle seconds>\t<edits>\t<folders>`.
    pub const CHILD_ENV: &str = "WARDEN_BENCH_WORKTREES_WATCH";

    /// Folders of committed files, and files in each (scaled down by `WARDEN_BENCH_FILES`).
    const PER_FOLDER: usize = 100;
    /// Ignored files under `node_modules/`, 10 per package folder.
    const IGNORED: usize = 10_000;
    /// Edits timed per watcher round.
    const EDITS: usize = 10;
    /// The longest wait for the watcher to hear anything.
    const HEARD_WITHIN: Duration = Duration::from_secs(120);

    fn env_number(name: &str, default: usize) -> usize {
        std::env::var(name).ok().and_then(|v| v.trim().parse().ok()).unwrap_or(default)
    }

    /// Every measured series, in the order first added.
    #[derive(Default)]
    struct Table(Vec<(String, &'static str, Vec<f64>)>);

    impl Table {
        fn add(&mut self, what: &str, unit: &'static str, value: f64) {
            match self.0.iter_mut().find(|(name, _, _)| name == what) {
                Some((_, _, values)) => values.push(value),
                None => self.0.push((what.to_owned(), unit, vec![value])),
            }
        }

        fn print(&mut self) {
            println!("| what | unit | N | median | min | max |");
            println!("|---|---|---:|---:|---:|---:|");
            for (what, unit, values) in &mut self.0 {
                values.sort_by(f64::total_cmp);
                let median = values[values.len() / 2];
                let (min, max) = (values[0], values[values.len() - 1]);
                println!("| {what} | {unit} | {} | {} | {} | {} |", values.len(), fmt(median), fmt(min), fmt(max));
            }
        }
    }

    fn fmt(v: f64) -> String {
        if v.abs() >= 100.0 { format!("{v:.0}") } else if v.abs() >= 10.0 { format!("{v:.1}") } else { format!("{v:.2}") }
    }

    fn ms(d: Duration) -> f64 {
        d.as_secs_f64() * 1e3
    }

    fn git(dir: &Path, args: &[&str]) {
        let out = Command::new("git")
            .current_dir(dir)
            .args(["-c", "user.name=Bench", "-c", "user.email=bench@example.invalid", "-c", "commit.gpgsign=false"])
            .args(args)
            .output()
            .expect("git runs");
        assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    }

    /// A small pseudo-random sequence, so the tree is the same on every run.
    fn lcg(state: &mut u64) -> u64 {
        *state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        *state >> 33
    }

    /// The generated repository: `files` committed files, a `.gitignore`, an ignored
    /// `node_modules/`.
    fn generate(root: &Path, files: usize) {
        let mut seed = 18u64;
        let folders = files.div_ceil(PER_FOLDER);
        let mut written = 0;
        for d in 0..folders {
            let dir = root.join(format!("src/module{:03}/part{}", d, d % 7));
            std::fs::create_dir_all(&dir).expect("a source folder");
            for f in 0..PER_FOLDER.min(files - written) {
                let size = 100 + (lcg(&mut seed) % 4000) as usize;
                let line = format!("// module {d} file {f}: generated for the worktrees bench\n");
                let body: String = line.repeat(size / line.len() + 1).chars().take(size).collect();
                std::fs::write(dir.join(format!("file{f:03}.ts")), body).expect("a source file");
                written += 1;
            }
        }
        std::fs::write(root.join(".gitignore"), "node_modules/\n/dist/\n*.log\n").expect(".gitignore");
        std::fs::write(root.join("package.json"), "{\"name\":\"bench\",\"private\":true}\n").expect("package.json");
        for p in 0..IGNORED / 10 {
            let dir = root.join(format!("node_modules/pkg{p:04}/lib"));
            std::fs::create_dir_all(&dir).expect("a package folder");
            for f in 0..10 {
                std::fs::write(dir.join(format!("index{f}.js")), format!("module.exports = {p} + {f};\n").repeat(20)).expect("a package file");
            }
        }
        git(root, &["init", "--quiet", "--initial-branch=main"]);
        git(root, &["add", "-A"]);
        git(root, &["commit", "--quiet", "-m", "generated"]);
    }

    /// Makes `command` the project's trusted `[worktree] setup` (its `.warden/checks.toml`,
    /// trusted in `data` as the person would).
    fn configure_setup(main: &Path, data: &Path, command: &str) {
        // `{:?}` of a plain command is a valid TOML basic string.
        let toml = format!("version = 1\n[worktree]\nsetup = {command:?}\n");
        std::fs::create_dir_all(main.join(".warden")).expect("the .warden folder");
        std::fs::write(main.join(".warden/checks.toml"), &toml).expect("checks.toml");
        TrustStore::new(data, main).decide(&content_hash(toml.as_bytes()), Decision::Trust).expect("trusted");
    }

    /// Discards every worktree of the project (after a measurement; not timed).
    fn discard_all(data: &Path, main: &Path) {
        for state in worktrees::list(data, main).expect("the worktrees") {
            worktrees::discard(data, main, &state.worktree).expect("the worktree is discarded");
        }
    }

    struct Ignore;
    impl EventSink for Ignore {
        fn send(&self, _: &warden_core::session::SessionEvent) {}
    }

    /// Threads of this process named `warden-watch` (a watcher still taking its snapshot).
    fn watch_threads() -> usize {
        std::fs::read_dir("/proc/self/task")
            .map(|tasks| {
                tasks
                    .filter_map(|t| std::fs::read_to_string(t.ok()?.path().join("comm")).ok())
                    .filter(|comm| comm.trim() == "warden-watch")
                    .count()
            })
            .unwrap_or(0)
    }

    fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
        let since = Instant::now();
        while !done() {
            assert!(since.elapsed() < HEARD_WITHIN, "{what}: not within {HEARD_WITHIN:?}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn run() {
        let files = env_number("WARDEN_BENCH_FILES", 50_000);
        let idle = env_number("WARDEN_BENCH_IDLE_SECS", 30);
        let runs = env_number("WARDEN_BENCH_RUNS", 3).max(1);
        let work = tempfile::tempdir().expect("a work folder");
        let main = work.path().join("repo");
        std::fs::create_dir(&main).expect("the repository folder");
        let main = main.canonicalize().expect("its path");
        let data = work.path().join("data");
        std::fs::create_dir(&data).expect("the data folder");
        let generated = Instant::now();
        generate(&main, files);
        eprintln!("generated {files} committed files + {IGNORED} ignored in {:?}", generated.elapsed());
        let mut table = Table::default();

        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("a runtime");
        let (engine, _) = Engine::open(&data).expect("the engine opens");
        let binary = AgentBinary {
            agent: AgentKind::Claude,
            program: warden_mock_models::agents::fake_agent_program(),
            version: "9.9.9".into(),
        };
        let copy_modules = format!("cp -R '{}/node_modules' ./node_modules", main.display());
        let setups: [(&str, &str); 2] = [("setup `true`", "true"), ("setup: copy node_modules (10,000 files)", &copy_modules)];
        let session = |title: String, run_setup: bool| -> Duration {
            let new = NewSession {
                project: main.to_string_lossy().into_owned(),
                run: RunOptions { binary: Some(binary.clone()), ..Default::default() },
                ..Default::default()
            };
            let start = WorktreeStart { title, run_setup, ..Default::default() };
            let started = Instant::now();
            let (handle, _) = runtime.block_on(engine.sessions().start_in_worktree(new, start, Arc::new(Ignore))).expect("the worktree session starts");
            let took = started.elapsed();
            runtime.block_on(handle.stop());
            // The session's watcher may still be taking its first snapshot: let it end so it
            // does not run into the next measurement.
            wait_until("the session's watcher stopping", || watch_threads() == 0);
            discard_all(&data, &main);
            took
        };
        let stamps = work.path().join("stamps");
        std::fs::create_dir(&stamps).expect("the stamps folder");
        for n in 0..runs {
            table.add("worktree session, no setup (`Sessions::start_in_worktree`, to the handle)", "ms", ms(session(format!("bench plain {n}"), false)));

            // git alone, for comparison: the same checkout without Warden.
            let plain = work.path().join(format!("plain-{n}"));
            let target = plain.to_string_lossy().into_owned();
            let branch = format!("bench-plain-{n}");
            let made = Instant::now();
            git(&main, &["worktree", "add", "--quiet", "-b", &branch, &target, "HEAD"]);
            table.add("· git alone: `git worktree add -b <branch> <folder> HEAD`", "ms", ms(made.elapsed()));
            git(&main, &["worktree", "remove", "--force", &target]);
            git(&main, &["branch", "-D", "--quiet", &branch]);

            // Its two parts, timed apart: the worktree, then the session in it.
            let made = Instant::now();
            let (worktree, _) = worktrees::create(&data, &main, &CreateOptions { title: format!("bench parts {n}"), ..Default::default() })
                .expect("the worktree is made");
            table.add("· of which `worktrees::create` (branch, checkout, link record)", "ms", ms(made.elapsed()));
            let new = NewSession {
                project: worktree.path.to_string_lossy().into_owned(),
                run: RunOptions { binary: Some(binary.clone()), ..Default::default() },
                worktree: Some(SessionWorktree {
                    main: main.to_string_lossy().into_owned(),
                    branch: worktree.branch.clone(),
                    base_branch: worktree.base_branch.clone(),
                    base_commit: worktree.base_commit.clone(),
                }),
                ..Default::default()
            };
            let starting = Instant::now();
            let handle = runtime.block_on(engine.sessions().start(new, Arc::new(Ignore))).expect("the session starts");
            table.add("· of which `Sessions::start` in it (agent spawned, to the handle)", "ms", ms(starting.elapsed()));
            runtime.block_on(handle.stop());
            wait_until("the session's watcher stopping", || watch_threads() == 0);
            worktrees::discard(&data, &main, &worktree).expect("the worktree is discarded");

            for (name, command) in setups {
                // The command notes when it starts and ends, so its own time is known from
                // inside the very start that ran it (`date` itself takes about a millisecond).
                let (begin, end) = (stamps.join("begin"), stamps.join("end"));
                let _ = (std::fs::remove_file(&begin), std::fs::remove_file(&end));
                let wrapped = format!("date +%s%N > '{}' && {command} && date +%s%N > '{}'", begin.display(), end.display());
                configure_setup(&main, &data, &wrapped);
                let with = session(format!("bench {name} {n}"), true);
                let stamp = |file: &Path| -> u128 { std::fs::read_to_string(file).expect("the setup ran").trim().parse().expect("nanoseconds") };
                let own = Duration::from_nanos((stamp(&end) - stamp(&begin)) as u64);
                table.add(&format!("{name}: the setup command's own time (inside the start)"), "ms", ms(own));
                table.add(&format!("{name}: worktree session, setup included"), "ms", ms(with));
                table.add(&format!("{name}: worktree session, setup excluded"), "ms", ms(with.saturating_sub(own)));
            }
            let _ = std::fs::remove_file(main.join(".warden/checks.toml"));
        }
        drop(engine);
        drop(runtime);

        let exe = std::env::current_exe().expect("this binary");
        // Counted again: the worktrees came and went, and git keeps some folders of theirs.
        let folders = walk_folders(&main);
        for n in 0..runs {
            let round_data = work.path().join(format!("watch-data-{n}"));
            std::fs::create_dir(&round_data).expect("a data folder");
            let out = Command::new(&exe)
                .env(CHILD_ENV, format!("{}\t{}\t{idle}\t{EDITS}\t{folders}", main.display(), round_data.display()))
                .stderr(Stdio::inherit())
                .output()
                .expect("the watcher round runs");
            assert!(out.status.success(), "the watcher round failed: {}", out.status);
            for line in String::from_utf8_lossy(&out.stdout).lines() {
                let Some(values) = line.strip_prefix("measure\t") else { continue };
                let mut parts = values.split('\t');
                let (what, unit, value) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""), parts.next().unwrap_or(""));
                let unit: &'static str = match unit {
                    "ms" => "ms",
                    "%" => "% of one core",
                    _ => "MiB",
                };
                table.add(what, unit, value.parse().expect("a number"));
            }
        }

        println!("\n## Worktrees and the watcher on a {files}-file repository\n");
        println!("Machine: {}", machine());
        println!(
            "Tree: {files} committed files in {} folders + {IGNORED} ignored (`node_modules/`); {folders} folders in all \
             (one inotify watch each). {runs} runs of each; the watcher's idle period {idle} s; {EDITS} edits a round.\n",
            files.div_ceil(PER_FOLDER)
        );
        table.print();
    }

    /// Folders under `root`, `.git` included (the system watcher watches every one).
    fn walk_folders(root: &Path) -> usize {
        let mut stack = vec![root.to_path_buf()];
        let mut n = 0;
        while let Some(dir) = stack.pop() {
            n += 1;
            for entry in std::fs::read_dir(&dir).expect("a folder").flatten() {
                if entry.file_type().is_ok_and(|t| t.is_dir()) {
                    stack.push(entry.path());
                }
            }
        }
        n
    }

    fn machine() -> String {
        let read = |p: &str| std::fs::read_to_string(p).unwrap_or_default();
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0);
        let model = read("/proc/cpuinfo").lines().find_map(|l| l.strip_prefix("model name")).map(|l| l.trim_start_matches([' ', '\t', ':']).to_owned()).unwrap_or_default();
        let ram_kib: u64 = read("/proc/meminfo").lines().find_map(|l| l.strip_prefix("MemTotal:")).and_then(|v| v.trim().trim_end_matches(" kB").parse().ok()).unwrap_or(0);
        let git = Command::new("git").arg("--version").output().map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned()).unwrap_or_default();
        let fs = Command::new("stat").args(["-f", "-c", "%T"]).arg(std::env::temp_dir()).output().map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned()).unwrap_or_default();
        format!(
            "{cores} CPUs ({model}), {:.1} GiB RAM, Linux {}, {git}, temporary folder on {fs}; load average at the end {}",
            ram_kib as f64 / 1024.0 / 1024.0,
            read("/proc/sys/kernel/osrelease").trim(),
            read("/proc/loadavg").split_whitespace().take(3).collect::<Vec<_>>().join(" ")
        )
    }

    /// This process's CPU time (user + system, every thread) and resident memory in KiB.
    fn usage() -> (Duration, u64) {
        let stat = std::fs::read_to_string("/proc/self/stat").expect("/proc/self/stat");
        let fields: Vec<&str> = stat.rsplit_once(')').map(|(_, rest)| rest.split_whitespace().collect()).unwrap_or_default();
        let ticks: u64 = fields[11].parse::<u64>().unwrap_or(0) + fields[12].parse::<u64>().unwrap_or(0);
        // SAFETY: sysconf only reads a configuration value.
        let hz = match unsafe { libc::sysconf(libc::_SC_CLK_TCK) } {
            hz if hz > 0 => hz,
            _ => 100,
        };
        let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
        let rss_kib = status.lines().find_map(|l| l.strip_prefix("VmRSS:")).and_then(|v| v.trim().trim_end_matches(" kB").parse().ok()).unwrap_or(0);
        (Duration::from_secs_f64(ticks as f64 / hz as f64), rss_kib)
    }

    /// The inotify watches this process holds (`/proc/self/fdinfo` of its inotify descriptors).
    fn inotify_watches() -> usize {
        let Ok(fds) = std::fs::read_dir("/proc/self/fd") else { return 0 };
        fds.flatten()
            .filter(|fd| std::fs::read_link(fd.path()).is_ok_and(|l| l.to_string_lossy() == "anon_inode:inotify"))
            .filter_map(|fd| std::fs::read_to_string(Path::new("/proc/self/fdinfo").join(fd.file_name())).ok())
            .map(|info| info.lines().filter(|l| l.starts_with("inotify wd:")).count())
            .sum()
    }

    fn report(what: &str, unit: &str, value: f64) {
        println!("measure\t{what}\t{unit}\t{value}");
    }

    /// One watcher round, in a child process: the watcher on the project, until it hears an
    /// edit; then idle; then timed edits.
    pub fn watch_child(spec: &str) {
        let parts: Vec<&str> = spec.split('\t').collect();
        let (project, data) = (PathBuf::from(parts[0]), PathBuf::from(parts[1]));
        let idle = Duration::from_secs(parts[2].parse().expect("idle seconds"));
        let edits: usize = parts[3].parse().expect("edits");
        let folders: usize = parts[4].parse().expect("folders");
        let journal = Arc::new(Journal::open(&data).expect("the journal opens").journal);
        let watchers = Watchers::new(journal, Arc::new(TurnGate::default()));
        let (tx, rx) = mpsc::channel();
        let session = SessionId::from("bench");
        let (before_cpu, before_rss) = usage();
        let started = Instant::now();
        watchers.join(&project, session.clone(), Arc::new(move |kind| drop(tx.send((Instant::now(), kind)))));
        // The first snapshot comes before the first watch; then one watch per folder is added.
        let mut first_watch = None;
        let all_watches = loop {
            let watches = inotify_watches();
            if watches > 0 && first_watch.is_none() {
                first_watch = Some(started.elapsed());
            }
            if watches >= folders {
                break started.elapsed();
            }
            assert!(started.elapsed() < HEARD_WITHIN, "{watches} of {folders} folders watched after {HEARD_WITHIN:?}");
            std::thread::sleep(Duration::from_millis(5));
        };
        // Then an edit is heard (the watch is live), before anything else is measured.
        let target = project.join("src/module000/part0/file000.ts");
        let original = std::fs::read(&target).expect("a tracked file");
        std::fs::write(&target, format!("{}// warming\n", String::from_utf8_lossy(&original))).expect("an edit");
        match rx.recv_timeout(HEARD_WITHIN) {
            Ok((_, SessionEventKind::FileChanges(c))) if c.outside_turn => {}
            Ok((_, other)) => panic!("the watcher said {other:?}"),
            Err(_) => panic!("the watcher heard nothing within {HEARD_WITHIN:?}"),
        }
        report("watcher: joined → first snapshot taken (the first watch placed)", "ms", ms(first_watch.unwrap_or(all_watches)));
        report("watcher: joined → every folder watched", "ms", ms(all_watches));

        // Let the last warming write's debounce run out before measuring idle.
        std::thread::sleep(Duration::from_secs(2));
        while rx.try_recv().is_ok() {}
        let (ready_cpu, ready_rss) = usage();
        std::thread::sleep(idle);
        let (idle_cpu, idle_rss) = usage();
        report("watcher: CPU from joining to ready (snapshot, watches, one edit)", "ms", ms(ready_cpu - before_cpu));
        report(&format!("watcher: CPU at idle over {} s", idle.as_secs()), "%", 100.0 * (idle_cpu - ready_cpu).as_secs_f64() / idle.as_secs_f64());
        report("watcher: resident memory added, when ready", "MiB", ready_rss.saturating_sub(before_rss) as f64 / 1024.0);
        report(&format!("watcher: resident memory added, after {} s idle", idle.as_secs()), "MiB", idle_rss.saturating_sub(before_rss) as f64 / 1024.0);
        for e in 0..edits {
            // Different files over the tree, each a real change of content.
            let module = (e * 37 + 11) % 500;
            let file = project.join(format!("src/module{module:03}/part{}/file{:03}.ts", module % 7, (e * 13 + 5) % PER_FOLDER));
            // A smaller tree (`WARDEN_BENCH_FILES`) may not have it.
            let file = if file.exists() { file } else { target.clone() };
            let before = std::fs::read(&file).expect("a tracked file");
            let edited = Instant::now();
            std::fs::write(&file, [before.as_slice(), format!("// outside edit {e}\n").as_bytes()].concat()).expect("an edit");
            let heard = loop {
                match rx.recv_timeout(HEARD_WITHIN) {
                    Ok((at, SessionEventKind::FileChanges(c))) if c.outside_turn => break at,
                    Ok((_, other)) => panic!("the watcher said {other:?}"),
                    Err(_) => panic!("edit {e} not heard within {HEARD_WITHIN:?}"),
                }
            };
            report("outside edit → FileChanges(outside_turn) at the listener", "ms", ms(heard - edited));
            // Past the debounce, so each edit is measured alone.
            std::thread::sleep(Duration::from_millis(300));
        }
        watchers.leave(&project, &session);
        let _ = std::fs::write(&target, original);
    }
}
