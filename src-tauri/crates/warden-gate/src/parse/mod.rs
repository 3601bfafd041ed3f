//! Result parsers: turn what a check printed (or the report file it wrote) into findings and
//! test counts.
//!
//! A parser never decides alone whether a check passed: the exit code does, and the parser
//! explains it ([`verdict`]). A parser that finds none of the shapes it knows in the output
//! returns [`ParseError`]: the check then ends as an *error* (an infrastructure problem — the
//! wrong parser, a report that was never written), never as a failure of the agent's work.

mod cargo_test;
mod junit;
mod pytest;
mod text;
mod tsc;

#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

pub use text::strip_ansi;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Severity {
    /// A failed test, a compile or type error: blocks when the check gates.
    Error,
    /// Reported, never blocking on its own.
    Warning,
}

/// One problem a check reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Finding {
    /// What failed: a test's name, an error's code and message.
    pub title: String,
    /// The file it points at, as the tool printed it (usually relative to the check's folder).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// The line in `file`, 1-based.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// The tool's own explanation (a panic message, an assertion's trace).
    pub body: String,
    /// How bad it is.
    pub severity: Severity,
}

/// Test counts, summed over every test binary or suite of one run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Counts {
    /// Tests that passed.
    pub passed: u32,
    /// Tests that failed or errored.
    pub failed: u32,
    /// Tests skipped or ignored.
    pub ignored: u32,
}

impl Counts {
    fn add(&mut self, other: Counts) {
        self.passed += other.passed;
        self.failed += other.failed;
        self.ignored += other.ignored;
    }
}

/// What a parser read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parsed {
    /// Problems found, in the order the tool printed them.
    pub findings: Vec<Finding>,
    /// Test counts, when the tool prints them (test runners do, compilers do not).
    pub counts: Option<Counts>,
}

/// Which parser a check uses (`parse = "…"` in its configuration, read by
/// [`crate::config::ParserSpec`]; [`crate::run::parser_of`] converts).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Parser {
    /// Pass or fail by exit code alone; no findings.
    ExitCode,
    /// libtest's human output as `cargo test` prints it.
    CargoTest,
    /// pytest's terminal output (default or `-rA` short summary, `-q`).
    Pytest,
    /// A JUnit XML report the check writes (a file, or a folder of `*.xml`), relative to the
    /// check's folder.
    Junit(PathBuf),
    /// `file(line,col): error CODE: message` lines, as `tsc` prints them (also the shape of
    /// MSBuild and other compilers).
    Tsc,
}

impl fmt::Display for Parser {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Parser::ExitCode => f.write_str("exit-code"),
            Parser::CargoTest => f.write_str("cargo-test"),
            Parser::Pytest => f.write_str("pytest"),
            Parser::Junit(path) => write!(f, "junit:{}", path.display()),
            Parser::Tsc => f.write_str("tsc"),
        }
    }
}

/// Why a parser could not read a check's output: an infrastructure error, never a failure.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ParseError(pub String);

/// What a parser gets to read.
#[derive(Debug, Clone, Copy)]
pub struct ParseInput<'a> {
    /// Everything the check printed, stdout and stderr interleaved.
    pub output: &'a str,
    /// Its exit code (`None` when a signal ended it).
    pub exit_code: Option<i32>,
    /// The folder it ran in: report paths are relative to it.
    pub cwd: &'a Path,
    /// When it started: a report file older than this is a previous run's, not this one's.
    pub started: Option<SystemTime>,
}

/// Runs `parser` over a check's output.
pub fn parse(parser: &Parser, input: ParseInput<'_>) -> Result<Parsed, ParseError> {
    let output = strip_ansi(input.output);
    match parser {
        Parser::ExitCode => Ok(Parsed::default()),
        Parser::CargoTest => cargo_test::parse(&output, input.exit_code),
        Parser::Pytest => pytest::parse(&output, input.exit_code),
        Parser::Junit(path) => junit::parse_path(&input.cwd.join(path), input.started),
        Parser::Tsc => tsc::parse(&output, input.exit_code),
    }
}

/// Whether a check passed: it exited 0 and its parser saw no failed test and no error.
/// A non-zero exit fails the check even when the parser saw nothing wrong (a coverage
/// threshold, a crash after the summary): the exit code is the tool's own verdict.
pub fn verdict(parsed: &Parsed, exit_code: Option<i32>) -> bool {
    exit_code == Some(0)
        && parsed.counts.is_none_or(|c| c.failed == 0)
        && !parsed.findings.iter().any(|f| f.severity == Severity::Error)
}
