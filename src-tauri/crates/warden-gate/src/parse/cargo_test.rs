//! `cargo test`: libtest's human output (the default and `--quiet` forms), over every test
//! binary of one run, plus the compiler's errors when the tests did not build.
//!
//! What it reads: `test NAME ... FAILED` (or `NAME --- FAILED` in the quiet form), each
//! `---- NAME stdout ----` section with its panic location (`panicked at src/lib.rs:12:5:`,
//! and the pre-1.73 form `panicked at 'msg', src/lib.rs:12:5`), every `test result:` line (the
//! counts are summed), and `error[E…]: …` with its ` --> file:line:col`.

use super::text::{body, location};
use super::{Counts, Finding, ParseError, Parsed, Severity};

/// One failed test as read so far.
struct Failure {
    name: String,
    section: Vec<String>,
}

pub fn parse(output: &str, exit_code: Option<i32>) -> Result<Parsed, ParseError> {
    let lines: Vec<&str> = output.lines().collect();
    let mut findings = Vec::new();
    let mut counts: Option<Counts> = None;
    // Failures of the binary being read: flushed at its `test result:` line so two binaries
    // with a test of the same name stay apart.
    let mut failures: Vec<Failure> = Vec::new();
    let mut section: Option<usize> = None;
    let mut in_failure_list = false;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        i += 1;
        if let Some(name) = section_header(line) {
            section = Some(failure_index(&mut failures, name));
            in_failure_list = false;
            continue;
        }
        if line == "failures:" {
            // Ends a section; the second `failures:` of a binary lists the names (after the
            // first one comes a blank line, which ends the list at once).
            in_failure_list = true;
            section = None;
            continue;
        }
        if let Some(summary) = line.strip_prefix("test result: ") {
            let parsed = summary_counts(summary)
                .ok_or_else(|| ParseError(format!("cannot read the cargo test summary `{line}`")))?;
            counts.get_or_insert_with(Counts::default).add(parsed);
            findings.extend(failures.drain(..).map(finding));
            section = None;
            in_failure_list = false;
            continue;
        }
        if let Some(index) = section {
            if let Some(failure) = failures.get_mut(index) {
                failure.section.push(line.to_string());
            }
            continue;
        }
        if in_failure_list {
            if let Some(name) = line.strip_prefix("    ") {
                failure_index(&mut failures, name.trim());
                continue;
            }
            in_failure_list = false;
        }
        if let Some(name) = failed_status(line) {
            failure_index(&mut failures, name);
            continue;
        }
        if let Some(finding) = compile_error(line, &lines[i..]) {
            findings.push(finding);
        }
    }
    // A run cut short (killed, a crash of the harness) leaves failures without a summary.
    findings.extend(failures.drain(..).map(finding));
    if counts.is_none() && findings.is_empty() {
        return Err(ParseError(format!(
            "no `test result:` line and no compiler error in the output (exit code {}): is this `cargo test` output?",
            exit_code.map_or_else(|| "none".to_string(), |c| c.to_string())
        )));
    }
    Ok(Parsed { findings, counts })
}

/// `---- NAME stdout ----` → NAME.
fn section_header(line: &str) -> Option<&str> {
    let rest = line.strip_prefix("---- ")?;
    rest.strip_suffix(" stdout ----").or_else(|| rest.strip_suffix(" stderr ----"))
}

/// `test NAME ... FAILED` or the quiet form's `NAME --- FAILED` → NAME.
fn failed_status(line: &str) -> Option<&str> {
    if let Some(rest) = line.strip_prefix("test ") {
        let name = rest.strip_suffix(" ... FAILED")?;
        // `test x - should panic ... FAILED`
        return Some(name.split(" - should panic").next().unwrap_or(name));
    }
    line.strip_suffix(" --- FAILED").filter(|name| !name.contains(' ') || name.contains(" - "))
}

fn failure_index(failures: &mut Vec<Failure>, name: &str) -> usize {
    if let Some(i) = failures.iter().position(|f| f.name == name) {
        return i;
    }
    failures.push(Failure { name: name.to_string(), section: Vec::new() });
    failures.len() - 1
}

/// `ok. 2 passed; 2 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.20s`.
fn summary_counts(summary: &str) -> Option<Counts> {
    let (_, rest) = summary.split_once(". ")?;
    let mut counts = Counts::default();
    let mut seen = false;
    for part in rest.split(';') {
        let mut words = part.split_whitespace();
        let (Some(number), Some(what)) = (words.next(), words.next()) else { continue };
        let Ok(number) = number.parse::<u32>() else { continue };
        match what {
            "passed" => counts.passed = number,
            "failed" => counts.failed = number,
            "ignored" => counts.ignored = number,
            _ => continue,
        }
        seen = true;
    }
    seen.then_some(counts)
}

/// A failed test's finding: its name, the panic's location, the section without backtrace.
fn finding(failure: Failure) -> Finding {
    let mut place = None;
    let mut kept: Vec<&str> = Vec::new();
    let mut in_backtrace = false;
    for line in &failure.section {
        if line.starts_with("stack backtrace:") {
            in_backtrace = true;
            continue;
        }
        if in_backtrace {
            // The frames are indented; the note after them ends the block.
            if line.starts_with("note: Some details are omitted") {
                in_backtrace = false;
            }
            continue;
        }
        if line.starts_with("note: run with `RUST_BACKTRACE=1`") {
            continue;
        }
        if place.is_none() {
            place = panic_location(line);
        }
        kept.push(line);
    }
    let (file, line) = match place {
        Some((file, line)) => (Some(file), Some(line)),
        None => (None, None),
    };
    let text = body(&kept);
    Finding {
        title: failure.name,
        file,
        line,
        body: if text.is_empty() { "FAILED (no output captured)".to_string() } else { text },
        severity: Severity::Error,
    }
}

/// The location in `thread 'x' (123) panicked at src/lib.rs:12:5:` (1.73 and later),
/// `thread 'x' panicked at 'msg', src/lib.rs:12:5` (before), or `did not panic as expected at`.
fn panic_location(line: &str) -> Option<(String, u32)> {
    if let Some((_, rest)) = line.split_once("panicked at ") {
        if rest.starts_with('\'') {
            let (_, place) = rest.rsplit_once("', ")?;
            return location(place);
        }
        return location(rest.strip_suffix(':').unwrap_or(rest));
    }
    let (_, rest) = line.split_once("did not panic as expected at ")?;
    location(rest)
}

/// `error[E0277]: message` (or `error: message`) followed by ` --> file:line:col`; cargo's own
/// `error: test failed…` and `error: could not compile…` lines are not findings.
fn compile_error(line: &str, after: &[&str]) -> Option<Finding> {
    let message = if line.starts_with("error[") {
        line
    } else {
        let message = line.strip_prefix("error: ")?;
        let cargo_own = ["test failed", "could not compile", "aborting due to", "build failed"];
        if cargo_own.iter().any(|p| message.starts_with(p)) || message.ends_with("targets failed:") {
            return None;
        }
        line
    };
    let mut file = None;
    let mut number = None;
    let mut detail = Vec::new();
    for next in after.iter().take_while(|l| !l.is_empty() && !l.starts_with("error")) {
        if file.is_none() {
            if let Some(place) = next.trim_start().strip_prefix("--> ") {
                if let Some((f, l)) = location(place) {
                    file = Some(f);
                    number = Some(l);
                }
            }
        }
        detail.push(*next);
    }
    Some(Finding {
        title: message.to_string(),
        file,
        line: number,
        body: body(&detail),
        severity: Severity::Error,
    })
}
