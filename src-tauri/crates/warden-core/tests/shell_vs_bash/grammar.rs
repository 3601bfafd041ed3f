//! The grammar of random command lines: words, quotes, separators, groups, expansions.

use proptest::prelude::*;

/// A command in the program position, written in several quoting styles.
fn program() -> BoxedStrategy<String> {
    prop::sample::select(vec![
        "p1", "p2", "p3", "'p1'", "\"p2\"", "p\\3", "'p'1", "p\"2\"",
    ])
    .prop_map(str::to_owned)
    .boxed()
}

/// A piece of a word.
fn atom() -> BoxedStrategy<String> {
    let fixed = prop::sample::select(vec![
        "a",
        "b c",
        "'a b'",
        "\"a b\"",
        "\\;",
        "\\ ",
        "\\'",
        "\\$",
        "\\\\",
        "\\a",
        "$x",
        "${x}",
        "$1",
        "$?",
        "$#",
        "$$",
        "$-",
        "\"$x\"",
        "\"${x}\"",
        "${x:-a}",
        "${x:-{}",
        "${#x}",
        "${x@P}",
        "${!x}",
        "${x/a/b}",
        "${x:0:1}",
        "$'a\\x41'",
        "$'\\''",
        "$\"a\"",
        "$((1+2))",
        "$[1+2]",
        "{a,b}",
        "{1..2}",
        "{}",
        "{",
        "}",
        "*",
        "?",
        "[ab]",
        "[",
        "]",
        "~",
        "~/a",
        "~x",
        "~+",
        "a=~",
        "#",
        "!",
        "!x",
        "\"!x\"",
        "\r",
        "\u{1}",
        "\u{7f}",
        "$(p2 a)",
        "$(p3 'c d')",
        "`p3 b`",
        "\"$(p2 x)\"",
        "\"`p1 y`\"",
        "<(p1 z)",
        "\\\n",
        "x=1",
        "=",
        ":",
        ",",
        "..",
        "-",
        "%",
        "@",
        "+",
        "^",
        "$",
        "\"$\"",
        "''",
        "\"\"",
        "\\\"",
        "'\"'",
        "\"'\"",
        "\"\\\"\"",
        "\"\\$x\"",
        "\"\\`\"",
        "\"a\\\nb\"",
        "'a\\\nb'",
        "${x}y",
        "#x",
        "\\#",
        "a#",
        "a[1]",
        "{x}",
        "$$",
        "$$x",
        "[[",
        "]]",
        "time",
        "%%",
        "a\\",
        "\"a\\\\\"",
        "'\\'",
        "\"\\'\"",
        "$xy",
    ]);
    prop_oneof![
        3 => "[a-c0-9_./=:,+%@-]{1,4}",
        2 => "'[a-c ;&|#$`{}()<>*?\\\\\"!~]{0,4}'",
        2 => "\"[a-c ;&|#{}()<>*?'!~]{0,4}\"",
        6 => fixed.prop_map(str::to_owned),
    ]
    .boxed()
}

fn word() -> BoxedStrategy<String> {
    prop::collection::vec(atom(), 1..=3)
        .prop_map(|atoms| atoms.concat())
        .boxed()
}

fn simple_command() -> BoxedStrategy<String> {
    let assignment = prop::sample::select(vec![
        "A=1",
        "A='x y'",
        "A=$x",
        "'A'=1",
        "A\\=1",
        "A+=1",
        "A[0]=1",
        "A=$(p1 q)",
    ]);
    let redirect = prop::sample::select(vec![
        ">out",
        " > out",
        "2>&1",
        ">/dev/null",
        "2>err",
        "<in",
        ">>out",
        "&>out",
        ">|out",
        " 2>/dev/null",
        ">&2",
        "3>out",
        "2 >out",
        ">'o u'",
        ">$x",
        ">*",
        "{fd}>out",
        "<>rw",
        ">>|x",
        "&>>out",
        "1>&-",
        "<&0",
    ]);
    (
        prop::collection::vec(assignment, 0..=1),
        program(),
        prop::collection::vec(word(), 0..=3),
        prop::option::weighted(0.3, redirect),
    )
        .prop_map(|(assignments, program, words, redirect)| {
            let mut parts: Vec<String> = assignments.into_iter().map(str::to_owned).collect();
            parts.push(program);
            parts.extend(words);
            let mut text = parts.join(" ");
            if let Some(r) = redirect {
                text.push_str(r);
            }
            text
        })
        .boxed()
}

fn command_line() -> BoxedStrategy<String> {
    let separators = prop::sample::select(vec![
        ";", " ; ", "&&", " || ", "|", "\n", " & ", "|&", ";\n", " &&\n",
    ]);
    simple_command()
        .prop_recursive(3, 8, 2, move |inner| {
            prop_oneof![
                (inner.clone(), separators.clone(), inner.clone())
                    .prop_map(|(a, s, b)| format!("{a}{s}{b}")),
                inner.clone().prop_map(|a| format!("( {a} )")),
                inner.clone().prop_map(|a| format!("({a})")),
                inner.clone().prop_map(|a| format!("{{ {a}; }}")),
                inner.clone().prop_map(|a| format!("! {a}")),
                inner.clone().prop_map(|a| format!("{a} # c ; p3")),
                inner.clone().prop_map(|a| format!("p1 $({a})")),
                inner.clone().prop_map(|a| format!("p2 \"$({a})\"")),
                inner.clone().prop_map(|a| format!("p3 <({a})")),
            ]
        })
        .boxed()
}

/// A command line, sometimes with a stray character inserted somewhere.
pub fn hostile_line() -> BoxedStrategy<String> {
    let stray = prop::sample::select(vec![
        ';', '&', '|', '(', ')', '{', '}', '<', '>', '\'', '"', '`', '$', '\\', '#', '!', '*', '~',
        '\r', '\n', ' ', '=', '[',
    ]);
    (
        command_line(),
        prop::collection::vec((any::<prop::sample::Index>(), stray), 0..=2),
    )
        .prop_map(|(mut line, strays)| {
            for (at, c) in strays {
                // The grammar is ASCII apart from nothing, so every byte index is a boundary.
                let at = at.index(line.len() + 1);
                line.insert(at, c);
            }
            line
        })
        .boxed()
}
