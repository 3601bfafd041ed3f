//! One test per class of construct the tokenizer refuses (or reads), each over many generated
//! variants: continuations, assignments, syntax errors, redirects, literal words, deny rules'
//! view of refused lines, devices.

use super::class_tests::HIDDEN;
use super::*;

#[test]
fn line_continuations_that_join_tokens_are_undecided() {
    for line in [
        "a\\\nb",
        "ls &\\\n& rm x",
        "echo $\\\n(id)",
        "echo 2\\\n>x",
        "echo \"$\\\n(id)\"",
        "ls;\\\nrm x",
        "ls 'a\\\nb'",
        "ls >\\\n>x",
    ] {
        assert!(
            matches!(split(line), Err(ShellError::LineContinuation)),
            "{line:?}"
        );
    }
    assert_eq!(split("echo a \\\n b").unwrap()[0].words, ["echo", "a", "b"]);
    assert_eq!(split("echo \"a \\\nb\"").unwrap()[0].words, ["echo", "a b"]);
    // bash keeps a backslash that ends the input.
    assert_eq!(split("echo a\\").unwrap()[0].words, ["echo", "a\\"]);
}

#[test]
fn assignments_other_than_name_equals_literal_are_undecided() {
    for line in [
        "'A'=1 rm x",
        "A\\=1 rm x",
        "\"A\"=1 rm x",
        "A+=1 rm x",
        "A[0]=1 rm x",
        "A=$x rm x",
        "A=$(id) rm x",
        "A=`id` rm x",
        "A=~ rm x",
        "A=* rm x",
        "a[1;rm x",
        "A=\"$x\" rm x",
    ] {
        assert!(
            matches!(
                split(line),
                Err(ShellError::Assignment(_) | ShellError::Tilde(_))
            ),
            "{line:?}: {:?}",
            split(line)
        );
    }
    let parts = split("A=1 B='x y' C=\"z\" make -j2").unwrap();
    assert_eq!(parts[0].assignments, 3);
    assert_eq!(parts[0].program(), Some("make"));
    assert!(parts[0].program_is_literal());
    // After the program, `NAME=value` is an argument.
    assert_eq!(split("env A=1 ls").unwrap()[0].assignments, 0);
    assert_eq!(split("A=1").unwrap()[0].program(), None);
}

#[test]
fn lines_bash_rejects_are_undecided() {
    for line in [
        ";",
        "ls;;",
        "&& ls",
        "ls &&",
        "ls |",
        "| ls",
        "ls | ! grep x",
        "()",
        "{ }",
        "{ ls",
        "ls; }",
        "(ls) x",
        "{ ls; } x",
        "ls > #x",
        "cat < 2>x",
        "ls &>&x",
        "ls ; ; ls",
        "& ls",
        "ls || || ls",
        "ls >&-x",
        "<x { ls; }",
        "cat <(<x {)",
        "ls >&\\-",
        "ls 2>&'1'",
        "ls 2<&-- x",
        "cat <{fd}>x",
        "cat > {x}<in",
        "echo $$(ls)",
        "echo \"$$(ls)\"",
        "echo $${x}",
        "echo $$'x'",
        "echo $$\"x\"",
        "echo $$[1]",
        "x=1 (ls)",
        "> x (ls)",
        "! }",
        "{ ls; ! }",
        "ls ;& x",
    ] {
        assert!(split(line).is_err(), "{line:?} was accepted");
    }
    for line in [
        "ls &&\nrm x",
        "ls |\n\ncat",
        "! ;",
        "{ ls; } > x",
        "(ls) 2>/dev/null",
        "ls &",
        "\n\nls\n",
    ] {
        assert!(split(line).is_ok(), "{line:?}: {:?}", split(line));
    }
}

#[test]
fn odd_redirect_forms_are_undecided() {
    for line in [
        "{fd}>x rm y",
        "ls {x}<in",
        "cat a<(ls)",
        "cat <(ls)a",
        "ls > $x",
        "ls > `x`",
        "ls 2>$(pwd)/x",
    ] {
        assert!(split(line).is_err(), "{line:?} was accepted");
    }
    // A `{name}>` word is not the program: deny rules see `rm`.
    let (parts, _) = split_best_effort("{fd}>/dev/null rm -rf /");
    assert_eq!(parts[0].words, ["rm", "-rf", "/"]);
}

#[test]
fn an_expanded_program_word_is_read_but_not_literal() {
    // Deciding on it is the policy's: undecided when a deny rule exists, and no narrow rule
    // matches its text. Here only the reading is checked.
    for program in [
        "$x",
        "${x}",
        "\"$x\"",
        "$(which rm)",
        "`which rm`",
        "<(ls)",
        "~/bin/rm",
        "~",
        "$1",
        "x$y",
        "$@",
    ] {
        for line in [
            format!("{program} -rf /"),
            format!("ls && {program} -rf /"),
            format!("A=1 {program} -rf /"),
        ] {
            let parts = split(&line).unwrap_or_else(|e| panic!("{line:?}: {e}"));
            let part = parts
                .iter()
                .find(|p| p.words.last().map(String::as_str) == Some("/"))
                .unwrap();
            assert!(!part.program_is_literal(), "{line:?}");
            assert_eq!(
                part.literal[part.assignments + 1..],
                [true, true],
                "{line:?}"
            );
        }
    }
}

#[test]
fn words_know_whether_they_are_literal() {
    let parts =
        split(r#"echo a 'b' "c" \d $x ${y} "$z" `id` $(id) <(id) "a$" ~/x *.rs 'x*'"#).unwrap();
    let expected = [
        true, true, true, true, true, false, false, false, false, false, false, false, false,
        false, true,
    ];
    assert_eq!(parts[0].literal, expected, "{:?}", parts[0].words);
    assert_eq!(parts[0].literal.len(), parts[0].words.len());
    for part in split("a $(b 'c' $d) | e `f *`").unwrap() {
        assert_eq!(part.literal.len(), part.words.len(), "{part:?}");
    }
}

#[test]
fn refused_constructs_never_hide_a_command_from_deny_rules() {
    let hiding = [
        "npm test ${x:-$(CMD)}",
        "npm test \"${x:-$(CMD)}\"",
        "npm test ${x:-{} ; CMD ; echo }",
        "npm test ${x:-'}' ; CMD ; '}",
        "npm test \"${x:-'}\" ; CMD ; \"'}\"",
        "npm test ${x:=$'\\x24(CMD)'} ${x@P}",
        "x='$(CMD)'; npm test ${x@P}",
        "x=\"\\$(CMD)\"; npm test $((x))",
        "npm test $(( $(CMD) ))",
        "npm test $(( 1 #$(CMD) ))",
        "(( $(CMD) ))",
        "((x)) ; CMD",
        "npm test $[ $(CMD) ]",
        "a[$(CMD)]=1 npm test",
        "a[\n0]=1 CMD",
        "npm test\r#; CMD",
        "A+=1 CMD",
        "{fd}>/dev/null CMD",
        "npm test $'a' ; CMD",
        "npm test {a,b} ; CMD",
        "* ; CMD",
        "npm test ~x ; CMD",
        "npm test !x ; CMD",
        "if true; then CMD; fi",
        "npm test <<EOF\nCMD\nEOF",
        "npm test ${x:-`CMD`}",
        "npm test ${x:-<(CMD)}",
        "npm test ${x:-\"$(CMD)\"}",
        "npm test ${x:-${y:-$(CMD)}}",
        "npm test ${x ; CMD",
        "npm test ${x:-$(CMD",
    ];
    for template in hiding {
        let line = template.replace("CMD", HIDDEN);
        let (parts, error) = split_best_effort(&line);
        assert!(error.is_some(), "{line:?} was accepted as {parts:?}");
        let seen = parts.iter().any(|p| {
            p.words[p.assignments.min(p.words.len())..]
                .join(" ")
                .starts_with(HIDDEN)
        });
        assert!(
            seen,
            "{line:?}: {HIDDEN} hidden from deny rules in {parts:?}"
        );
    }
}

#[test]
fn the_issue_examples_are_undecided() {
    for line in [
        "npm test ${x:-{} ; CMD ; echo }",
        "npm test ${x:=$'\\x24(CMD)'} ${x@P}",
        "npm test\r#; CMD",
    ] {
        assert!(split(line).is_err(), "{line:?}");
        let (parts, _) = split_best_effort(line);
        assert!(parts.iter().any(|p| p.text == "CMD"), "{line:?}: {parts:?}");
    }
}

#[test]
fn only_exact_devices_are_devices() {
    for path in [
        "/dev/null",
        "/dev//null",
        "/dev/./null",
        "//dev/null",
        "/dev/fd/0",
        "/dev/fd/12",
        "/dev/stdout",
        "/dev/stderr",
        "/dev/tty",
    ] {
        assert!(is_device(path), "{path}");
    }
    for path in [
        "/dev/fd/../../etc/x",
        "/dev/fd/..",
        "/dev/fd/",
        "/dev/fd",
        "/dev/fd/x",
        "/dev/fd/1a",
        "/dev/fd/1/../../x",
        "/dev/fd/0/",
        "/dev/null/..",
        "/dev/null/",
        "/dev/nullx",
        "dev/null",
        "/dev/../dev/null",
        "/dev/sda",
        "/dev/fd/-1",
        "/dev/fd/1/x",
        "/dev/stdin/../x",
        "/proc/self/fd/1",
        "./dev/null",
        "/dev/fd/ 1",
    ] {
        assert!(!is_device(path), "{path}");
    }
    for target in [
        "/dev/fd/../../../etc/x",
        "/dev/fd/3/../../home/u/.bashrc",
        "/dev/null/../../etc/x",
    ] {
        let parts = split(&format!("echo x > {target}")).unwrap();
        assert_eq!(parts[0].writes, [target], "{target}");
        let parts = split(&format!("cat < {target}")).unwrap();
        assert_eq!(parts[0].redirects, [target], "{target}");
    }
}
