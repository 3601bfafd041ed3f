//! pytest's terminal output: the default, `-q` and `-rA` forms.
//!
//! What it reads: the `FAILURES` / `ERRORS` sections (`____ test_name ____` headers, each with
//! its `file.py:12: AssertionError` location), the short test summary (`FAILED path::test -
//! message`, `ERROR path::test - message`; shown by default since pytest 6), and the final
//! `3 failed, 2 passed, 1 skipped in 0.03s` line for the counts.

use super::text::{body, location};
use super::{Counts, Finding, ParseError, Parsed, Severity};

/// Which block a section came from.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Block {
    Failures,
    Errors,
}

struct Section<'a> {
    block: Block,
    /// The header without `ERROR at setup of ` and the like: `TestClass.test_x`.
    key: String,
    lines: Vec<&'a str>,
}

pub fn parse(output: &str, exit_code: Option<i32>) -> Result<Parsed, ParseError> {
    let lines: Vec<&str> = output.lines().collect();
    let sections = sections(&lines);
    let summary = short_summary(&lines);
    let counts = lines.iter().rev().find_map(|l| final_counts(l));

    let mut findings = Vec::new();
    if summary.is_empty() {
        // `-rN` or an old pytest: the sections alone.
        findings.extend(sections.iter().map(|s| section_finding(s.key.clone(), None, s)));
    } else {
        for (block, id, message) in &summary {
            let key = section_key(id);
            let section = sections.iter().find(|s| s.block == *block && s.key == key);
            let title = id.to_string();
            match section {
                Some(section) => findings.push(section_finding(title, Some(id), section)),
                None => findings.push(Finding {
                    file: id.split("::").next().filter(|p| p.ends_with(".py")).map(str::to_string),
                    line: None,
                    body: message.unwrap_or_default().to_string(),
                    title,
                    severity: Severity::Error,
                }),
            }
        }
    }
    if counts.is_none() && findings.is_empty() {
        return Err(ParseError(format!(
            "no pytest summary line (`N passed in …s`) and no failure in the output (exit code {}): is this pytest output?",
            exit_code.map_or_else(|| "none".to_string(), |c| c.to_string())
        )));
    }
    Ok(Parsed { findings, counts })
}

/// `=== FAILURES ===` and `=== ERRORS ===` blocks, cut at their `___ name ___` headers.
fn sections<'a>(lines: &[&'a str]) -> Vec<Section<'a>> {
    let mut out: Vec<Section<'a>> = Vec::new();
    let mut block = None;
    for line in lines {
        if let Some(title) = banner(line) {
            block = match title {
                "FAILURES" => Some(Block::Failures),
                "ERRORS" => Some(Block::Errors),
                _ => None,
            };
            continue;
        }
        let Some(current) = block else { continue };
        if let Some(header) = section_header(line) {
            let key = ["ERROR at setup of ", "ERROR at teardown of ", "ERROR collecting "]
                .iter()
                .find_map(|p| header.strip_prefix(p))
                .unwrap_or(header);
            out.push(Section { block: current, key: key.to_string(), lines: Vec::new() });
        } else if let Some(section) = out.last_mut().filter(|s| s.block == current) {
            section.lines.push(line);
        }
    }
    out
}

/// `==== TITLE ====` → TITLE.
fn banner(line: &str) -> Option<&str> {
    let title = line.strip_prefix('=')?.trim_start_matches('=');
    let title = line.ends_with('=').then(|| title.trim_end_matches('='))?.trim();
    (!title.is_empty()).then_some(title)
}

/// `____ test_name ____` → `test_name`; the `_ _ _ _` separator inside a trace is not one.
fn section_header(line: &str) -> Option<&str> {
    if !line.starts_with("__") || !line.ends_with("__") {
        return None;
    }
    let title = line.trim_matches(|c| c == '_' || c == ' ');
    (!title.is_empty()).then_some(title)
}

/// The short summary's `FAILED` and `ERROR` lines: (block, node id, message).
fn short_summary<'a>(lines: &[&'a str]) -> Vec<(Block, &'a str, Option<&'a str>)> {
    let mut out = Vec::new();
    let mut inside = false;
    for line in lines {
        if let Some(title) = banner(line) {
            inside = title == "short test summary info";
            continue;
        }
        if !inside {
            continue;
        }
        let (block, rest) = if let Some(rest) = line.strip_prefix("FAILED ") {
            (Block::Failures, rest)
        } else if let Some(rest) = line.strip_prefix("ERROR ") {
            (Block::Errors, rest)
        } else {
            continue;
        };
        match rest.split_once(" - ") {
            Some((id, message)) => out.push((block, id.trim(), Some(message.trim()))),
            None => out.push((block, rest.trim(), None)),
        }
    }
    out
}

/// A node id's section header: `tests/t.py::TestClass::test_x[1]` → `TestClass.test_x[1]`; a
/// collection error's id is its path.
fn section_key(id: &str) -> String {
    match id.split_once("::") {
        Some((_, rest)) => rest.replace("::", "."),
        None => id.to_string(),
    }
}

/// A finding from a section: where the exception was raised (the last `file.py:12: Error`
/// line), else the deepest frame (`file.py:12:` or `file.py:12: in func`), preferring the
/// project's own files (relative paths) over the interpreter's and libraries' (absolute).
fn section_finding(title: String, id: Option<&str>, section: &Section<'_>) -> Finding {
    // (file, line, names an exception)
    let mut places: Vec<(String, u32, bool)> = Vec::new();
    for line in &section.lines {
        let trimmed = line.trim_end();
        let (head, exception) = match trimmed.strip_suffix(':') {
            Some(head) if !head.contains(' ') => (head, false),
            _ => match trimmed.split_once(": ") {
                Some((head, tail)) if !head.contains(' ') && !tail.trim().is_empty() => (head, !tail.starts_with("in ")),
                _ => continue,
            },
        };
        if let Some((file, number)) = location(head).filter(|(file, _)| file.contains('.')) {
            places.push((file, number, exception));
        }
    }
    let relative = |file: &str| !std::path::Path::new(file).is_absolute();
    let pick = places
        .iter()
        .rev()
        .find(|(f, _, e)| *e && relative(f))
        .or_else(|| places.iter().rev().find(|(f, _, _)| relative(f)))
        .or_else(|| places.iter().rev().find(|(_, _, e)| *e))
        .or_else(|| places.last());
    let fallback_file = id.and_then(|id| id.split("::").next()).filter(|p| p.ends_with(".py"));
    let (file, line) = match pick {
        Some((file, line, _)) => (Some(file.clone()), Some(*line)),
        None => (fallback_file.map(str::to_string), None),
    };
    Finding { title, file, line, body: body(&section.lines), severity: Severity::Error }
}

/// `==== 3 failed, 2 passed, 1 skipped, 1 error in 0.03s ====` (or without the `=`, as `-q`
/// prints it), and `no tests ran in 0.01s`.
fn final_counts(line: &str) -> Option<Counts> {
    let text = line.trim().trim_matches('=').trim();
    let (items, time) = text.rsplit_once(" in ")?;
    if !time.trim_start().chars().next().is_some_and(|c| c.is_ascii_digit()) {
        return None;
    }
    if items == "no tests ran" {
        return Some(Counts::default());
    }
    let mut counts = Counts::default();
    for item in items.split(", ") {
        let (number, what) = item.trim().split_once(' ')?;
        let number: u32 = number.parse().ok()?;
        match what {
            "passed" | "xpassed" => counts.passed += number,
            "failed" | "error" | "errors" => counts.failed += number,
            "skipped" | "xfailed" => counts.ignored += number,
            "deselected" | "warning" | "warnings" | "rerun" | "subtests passed" => {}
            _ => return None,
        }
    }
    Some(counts)
}
