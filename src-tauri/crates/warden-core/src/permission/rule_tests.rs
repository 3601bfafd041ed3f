use super::*;

fn rule(text: &str) -> Rule {
    Rule::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn error(text: &str) -> String {
    Rule::parse(text).expect_err(text).to_string()
}

#[test]
fn whole_tool_rules_have_no_content() {
    let r = rule("Bash");
    assert_eq!((r.tool(), r.content(), r.as_str()), ("Bash", None, "Bash"));
    assert_eq!(rule("mcp__github").tool(), "mcp__github");
    assert_eq!(rule("mcp__github__*").as_str(), "mcp__github__*");
}

#[test]
fn content_is_read_back() {
    let r = rule("Bash(npm test *)");
    assert_eq!((r.tool(), r.content()), ("Bash", Some("npm test *")));
    assert_eq!(rule("Read(src/**)").content(), Some("src/**"));
    assert_eq!(rule("WebFetch(domain:example.com)").content(), Some("domain:example.com"));
    // Parentheses inside the content belong to it.
    assert_eq!(rule("Bash(echo (x))").content(), Some("echo (x)"));
}

#[test]
fn star_content_means_the_whole_tool() {
    assert_eq!(rule("Bash(*)"), rule("Bash"));
    assert_eq!(rule("Bash( * )").as_str(), "Bash");
}

#[test]
fn whitespace_around_is_trimmed() {
    assert_eq!(rule("  Bash(npm test:*)\n").as_str(), "Bash(npm test:*)");
    assert_eq!(rule("Bash( npm test )").as_str(), "Bash(npm test)");
}

#[test]
fn malformed_rules_say_what_is_wrong() {
    assert_eq!(error("Bash(npm test"), "`Bash(npm test` has no closing parenthesis");
    assert_eq!(error("(x)"), "a rule needs a tool name, as in `Bash(npm test *)`");
    assert_eq!(error("   "), "a rule needs a tool name, as in `Bash(npm test *)`");
    assert!(error("Bash()").contains("write `Bash` alone"), "{}", error("Bash()"));
    assert!(error("Bash(ls) -la").contains("nothing may follow"));
    assert!(error("Bash npm test").contains("no spaces"));
    assert!(error("Bash)").contains("no `(`"));
    assert!(error("Ba*sh").contains("cannot contain `*`"));
    assert!(error("Bash(:*)").contains("no command before"));
}

#[test]
fn path_patterns_are_checked() {
    let text = error("Read(src/[)");
    assert!(text.starts_with("`Read(src/[)`: invalid path pattern: "), "{text}");
    assert!(error("Edit(~bob/x)").contains("`~` must be followed by `/`"));
    assert!(error("Edit(src/../x)").contains("`..`"));
    rule("Read(../shared/**)");
    rule("Edit(//etc/hosts)");
}

#[test]
fn webfetch_rules_name_a_domain() {
    assert!(error("WebFetch(example.com)").contains("domain:example.com"));
    assert!(error("WebFetch(domain:)").contains("write a host"));
    rule("WebFetch(domain:*.example.com)");
}

#[test]
fn unknown_tools_accept_any_content() {
    assert_eq!(rule("Frobnicate(whatever it is)").content(), Some("whatever it is"));
}

#[test]
fn serialises_as_a_plain_string() {
    let r = rule("Bash(npm test:*)");
    assert_eq!(serde_json::to_value(&r).unwrap(), serde_json::json!("Bash(npm test:*)"));
    let back: Rule = serde_json::from_str("\" Bash(*) \"").unwrap();
    assert_eq!(back.as_str(), "Bash");
    let bad = serde_json::from_str::<Rule>("\"Bash(npm\"").unwrap_err().to_string();
    assert!(bad.contains("no closing parenthesis"), "{bad}");
}

#[test]
fn conversions_agree() {
    let r: Rule = "Read(src/**)".parse().unwrap();
    assert_eq!(r.to_string(), "Read(src/**)");
    assert_eq!(Rule::try_from("Read(src/**)".to_owned()).unwrap(), r);
    assert_eq!(String::from(r), "Read(src/**)");
}

#[test]
fn bash_exact_match() {
    assert!(bash_matches("npm run build", "npm run build"));
    assert!(!bash_matches("npm run build", "npm run build --prod"));
    assert!(!bash_matches("npm run build", "npm run"));
}

#[test]
fn bash_legacy_prefix_respects_word_boundaries() {
    assert!(bash_matches("npm test:*", "npm test"));
    assert!(bash_matches("npm test:*", "npm test --watch"));
    assert!(!bash_matches("npm test:*", "npm testing"));
}

#[test]
fn bash_trailing_space_star_matches_the_bare_prefix() {
    assert!(bash_matches("ls *", "ls"));
    assert!(bash_matches("ls *", "ls -la"));
    assert!(!bash_matches("ls *", "lsof"));
    assert!(bash_matches("ls*", "lsof"));
}

#[test]
fn bash_star_anywhere() {
    assert!(bash_matches("git * main", "git push origin main"));
    assert!(!bash_matches("git * main", "git push origin mainline"));
    assert!(bash_matches("* --version", "node --version"));
    assert!(!bash_matches("* --version", "node --version --verbose"));
}

#[test]
fn wildcard_is_linear_enough() {
    let text = "a".repeat(2000);
    assert!(!wildcard("*a*a*a*a*a*a*b", &text));
    assert!(wildcard("*a*a*a*", &text));
}
