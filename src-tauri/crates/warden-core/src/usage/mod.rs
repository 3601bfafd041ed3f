//! Usage: what agents' turns consumed and cost, summed per day, per agent and per model from
//! the stored `turnEnded` events (see [`report::UsageBuilder`]); costs an agent does not report
//! estimated with the shipped [`prices::PriceTable`]; the agent's own rate limits.

pub mod csv;
pub mod prices;
pub mod rate_limits;
pub mod report;

pub use prices::{ModelPrice, PriceTable, PriceTableError, PriceTableInfo};
pub use rate_limits::{Credits, RateLimitWindow, RateLimits, RateLimitsSeen};
pub use report::{TurnUsage, UsageBuilder};

use crate::session::AgentKind;
use serde::{Deserialize, Serialize};
use specta::Type;

/// Sums over some turns.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Type, Default)]
#[serde(rename_all = "camelCase")]
pub struct UsageTotals {
    /// Sessions with at least one of the turns.
    pub sessions: u32,
    /// Turns ended.
    pub turns: u32,
    /// Input tokens not read from the cache.
    pub input_tokens: u64,
    /// Output tokens.
    pub output_tokens: u64,
    /// Input tokens read from the prompt cache.
    pub cache_read_tokens: u64,
    /// Input tokens written to the prompt cache.
    pub cache_write_tokens: u64,
    /// Cost the agents reported, in US dollars.
    pub reported_cost_usd: f64,
    /// Cost estimated from token counts with the price table, in US dollars.
    pub estimated_cost_usd: f64,
    /// Turns whose cost is estimated.
    pub estimated_turns: u32,
    /// Turns whose cost is unknown (the agent reports no cost and its model is not in the price
    /// table, or it reports nothing at all): the cost is then at least the sum, never complete.
    pub unpriced_turns: u32,
}

impl UsageTotals {
    /// The cost known (reported plus estimated).
    pub fn cost_usd(&self) -> f64 {
        self.reported_cost_usd + self.estimated_cost_usd
    }
}

/// One day's sums.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct UsageDay {
    /// The day, `YYYY-MM-DD`, in the person's time zone.
    pub day: String,
    /// Its sums.
    pub totals: UsageTotals,
}

/// One agent's sums.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct UsageByAgent {
    /// The agent.
    pub agent: AgentKind,
    /// For a custom ACP agent: its name.
    pub agent_name: Option<String>,
    /// Its sums.
    pub totals: UsageTotals,
}

/// One model's sums (per agent: the same model through two agents is two rows).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct UsageByModel {
    /// The agent.
    pub agent: AgentKind,
    /// For a custom ACP agent: its name.
    pub agent_name: Option<String>,
    /// The model, when the agent named it.
    pub model: Option<String>,
    /// Whether the price table lists it.
    pub priced: bool,
    /// Its sums.
    pub totals: UsageTotals,
}

/// Usage of a project (or of every project) over a time range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct UsageReport {
    /// The project folder, or `None` for every project.
    pub project: Option<String>,
    /// Start of the range (turns ended at or after), milliseconds since the Unix epoch.
    pub from_ms: u64,
    /// End of the range (turns ended before).
    pub to_ms: u64,
    /// Everything.
    pub totals: UsageTotals,
    /// Per day, oldest first; days without turns left out.
    pub days: Vec<UsageDay>,
    /// Per agent, costliest first.
    pub agents: Vec<UsageByAgent>,
    /// Per agent and model, costliest first.
    pub models: Vec<UsageByModel>,
    /// The price table estimates come from.
    pub prices: PriceTableInfo,
    /// The latest rate limits an agent of these sessions reported, if any did.
    pub rate_limits: Option<RateLimitsSeen>,
}
