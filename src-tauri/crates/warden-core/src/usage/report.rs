//! Summing turns into a [`UsageReport`]: each turn's cost decided once (reported, estimated from
//! the price table, or unknown), then added to the totals, its day, its agent, its model and the
//! day × agent × model rows the CSV export writes.

use super::prices::PriceTable;
use super::rate_limits::RateLimitsSeen;
use super::{UsageByAgent, UsageByModel, UsageDay, UsageReport, UsageTotals};
use crate::session::{AgentKind, SessionId, StopReason, Usage};
use std::collections::{BTreeMap, HashSet};

/// One ended turn, as the store read it.
#[derive(Debug, Clone, PartialEq)]
pub struct TurnUsage {
    /// Its session.
    pub session: SessionId,
    /// The session's agent.
    pub agent: AgentKind,
    /// For a custom ACP agent: its name.
    pub agent_name: Option<String>,
    /// The model in use when the turn ended, when known.
    pub model: Option<String>,
    /// When it ended, milliseconds since the Unix epoch.
    pub at_ms: u64,
    /// Why it ended.
    pub stop_reason: StopReason,
    /// Its tokens.
    pub usage: Usage,
    /// Its cost, where the agent reported it.
    pub cost_usd: Option<f64>,
}

/// Sums and the sessions they came from (a session is counted once per group).
#[derive(Debug, Default)]
struct Sum {
    totals: UsageTotals,
    sessions: HashSet<SessionId>,
}

/// How one turn's cost is known.
#[derive(Debug, Clone, Copy)]
enum Cost {
    Reported(f64),
    Estimated(f64),
    /// Nothing was spent that anyone could know of: a failed or interrupted turn before any
    /// token was counted.
    Nothing,
    Unknown,
}

impl Sum {
    fn add(&mut self, turn: &TurnUsage, cost: Cost) {
        let t = &mut self.totals;
        if self.sessions.insert(turn.session.clone()) {
            t.sessions += 1;
        }
        t.turns += 1;
        t.input_tokens += turn.usage.input_tokens;
        t.output_tokens += turn.usage.output_tokens;
        t.cache_read_tokens += turn.usage.cache_read_tokens;
        t.cache_write_tokens += turn.usage.cache_creation_tokens;
        match cost {
            Cost::Reported(c) => t.reported_cost_usd += c,
            Cost::Estimated(c) => {
                t.estimated_cost_usd += c;
                t.estimated_turns += 1;
            }
            Cost::Nothing => {}
            Cost::Unknown => t.unpriced_turns += 1,
        }
    }
}

/// One row of the CSV export: a day, an agent and a model.
#[derive(Debug, Clone, PartialEq)]
pub struct UsageRow {
    /// `YYYY-MM-DD`.
    pub day: String,
    /// The agent.
    pub agent: AgentKind,
    /// For a custom ACP agent: its name.
    pub agent_name: Option<String>,
    /// The model, when known.
    pub model: Option<String>,
    /// The sums.
    pub totals: UsageTotals,
}

type AgentKey = (&'static str, Option<String>);

/// Collects turns, then gives the report and the CSV rows.
pub struct UsageBuilder<'a> {
    prices: &'a PriceTable,
    offset_minutes: i32,
    all: Sum,
    days: BTreeMap<String, Sum>,
    agents: BTreeMap<AgentKey, (AgentKind, Sum)>,
    models: BTreeMap<(AgentKey, Option<String>), (AgentKind, Sum)>,
    rows: BTreeMap<(String, AgentKey, Option<String>), (AgentKind, Sum)>,
}

impl<'a> UsageBuilder<'a> {
    /// A builder pricing with `prices`, putting turns on days `offset_minutes` east of UTC.
    pub fn new(prices: &'a PriceTable, offset_minutes: i32) -> Self {
        Self {
            prices,
            offset_minutes,
            all: Sum::default(),
            days: BTreeMap::new(),
            agents: BTreeMap::new(),
            models: BTreeMap::new(),
            rows: BTreeMap::new(),
        }
    }

    /// Adds one turn.
    pub fn add(&mut self, turn: &TurnUsage) {
        let cost = self.cost(turn);
        let day = day_of(turn.at_ms, self.offset_minutes);
        let agent: AgentKey = (turn.agent.as_str(), turn.agent_name.clone());
        self.all.add(turn, cost);
        self.days.entry(day.clone()).or_default().add(turn, cost);
        self.agents.entry(agent.clone()).or_insert_with(|| (turn.agent, Sum::default())).1.add(turn, cost);
        let model_key = (agent.clone(), turn.model.clone());
        self.models.entry(model_key).or_insert_with(|| (turn.agent, Sum::default())).1.add(turn, cost);
        self.rows.entry((day, agent, turn.model.clone())).or_insert_with(|| (turn.agent, Sum::default())).1.add(turn, cost);
    }

    fn cost(&self, turn: &TurnUsage) -> Cost {
        if let Some(c) = turn.cost_usd {
            return Cost::Reported(c);
        }
        if let Some(price) = turn.model.as_deref().and_then(|m| self.prices.price(m)) {
            return Cost::Estimated(price.cost(&turn.usage));
        }
        let failed = matches!(turn.stop_reason, StopReason::Error | StopReason::Cancelled);
        if failed && turn.usage == Usage::default() {
            Cost::Nothing
        } else {
            Cost::Unknown
        }
    }

    /// The report (without rate limits, which the store adds).
    pub fn report(&self, project: Option<String>, from_ms: u64, to_ms: u64, rate_limits: Option<RateLimitsSeen>) -> UsageReport {
        let costliest = |a: &UsageTotals, b: &UsageTotals| b.cost_usd().total_cmp(&a.cost_usd()).then(b.turns.cmp(&a.turns));
        let mut agents: Vec<UsageByAgent> = self
            .agents
            .iter()
            .map(|((_, name), (agent, sum))| UsageByAgent { agent: *agent, agent_name: name.clone(), totals: sum.totals })
            .collect();
        agents.sort_by(|a, b| costliest(&a.totals, &b.totals));
        let mut models: Vec<UsageByModel> = self
            .models
            .iter()
            .map(|(((_, name), model), (agent, sum))| UsageByModel {
                agent: *agent,
                agent_name: name.clone(),
                model: model.clone(),
                priced: model.as_deref().is_some_and(|m| self.prices.price(m).is_some()),
                totals: sum.totals,
            })
            .collect();
        models.sort_by(|a, b| costliest(&a.totals, &b.totals));
        UsageReport {
            project,
            from_ms,
            to_ms,
            totals: self.all.totals,
            days: self.days.iter().map(|(day, sum)| UsageDay { day: day.clone(), totals: sum.totals }).collect(),
            agents,
            models,
            prices: self.prices.info(),
            rate_limits,
        }
    }

    /// Day × agent × model rows, by day, then agent, then model.
    pub fn rows(&self) -> Vec<UsageRow> {
        self.rows
            .iter()
            .map(|((day, (_, name), model), (agent, sum))| UsageRow {
                day: day.clone(),
                agent: *agent,
                agent_name: name.clone(),
                model: model.clone(),
                totals: sum.totals,
            })
            .collect()
    }
}

/// The calendar day (`YYYY-MM-DD`) of `at_ms`, `offset_minutes` east of UTC.
pub fn day_of(at_ms: u64, offset_minutes: i32) -> String {
    let local_s = (at_ms / 1000) as i64 + i64::from(offset_minutes) * 60;
    let (y, m, d) = civil_from_days(local_s.div_euclid(86_400));
    format!("{y:04}-{m:02}-{d:02}")
}

/// Year, month and day of a count of days since 1970-01-01 (the proleptic Gregorian calendar;
/// the usual era-based conversion).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = (if mp < 10 { mp + 3 } else { mp - 9 }) as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> PriceTable {
        PriceTable::parse(r#"{"written":"2026-12-07","source":"test","models":{"gpt-x":{"input":2,"cachedInput":0.5,"output":10}}}"#)
            .expect("parses")
    }

    fn turn(session: &str, agent: AgentKind, model: Option<&str>, at_ms: u64, usage: (u64, u64, u64, u64), cost: Option<f64>) -> TurnUsage {
        TurnUsage {
            session: SessionId(session.into()),
            agent,
            agent_name: None,
            model: model.map(str::to_owned),
            at_ms,
            stop_reason: StopReason::EndTurn,
            usage: Usage { input_tokens: usage.0, output_tokens: usage.1, cache_read_tokens: usage.2, cache_creation_tokens: usage.3 },
            cost_usd: cost,
        }
    }

    #[test]
    fn days_are_the_persons_days() {
        assert_eq!(day_of(0, 0), "1970-01-01");
        // 2026-12-07T23:30:00Z is already the 8th two hours east and still the 7th five hours west.
        let t = 1_796_686_200_000;
        assert_eq!(day_of(t, 0), "2026-12-07");
        assert_eq!(day_of(t, 120), "2026-12-08");
        assert_eq!(day_of(t, -300), "2026-12-07");
        assert_eq!(day_of(951_782_400_000, 0), "2000-02-29");
    }

    #[test]
    fn reported_estimated_and_unknown_costs_are_kept_apart() {
        let prices = table();
        let mut b = UsageBuilder::new(&prices, 0);
        let day = 86_400_000;
        b.add(&turn("a", AgentKind::Claude, Some("opus"), day, (10, 20, 30, 40), Some(0.25)));
        // 1M input at 2 + 1M cached at 0.5 + 0.1M output at 10 = 3.5
        b.add(&turn("b", AgentKind::Codex, Some("gpt-x"), day + 5, (1_000_000, 100_000, 1_000_000, 0), None));
        b.add(&turn("b", AgentKind::Codex, Some("gpt-unlisted"), 2 * day, (5, 5, 0, 0), None));
        let mut cancelled = turn("c", AgentKind::Gemini, None, 2 * day, (0, 0, 0, 0), None);
        cancelled.stop_reason = StopReason::Cancelled;
        b.add(&cancelled);
        let r = b.report(None, 0, 3 * day, None);
        let t = r.totals;
        assert_eq!((t.sessions, t.turns, t.estimated_turns, t.unpriced_turns), (3, 4, 1, 1));
        assert_eq!((t.input_tokens, t.output_tokens, t.cache_read_tokens, t.cache_write_tokens), (1_000_015, 100_025, 1_000_030, 40));
        assert!((t.reported_cost_usd - 0.25).abs() < 1e-12 && (t.estimated_cost_usd - 3.5).abs() < 1e-9);
        assert_eq!(r.days.iter().map(|d| (d.day.as_str(), d.totals.turns)).collect::<Vec<_>>(), [("1970-01-02", 2), ("1970-01-03", 2)]);
        let codex = r.agents.iter().find(|a| a.agent == AgentKind::Codex).expect("codex row");
        assert_eq!((codex.totals.sessions, codex.totals.turns), (1, 2));
        assert_eq!(r.agents[0].agent, AgentKind::Codex, "costliest first");
        let unlisted = r.models.iter().find(|m| m.model.as_deref() == Some("gpt-unlisted")).expect("row");
        assert!(!unlisted.priced && unlisted.totals.unpriced_turns == 1 && unlisted.totals.cost_usd() == 0.0);
        assert_eq!(b.rows().len(), 4);
    }
}
