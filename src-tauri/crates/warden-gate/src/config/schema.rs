//! The JSON Schema of `checks.toml`, derived from the same types the file is read into, so it
//! cannot drift from what Warden accepts. It is shipped (`checks.schema.json` beside this
//! crate's manifest) for editors; Warden itself validates by reading the file into the types,
//! which gives the line and field of every error.

/// The schema as pretty JSON with a final newline, as it is committed.
pub fn checks_schema_json() -> String {
    let schema = schemars::schema_for!(super::file::ChecksFile);
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}
