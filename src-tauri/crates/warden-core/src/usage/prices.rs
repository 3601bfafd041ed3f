//! The price table Warden ships (`prices.json`, dated, its source named) and what a turn's
//! tokens cost by it: how costs an agent does not report (Codex's) are estimated.

use crate::session::Usage;
use serde::{Deserialize, Serialize};
use specta::Type;
use std::collections::BTreeMap;

/// The table as shipped. It is data, not code, so updating prices touches one file.
const SHIPPED: &str = include_str!("prices.json");

/// What one model costs, in US dollars per million tokens.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ModelPrice {
    /// Input tokens that were not read from the cache.
    pub input: f64,
    /// Input tokens read from the prompt cache.
    pub cached_input: f64,
    /// Output tokens (reasoning included, as the providers bill it).
    pub output: f64,
    /// Input tokens written to the cache, where the provider bills them apart; the input price
    /// when absent (OpenAI does not charge for cache writes).
    #[serde(default)]
    pub cache_write: Option<f64>,
}

impl ModelPrice {
    /// What `usage` costs at these prices.
    pub fn cost(&self, usage: &Usage) -> f64 {
        let per = |tokens: u64, price: f64| tokens as f64 * price / 1_000_000.0;
        per(usage.input_tokens, self.input)
            + per(usage.cache_read_tokens, self.cached_input)
            + per(usage.cache_creation_tokens, self.cache_write.unwrap_or(self.input))
            + per(usage.output_tokens, self.output)
    }
}

/// When the table was written and where its prices come from, shown beside estimated costs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PriceTableInfo {
    /// The day the table was written, `YYYY-MM-DD`.
    pub written: String,
    /// Where the prices were taken from.
    pub source: String,
}

/// Prices per model.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PriceTable {
    /// The day the table was written, `YYYY-MM-DD`.
    pub written: String,
    /// Where the prices were taken from.
    pub source: String,
    /// Prices by the model name the agent reports.
    pub models: BTreeMap<String, ModelPrice>,
}

/// Why a price table could not be used.
#[derive(Debug, thiserror::Error)]
pub enum PriceTableError {
    /// Not the expected JSON.
    #[error("price table: {0}")]
    Parse(#[from] serde_json::Error),
    /// The date is not `YYYY-MM-DD`.
    #[error("price table: written '{0}' is not a YYYY-MM-DD date")]
    Date(String),
    /// A price is negative or not a number.
    #[error("price table: model '{0}' has a negative or non-finite price")]
    Price(String),
}

impl PriceTable {
    /// The table shipped with this version of Warden.
    pub fn shipped() -> Result<Self, PriceTableError> {
        Self::parse(SHIPPED)
    }

    /// Reads and checks a table: dated, every price a finite non-negative number.
    pub fn parse(text: &str) -> Result<Self, PriceTableError> {
        let table: PriceTable = serde_json::from_str(text)?;
        if !is_date(&table.written) {
            return Err(PriceTableError::Date(table.written));
        }
        for (model, p) in &table.models {
            let prices = [p.input, p.cached_input, p.output, p.cache_write.unwrap_or(0.0)];
            if prices.iter().any(|v| !v.is_finite() || *v < 0.0) {
                return Err(PriceTableError::Price(model.clone()));
            }
        }
        Ok(table)
    }

    /// The price of `model`: its exact name first, then ignoring case. No guessing from similar
    /// names: a model the table does not list has an unknown cost, never a borrowed one.
    pub fn price(&self, model: &str) -> Option<&ModelPrice> {
        self.models
            .get(model)
            .or_else(|| self.models.iter().find(|(name, _)| name.eq_ignore_ascii_case(model)).map(|(_, p)| p))
    }

    /// Its date and source.
    pub fn info(&self) -> PriceTableInfo {
        PriceTableInfo { written: self.written.clone(), source: self.source.clone() }
    }
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| if i == 4 || i == 7 { *c == b'-' } else { c.is_ascii_digit() })
        && (1..=12).contains(&s[5..7].parse::<u32>().unwrap_or(0))
        && (1..=31).contains(&s[8..10].parse::<u32>().unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_table_parses_is_dated_and_names_its_source() {
        let table = PriceTable::shipped().expect("the shipped table parses");
        assert!(is_date(&table.written), "{}", table.written);
        assert!(table.written.as_str() >= "2026-01-01", "written {}", table.written);
        assert!(table.source.contains("openai.com"), "{}", table.source);
        assert!(table.price("gpt-5.5").is_some() && table.price("GPT-5.5").is_some());
        assert!(table.price("gpt-5.5-unknown").is_none(), "no prefix guessing");
        assert!(table.models.values().all(|p| p.cached_input <= p.input && p.input <= p.output));
    }

    #[test]
    fn cost_counts_each_kind_of_token_at_its_price() {
        let p = ModelPrice { input: 2.0, cached_input: 0.5, output: 8.0, cache_write: None };
        let u = Usage { input_tokens: 1_000_000, output_tokens: 500_000, cache_read_tokens: 2_000_000, cache_creation_tokens: 100_000 };
        // 2.0 + 4.0 + 1.0 + 0.2 (cache writes at the input price)
        assert!((p.cost(&u) - 7.2).abs() < 1e-9, "{}", p.cost(&u));
        let written = ModelPrice { cache_write: Some(3.0), ..p };
        assert!((written.cost(&u) - 7.3).abs() < 1e-9);
    }

    #[test]
    fn an_undated_or_negative_table_is_refused() {
        let m = r#""models":{"m":{"input":1,"cachedInput":0.1,"output":2}}"#;
        assert!(PriceTable::parse(&format!(r#"{{"written":"2026-12-07","source":"s",{m}}}"#)).is_ok());
        assert!(matches!(PriceTable::parse(&format!(r#"{{"written":"07.12.2026","source":"s",{m}}}"#)), Err(PriceTableError::Date(_))));
        assert!(matches!(PriceTable::parse(&format!(r#"{{"source":"s",{m}}}"#)), Err(PriceTableError::Parse(_))));
        let negative = r#"{"written":"2026-12-07","source":"s","models":{"m":{"input":-1,"cachedInput":0.1,"output":2}}}"#;
        assert!(matches!(PriceTable::parse(negative), Err(PriceTableError::Price(_))));
        let typo = r#"{"written":"2026-12-07","source":"s","models":{"m":{"inptu":1,"cachedInput":0.1,"output":2}}}"#;
        assert!(PriceTable::parse(typo).is_err(), "a misspelt field is an error, not a price of 0");
    }
}
