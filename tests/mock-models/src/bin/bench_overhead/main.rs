//! `warden-bench-overhead --warden PATH [--runs N] [--agents claude,codex,gemini]
//! [--turns hello,tool,tools]`: what `warden run` costs on top of the agent itself (`make bench`).
//!
//! For Claude Code, Codex and Gemini CLI (the pinned CLIs), a turn that only answers and a turn
//! with one tool call (reading a file of the project), each run bare and through `warden run`
//! against the same loopback mock model, interleaved (bare and Warden alternate which goes
//! first), after one warm-up run of each that is not counted. Every run is checked (exit code,
//! the model's answer printed, every scripted reply used, the tool's result sent to the model).
//! Prints a markdown table of medians: wall time and CPU (user + system of the whole process
//! tree) with the ratio Warden / bare, then the machine and the versions. It prints numbers;
//! it does not pass or fail on them.
//!
//! A third side, measured in the same rounds, splits each ratio in two: the agent in the mode
//! Warden drives it (Warden's command line and protocol adapter with nothing else of Warden,
//! [`drive`]) against the bare CLI is what the agent's protocol mode costs; `warden run` against
//! that mode is what Warden itself adds. The second table shows both.

mod drive;
mod measure;
mod report;
mod scenario;
mod spread;

use report::Row;
use scenario::{Agent, Mock, Place, Turn, ANSWER};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

const USAGE: &str = "usage: warden-bench-overhead --warden PATH [--runs N] [--agents claude,codex,gemini] [--turns hello,tool,tools]
       warden-bench-overhead --drive AGENT PROJECT PROMPT   (one turn in Warden's agent mode, without Warden)";
/// One run may take this long before it counts as hung.
const RUN_LIMIT: Duration = Duration::from_secs(180);

/// What to measure.
struct Options {
    warden: PathBuf,
    runs: usize,
    agents: Vec<Agent>,
    turns: Vec<Turn>,
}

fn options() -> anyhow::Result<Options> {
    let mut args = std::env::args().skip(1);
    let mut warden = std::env::var_os("WARDEN_BIN").map(PathBuf::from);
    let mut runs = 7;
    let mut agents = Agent::ALL.to_vec();
    let mut turns = Turn::ALL.to_vec();
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or_else(|| anyhow::anyhow!("{arg} needs a value\n{USAGE}"));
        match arg.as_str() {
            "--warden" => warden = Some(PathBuf::from(value()?)),
            "--runs" => {
                let text = value()?;
                runs = text.parse().ok().filter(|n| *n >= 1).ok_or_else(|| anyhow::anyhow!("--runs {text}: a number of at least 1"))?;
            }
            "--agents" => {
                agents = value()?
                    .split(',')
                    .map(|name| Agent::ALL.into_iter().find(|a| a.name() == name.trim()).ok_or_else(|| anyhow::anyhow!("no agent {name:?}\n{USAGE}")))
                    .collect::<anyhow::Result<_>>()?;
            }
            "--turns" => {
                turns = value()?
                    .split(',')
                    .map(|name| match name.trim() {
                        "hello" => Ok(Turn::Hello),
                        "tool" => Ok(Turn::Tool),
                        "tools" => Ok(Turn::Tools),
                        other => Err(anyhow::anyhow!("no turn {other:?} (hello, tool, tools)\n{USAGE}")),
                    })
                    .collect::<anyhow::Result<_>>()?;
            }
            _ => anyhow::bail!("unknown argument {arg:?}\n{USAGE}"),
        }
    }
    let warden = warden.ok_or_else(|| anyhow::anyhow!("which warden? --warden PATH (or WARDEN_BIN)\n{USAGE}"))?;
    anyhow::ensure!(warden.is_file(), "{} is not a file", warden.display());
    Ok(Options { warden, runs, agents, turns })
}

/// Which side of the comparison a run is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Bare,
    /// The agent in Warden's protocol mode, without Warden ([`drive`]).
    Mode,
    Warden,
}

/// Runs one turn on one side against a fresh mock and checks it went as scripted.
fn measure(place: &Place, warden: &Path, agent: Agent, turn: Turn, side: Side) -> anyhow::Result<measure::Sample> {
    let mock = Mock::start(agent, turn, &place.project)?;
    let command = match side {
        Side::Bare => place.bare(agent, turn, &mock),
        Side::Mode => place.mode(agent, turn, &mock)?,
        Side::Warden => place.warden(warden, agent, turn, &mock),
    };
    let sample = measure::run(command, RUN_LIMIT)?;
    let what = format!("{} {} ({side:?})", agent.title(), turn.title());
    let failed = |why: String| anyhow::anyhow!("{what}: {why}\n--- stdout\n{}\n--- stderr\n{}", sample.stdout, sample.stderr);
    if sample.code != Some(0) {
        return Err(failed(format!("exit code {:?}", sample.code)));
    }
    if !sample.stdout.contains(ANSWER) {
        return Err(failed("the model's answer was not printed".into()));
    }
    mock.check(turn).map_err(failed)?;
    Ok(sample)
}

/// The first line `program --version` prints.
fn version(program: &Path) -> String {
    Command::new(program)
        .arg("--version")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).lines().next().unwrap_or_default().trim().to_owned())
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "unknown".into())
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--drive") {
        let [_, agent, project, prompt] = &args[..] else { anyhow::bail!("{USAGE}") };
        let agent = Agent::ALL.into_iter().find(|a| a.name() == agent).ok_or_else(|| anyhow::anyhow!("no agent {agent:?}\n{USAGE}"))?;
        return drive::drive(agent, Path::new(project), prompt, &[]);
    }
    let options = options()?;
    measure::become_subreaper();
    let root = std::env::temp_dir().join(format!("warden-bench-overhead-{}", std::process::id()));
    let result = bench(&options, &root);
    let _ = std::fs::remove_dir_all(&root);
    let rows = result?;
    println!("{}", report::table(&rows));
    println!("Medians of {} interleaved runs per row (after one warm-up run each, not counted); CPU is user + system time of the whole process tree.", options.runs);
    println!();
    println!("Where the difference is: the agent in the mode Warden drives it, without Warden (its command line and protocol adapter, nothing else), against the bare CLI; then `warden run` against that mode.");
    println!();
    println!("{}", report::split_table(&rows));
    println!("{}", report::INTERVALS);
    println!("Machine: {}", report::machine());
    let mut versions = vec![format!("warden {}", version(&options.warden).trim_start_matches("warden "))];
    versions.extend(options.agents.iter().map(|a| format!("{} {}", a.title(), version(&a.program()))));
    println!("Versions: {}", versions.join(", "));
    Ok(())
}

fn bench(options: &Options, root: &Path) -> anyhow::Result<Vec<Row>> {
    let mut places = Vec::new();
    for &agent in &options.agents {
        let place = Place::new(root, agent)?;
        if options.turns.iter().any(|t| *t != Turn::Hello) {
            place.allow_tool(&options.warden, agent)?;
        }
        places.push((agent, place));
    }
    let mut rows: Vec<(Agent, Turn, Row)> = Vec::new();
    for (agent, _) in &places {
        for &turn in &options.turns {
            rows.push((*agent, turn, Row { agent: agent.title().into(), turn: turn.title().into(), ..Row::default() }));
        }
    }
    let place_of = |agent: Agent| places.iter().find(|(a, _)| *a == agent).map(|(_, p)| p).expect("a place per agent");
    eprintln!("bench: warming up (one run of each, not counted)");
    for (agent, turn, _) in &rows {
        for side in [Side::Bare, Side::Mode, Side::Warden] {
            measure(place_of(*agent), &options.warden, *agent, *turn, side)?;
        }
    }
    for round in 0..options.runs {
        eprintln!("bench: round {} of {}", round + 1, options.runs);
        for (agent, turn, row) in &mut rows {
            // The order turns each round, so no side always runs on a warmer machine.
            let mut order = [Side::Bare, Side::Mode, Side::Warden];
            order.rotate_left(round % 3);
            if round % 2 == 1 {
                order.reverse();
            }
            for side in order {
                let sample = measure(place_of(*agent), &options.warden, *agent, *turn, side)?;
                let (wall, cpu) = match side {
                    Side::Bare => (&mut row.bare_wall, &mut row.bare_cpu),
                    Side::Mode => (&mut row.mode_wall, &mut row.mode_cpu),
                    Side::Warden => (&mut row.warden_wall, &mut row.warden_cpu),
                };
                wall.push(sample.wall);
                cpu.push(sample.cpu);
            }
        }
    }
    Ok(rows.into_iter().map(|(_, _, row)| row).collect())
}

/// The tests of this binary reap and count children process-wide: one at a time.
#[cfg(test)]
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

#[cfg(test)]
mod tests {
    use super::*;

    /// The harness itself works: a bare Claude Code turn with one tool call is set up, run,
    /// checked and measured (no Warden build needed).
    #[test]
    fn a_bare_tool_turn_is_run_checked_and_measured() {
        let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
        measure::become_subreaper();
        let root = std::env::temp_dir().join(format!("warden-bench-smoke-{}", std::process::id()));
        let place = Place::new(&root, Agent::Claude).unwrap();
        let sample = measure(&place, Path::new("/nonexistent"), Agent::Claude, Turn::Tool, Side::Bare);
        let _ = std::fs::remove_dir_all(&root);
        let sample = sample.unwrap();
        assert!(sample.cpu > Duration::ZERO && sample.wall > Duration::ZERO, "{sample:?}");
    }

    /// The ten-call turn really makes ten calls, and a bare Gemini CLI (which ends a turn that
    /// repeats one call five times) gets through all of them and answers.
    #[test]
    fn the_ten_call_turn_scripts_ten_calls_and_gemini_goes_through_them() {
        let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
        measure::become_subreaper();
        let root = std::env::temp_dir().join(format!("warden-bench-tools-{}", std::process::id()));
        for agent in Agent::ALL {
            let mock = Mock::start(agent, Turn::Tools, &root.join("p")).unwrap();
            let remaining = match &mock {
                Mock::Anthropic(m) => m.remaining(),
                Mock::OpenAi(m) => m.remaining(),
                Mock::Gemini(m) => m.remaining(),
            };
            assert_eq!(remaining, scenario::MANY_CALLS + 1, "{agent:?}: ten calls and the answer");
        }
        let place = Place::new(&root, Agent::Gemini).unwrap();
        let sample = measure(&place, Path::new("/nonexistent"), Agent::Gemini, Turn::Tools, Side::Bare);
        let _ = std::fs::remove_dir_all(&root);
        sample.unwrap();
    }

    /// The command `make` builds for `agent`'s `turn` in a scratch place, with the place (its
    /// folders gone again).
    fn command_in_scratch(name: &str, agent: Agent, turn: Turn, make: impl Fn(&Place, &Mock) -> Command) -> (Command, Place) {
        let root = std::env::temp_dir().join(format!("warden-bench-{name}-{}", std::process::id()));
        let place = Place { home: root.join("h"), project: root.join("p"), data: root.join("d") };
        std::fs::create_dir_all(&place.home).unwrap();
        let mock = Mock::start(agent, turn, &place.project).unwrap();
        let command = make(&place, &mock);
        let _ = std::fs::remove_dir_all(&root);
        (command, place)
    }

    #[test]
    fn the_agent_mode_side_is_this_benchmark_driving_the_agent() {
        let (command, place) = command_in_scratch("mode", Agent::Codex, Turn::Tool, |p, m| p.mode(Agent::Codex, Turn::Tool, m).unwrap());
        assert_eq!(command.get_program(), std::env::current_exe().unwrap());
        let args: Vec<_> = command.get_args().map(|a| a.to_string_lossy().into_owned()).collect();
        assert_eq!(args, ["--drive", "codex", &place.project.to_string_lossy(), Turn::Tool.prompt()]);
        let env: Vec<_> = command.get_envs().map(|(k, _)| k.to_string_lossy().into_owned()).collect();
        assert!(env.contains(&"CODEX_HOME".to_owned()) && !env.contains(&"WARDEN_DATA_DIR".to_owned()), "{env:?}");
    }

    #[test]
    fn a_warden_run_names_the_agent_the_project_and_the_same_executable() {
        let (command, place) =
            command_in_scratch("args", Agent::Claude, Turn::Hello, |p, m| p.warden(Path::new("/bin/warden"), Agent::Claude, Turn::Hello, m));
        let args: Vec<_> = command.get_args().map(|a| a.to_string_lossy().into_owned()).collect();
        assert_eq!(args, ["run", "--project", &place.project.to_string_lossy(), "--agent", "claude", "hello"]);
        let env: Vec<_> = command.get_envs().map(|(k, _)| k.to_string_lossy().into_owned()).collect();
        assert!(env.contains(&"WARDEN_CLAUDE".to_owned()) && env.contains(&"WARDEN_DATA_DIR".to_owned()), "{env:?}");
    }
}
