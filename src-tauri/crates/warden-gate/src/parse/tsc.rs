//! `tsc` (TypeScript's type checker, `tsc --noEmit`): the most common gate of a JavaScript or
//! TypeScript project after its tests, and its line shape `file(line,col): error CODE: message`
//! is also what MSBuild, the C# compiler and several linters' "visualstudio" formats print.
//!
//! What it reads: `file(line,col): error|warning CODE: message` (tsc without a terminal, or
//! `--pretty false`), `file:line:col - error CODE: message` (`--pretty`), the indented lines
//! that continue a message, and a bare `error TS5023: …` (an option error, no file).

use super::text::body;
use super::{Finding, ParseError, Parsed, Severity};

pub fn parse(output: &str, exit_code: Option<i32>) -> Result<Parsed, ParseError> {
    let mut findings: Vec<Finding> = Vec::new();
    let mut continuation: Vec<&str> = Vec::new();
    for line in output.lines() {
        if let Some(finding) = diagnostic(line) {
            flush(&mut findings, &mut continuation);
            findings.push(finding);
        } else if line.starts_with("  ") && !findings.is_empty() {
            continuation.push(line.trim_start());
        } else {
            flush(&mut findings, &mut continuation);
        }
    }
    flush(&mut findings, &mut continuation);
    if exit_code != Some(0) && findings.is_empty() {
        return Err(ParseError(format!(
            "exit code {} but no `file(line,col): error CODE: message` line in the output: is this tsc output?",
            exit_code.map_or_else(|| "none".to_string(), |c| c.to_string())
        )));
    }
    // A type checker has no test counts.
    Ok(Parsed { findings, counts: None })
}

fn flush(findings: &mut [Finding], continuation: &mut Vec<&str>) {
    if let (Some(last), false) = (findings.last_mut(), continuation.is_empty()) {
        last.body.push('\n');
        last.body.push_str(&body(continuation));
    }
    continuation.clear();
}

/// One diagnostic line in either form.
fn diagnostic(line: &str) -> Option<Finding> {
    // `error TS5023: Unknown compiler option 'x'.`
    if let Some(rest) = line.strip_prefix("error ").filter(|r| r.starts_with("TS")) {
        let (code, message) = rest.split_once(": ")?;
        return Some(make(None, None, Severity::Error, code, message));
    }
    // `a.ts(4,7): error TS2322: message`
    if let Some((place, rest)) = line.split_once("): ") {
        if let Some((file, position)) = place.rsplit_once('(') {
            let line_number = position.split(',').next()?.trim().parse().ok()?;
            let (severity, rest) = severity(rest)?;
            let (code, message) = rest.split_once(": ")?;
            return Some(make(Some(file), Some(line_number), severity, code, message));
        }
    }
    // `a.ts:4:7 - error TS2322: message`
    let (place, rest) = line.split_once(" - ")?;
    let (file_line, _col) = place.rsplit_once(':')?;
    let (file, line_number) = file_line.rsplit_once(':')?;
    let line_number = line_number.parse().ok()?;
    let (severity, rest) = severity(rest)?;
    let (code, message) = rest.split_once(": ")?;
    Some(make(Some(file), Some(line_number), severity, code, message))
}

fn severity(rest: &str) -> Option<(Severity, &str)> {
    if let Some(rest) = rest.strip_prefix("error ") {
        return Some((Severity::Error, rest));
    }
    rest.strip_prefix("warning ").map(|rest| (Severity::Warning, rest))
}

fn make(file: Option<&str>, line: Option<u32>, severity: Severity, code: &str, message: &str) -> Finding {
    Finding {
        title: format!("{code}: {message}"),
        file: file.map(|f| f.trim().to_string()),
        line,
        body: message.to_string(),
        severity,
    }
}
