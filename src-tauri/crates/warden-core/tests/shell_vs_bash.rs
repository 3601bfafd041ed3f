//! Property test: Warden's reading of a command line against what real bash runs.
//!
//! Random command lines are built from a grammar of words, quotes, separators, groups and
//! expansions (plus stray operator characters). Each is run by `/bin/bash -c` in a temporary
//! folder whose `PATH` holds only stub programs `p1`, `p2`, `p3`, which record the argument
//! vector they were started with. Then:
//!
//! * **allow side**: whenever [`split`] accepts the line, the programs bash ran must be exactly
//!   Warden's parts, with the same arguments for every word Warden calls literal;
//! * **deny side**: whatever [`split_best_effort`] returns, every program bash ran must appear
//!   as the program of one of its parts (or a part whose program word is not literal), so a
//!   deny rule can never miss a command hidden in something Warden refused.
//!
//! The test is skipped (with a message) when bash is not installed.
//!
//! The lines come from a fixed seed, so `make test` checks the same lines on every machine and
//! a failure can be replayed; `WARDEN_SHELL_SEED=<number>` picks other lines and
//! `WARDEN_SHELL_SEED=random` new ones each run (the seed used is printed), to explore.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};
use warden_core::permission::shell::{split, split_best_effort, SimpleCommand};

use grammar::hostile_line;
use sandbox::Sandbox;

/// The stub programs; the grammar only ever puts these in command position.
const STUBS: &[&str] = &["p1", "p2", "p3"];

#[path = "shell_vs_bash/grammar.rs"]
mod grammar;
#[path = "shell_vs_bash/sandbox.rs"]
mod sandbox;

/// What Warden expects of one of its parts: the argv exactly, the program only, or nothing
/// certain (the program word is not literal: bash may run anything, or nothing).
#[derive(Debug)]
enum Expect {
    Exact(Vec<String>),
    Program(String),
    Unknown,
}

/// An expectation, and whether the command may not run at all even when bash reads the line
/// as Warden does (a redirect from a missing file, or to one it cannot write, stops it).
type Expectation = (Expect, bool);

/// The words of `part` after its leading assignments, with whether each is literal.
fn command_words(part: &SimpleCommand) -> Vec<(String, bool)> {
    part.words
        .iter()
        .zip(&part.literal)
        .skip(part.assignments)
        .map(|(w, l)| (w.clone(), *l))
        .collect()
}

fn expectations(parts: &[SimpleCommand], builtins: &HashSet<String>) -> Vec<Expectation> {
    let mut out = Vec::new();
    let compound_redirect = parts
        .iter()
        .any(|p| p.words.is_empty() && !p.redirects.is_empty());
    for part in parts {
        let words = command_words(part);
        let Some((program, program_literal)) = words.first() else {
            continue;
        };
        // A redirect of a subshell or group (a part with no words) may stop what it holds.
        let optional = !part.redirects.is_empty() || compound_redirect;
        if !program_literal {
            out.push((Expect::Unknown, true));
        } else if builtins.contains(program) || !STUBS.contains(&program.as_str()) {
            // A builtin runs no program; any other name is not found, so runs nothing either.
            continue;
        } else if words.iter().all(|(_, literal)| *literal) {
            out.push((
                Expect::Exact(words.into_iter().map(|(w, _)| w).collect()),
                optional,
            ));
        } else {
            out.push((Expect::Program(program.clone()), optional));
        }
    }
    out
}

/// Whether everything bash ran in one run is one of Warden's expectations (as multisets: each
/// expectation runs at most once, an `Unknown` one may run anything or nothing); returns the
/// indexes of the expectations that ran. A maximum matching between records and expectations,
/// the expectations that must run matched first.
fn covered(expect: &[Expectation], ran: &[Vec<String>]) -> Result<Vec<usize>, String> {
    let mut owner: Vec<Option<usize>> = vec![None; ran.len()];
    let mut order: Vec<usize> = (0..expect.len()).collect();
    order.sort_by_key(|&i| expect[i].1);
    for e in order {
        let mut seen = vec![false; ran.len()];
        augment(e, expect, ran, &mut owner, &mut seen);
    }
    if let Some(r) = owner.iter().position(Option::is_none) {
        return Err(format!("bash ran {:?}, which Warden did not see", ran[r]));
    }
    Ok(owner.into_iter().flatten().collect())
}

fn fits(e: &Expect, argv: &[String]) -> bool {
    match e {
        Expect::Exact(a) => a == argv,
        Expect::Program(p) => argv.first() == Some(p),
        Expect::Unknown => true,
    }
}

fn augment(
    e: usize,
    expect: &[Expectation],
    ran: &[Vec<String>],
    owner: &mut Vec<Option<usize>>,
    seen: &mut Vec<bool>,
) -> bool {
    for r in 0..ran.len() {
        if seen[r] || !fits(&expect[e].0, &ran[r]) {
            continue;
        }
        seen[r] = true;
        let free = match owner[r] {
            None => true,
            Some(other) => augment(other, expect, ran, owner, seen),
        };
        if free {
            owner[r] = Some(e);
            return true;
        }
    }
    false
}

/// Whether every program bash ran is the program of some best-effort part.
fn deny_sees(parts: &[SimpleCommand], ran: &[Vec<String>]) -> Result<(), String> {
    let any_unknown = parts
        .iter()
        .any(|p| command_words(p).first().is_some_and(|(_, l)| !l));
    for argv in ran {
        let Some(program) = argv.first() else {
            continue;
        };
        let seen = parts
            .iter()
            .any(|p| command_words(p).first().is_some_and(|(w, _)| w == program));
        if !seen && !any_unknown {
            return Err(format!("bash ran {argv:?}, hidden from deny rules"));
        }
    }
    Ok(())
}

fn check(sandbox: &Sandbox, line: &str, stats: &mut Stats) -> Result<(), TestCaseError> {
    if Instant::now() > stats.deadline {
        // The time bound is reached: the remaining cases are not run.
        stats.skipped += 1;
        return Ok(());
    }
    let fail = |e: String| TestCaseError::fail(format!("{line:?}: {e}"));
    let (parts, error) = split_best_effort(line);
    let expected = expectations(&parts, &sandbox.builtins);
    // Every stub succeeding, then every stub failing: between them, each side of `&&` and
    // `||` runs at least once.
    let runs = [sandbox.run(line, 0), sandbox.run(line, 1)];
    for (ran, _) in &runs {
        deny_sees(&parts, ran).map_err(|e| fail(format!("{e}; best effort read {parts:?}")))?;
    }
    if error.is_some() {
        stats.refused += 1;
        return Ok(());
    }
    stats.accepted += 1;
    let accepted = split(line).map_err(|e| fail(e.to_string()))?;
    prop_assert_eq!(&accepted, &parts);
    if runs.iter().any(|(_, syntax_error)| *syntax_error) {
        return Err(fail(format!(
            "bash reports a syntax error, Warden accepted {parts:?}"
        )));
    }
    let mut ran_somewhere = vec![false; expected.len()];
    for (ran, _) in &runs {
        let used =
            covered(&expected, ran).map_err(|e| fail(format!("{e}; Warden read {parts:?}")))?;
        used.into_iter().for_each(|i| ran_somewhere[i] = true);
    }
    // A command that is not a stub (not found, a builtin, a bare redirect) exits the same way
    // in both runs, so what follows its `&&` or `||` may never run.
    let commands = parts
        .iter()
        .filter(|p| p.words.len() > p.assignments || !p.redirects.is_empty())
        .count();
    let fixed_status = commands != expected.len()
        || parts.iter().any(|p| p.words.len() == p.assignments)
        || expected.iter().any(|(e, _)| matches!(e, Expect::Unknown));
    if fixed_status && (line.contains("&&") || line.contains("||")) {
        return Ok(());
    }
    for ((e, optional), ran) in expected.iter().zip(ran_somewhere) {
        if !ran && !optional {
            return Err(fail(format!(
                "Warden expects {e:?}, bash never ran it; Warden read {parts:?}"
            )));
        }
    }
    Ok(())
}

struct Stats {
    accepted: usize,
    refused: usize,
    skipped: usize,
    deadline: Instant,
}

#[test]
fn warden_reads_command_lines_as_bash_runs_them() {
    let Some(sandbox) = Sandbox::new() else {
        eprintln!("SKIPPED: /bin/bash (or a temporary folder) is not available");
        return;
    };
    let cases = std::env::var("WARDEN_SHELL_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(2000);
    let config = Config {
        cases,
        failure_persistence: None,
        max_shrink_iters: 300,
        max_shrink_time: 60_000,
        ..Config::default()
    };
    let seed: u64 = match std::env::var("WARDEN_SHELL_SEED").ok().as_deref() {
        None | Some("") => 0x5EED_0014,
        Some("random") => std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(1, |d| d.as_nanos() as u64),
        Some(number) => number.parse().expect("WARDEN_SHELL_SEED is a number or `random`"),
    };
    eprintln!("lines from seed {seed} (WARDEN_SHELL_SEED={seed} replays them)");
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let mut runner = TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &bytes));
    let started = Instant::now();
    let stats = std::cell::RefCell::new(Stats {
        accepted: 0,
        refused: 0,
        skipped: 0,
        deadline: started + Duration::from_secs(180),
    });
    let result = runner.run(&hostile_line(), |line| {
        check(&sandbox, &line, &mut stats.borrow_mut())
    });
    let stats = stats.into_inner();
    eprintln!(
        "{} lines accepted and compared with bash, {} refused, {} skipped (time bound), in {:?}",
        stats.accepted,
        stats.refused,
        stats.skipped,
        started.elapsed()
    );
    if let Err(failure) = result {
        panic!("Warden and bash disagree: {failure}");
    }
    assert!(
        stats.accepted > cases as usize / 10,
        "too few accepted lines to mean anything"
    );
}
