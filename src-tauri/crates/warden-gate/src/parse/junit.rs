//! JUnit XML reports, which most test runners can write (pytest `--junitxml`, jest-junit,
//! `go-junit-report`, Maven Surefire, cargo-nextest, PHPUnit…).
//!
//! What it reads: every `<testcase>` (in `<testsuite>`s, nested or under `<testsuites>`), a
//! `<failure>` or `<error>` child making it failed, `<skipped>` making it ignored; `file` and
//! `line` attributes when the runner writes them (pytest's xunit1, jest-junit), else the
//! `path.py:12: Error` line of the failure's text. The report must be newer than the run: a
//! report left by an earlier run is not this run's result.

use super::text::location;
use super::{Counts, Finding, ParseError, Parsed, Severity};
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::path::Path;
use std::time::{Duration, SystemTime};

/// Slack for file systems that store modification times coarsely.
const MTIME_SLACK: Duration = Duration::from_secs(2);

/// Reads the report at `path` (a file, or a folder whose `*.xml` files are all read).
pub fn parse_path(path: &Path, started: Option<SystemTime>) -> Result<Parsed, ParseError> {
    let files = if path.is_dir() {
        let entries = std::fs::read_dir(path)
            .map_err(|e| ParseError(format!("cannot read the JUnit report folder {}: {e}", path.display())))?;
        let mut files: Vec<_> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "xml"))
            .collect();
        files.sort();
        if files.is_empty() {
            return Err(ParseError(format!("no *.xml JUnit report in {}", path.display())));
        }
        files
    } else {
        vec![path.to_path_buf()]
    };
    let mut all = Parsed { findings: Vec::new(), counts: Some(Counts::default()) };
    for file in files {
        check_fresh(&file, started)?;
        let text = std::fs::read_to_string(&file)
            .map_err(|e| ParseError(format!("cannot read the JUnit report {}: {e}", file.display())))?;
        let parsed = parse_str(&text).map_err(|e| ParseError(format!("{}: {}", file.display(), e.0)))?;
        all.findings.extend(parsed.findings);
        if let (Some(total), Some(counts)) = (all.counts.as_mut(), parsed.counts) {
            total.add(counts);
        }
    }
    Ok(all)
}

fn check_fresh(file: &Path, started: Option<SystemTime>) -> Result<(), ParseError> {
    let meta = std::fs::metadata(file).map_err(|e| {
        ParseError(format!("the JUnit report {} was not written: {e}", file.display()))
    })?;
    if let (Some(started), Ok(modified)) = (started, meta.modified()) {
        if modified + MTIME_SLACK < started {
            return Err(ParseError(format!(
                "the JUnit report {} is older than this run (left by an earlier one)",
                file.display()
            )));
        }
    }
    Ok(())
}

/// The test case being read.
#[derive(Default)]
struct Case {
    name: String,
    classname: String,
    file: Option<String>,
    line: Option<u32>,
    /// `failure` or `error`, with its message and text.
    problem: Option<(String, String, String)>,
    skipped: bool,
}

/// Which element's text is being collected.
#[derive(PartialEq)]
enum Text {
    None,
    Problem,
}

/// Reads one report.
pub fn parse_str(xml: &str) -> Result<Parsed, ParseError> {
    let mut reader = Reader::from_str(xml);
    let mut findings = Vec::new();
    let mut counts = Counts::default();
    let mut saw_suite = false;
    let mut case: Option<Case> = None;
    let mut text = Text::None;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| ParseError(format!("not valid XML at byte {}: {e}", reader.error_position())))?;
        match event {
            Event::Start(e) | Event::Empty(e) if matches!(e.local_name().as_ref(), "testsuite" | "testsuites") => {
                saw_suite = true;
            }
            Event::Start(ref e) if e.local_name().as_ref() == "testcase" => case = Some(new_case(e)?),
            Event::Empty(ref e) if e.local_name().as_ref() == "testcase" => {
                finish(new_case(e)?, &mut findings, &mut counts);
            }
            Event::Start(ref e) | Event::Empty(ref e) if is_problem(e) => {
                if let Some(case) = case.as_mut() {
                    let kind = e.local_name().as_ref().to_string();
                    let message = attribute(e, "message")?.unwrap_or_default();
                    // A second problem (a failure, then an error in teardown) adds to the first.
                    match case.problem.as_mut() {
                        Some((_, first, _)) if !message.is_empty() => {
                            first.push('\n');
                            first.push_str(&message);
                        }
                        Some(_) => {}
                        None => case.problem = Some((kind, message, String::new())),
                    }
                    if matches!(event, Event::Start(_)) {
                        text = Text::Problem;
                    }
                }
            }
            Event::Start(ref e) | Event::Empty(ref e) if e.local_name().as_ref() == "skipped" => {
                if let Some(case) = case.as_mut() {
                    case.skipped = true;
                }
            }
            Event::Text(t) if text == Text::Problem => push_text(&mut case, &t.xml10_content()),
            Event::CData(t) if text == Text::Problem => push_text(&mut case, &t.xml10_content()),
            Event::GeneralRef(r) if text == Text::Problem => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => match &*r {
                        "lt" => "<".to_string(),
                        "gt" => ">".to_string(),
                        "amp" => "&".to_string(),
                        "quot" => "\"".to_string(),
                        "apos" => "'".to_string(),
                        other => format!("&{other};"),
                    },
                };
                push_text(&mut case, &resolved);
            }
            Event::End(e) => match e.local_name().as_ref() {
                "failure" | "error" => text = Text::None,
                "testcase" => {
                    if let Some(done) = case.take() {
                        finish(done, &mut findings, &mut counts);
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    if !saw_suite {
        return Err(ParseError("no <testsuite> or <testsuites> element: not a JUnit report".to_string()));
    }
    Ok(Parsed { findings, counts: Some(counts) })
}

fn is_problem(e: &BytesStart<'_>) -> bool {
    matches!(e.local_name().as_ref(), "failure" | "error")
}

fn push_text(case: &mut Option<Case>, text: &str) {
    if let Some((_, _, body)) = case.as_mut().and_then(|c| c.problem.as_mut()) {
        body.push_str(text);
    }
}

fn new_case(e: &BytesStart<'_>) -> Result<Case, ParseError> {
    Ok(Case {
        name: attribute(e, "name")?.unwrap_or_default(),
        classname: attribute(e, "classname")?.unwrap_or_default(),
        file: attribute(e, "file")?.filter(|f| !f.is_empty()),
        line: attribute(e, "line")?.and_then(|l| l.trim().parse().ok()).filter(|l| *l > 0),
        ..Case::default()
    })
}

fn attribute(e: &BytesStart<'_>, name: &str) -> Result<Option<String>, ParseError> {
    let found = e
        .try_get_attribute(name)
        .map_err(|err| ParseError(format!("a bad attribute in <{}>: {err}", e.name().as_ref())))?;
    match found {
        Some(attr) => attr
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map(|v| Some(v.into_owned()))
            .map_err(|err| ParseError(format!("a bad `{name}` value: {err}"))),
        None => Ok(None),
    }
}

fn finish(case: Case, findings: &mut Vec<Finding>, counts: &mut Counts) {
    let Some((kind, message, text)) = case.problem else {
        if case.skipped {
            counts.ignored += 1;
        } else {
            counts.passed += 1;
        }
        return;
    };
    counts.failed += 1;
    let title = match (case.classname.is_empty(), case.name.is_empty()) {
        (false, false) => format!("{}.{}", case.classname, case.name),
        (true, _) => case.name,
        (false, true) => case.classname,
    };
    let (file, line) = match (case.file, case.line) {
        (Some(file), line) => (Some(file), line.or_else(|| text_location(&text).map(|(_, l)| l))),
        (None, _) => match text_location(&text) {
            Some((file, line)) => (Some(file), Some(line)),
            None => (None, None),
        },
    };
    let text = text.trim();
    let body = match (message.trim().is_empty(), text.is_empty()) {
        (true, true) => kind,
        (false, true) => message.trim().to_string(),
        (true, false) => text.to_string(),
        (false, false) if text.contains(message.trim()) => text.to_string(),
        (false, false) => format!("{}\n\n{text}", message.trim()),
    };
    findings.push(Finding { title, file, line, body, severity: Severity::Error });
}

/// The last `path.ext:12: Error` line of a failure's text (pytest and many others end a trace
/// with where the exception was raised).
fn text_location(text: &str) -> Option<(String, u32)> {
    text.lines().rev().find_map(|line| {
        let (head, _) = line.trim().split_once(": ")?;
        location(head).filter(|(file, _)| !file.contains(' ') && file.contains('.'))
    })
}
