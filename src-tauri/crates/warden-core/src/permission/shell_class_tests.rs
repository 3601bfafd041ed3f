//! One test per class of construct the tokenizer refuses (or reads), each over many generated
//! variants: the construct's forms × the places in a line it can stand.

use super::*;

/// A hidden command that deny rules must still see.
pub(super) const HIDDEN: &str = "rm -rf /tmp/target";

/// Places a construct can stand in a line that would otherwise be allowed by `Bash(npm test:*)`.
fn placements(construct: &str) -> Vec<String> {
    vec![
        format!("npm test {construct}"),
        format!("npm test x{construct}y"),
        format!("npm test && echo {construct}"),
        format!("npm test; npm test {construct}"),
        format!("npm test $(echo {construct})"),
        format!("(npm test {construct})"),
        format!("{{ npm test {construct}; }}"),
        format!("npm test {construct} | cat"),
        format!("npm test <(echo {construct})"),
        format!("! npm test {construct}\nls"),
    ]
}

/// Asserts every placement of every construct is refused with an error `expected` accepts.
fn refused(constructs: &[&str], expected: impl Fn(&ShellError) -> bool) {
    let mut checked = 0;
    for construct in constructs {
        for line in placements(construct) {
            match split(&line) {
                Ok(parts) => panic!("{line:?} was accepted as {parts:?}"),
                Err(error) => assert!(expected(&error), "{line:?}: unexpected {error:?}"),
            }
            checked += 1;
        }
    }
    assert!(checked >= constructs.len() * 10);
}

/// Asserts every placement of every construct is accepted.
fn accepted(constructs: &[&str]) {
    for construct in constructs {
        for line in placements(construct) {
            if let Err(error) = split(&line) {
                panic!("{line:?} was refused: {error}");
            }
        }
    }
}

#[test]
fn parameter_expansions_with_an_operator_are_undecided() {
    let forms = [
        "${x:-a}",
        "${x-a}",
        "${x:=a}",
        "${x=a}",
        "${x:?a}",
        "${x?a}",
        "${x:+a}",
        "${x+a}",
        "${x@P}",
        "${x@Q}",
        "${x@E}",
        "${x@A}",
        "${!x}",
        "${!x*}",
        "${!x@}",
        "${#x}",
        "${x#a}",
        "${x##a}",
        "${x%a}",
        "${x%%a}",
        "${x/a/b}",
        "${x//a/b}",
        "${x/#a/b}",
        "${x:0:1}",
        "${x:1}",
        "${x^}",
        "${x^^}",
        "${x,}",
        "${x,,}",
        "${x[0]}",
        "${x[@]}",
        "${x:-{}",
        "${x:-'}'}",
        "${x:=$'\\x24(id)'}",
        "${x:-$(id)}",
        "${ x}",
        "${}",
        "${x y}",
        "${#x}y",
        "\"${x:-a}\"",
        "\"${x@P}\"",
        "\"${!x}\"",
        "\"${x:-'}'}\"",
    ];
    refused(&forms, |e| matches!(e, ShellError::ParameterExpansion(_)));
    accepted(&[
        "${#}", "${x}", "${_a1}", "${1}", "${10}", "${?}", "${@}", "${*}", "${$}", "${!}", "${-}",
    ]);
}

#[test]
fn ansi_c_and_locale_strings_are_undecided() {
    refused(
        &["$'a'", "$'\\x41'", "$'\\n'", "$''", "$'\\''", "x$'a'"],
        |e| matches!(e, ShellError::AnsiCString),
    );
    refused(&["$\"a\"", "$\"\"", "x$\"$y\""], |e| {
        matches!(e, ShellError::LocaleString)
    });
    // Inside double quotes they are plain text.
    accepted(&["\"$'a'\"", "\"a$\""]);
}

#[test]
fn arithmetic_is_undecided() {
    refused(
        &["$((1+2))", "$(( x ))", "$((x[1]))", "$[1+2]", "$[x]"],
        |e| matches!(e, ShellError::Arithmetic),
    );
    for line in [
        "((x=1))",
        "(( x ))",
        "((x)) && ls",
        "ls; (( x++ ))",
        "((a[$(id)]))",
    ] {
        assert_eq!(split(line), Err(ShellError::Arithmetic), "{line:?}");
    }
    // A subshell in a subshell, spaced, is not arithmetic.
    assert!(split("( (ls) )").is_ok());
    // Written `((…) )` or with a subscript's `(`, bash reads subshells: deny rules see them.
    for line in ["((ls) ; rm x)", "((A[(0]=1 rm x))", "(( rm x );( ls ))"] {
        let (parts, error) = split_best_effort(line);
        assert!(error.is_some(), "{line:?}");
        assert!(
            parts.iter().any(|p| p.program() == Some("rm")),
            "{line:?}: {parts:?}"
        );
    }
}

#[test]
fn control_characters_are_undecided_anywhere() {
    let mut controls: Vec<char> = (0u32..0x20).filter_map(char::from_u32).collect();
    controls.retain(|c| *c != '\t' && *c != '\n');
    controls.push('\u{7f}');
    controls.extend((0x80u32..0xa0).filter_map(char::from_u32));
    for c in controls {
        for line in [
            format!("npm test{c}#; {HIDDEN}"),
            format!("npm{c}test"),
            format!("npm test '{c}'"),
            format!("npm test \"a{c}\""),
            format!("npm test # {c}"),
            format!("{c}npm test"),
        ] {
            assert_eq!(
                split(&line),
                Err(ShellError::ControlCharacter(u32::from(c))),
                "{line:?}"
            );
        }
    }
    // bash reads `\r` as a word character: the `#` after it starts no comment.
    let (parts, _) = split_best_effort(&format!("npm test\r#; {HIDDEN}"));
    assert!(parts.iter().any(|p| p.text == HIDDEN), "{parts:?}");
    let (parts, _) = split_best_effort("npm test\r; rm x");
    assert_eq!(parts[0].words, ["npm", "test\r"]);
}

#[test]
fn brace_expansion_is_undecided() {
    let forms = [
        "{a,b}",
        "{1..3}",
        "x{a,b}y",
        "{a,'b c'}",
        "{,x}",
        "{a..z..2}",
        "{}a,b}",
        "{a\\,b}",
    ];
    refused(&forms, |e| matches!(e, ShellError::BraceExpansion(_)));
    for line in ["{rm,-rf,/}", "{rm,-rf,/} x", "echo; {a,b}"] {
        assert!(
            matches!(split(line), Err(ShellError::BraceExpansion(_))),
            "{line:?}"
        );
    }
    // Quoted braces, `{}` and lone braces are text.
    accepted(&["'{a,b}'", "\"{a,b}\"", "\\{a,b\\}", "{}", "{", "}", "{a}"]);
    let find = split("find . -exec rm {} \\;").unwrap();
    assert_eq!(find[0].words.last().map(String::as_str), Some(";"));
    assert!(find[0].literal.iter().all(|&l| l));
}

#[test]
fn globs_in_the_program_word_are_undecided_and_elsewhere_not_literal() {
    for program in ["*", "r?", "[r]m", "/bin/r*", "./x?", "r[a-z]", "x*y", "?"] {
        for line in [
            format!("{program} -rf /"),
            format!("ls; {program}"),
            format!("A=1 {program} x"),
            format!("( {program} )"),
        ] {
            // `r[a-z]` where an assignment may stand is read by bash as an array subscript.
            assert!(
                matches!(
                    split(&line),
                    Err(ShellError::Glob(_) | ShellError::Assignment(_))
                ),
                "{line:?}"
            );
        }
        let parts = split(&format!("ls {program}")).unwrap();
        assert_eq!(parts[0].literal, [true, false], "{program}");
        assert!(
            matches!(split(&format!("ls > {program}")), Err(ShellError::Glob(_))),
            "{program}"
        );
    }
    // Quoted, they are names; `[` alone is the test program.
    for line in ["'*' x", "\"r?\"", "\\*", "[ -f x ]"] {
        let parts = split(line).unwrap_or_else(|e| panic!("{line:?}: {e}"));
        assert!(parts[0].literal[0], "{line:?}");
    }
    // Extended globs (`shopt -s extglob` changes how they are read).
    for line in [
        "@(rm) x",
        "ls !(x)",
        "ls +(a|b)",
        "ls *(a)",
        "ls ?(a)",
        "!(ls)",
        "x@(a) y",
    ] {
        assert!(split(line).is_err(), "{line:?}");
    }
}

#[test]
fn tilde_forms_other_than_home_are_undecided() {
    for form in [
        "~user", "~+", "~-", "~1", "~root/x", "~\"/x\"", "~'x'", "~\\/x",
    ] {
        for line in [
            format!("cat {form}"),
            format!("ls && cat {form}"),
            format!("cat $(ls {form})"),
            format!("{form} x"),
            format!("cat > {form}"),
        ] {
            assert!(
                matches!(split(&line), Err(ShellError::Tilde(_))),
                "{line:?}"
            );
        }
    }
    for line in ["cat a=~x", "cat --opt=~x", "PATH=~x ls", "cat a:~x"] {
        assert!(matches!(split(line), Err(ShellError::Tilde(_))), "{line:?}");
    }
    let parts = split("cat ~ ~/x a=~/y HEAD~1 '~x' x~y \\~z").unwrap();
    assert_eq!(
        parts[0].literal,
        [true, false, false, false, true, true, true, true]
    );
}

#[test]
fn history_expansion_is_undecided_where_bash_could_apply_it() {
    refused(
        &["!x", "!!", "\"!x\"", "a!b", "!$", "\"a!b\"", "!-1"],
        |e| matches!(e, ShellError::HistoryExpansion),
    );
    accepted(&["'!x'", "\\!x"]);
    for line in [
        "! grep x f",
        "[ a != b ]",
        "echo hi!",
        "test ! -f x",
        "echo \"hi!\"",
        "echo a! b",
        "echo !",
    ] {
        assert!(split(line).is_ok(), "{line:?}");
    }
}
