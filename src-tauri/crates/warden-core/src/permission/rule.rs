//! Permission rules as people write them, in Claude Code's syntax: `Bash(npm test:*)`,
//! `Read(src/**)`, `WebFetch(domain:example.com)`, `mcp__github`.

use super::path::PathPattern;
use std::fmt;
use std::str::FromStr;

/// A permission rule in Claude Code's syntax, stored normalised: trimmed, and `Tool(*)` written
/// as `Tool`, otherwise as written (`Bash(npm test *)` stays so). It is kept as its text because
/// that is what people read, edit and store; the parts are read back on demand.
///
/// Serialised as a plain JSON string, and a string in TypeScript; deserialising checks the
/// syntax, so a stored rule is always a valid one.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, specta::Type)]
#[serde(try_from = "String", into = "String")]
#[specta(transparent)]
pub struct Rule(String);

/// Why a text is not a rule. The messages quote the rule and say what to write instead,
/// because they are shown to the person who typed it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleError {
    /// The text is empty or starts with `(`.
    #[error("a rule needs a tool name, as in `Bash(npm test *)`")]
    MissingTool,
    /// An opening parenthesis is never closed.
    #[error("`{0}` has no closing parenthesis")]
    Unclosed(String),
    /// Something follows the closing parenthesis.
    #[error("`{0}`: nothing may follow the closing parenthesis")]
    TrailingText(String),
    /// `Tool()`: nothing between the parentheses.
    #[error("`{rule}` has nothing between its parentheses; write `{tool}` alone for every call")]
    EmptyContent {
        /// The rule as written.
        rule: String,
        /// Its tool name.
        tool: String,
    },
    /// The tool name has characters a tool name cannot have.
    #[error("`{rule}`: {reason}")]
    InvalidToolName {
        /// The rule as written.
        rule: String,
        /// What is wrong with the name.
        reason: String,
    },
    /// A Read, Edit or Write rule whose path pattern does not compile.
    #[error("`{rule}`: invalid path pattern: {reason}")]
    InvalidPath {
        /// The rule as written.
        rule: String,
        /// What is wrong with the pattern.
        reason: String,
    },
    /// Content that cannot mean anything for its tool, such as `WebFetch(example.com)`.
    #[error("`{rule}`: {reason}")]
    InvalidContent {
        /// The rule as written.
        rule: String,
        /// What to write instead.
        reason: String,
    },
}

/// The tools whose rules hold a path pattern.
pub(crate) const PATH_RULE_TOOLS: &[&str] = &["Read", "Edit", "Write"];

impl Rule {
    /// Parses a rule, trimming it and normalising `Tool(*)` to `Tool`.
    pub fn parse(text: &str) -> Result<Rule, RuleError> {
        let text = text.trim();
        let (tool, content) = match text.find('(') {
            None => (text, None),
            Some(open) => {
                let Some(close) = text.rfind(')').filter(|&close| close > open) else {
                    return Err(RuleError::Unclosed(text.to_owned()));
                };
                if close + 1 != text.len() {
                    return Err(RuleError::TrailingText(text.to_owned()));
                }
                (&text[..open], Some(text[open + 1..close].trim()))
            }
        };
        check_tool_name(text, tool)?;
        match content {
            None | Some("*") => Ok(Rule(tool.to_owned())),
            Some("") => {
                Err(RuleError::EmptyContent { rule: text.to_owned(), tool: tool.to_owned() })
            }
            Some(content) => {
                check_content(text, tool, content)?;
                Ok(Rule(format!("{tool}({content})")))
            }
        }
    }

    /// The tool the rule is about: `Bash` in `Bash(npm test:*)`.
    pub fn tool(&self) -> &str {
        match self.0.find('(') {
            Some(open) => &self.0[..open],
            None => &self.0,
        }
    }

    /// What the rule says about the tool's input: `npm test:*` in `Bash(npm test:*)`, or `None`
    /// for a rule that covers every call of the tool.
    pub fn content(&self) -> Option<&str> {
        let open = self.0.find('(')?;
        Some(&self.0[open + 1..self.0.len() - 1])
    }

    /// The rule's normalised text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn check_tool_name(rule: &str, tool: &str) -> Result<(), RuleError> {
    let invalid = |reason: &str| {
        Err(RuleError::InvalidToolName { rule: rule.to_owned(), reason: reason.to_owned() })
    };
    if tool.is_empty() {
        return Err(RuleError::MissingTool);
    }
    if tool.chars().any(char::is_whitespace) {
        return invalid("a tool name has no spaces; put the rest in parentheses: `Bash(npm test)`");
    }
    if tool.contains(')') {
        return invalid("it has a `)` but no `(` before it");
    }
    let server_star =
        tool.starts_with("mcp__") && tool.ends_with("__*") && tool.matches('*').count() == 1;
    if tool.contains('*') && !server_star {
        return invalid("a tool name cannot contain `*`, except as `mcp__server__*`");
    }
    Ok(())
}

fn check_content(rule: &str, tool: &str, content: &str) -> Result<(), RuleError> {
    let invalid = |reason: &str| {
        Err(RuleError::InvalidContent { rule: rule.to_owned(), reason: reason.to_owned() })
    };
    match tool {
        _ if PATH_RULE_TOOLS.contains(&tool) => PathPattern::parse(content)
            .map(drop)
            .map_err(|reason| RuleError::InvalidPath { rule: rule.to_owned(), reason }),
        "Bash" if content.strip_suffix(":*").is_some_and(|p| p.trim().is_empty()) => {
            invalid("there is no command before `:*`; write `Bash` alone to cover every command")
        }
        "WebFetch" => match content.strip_prefix("domain:") {
            Some(host) if !host.trim().is_empty() && !host.contains(['/', ' ']) => Ok(()),
            Some(_) => invalid("write a host after `domain:`, as in `WebFetch(domain:x.com)`"),
            None => invalid("WebFetch rules name a host, as in `WebFetch(domain:example.com)`"),
        },
        _ => Ok(()),
    }
}

/// Matches `text` against `pattern`, in which `*` stands for any run of characters (spaces and
/// slashes included) and every other character for itself.
pub(crate) fn wildcard(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    let (mut i, mut j) = (0, 0);
    // On a mismatch, retry from the last `*` with one more character swallowed: linear per star.
    let mut retry: Option<(usize, usize)> = None;
    while j < t.len() {
        if p.get(i) == Some(&'*') {
            retry = Some((i, j));
            i += 1;
        } else if p.get(i) == Some(&t[j]) {
            i += 1;
            j += 1;
        } else if let Some((star, swallowed)) = retry {
            i = star + 1;
            j = swallowed + 1;
            retry = Some((star, swallowed + 1));
        } else {
            return false;
        }
    }
    p[i..].iter().all(|&c| c == '*')
}

/// Whether a Bash rule's content matches one simple command's normalised text.
///
/// `prefix:*` is the legacy spelling of `prefix *`; a trailing ` *` also matches the bare prefix,
/// so `ls *` matches `ls` and `ls -la` but, for want of the space, not `lsof`.
pub(crate) fn bash_matches(content: &str, text: &str) -> bool {
    let spelled;
    let pattern = match content.strip_suffix(":*") {
        Some(prefix) => {
            spelled = format!("{prefix} *");
            spelled.as_str()
        }
        None => content,
    };
    wildcard(pattern, text) || pattern.strip_suffix(" *").is_some_and(|bare| wildcard(bare, text))
}

impl FromStr for Rule {
    type Err = RuleError;

    fn from_str(text: &str) -> Result<Rule, RuleError> {
        Rule::parse(text)
    }
}

impl TryFrom<String> for Rule {
    type Error = RuleError;

    fn try_from(text: String) -> Result<Rule, RuleError> {
        Rule::parse(&text)
    }
}

impl From<Rule> for String {
    fn from(rule: Rule) -> String {
        rule.0
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
#[path = "rule_tests.rs"]
mod tests;
