//! The small value types of `checks.toml` that are checked while the file is read — durations,
//! parsers, globs, secrets, exit codes, event names — so a bad value is reported by the TOML
//! reader with the line and column of that value.

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use schemars::gen::SchemaGenerator;
use schemars::schema::{InstanceType, Schema, SchemaObject, StringValidation};
use schemars::JsonSchema;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use std::fmt;
use std::time::Duration;

/// A string schema with a pattern and a description, for the hand-written schemas below.
fn string_schema(pattern: Option<&str>, description: &str) -> Schema {
    let mut schema = SchemaObject { instance_type: Some(InstanceType::String.into()), ..Default::default() };
    if let Some(pattern) = pattern {
        schema.string = Some(Box::new(StringValidation { pattern: Some(pattern.to_owned()), ..Default::default() }));
    }
    schema.metadata().description = Some(description.to_owned());
    schema.into()
}

/// A duration written as a number and a unit, several of them added up: `10ms`, `30s`, `15m`,
/// `2h`, `1h30m`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DurationText(pub Duration);

impl DurationText {
    /// Reads `15m`, `30s`, `10ms`, `1h30m`; a bare number or an unknown unit is refused, so
    /// `timeout = "15"` cannot be taken for seconds when minutes were meant.
    pub fn parse(text: &str) -> Result<Self, String> {
        let bad = || format!("`{text}` is not a duration: write a number and a unit (ms, s, m, h), e.g. \"30s\" or \"15m\"");
        let mut total = Duration::ZERO;
        let mut rest = text.trim();
        if rest.is_empty() {
            return Err(bad());
        }
        while !rest.is_empty() {
            let digits = rest.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?;
            if digits == 0 {
                return Err(bad());
            }
            let number: u64 = rest[..digits].parse().map_err(|_| bad())?;
            rest = &rest[digits..];
            let unit_len = rest.find(|c: char| c.is_ascii_digit()).unwrap_or(rest.len());
            let step = match &rest[..unit_len] {
                "ms" => Duration::from_millis(number),
                "s" => Duration::from_secs(number),
                "m" => Duration::from_secs(number.saturating_mul(60)),
                "h" => Duration::from_secs(number.saturating_mul(3600)),
                _ => return Err(bad()),
            };
            total = total.saturating_add(step);
            rest = &rest[unit_len..];
        }
        Ok(Self(total))
    }
}

impl<'de> Deserialize<'de> for DurationText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Self::parse(&text).map_err(de::Error::custom)
    }
}

impl JsonSchema for DurationText {
    fn schema_name() -> String {
        "Duration".to_owned()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        string_schema(Some("^([0-9]+(ms|s|m|h))+$"), "A duration: a number and a unit (ms, s, m, h), e.g. \"30s\", \"15m\", \"1h30m\".")
    }
}

/// How a check's output becomes findings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParserSpec {
    /// Only the exit code: 0 passed, anything else failed with one finding.
    ExitCode,
    /// `cargo test` output: one finding per failed test.
    CargoTest,
    /// pytest's summary: one finding per failed test.
    Pytest,
    /// A JUnit XML report the check writes at this path (relative to the check's folder).
    Junit(String),
    /// The TypeScript compiler's `file(line,col): error TS…` lines.
    Tsc,
}

/// The parser names as written, for messages and the schema.
const PARSER_NAMES: &str = "exit-code, cargo-test, pytest, tsc, junit:PATH";

impl ParserSpec {
    /// Reads a parser as written in the file.
    pub fn parse(text: &str) -> Result<Self, String> {
        match text {
            "exit-code" => Ok(Self::ExitCode),
            "cargo-test" => Ok(Self::CargoTest),
            "pytest" => Ok(Self::Pytest),
            "tsc" => Ok(Self::Tsc),
            _ => match text.strip_prefix("junit:") {
                Some(path) if !path.trim().is_empty() => Ok(Self::Junit(path.trim().to_owned())),
                Some(_) => Err("`junit:` needs the report's path, e.g. \"junit:target/junit.xml\"".to_owned()),
                None => Err(format!("unknown parser `{text}`: use one of {PARSER_NAMES}")),
            },
        }
    }

    /// The parser as written in the file.
    pub fn as_text(&self) -> String {
        match self {
            Self::ExitCode => "exit-code".to_owned(),
            Self::CargoTest => "cargo-test".to_owned(),
            Self::Pytest => "pytest".to_owned(),
            Self::Tsc => "tsc".to_owned(),
            Self::Junit(path) => format!("junit:{path}"),
        }
    }
}

impl<'de> Deserialize<'de> for ParserSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Self::parse(&text).map_err(de::Error::custom)
    }
}

impl Serialize for ParserSpec {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.as_text())
    }
}

impl JsonSchema for ParserSpec {
    fn schema_name() -> String {
        "Parser".to_owned()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        string_schema(
            Some("^(exit-code|cargo-test|pytest|tsc|junit:.+)$"),
            "How the output becomes findings: exit-code, cargo-test, pytest, tsc, or junit:PATH (a JUnit XML report the check writes).",
        )
    }
}

/// One string or a list of strings (`agent = "claude"` or `agent = ["claude", "codex"]`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StringList(pub Vec<String>);

impl<'de> Deserialize<'de> for StringList {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = StringList;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string or a list of strings")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<StringList, E> {
                Ok(StringList(vec![v.to_owned()]))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<StringList, A::Error> {
                let mut out = Vec::new();
                while let Some(item) = seq.next_element::<String>()? {
                    out.push(item);
                }
                Ok(StringList(out))
            }
        }
        d.deserialize_any(V)
    }
}

impl JsonSchema for StringList {
    fn schema_name() -> String {
        "StringOrList".to_owned()
    }
    fn json_schema(gen: &mut SchemaGenerator) -> Schema {
        let mut schema = SchemaObject::default();
        schema.subschemas().any_of = Some(vec![gen.subschema_for::<String>(), gen.subschema_for::<Vec<String>>()]);
        schema.into()
    }
}

/// One round number or a list of them (`round = 1`, `round = [1, 2]`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RoundList(pub Vec<u32>);

impl<'de> Deserialize<'de> for RoundList {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RoundList;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a round number (1 is the person's own turn) or a list of them")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RoundList, E> {
                round(v).map(|r| RoundList(vec![r]))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RoundList, E> {
                self.visit_i64(i64::try_from(v).unwrap_or(-1))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RoundList, A::Error> {
                let mut out = Vec::new();
                while let Some(item) = seq.next_element::<i64>()? {
                    out.push(round(item)?);
                }
                Ok(RoundList(out))
            }
        }
        fn round<E: de::Error>(v: i64) -> Result<u32, E> {
            u32::try_from(v).ok().filter(|r| *r >= 1).ok_or_else(|| E::custom(format!("round {v} does not exist: rounds count from 1")))
        }
        d.deserialize_any(V)
    }
}

impl JsonSchema for RoundList {
    fn schema_name() -> String {
        "Rounds".to_owned()
    }
    fn json_schema(gen: &mut SchemaGenerator) -> Schema {
        let mut schema = SchemaObject::default();
        schema.subschemas().any_of = Some(vec![gen.subschema_for::<u32>(), gen.subschema_for::<Vec<u32>>()]);
        schema.into()
    }
}

/// Which glob dialect a list is compiled in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum GlobFlavor {
    /// Project-relative paths: `*` stays within a folder, and a pattern without `/` matches a
    /// file name anywhere (as in `.gitignore`), so `*.rs` means every Rust file.
    Paths,
    /// Command lines: `*` matches anything, `/` included (`cargo test*`).
    Commands,
}

/// Compiled globs with the patterns as written.
#[derive(Debug, Clone)]
pub struct Globs {
    patterns: Vec<String>,
    set: GlobSet,
}

impl Globs {
    fn compile(patterns: Vec<String>, flavor: GlobFlavor) -> Result<Self, String> {
        let mut builder = GlobSetBuilder::new();
        for pattern in &patterns {
            let written = match flavor {
                GlobFlavor::Paths if !pattern.contains('/') => format!("**/{pattern}"),
                _ => pattern.clone(),
            };
            let glob = GlobBuilder::new(&written)
                .literal_separator(flavor == GlobFlavor::Paths)
                .backslash_escape(true)
                .build()
                .map_err(|e| format!("`{pattern}` is not a glob: {}", e.kind()))?;
            builder.add(glob);
        }
        let set = builder.build().map_err(|e| e.to_string())?;
        Ok(Self { patterns, set })
    }

    /// Path globs (see the `changed` filter).
    pub fn paths(patterns: Vec<String>) -> Result<Self, String> {
        Self::compile(patterns, GlobFlavor::Paths)
    }

    /// Command globs (see the `command` filter).
    pub fn commands(patterns: Vec<String>) -> Result<Self, String> {
        Self::compile(patterns, GlobFlavor::Commands)
    }

    /// The patterns as written.
    pub fn patterns(&self) -> &[String] {
        &self.patterns
    }

    /// Whether any pattern matches `text`.
    pub fn is_match(&self, text: &str) -> bool {
        self.set.is_match(text)
    }

    /// The first pattern that matches `text`, to say why a check ran.
    pub fn first_match(&self, text: &str) -> Option<&str> {
        self.set.matches(text).first().map(|i| self.patterns[*i].as_str())
    }
}

impl PartialEq for Globs {
    fn eq(&self, other: &Self) -> bool {
        self.patterns == other.patterns
    }
}

impl Serialize for Globs {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.patterns.serialize(s)
    }
}

/// `when.changed`: globs over the project-relative paths the task changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(transparent)]
pub struct PathGlobs(pub Globs);

/// `when.command`: globs over a finished tool call's command line.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(transparent)]
pub struct CommandGlobs(pub Globs);

impl<'de> Deserialize<'de> for PathGlobs {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let list = StringList::deserialize(d)?;
        Globs::paths(list.0).map(Self).map_err(de::Error::custom)
    }
}

impl<'de> Deserialize<'de> for CommandGlobs {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let list = StringList::deserialize(d)?;
        Globs::commands(list.0).map(Self).map_err(de::Error::custom)
    }
}

impl JsonSchema for PathGlobs {
    fn schema_name() -> String {
        "PathGlobs".to_owned()
    }
    fn json_schema(gen: &mut SchemaGenerator) -> Schema {
        StringList::json_schema(gen)
    }
}

impl JsonSchema for CommandGlobs {
    fn schema_name() -> String {
        "CommandGlobs".to_owned()
    }
    fn json_schema(gen: &mut SchemaGenerator) -> Schema {
        StringList::json_schema(gen)
    }
}

/// Where a webhook's signing secret comes from. Never the secret itself: the project file is
/// shared through the repository.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(rename = "Secret")]
pub enum SecretRef {
    /// The value of this environment variable of Warden's process.
    Env(String),
    /// An entry of the operating system's keychain, `service/name` (or `name` of service
    /// `warden`); read when the secret is needed ([`crate::secrets`]).
    Keychain(String),
}

impl<'de> Deserialize<'de> for SecretRef {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = SecretRef;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("{ env = \"VARIABLE\" } or { keychain = \"service/name\" }")
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<SecretRef, E> {
                // The value itself is not repeated in the message: it may be the secret.
                Err(E::custom(
                    "a secret is never written into the file (it is shared through the repository): \
                     name where it is kept, secret = { env = \"NAME\" } or secret = { keychain = \"service/name\" }",
                ))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<SecretRef, A::Error> {
                let mut found = None;
                while let Some(key) = map.next_key::<String>()? {
                    let value: String = map.next_value()?;
                    let secret = match key.as_str() {
                        "env" => SecretRef::Env(value),
                        "keychain" => SecretRef::Keychain(value),
                        other => return Err(de::Error::custom(format!("unknown secret source `{other}`: use env (or keychain)"))),
                    };
                    if found.replace(secret).is_some() {
                        return Err(de::Error::custom("a secret has one source: env or keychain"));
                    }
                }
                match found {
                    Some(SecretRef::Env(name)) if name.trim().is_empty() || name.contains('=') => {
                        Err(de::Error::custom("secret.env must name an environment variable"))
                    }
                    Some(SecretRef::Keychain(entry)) if crate::secrets::KeychainEntry::parse(&entry).is_none() => {
                        Err(de::Error::custom("secret.keychain must name an entry: \"service/name\" (or \"name\" of service warden)"))
                    }
                    Some(secret) => Ok(secret),
                    None => Err(de::Error::custom("secret needs its source: secret = { env = \"NAME\" }")),
                }
            }
        }
        d.deserialize_any(V)
    }
}

/// `when.exit_code`: `0`, `"!=0"`, or a list of codes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ExitCodeFilter {
    /// One of these codes.
    AnyOf(Vec<i64>),
    /// Any code but this one (`"!=0"`: the command failed).
    Not(i64),
}

impl ExitCodeFilter {
    /// Whether `code` passes the filter.
    pub fn matches(&self, code: i64) -> bool {
        match self {
            Self::AnyOf(codes) => codes.contains(&code),
            Self::Not(other) => code != *other,
        }
    }
}

impl<'de> Deserialize<'de> for ExitCodeFilter {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = ExitCodeFilter;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an exit code, \"!=N\", or a list of exit codes")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<ExitCodeFilter, E> {
                Ok(ExitCodeFilter::AnyOf(vec![v]))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<ExitCodeFilter, E> {
                i64::try_from(v).map(|v| ExitCodeFilter::AnyOf(vec![v])).map_err(|_| E::custom("exit code out of range"))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<ExitCodeFilter, E> {
                let bad = || E::custom(format!("`{v}` is not an exit code filter: write 0, \"!=0\" or [1, 2]"));
                match v.trim().strip_prefix("!=") {
                    Some(n) => n.trim().parse().map(ExitCodeFilter::Not).map_err(|_| bad()),
                    None => v.trim().parse().map(|n| ExitCodeFilter::AnyOf(vec![n])).map_err(|_| bad()),
                }
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<ExitCodeFilter, A::Error> {
                let mut out = Vec::new();
                while let Some(item) = seq.next_element::<i64>()? {
                    out.push(item);
                }
                Ok(ExitCodeFilter::AnyOf(out))
            }
        }
        d.deserialize_any(V)
    }
}

impl JsonSchema for ExitCodeFilter {
    fn schema_name() -> String {
        "ExitCodeFilter".to_owned()
    }
    fn json_schema(gen: &mut SchemaGenerator) -> Schema {
        let mut schema = SchemaObject::default();
        schema.subschemas().any_of = Some(vec![
            gen.subschema_for::<i64>(),
            string_schema(Some("^\\s*(!=)?\\s*-?[0-9]+\\s*$"), "\"!=0\": any code but 0"),
            gen.subschema_for::<Vec<i64>>(),
        ]);
        schema.into()
    }
}

/// The event types of the session stream a webhook can subscribe to (`*` for all).
pub const EVENT_TYPES: &[&str] = &[
    "session.started",
    "session.ended",
    "task.started",
    "task.completed",
    "task.finished",
    "turn.started",
    "turn.completed",
    "tool.completed",
    "files.changed",
    "permission.requested",
    "permission.resolved",
    "check.started",
    "check.completed",
    "review.started",
    "review.completed",
    "gate.passed",
    "gate.blocked",
    "gate.exhausted",
    "feedback.proposed",
    "feedback.sent",
    "feedback.dismissed",
    "hook.observed",
];

/// An event type a webhook subscribes to, checked against [`EVENT_TYPES`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct EventName(pub String);

impl<'de> Deserialize<'de> for EventName {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        if text == "*" || EVENT_TYPES.contains(&text.as_str()) {
            Ok(Self(text))
        } else {
            Err(de::Error::custom(format!("unknown event type `{text}`: use one of {}, or \"*\"", EVENT_TYPES.join(", "))))
        }
    }
}

impl JsonSchema for EventName {
    fn schema_name() -> String {
        "EventType".to_owned()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let mut schema = SchemaObject { instance_type: Some(InstanceType::String.into()), ..Default::default() };
        let mut names: Vec<serde_json::Value> = EVENT_TYPES.iter().map(|e| serde_json::Value::from(*e)).collect();
        names.push("*".into());
        schema.enum_values = Some(names);
        schema.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_take_units_and_sums_and_refuse_bare_numbers() {
        assert_eq!(DurationText::parse("15m").unwrap().0, Duration::from_secs(900));
        assert_eq!(DurationText::parse("30s").unwrap().0, Duration::from_secs(30));
        assert_eq!(DurationText::parse("10ms").unwrap().0, Duration::from_millis(10));
        assert_eq!(DurationText::parse("1h30m").unwrap().0, Duration::from_secs(5400));
        for bad in ["15", "", "m", "15 minutes", "1.5s", "-1s", "15x"] {
            assert!(DurationText::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn parsers_are_known_names_or_junit_with_a_path() {
        assert_eq!(ParserSpec::parse("junit:target/j.xml").unwrap(), ParserSpec::Junit("target/j.xml".into()));
        assert_eq!(ParserSpec::parse("cargo-test").unwrap().as_text(), "cargo-test");
        assert!(ParserSpec::parse("junit:").unwrap_err().contains("path"));
        let err = ParserSpec::parse("jest").unwrap_err();
        assert!(err.contains("unknown parser `jest`") && err.contains("cargo-test"), "{err}");
    }

    #[test]
    fn path_globs_without_a_slash_match_a_file_name_anywhere() {
        let globs = Globs::paths(vec!["*.rs".into(), "docs/*.md".into()]).unwrap();
        assert!(globs.is_match("main.rs") && globs.is_match("src/a/b.rs"));
        assert!(globs.is_match("docs/x.md") && !globs.is_match("docs/sub/x.md"), "* stays in its folder");
        assert_eq!(globs.first_match("src/lib.rs"), Some("*.rs"));
        let commands = Globs::commands(vec!["cargo test*".into()]).unwrap();
        assert!(commands.is_match("cargo test -p x/y") && !commands.is_match("cargo build"));
        assert!(Globs::paths(vec!["src/[".into()]).is_err());
    }

    #[test]
    fn exit_code_filters() {
        assert!(ExitCodeFilter::Not(0).matches(2) && !ExitCodeFilter::Not(0).matches(0));
        assert!(ExitCodeFilter::AnyOf(vec![1, 2]).matches(2));
    }
}
