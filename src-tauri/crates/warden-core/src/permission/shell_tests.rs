use super::*;

fn texts(command: &str) -> Vec<String> {
    let parts = split(command).unwrap_or_else(|e| panic!("{command}: {e}"));
    parts.into_iter().map(|c| c.text).collect()
}

fn fails(command: &str) -> ShellError {
    split(command).expect_err(command)
}

#[test]
fn a_simple_command_is_one_part() {
    assert_eq!(texts("npm test"), ["npm test"]);
    assert_eq!(texts("  npm   test\t--watch  "), ["npm test --watch"]);
}

#[test]
fn every_separator_splits() {
    assert_eq!(
        texts("a && b || c ; d | e |& f & g\nh"),
        ["a", "b", "c", "d", "e", "f", "g", "h"]
    );
    assert_eq!(texts("a&&b;c|d"), ["a", "b", "c", "d"]);
    assert_eq!(texts("sleep 1 &"), ["sleep 1"]);
}

#[test]
fn quotes_are_removed_and_keep_operators_inside() {
    assert_eq!(texts("echo 'a && b'"), ["echo a && b"]);
    assert_eq!(texts(r#"echo "a; b" c"#), ["echo a; b c"]);
    assert_eq!(
        texts(r#"git commit -m "it's \"done\"""#),
        [r#"git commit -m it's "done""#]
    );
    assert_eq!(texts("r'm' -rf x"), ["rm -rf x"]);
    let words = &split("echo 'a b' c").unwrap()[0].words;
    assert_eq!(words, &["echo", "a b", "c"]);
}

// `$'…'` used to be accepted once decoded; its escapes vary between bash versions and
// locales, so it is now undecided, still decoded for deny rules.
#[test]
fn ansi_c_strings_are_refused_but_decoded_for_deny_rules() {
    let (parts, error) = split_best_effort(r"$'\x72\155' $'a\tb' $'\'q\'' $'\u00e9\cA\q'");
    assert_eq!(error, Some(ShellError::AnsiCString));
    assert_eq!(parts[0].text, "rm a\tb 'q' é\u{1}\\q");
}

#[test]
fn escapes_are_literal() {
    assert_eq!(texts(r"echo a\;b \&\& c"), ["echo a;b && c"]);
    assert_eq!(texts("echo a \\\n b"), ["echo a b"]);
    // Inside double quotes a backslash only escapes a few characters.
    assert_eq!(texts(r#"echo "a\nb""#), [r"echo a\nb"]);
}

#[test]
fn subshells_and_groups_expose_their_commands() {
    assert_eq!(texts("(cd x && rm y)"), ["cd x", "rm y"]);
    assert_eq!(texts("{ ls; rm y; }"), ["ls", "rm y"]);
    assert_eq!(texts("! grep -q x f"), ["grep -q x f"]);
}

#[test]
fn command_substitution_is_a_part_of_its_own() {
    assert_eq!(texts("echo $(rm -rf /)"), ["echo $(rm -rf /)", "rm -rf /"]);
    assert_eq!(
        texts("echo \"today: $(date)\""),
        ["echo today: $(date)", "date"]
    );
    assert_eq!(texts("echo `whoami`"), ["echo `whoami`", "whoami"]);
    assert_eq!(texts("echo \"`whoami`\""), ["echo `whoami`", "whoami"]);
    assert_eq!(
        texts("echo $(ls $(pwd))"),
        ["echo $(ls $(pwd))", "ls $(pwd)", "pwd"]
    );
    // An assignment's value with a substitution is undecided (it used to be accepted), but
    // its command is still seen.
    let (parts, error) = split_best_effort("FOO=$(id) make");
    assert!(
        matches!(error, Some(ShellError::Assignment(_))),
        "{error:?}"
    );
    assert_eq!(
        parts.iter().map(|p| p.text.as_str()).collect::<Vec<_>>(),
        ["FOO=$(id) make", "id"]
    );
}

#[test]
fn process_substitution_is_a_part_of_its_own() {
    assert_eq!(
        texts("diff <(ls a) <(ls b)"),
        ["diff <(ls a) <(ls b)", "ls a", "ls b"]
    );
    assert_eq!(texts("tee >(grep x)"), ["tee >(grep x)", "grep x"]);
}

#[test]
fn single_quotes_hide_substitutions() {
    assert_eq!(texts("echo '$(rm -rf /)'"), ["echo $(rm -rf /)"]);
}

// Plain parameters stay text (not literal); operators and arithmetic used to be accepted as
// text too, which let `${x:-{} ; cmd ; echo }` run `cmd` unseen: they are now undecided.
#[test]
fn plain_variables_stay_text_and_are_not_literal() {
    let parts = split("echo $HOME ${USER} \"$1\" $? x$#y").unwrap();
    assert_eq!(parts[0].text, "echo $HOME ${USER} $1 $? x$#y");
    assert_eq!(parts[0].literal, [true, false, false, false, false, false]);
    assert!(split("echo ${USER:-x}").is_err());
    assert!(split("echo $((1 + 2))").is_err());
}

#[test]
fn substitutions_hidden_in_expansions_are_refused_but_seen() {
    let (parts, error) = split_best_effort("echo ${x:-$(rm -rf /)}");
    assert!(
        matches!(error, Some(ShellError::ParameterExpansion(_))),
        "{error:?}"
    );
    assert!(parts.iter().any(|p| p.text == "rm -rf /"), "{parts:?}");
    assert!(split("echo $(( $(id -u) + 1 ))").is_err());
}

#[test]
fn redirects_are_collected_not_words() {
    let parts = split("echo x > out.txt 2>>log &>all <in 2>&1 >&2").unwrap();
    assert_eq!(parts[0].text, "echo x");
    assert_eq!(parts[0].redirects, ["out.txt", "log", "all", "in"]);
    assert_eq!(parts[0].writes, ["out.txt", "log", "all"]);
    let piped = split("cat < <(ls) > >(tee x)").unwrap();
    assert!(piped[0].redirects.is_empty(), "{piped:?}");
    let quiet = split("ls 2>/dev/null >/dev/null").unwrap();
    assert!(quiet[0].redirects.is_empty());
}

#[test]
fn a_descriptor_number_needs_to_touch_the_operator() {
    let parts = split("echo 2 > x").unwrap();
    assert_eq!(parts[0].text, "echo 2");
    assert_eq!(parts[0].redirects, ["x"]);
}

#[test]
fn a_bare_redirect_is_recorded() {
    let parts = split("> src/main.rs").unwrap();
    assert_eq!(parts[0].words.len(), 0);
    assert_eq!(parts[0].writes, ["src/main.rs"]);
    let grouped = split("(ls) > out").unwrap();
    assert_eq!(
        grouped.iter().map(|p| p.text.as_str()).collect::<Vec<_>>(),
        ["", "ls"]
    );
}

#[test]
fn comments_are_dropped() {
    assert_eq!(texts("ls # && rm -rf /"), ["ls"]);
    assert_eq!(texts("echo a#b"), ["echo a#b"]);
}

#[test]
fn unbalanced_input_fails() {
    assert_eq!(
        fails("echo 'abc"),
        ShellError::UnclosedQuote("single quote")
    );
    assert_eq!(
        fails("echo \"abc"),
        ShellError::UnclosedQuote("double quote")
    );
    assert_eq!(fails("echo `abc"), ShellError::UnclosedQuote("backtick"));
    assert_eq!(fails("echo $(ls"), ShellError::UnclosedParen);
    assert_eq!(fails("(ls"), ShellError::UnclosedParen);
    assert_eq!(fails("ls )"), ShellError::UnmatchedParen);
}

#[test]
fn heredocs_fail() {
    assert_eq!(fails("cat <<EOF\nhi\nEOF"), ShellError::Heredoc);
    assert_eq!(fails("cat <<< hi"), ShellError::Heredoc);
}

#[test]
fn control_flow_fails_but_keeps_the_commands() {
    assert_eq!(
        fails("if true; then rm x; fi"),
        ShellError::ControlFlow("if".into())
    );
    assert!(split("for f in *; do rm $f; done").is_err());
    assert!(split("while true; do ls; done").is_err());
    assert!(split("case x in a) ls;; esac").is_err());
    assert!(split("f() { rm x; }").is_err());
    assert!(split("function f { rm x; }").is_err());
    let (parts, _) = split_best_effort("if true; then rm x; fi");
    assert!(parts.iter().any(|p| p.text == "rm x"), "{parts:?}");
    // A quoted keyword is just a word.
    assert_eq!(texts("echo if"), ["echo if"]);
}

#[test]
fn hostile_nesting_is_refused_not_crashed() {
    let deep = format!("{}x{}", "$(".repeat(5000), ")".repeat(5000));
    assert!(split(&deep).is_err());
    let deep_ticks = format!("echo {}", "(".repeat(5000));
    assert!(split(&deep_ticks).is_err());
}

#[test]
fn rough_pieces_cut_everywhere() {
    let pieces = rough_pieces("if x; then \"rm -rf /\"; fi");
    assert!(pieces.contains(&"rm -rf /".to_owned()), "{pieces:?}");
    let pieces = rough_pieces("echo 'a && rm -rf ~");
    assert!(pieces.contains(&"rm -rf ~".to_owned()), "{pieces:?}");
}

#[test]
fn empty_input_has_no_parts() {
    assert!(texts("").is_empty());
    assert!(texts(" \n \n").is_empty());
    // bash rejects a `;` with no command before it.
    assert!(split(" ; \n ").is_err());
}

#[test]
fn long_hostile_input_stays_fast() {
    let many = "ls; ".repeat(20_000);
    assert_eq!(split(&many).unwrap().len(), 20_000);
    let unclosed = format!("{}'", "a $(b) ; ".repeat(20_000));
    assert!(split(&unclosed).is_err());
    assert!(rough_pieces(&unclosed).len() < 10);
    // Long words of brackets, braces, subscripts and unclosed expansions.
    for word in [
        "{}".repeat(50_000),
        "[]".repeat(50_000),
        "{,".repeat(50_000),
        "${".repeat(20_000),
        "a[".repeat(20_000),
    ] {
        let started = std::time::Instant::now();
        let _ = split_best_effort(&format!("echo {word}"));
        let _ = split_best_effort(&format!("{word} x"));
        assert!(
            started.elapsed() < std::time::Duration::from_secs(5),
            "{}",
            &word[..4]
        );
    }
}

#[test]
fn argument_lists_read_as_command_lines_and_shell_wrappers_as_their_script() {
    assert_eq!(command_line(&["ls", "-la", "src/"]), "ls -la src/");
    assert_eq!(
        command_line(&["/bin/bash", "-lc", "touch a && ls"]),
        "touch a && ls"
    );
    assert_eq!(
        command_line(&["sh", "-c", "echo hi > a.txt"]),
        "echo hi > a.txt"
    );
    assert_eq!(
        command_line(&["python3", "-c", "print(1)"]),
        "python3 -c 'print(1)'",
        "only shells are unwrapped"
    );
    assert_eq!(command_line(&["echo", "it's", ""]), r"echo 'it'\''s' ''");
    assert_eq!(shell_script(&["zsh", "-lc", "x"]), Some("x".to_owned()));
    assert_eq!(shell_script(&["bash", "script.sh"]), None);
}
