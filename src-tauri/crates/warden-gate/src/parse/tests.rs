//! The parsers on recorded outputs of real runs (`tests/fixtures/`, see its README for how each
//! was made).

use super::*;
use std::path::Path;

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn run(parser: &Parser, output: &str, exit_code: i32) -> Result<Parsed, ParseError> {
    parse(parser, ParseInput { output, exit_code: Some(exit_code), cwd: Path::new("."), started: None })
}

fn at(f: &Finding) -> (String, Option<String>, Option<u32>) {
    (f.title.clone(), f.file.clone(), f.line)
}

#[test]
fn parser_names() {
    assert_eq!(Parser::Junit("a.xml".into()).to_string(), "junit:a.xml");
    assert_eq!(Parser::CargoTest.to_string(), "cargo-test");
}

#[test]
fn cargo_test_failures_over_two_binaries() {
    let parsed = run(&Parser::CargoTest, &fixture("cargo-test-failing.txt"), 101).expect("parsed");
    assert_eq!(parsed.counts, Some(Counts { passed: 3, failed: 3, ignored: 1 }));
    let places: Vec<_> = parsed.findings.iter().map(at).collect();
    assert_eq!(
        places,
        vec![
            ("tests::panics_plainly".to_string(), Some("src/lib.rs".to_string()), Some(26)),
            ("tests::adds_wrong".to_string(), Some("src/lib.rs".to_string()), Some(19)),
            ("api_unwraps_none".to_string(), Some("tests/api.rs".to_string()), Some(9)),
        ]
    );
    let wrong = &parsed.findings[1];
    assert!(wrong.body.contains("assertion `left == right` failed: two and two"), "{}", wrong.body);
    assert!(wrong.body.contains("right: 5"), "{}", wrong.body);
    assert!(!wrong.body.contains("RUST_BACKTRACE"), "{}", wrong.body);
    // Captured stdout stays in the body: it is often the clue.
    assert!(parsed.findings[0].body.starts_with("about to index"), "{}", parsed.findings[0].body);
    assert!(!verdict(&parsed, Some(101)));
}

#[test]
fn cargo_test_quiet_form() {
    let parsed = run(&Parser::CargoTest, &fixture("cargo-test-quiet.txt"), 101).expect("parsed");
    assert_eq!(parsed.counts, Some(Counts { passed: 3, failed: 3, ignored: 1 }));
    let titles: Vec<_> = parsed.findings.iter().map(|f| f.title.as_str()).collect();
    assert_eq!(titles, ["tests::adds_wrong", "tests::panics_plainly", "api_unwraps_none"]);
    assert!(parsed.findings.iter().all(|f| f.line.is_some()));
}

#[test]
fn cargo_test_passing() {
    let parsed = run(&Parser::CargoTest, &fixture("cargo-test-passing.txt"), 0).expect("parsed");
    assert_eq!(parsed.counts, Some(Counts { passed: 3, failed: 0, ignored: 1 }));
    assert!(parsed.findings.is_empty());
    assert!(verdict(&parsed, Some(0)));
    // The exit code is the tool's verdict even when the output looks clean.
    assert!(!verdict(&parsed, Some(101)));
}

#[test]
fn cargo_test_compile_error() {
    let parsed = run(&Parser::CargoTest, &fixture("cargo-test-compile-error.txt"), 101).expect("parsed");
    assert_eq!(parsed.counts, None);
    assert_eq!(parsed.findings.len(), 1, "{:#?}", parsed.findings);
    let f = &parsed.findings[0];
    assert_eq!(f.title, "error[E0277]: cannot add `&str` to `u32`");
    assert_eq!((f.file.as_deref(), f.line), (Some("src/lib.rs"), Some(5)));
    assert!(f.body.contains("no implementation for `u32 + &str`"), "{}", f.body);
}

#[test]
fn cargo_test_old_panic_form_and_unreadable_output() {
    let old = "running 1 test\ntest t ... FAILED\n\nfailures:\n\n---- t stdout ----\nthread 't' panicked at 'boom', src/a.rs:3:9\nnote: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n\n\nfailures:\n    t\n\ntest result: FAILED. 0 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s\n";
    let parsed = run(&Parser::CargoTest, old, 101).expect("parsed");
    assert_eq!(parsed.findings.iter().map(at).collect::<Vec<_>>(), vec![("t".into(), Some("src/a.rs".into()), Some(3))]);
    // Not cargo test output at all: an infrastructure error, not a failure.
    let err = run(&Parser::CargoTest, "Segmentation fault\n", 139).expect_err("unreadable");
    assert!(err.0.contains("test result"), "{err}");
    assert!(run(&Parser::CargoTest, "", 0).is_err());
}

#[test]
fn pytest_default_output() {
    let parsed = run(&Parser::Pytest, &fixture("pytest-default.txt"), 1).expect("parsed");
    assert_eq!(parsed.counts, Some(Counts { passed: 2, failed: 4, ignored: 1 }));
    let places: Vec<_> = parsed.findings.iter().map(at).collect();
    assert_eq!(
        places,
        vec![
            ("tests/test_calc.py::test_add_wrong".into(), Some("tests/test_calc.py".into()), Some(11)),
            // Where the exception was raised, in the code under test.
            ("tests/test_calc.py::test_divide_by_zero".into(), Some("calc.py".into()), Some(6)),
            ("tests/test_calc.py::TestClass::test_method_fails".into(), Some("tests/test_calc.py".into()), Some(26)),
            ("tests/test_calc.py::test_uses_broken_fixture".into(), Some("tests/test_calc.py".into()), Some(34)),
        ]
    );
    assert!(parsed.findings[0].body.contains("E       AssertionError: two and two"));
    // The full message, not the summary's `division ...` cut.
    assert!(parsed.findings[1].body.contains("ZeroDivisionError: division by zero"));
    assert!(parsed.findings[1].body.contains("tests/test_calc.py:15:"), "the test's own line stays in the body");
    assert!(parsed.findings[3].body.contains("fixture broke"));
}

#[test]
fn pytest_ra_and_quiet_forms() {
    for name in ["pytest-rA.txt", "pytest-q.txt"] {
        let parsed = run(&Parser::Pytest, &fixture(name), 1).expect(name);
        assert_eq!(parsed.counts, Some(Counts { passed: 2, failed: 4, ignored: 1 }), "{name}");
        assert_eq!(parsed.findings.len(), 4, "{name}: {:#?}", parsed.findings);
        assert!(parsed.findings.iter().all(|f| f.line.is_some()), "{name}");
    }
}

#[test]
fn pytest_passing_and_unreadable() {
    let parsed = run(&Parser::Pytest, &fixture("pytest-passing.txt"), 0).expect("parsed");
    assert_eq!(parsed.counts, Some(Counts { passed: 1, failed: 0, ignored: 0 }));
    assert!(verdict(&parsed, Some(0)));
    let parsed = run(&Parser::Pytest, "==== no tests ran in 0.01s ====\n", 5).expect("parsed");
    assert_eq!(parsed.counts, Some(Counts::default()));
    assert!(run(&Parser::Pytest, "python: can't open file\n", 2).is_err());
}

#[test]
fn pytest_collection_error() {
    let parsed = run(&Parser::Pytest, &fixture("pytest-collection-error.txt"), 2).expect("parsed");
    assert_eq!(parsed.counts, Some(Counts { passed: 0, failed: 1, ignored: 0 }));
    assert_eq!(parsed.findings.len(), 1);
    let f = &parsed.findings[0];
    // The project's own frame, not importlib's.
    assert_eq!(at(f), ("tests/test_bad.py".into(), Some("tests/test_bad.py".into()), Some(1)));
    assert!(f.body.contains("No module named 'nonexistent_module_xyz'"), "{}", f.body);
}

#[test]
fn junit_from_pytest_xunit2_without_file_attributes() {
    let parsed = super::junit::parse_str(&fixture("pytest-junit.xml")).expect("parsed");
    assert_eq!(parsed.counts, Some(Counts { passed: 2, failed: 4, ignored: 1 }));
    let places: Vec<_> = parsed.findings.iter().map(at).collect();
    assert_eq!(
        places,
        vec![
            ("tests.test_calc.test_add_wrong".into(), Some("tests/test_calc.py".into()), Some(11)),
            ("tests.test_calc.test_divide_by_zero".into(), Some("calc.py".into()), Some(6)),
            ("tests.test_calc.TestClass.test_method_fails".into(), Some("tests/test_calc.py".into()), Some(26)),
            ("tests.test_calc.test_uses_broken_fixture".into(), Some("tests/test_calc.py".into()), Some(34)),
        ]
    );
    // Entities resolved: `&gt;` and `&#10;`.
    assert!(parsed.findings[0].body.contains(">       assert add(2, 2) == 5"), "{}", parsed.findings[0].body);
    assert!(parsed.findings[3].body.starts_with("failed on setup with \"RuntimeError: fixture broke\""));
}

#[test]
fn junit_file_and_line_attributes() {
    let parsed = super::junit::parse_str(&fixture("pytest-junit-xunit1.xml")).expect("parsed");
    assert_eq!(parsed.counts, Some(Counts { passed: 2, failed: 4, ignored: 1 }));
    // xunit1 writes the test's definition line; that is what the runner says, so it is kept.
    let wrong = &parsed.findings[0];
    assert_eq!((wrong.file.as_deref(), wrong.line), (Some("tests/test_calc.py"), Some(9)));
}

#[test]
fn junit_path_missing_stale_and_malformed_are_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = |started| ParseInput { output: "", exit_code: Some(1), cwd: dir.path(), started };
    let missing = parse(&Parser::Junit("report.xml".into()), input(None)).expect_err("missing");
    assert!(missing.0.contains("was not written"), "{missing}");

    std::fs::write(dir.path().join("report.xml"), fixture("pytest-junit.xml")).expect("write");
    let parsed = parse(&Parser::Junit("report.xml".into()), input(Some(SystemTime::now()))).expect("fresh");
    assert_eq!(parsed.findings.len(), 4);
    let later = SystemTime::now() + std::time::Duration::from_secs(60);
    let stale = parse(&Parser::Junit("report.xml".into()), input(Some(later))).expect_err("stale");
    assert!(stale.0.contains("older than this run"), "{stale}");

    std::fs::write(dir.path().join("report.xml"), "<testsuite><testcase name='a'>").expect("write");
    std::fs::write(dir.path().join("report.xml"), "<testsuite><testcase name='a' x=></testsuite>").expect("write");
    assert!(parse(&Parser::Junit("report.xml".into()), input(None)).is_err());
    std::fs::write(dir.path().join("report.xml"), "<html><body>not junit</body></html>").expect("write");
    assert!(parse(&Parser::Junit("report.xml".into()), input(None)).is_err());
}

#[test]
fn junit_folder_of_reports() {
    let dir = tempfile::tempdir().expect("tempdir");
    let reports = dir.path().join("reports");
    std::fs::create_dir(&reports).expect("mkdir");
    std::fs::write(reports.join("a.xml"), fixture("pytest-junit.xml")).expect("write");
    std::fs::write(
        reports.join("b.xml"),
        "<testsuites><testsuite name='s'><testcase classname='C' name='ok'/><testcase classname='C' name='bad' file='src/C.java' line='7'><error message='boom' type='E'/></testcase></testsuite></testsuites>",
    )
    .expect("write");
    let parsed = parse(
        &Parser::Junit("reports".into()),
        ParseInput { output: "", exit_code: Some(1), cwd: dir.path(), started: None },
    )
    .expect("parsed");
    assert_eq!(parsed.counts, Some(Counts { passed: 3, failed: 5, ignored: 1 }));
    let last = parsed.findings.last().expect("a finding");
    assert_eq!(at(last), ("C.bad".into(), Some("src/C.java".into()), Some(7)));
    assert_eq!(last.body, "boom");
}

#[test]
fn tsc_errors() {
    let parsed = run(&Parser::Tsc, &fixture("tsc.txt"), 2).expect("parsed");
    assert_eq!(parsed.counts, None);
    let places: Vec<_> = parsed.findings.iter().map(at).collect();
    assert_eq!(
        places,
        vec![
            ("TS2322: Type 'number' is not assignable to type 'string'.".into(), Some("a.ts".into()), Some(4)),
            ("TS2345: Argument of type 'string' is not assignable to parameter of type 'number'.".into(), Some("a.ts".into()), Some(5)),
            ("TS2305: Module '\"./a\"' has no exported member 'missing'.".into(), Some("b.ts".into()), Some(1)),
        ]
    );
    let pretty = "src/x.ts:3:1 - error TS1005: ';' expected.\n\n3 let\n  ~~~\n";
    assert_eq!(at(&run(&Parser::Tsc, pretty, 2).expect("pretty").findings[0]), ("TS1005: ';' expected.".into(), Some("src/x.ts".into()), Some(3)));
    assert!(run(&Parser::Tsc, "error TS5023: Unknown compiler option 'x'.\n", 1).expect("option").findings[0].file.is_none());
    assert!(verdict(&run(&Parser::Tsc, "", 0).expect("clean"), Some(0)));
    assert!(run(&Parser::Tsc, "node: not found\n", 127).is_err());
}
