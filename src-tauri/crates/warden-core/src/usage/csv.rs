//! The usage export: one CSV row per day, agent and model (RFC 4180 quoting; text that a
//! spreadsheet would run as a formula is written as text).

use super::report::UsageRow;
use super::UsageTotals;

/// The header line's columns.
pub const COLUMNS: [&str; 14] = [
    "day",
    "agent",
    "model",
    "sessions",
    "turns",
    "input_tokens",
    "output_tokens",
    "cache_read_tokens",
    "cache_write_tokens",
    "reported_cost_usd",
    "estimated_cost_usd",
    "cost_usd",
    "cost",
    "unpriced_turns",
];

/// The rows as CSV text, header first, lines ending in CRLF as RFC 4180 has them.
pub fn to_csv(rows: &[UsageRow]) -> String {
    let mut out = String::new();
    line(&mut out, COLUMNS.iter().map(|c| c.to_string()));
    for row in rows {
        let t = &row.totals;
        let agent = row.agent_name.clone().unwrap_or_else(|| row.agent.as_str().to_owned());
        line(
            &mut out,
            [
                row.day.clone(),
                agent,
                row.model.clone().unwrap_or_default(),
                t.sessions.to_string(),
                t.turns.to_string(),
                t.input_tokens.to_string(),
                t.output_tokens.to_string(),
                t.cache_read_tokens.to_string(),
                t.cache_write_tokens.to_string(),
                dollars(t.reported_cost_usd),
                dollars(t.estimated_cost_usd),
                dollars(t.cost_usd()),
                cost_kind(t).to_owned(),
                t.unpriced_turns.to_string(),
            ]
            .into_iter(),
        );
    }
    out
}

/// How the cost of these turns is known: `reported`, `estimated`, `partly estimated`,
/// `partly unknown` or `unknown`.
pub fn cost_kind(t: &UsageTotals) -> &'static str {
    if t.turns > 0 && t.unpriced_turns == t.turns {
        "unknown"
    } else if t.unpriced_turns > 0 {
        "partly unknown"
    } else if t.estimated_turns > 0 && t.reported_cost_usd == 0.0 {
        "estimated"
    } else if t.estimated_turns > 0 {
        "partly estimated"
    } else {
        "reported"
    }
}

fn dollars(v: f64) -> String {
    format!("{v:.6}")
}

fn line(out: &mut String, fields: impl Iterator<Item = String>) {
    let fields: Vec<String> = fields.map(|f| field(&f)).collect();
    out.push_str(&fields.join(","));
    out.push_str("\r\n");
}

/// One field, quoted when it holds a comma, a quote or a line break (quotes doubled), and
/// prefixed with `'` when it starts like a spreadsheet formula (model names come from agents).
pub fn field(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{text}") } else { text.to_owned() };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::AgentKind;

    #[test]
    fn fields_are_quoted_and_formulas_defused() {
        assert_eq!(field("gpt-5"), "gpt-5");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("two\nlines"), "\"two\nlines\"");
        assert_eq!(field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(field("-1"), "'-1");
    }

    #[test]
    fn rows_become_lines_with_a_header() {
        let totals = UsageTotals { sessions: 1, turns: 2, input_tokens: 3, output_tokens: 4, estimated_cost_usd: 0.5, estimated_turns: 2, ..Default::default() };
        let rows = [UsageRow { day: "2026-12-07".into(), agent: AgentKind::Custom, agent_name: Some("my, agent".into()), model: None, totals }];
        let csv = to_csv(&rows);
        let lines: Vec<&str> = csv.split("\r\n").collect();
        assert_eq!(lines[0], COLUMNS.join(","));
        assert_eq!(lines[1], "2026-12-07,\"my, agent\",,1,2,3,4,0,0,0.000000,0.500000,0.500000,estimated,0");
        assert_eq!(lines[2], "", "the last line ends too");
    }
}
