//! What the task gate costs in a live session (issue 16's numbers), measured on real turns of
//! the fake agent through the engine's session API. Every event is timestamped with
//! `std::time::Instant` the moment the session hands it to the sink, which is after it was
//! stored: the stored `at_ms` is too coarse for this.
//!
//! - `gate/turn_end_to_check_started`: a project with one trusted check. From the `TurnEnded`
//!   event to the first `CheckStarted` event (planning the round: the configuration read, its
//!   trust, the filters, on a blocking thread, and the report back through the actor). The
//!   table also gives the time to the check's process actually running: the check is
//!   `tee <fifo>` (coreutils, stdin empty), and a thread of the bench blocked opening the
//!   FIFO for reading notes the `Instant` the check opens it, so this includes `fork`/`exec`
//!   and tee's own start. `gate/spawn_baseline` is that same command spawned directly
//!   (`std::process::Command`), to subtract.
//! - `gate/no_checks/gate_on` and `gate/no_checks/checks_off`: a project without
//!   `.warden/checks.toml`, the gate enabled (the default) or `GateOptions { checks: false }`.
//!   Criterion times a whole turn (prompt sent to `TaskFinished`); the table also gives the
//!   gate's tail, `TurnEnded` to `TaskFinished`, which is all the gate does once the agent's
//!   turn is over (the task's completion, the verdict and the finish, each stored, handed to
//!   the sink and offered to the webhook publisher).
//! - `gate/config_exists_absent`: the check the enabled gate adds for such a project.
//!
//! After criterion's report a table of every measured turn is printed (N, min, median, p95).
//! Run it with `cargo build --release -p warden-fake-agent && cargo bench -p warden-engine
//! --bench gate`. Not part of `make test`; criterion's flags apply (`-- --measurement-time 20`).

use criterion::Criterion;
use std::cell::RefCell;
use std::io::Read;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;
use warden_core::session::{AgentKind, CheckOutcome, SessionEvent, SessionEventKind, TaskOutcome};
use warden_engine::gate::GateOptions;
use warden_engine::{AgentBinary, Engine, EventSink, NewSession, RunOptions, SessionHandle};
use warden_gate::trust::{content_hash, Decision, TrustStore};

/// The longest wait for any one event; a turn of the fake agent takes milliseconds.
const WAIT: Duration = Duration::from_secs(30);

/// Turns run before anything is timed, per session (the first turns open files, warm caches).
const WARM_UP_TURNS: usize = 5;

fn main() {
    let samples = Samples::default();
    let mut criterion = Criterion::default().configure_from_args();
    gate(&mut criterion, &samples);
    criterion.final_summary();
    samples.print();
}

/// An event and when it reached the sink.
struct Stamped {
    at: Instant,
    event: SessionEvent,
}

/// A sink that timestamps every event on arrival, on the actor's thread, before queueing it.
struct TimedSink(mpsc::UnboundedSender<Stamped>);

impl EventSink for TimedSink {
    fn send(&self, event: &SessionEvent) {
        let at = Instant::now();
        let _ = self.0.send(Stamped { at, event: event.clone() });
    }
}

/// When one turn's events arrived.
struct Turn {
    prompted: Instant,
    turn_ended: Instant,
    check_started: Option<Instant>,
    task_finished: Instant,
}

/// One live session of the fake agent and its timestamped events.
struct Live {
    handle: SessionHandle,
    rx: mpsc::UnboundedReceiver<Stamped>,
}

impl Live {
    async fn start(engine: &Engine, project: &Path, gate: GateOptions) -> Live {
        let (tx, rx) = mpsc::unbounded_channel();
        let binary = AgentBinary {
            agent: AgentKind::Claude,
            program: warden_mock_models::agents::fake_agent_program(),
            version: "9.9.9".into(),
        };
        let new = NewSession {
            project: project.to_string_lossy().into_owned(),
            run: RunOptions { binary: Some(binary), gate, ..Default::default() },
            ..Default::default()
        };
        let handle = engine.sessions().start(new, Arc::new(TimedSink(tx))).await.expect("the session starts");
        let mut live = Live { handle, rx };
        for _ in 0..WARM_UP_TURNS {
            live.turn().await;
        }
        live
    }

    /// Prompts and waits for the task to finish; panics on anything but a passed task.
    async fn turn(&mut self) -> Turn {
        let prompted = Instant::now();
        self.handle.prompt("go").await.expect("the prompt is taken");
        let (mut turn_ended, mut check_started) = (None, None);
        let mut seen = Vec::new();
        loop {
            let stamped = tokio::time::timeout(WAIT, self.rx.recv())
                .await
                .unwrap_or_else(|_| panic!("no event for {WAIT:?}; this turn so far: {seen:?}"))
                .expect("the session's events end");
            seen.push(stamped.event.kind.type_name());
            match &stamped.event.kind {
                SessionEventKind::TurnEnded(_) => turn_ended = Some(stamped.at),
                SessionEventKind::CheckStarted(_) if check_started.is_none() => check_started = Some(stamped.at),
                SessionEventKind::CheckFinished(c) => {
                    assert_eq!(c.outcome, CheckOutcome::Passed, "the check runs: {c:?}");
                }
                SessionEventKind::TaskFinished(f) => {
                    assert_eq!(f.outcome, TaskOutcome::Passed, "the task passes: {seen:?}");
                    let turn_ended = turn_ended.expect("the turn ended before its task finished");
                    return Turn { prompted, turn_ended, check_started, task_finished: stamped.at };
                }
                _ => {}
            }
        }
    }
}

/// Every measured value, by series, for the table.
#[derive(Default)]
struct Samples(RefCell<Vec<(&'static str, Vec<Duration>)>>);

impl Samples {
    fn add(&self, series: &'static str, value: Duration) {
        let mut all = self.0.borrow_mut();
        match all.iter_mut().find(|(name, _)| *name == series) {
            Some((_, values)) => values.push(value),
            None => all.push((series, vec![value])),
        }
    }

    fn print(&self) {
        let ms = |d: Duration| format!("{:.3}", d.as_secs_f64() * 1e3);
        println!("\nEvery measured turn (ms; load average now: {}):", load());
        println!("| what | N | min | median | p95 |");
        println!("|---|---:|---:|---:|---:|");
        for (name, values) in self.0.borrow_mut().iter_mut() {
            values.sort();
            let at = |q: f64| values[((values.len() - 1) as f64 * q).round() as usize];
            println!("| {name} | {} | {} | {} | {} |", values.len(), ms(values[0]), ms(at(0.5)), ms(at(0.95)));
        }
    }
}

fn load() -> String {
    std::fs::read_to_string("/proc/loadavg").map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" ")).unwrap_or_default()
}

/// A project whose `.warden/checks.toml` has one check, `tee <fifo>`, trusted in `data`.
fn project_with_check(data: &Path, fifo: &Path) -> tempfile::TempDir {
    let project = tempfile::tempdir().expect("a temporary project");
    let root = project.path().canonicalize().expect("the project's path");
    // `{:?}` of a plain path is a valid TOML basic string.
    let toml = format!(
        "version = 1\n[gate]\nfeedback = \"never\"\n\n[[check]]\nid = \"opens-fifo\"\nrun = [\"tee\", {:?}]\n",
        fifo.to_string_lossy()
    );
    std::fs::create_dir_all(root.join(".warden")).expect("the .warden folder");
    std::fs::write(root.join(".warden/checks.toml"), &toml).expect("checks.toml");
    TrustStore::new(data, &root).decide(&content_hash(toml.as_bytes()), Decision::Trust).expect("trusted");
    project
}

/// Makes a FIFO at `path` and a thread that notes the `Instant` each writer opens it
/// (`Some`), then `None` once it closed its end again: a writer that opens the FIFO while the
/// previous one's reading end is still open is never seen by the next `open`, so the next
/// writer starts only after `None`. The thread ends with the process.
fn watch_fifo(path: &Path) -> std::sync::mpsc::Receiver<Option<Instant>> {
    let made = std::process::Command::new("mkfifo").arg(path).status().expect("mkfifo runs");
    assert!(made.success(), "mkfifo {}", path.display());
    let (tx, rx) = std::sync::mpsc::channel();
    let path = path.to_path_buf();
    std::thread::spawn(move || loop {
        let mut fifo = match std::fs::File::open(&path) {
            Ok(fifo) => fifo,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => panic!("the FIFO cannot be opened: {e}"),
        };
        let at = Instant::now();
        let _ = fifo.read_to_end(&mut Vec::new());
        drop(fifo);
        if tx.send(Some(at)).and_then(|()| tx.send(None)).is_err() {
            return;
        }
    });
    rx
}

/// When the FIFO's next writer opened it (the check already ran, so it is there), once the
/// reading end is closed again.
fn opened(rx: &std::sync::mpsc::Receiver<Option<Instant>>) -> Instant {
    let at = rx.recv_timeout(WAIT).expect("the check opened the FIFO").expect("an open comes first");
    assert!(rx.recv_timeout(WAIT).expect("the FIFO's reading end closes").is_none());
    at
}

fn gate(c: &mut Criterion, samples: &Samples) {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("a runtime");
    let data = tempfile::tempdir().expect("a data folder");
    let (engine, _) = Engine::open(data.path()).expect("the engine opens");
    let fifos = tempfile::tempdir().expect("a folder for the FIFO");
    let fifo = fifos.path().join("check-started");
    let opens = watch_fifo(&fifo);
    let with_check = project_with_check(data.path(), &fifo);
    let without = [tempfile::tempdir().expect("a project"), tempfile::tempdir().expect("a project")];

    let mut group = c.benchmark_group("gate");
    group.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(5));

    let mut live = runtime.block_on(Live::start(&engine, with_check.path(), GateOptions::default()));
    for _ in 0..WARM_UP_TURNS {
        opened(&opens);
    }
    group.bench_function("turn_end_to_check_started", |b| {
        b.iter_custom(|iters| {
            runtime.block_on(async {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let turn = live.turn().await;
                    let started = turn.check_started.expect("the check started") - turn.turn_ended;
                    total += started;
                    samples.add("check configured: TurnEnded → first CheckStarted event", started);
                    samples.add("check configured: TurnEnded → check process opened the FIFO", opened(&opens) - turn.turn_ended);
                    samples.add("check configured: TurnEnded → TaskFinished", turn.task_finished - turn.turn_ended);
                }
                total
            })
        })
    });
    runtime.block_on(live.handle.stop());

    let variants: [(&str, GateOptions, &str, &str); 2] = [
        ("no_checks/gate_on", GateOptions::default(), "no checks.toml, gate on: prompt → TaskFinished", "no checks.toml, gate on: TurnEnded → TaskFinished"),
        (
            "no_checks/checks_off",
            GateOptions { checks: false, ..Default::default() },
            "no checks.toml, checks: false: prompt → TaskFinished",
            "no checks.toml, checks: false: TurnEnded → TaskFinished",
        ),
    ];
    for ((name, options, whole, tail), project) in variants.into_iter().zip(&without) {
        let mut live = runtime.block_on(Live::start(&engine, project.path(), options));
        group.bench_function(name, |b| {
            b.iter_custom(|iters| {
                runtime.block_on(async {
                    let mut total = Duration::ZERO;
                    for _ in 0..iters {
                        let turn = live.turn().await;
                        assert!(turn.check_started.is_none(), "no check runs without a configuration");
                        let d = turn.task_finished - turn.prompted;
                        total += d;
                        samples.add(whole, d);
                        samples.add(tail, turn.task_finished - turn.turn_ended);
                    }
                    total
                })
            })
        });
        runtime.block_on(live.handle.stop());
    }

    group.bench_function("spawn_baseline", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let spawned = Instant::now();
                let mut tee = std::process::Command::new("tee")
                    .arg(&fifo)
                    .stdin(std::process::Stdio::null())
                    .stdout(std::process::Stdio::null())
                    .spawn()
                    .expect("tee starts");
                let d = opened(&opens) - spawned;
                let _ = tee.wait();
                total += d;
                samples.add("baseline: Command::spawn → the same `tee` opened the FIFO", d);
            }
            total
        })
    });

    let project = without[0].path().canonicalize().expect("the project's path");
    group.bench_function("config_exists_absent", |b| {
        b.iter(|| warden_gate::config::exists(std::hint::black_box(&project), data.path()))
    });
    group.finish();
}
