//! The overhead table: medians of the runs of each row, bare and through Warden, and their
//! ratio; the split of that ratio into the agent's protocol mode and Warden's own part; then the
//! machine and the versions measured.

use std::fmt::Write as _;
use std::time::Duration;

/// The measured runs of one row.
#[derive(Debug, Default, Clone)]
pub struct Row {
    /// "Claude Code", …
    pub agent: String,
    /// "no tool", "one tool".
    pub turn: String,
    /// Wall times of the bare runs.
    pub bare_wall: Vec<Duration>,
    /// CPU times of the bare runs.
    pub bare_cpu: Vec<Duration>,
    /// Wall times of the agent in Warden's mode, without Warden.
    pub mode_wall: Vec<Duration>,
    /// CPU times of the agent in Warden's mode, without Warden.
    pub mode_cpu: Vec<Duration>,
    /// Wall times of the runs through Warden.
    pub warden_wall: Vec<Duration>,
    /// CPU times of the runs through Warden.
    pub warden_cpu: Vec<Duration>,
}

/// The median (the mean of the middle two for an even count); zero for none.
pub fn median(values: &[Duration]) -> Duration {
    let mut sorted = values.to_vec();
    sorted.sort();
    match sorted.len() {
        0 => Duration::ZERO,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2,
    }
}

/// The ratio of the medians of `top` and `bottom`, with its 90 % interval when the runs vary
/// (see [`crate::spread`]): `1.058 (1.03–1.09)`.
fn ratio(top: &[Duration], bottom: &[Duration]) -> String {
    let below = median(bottom);
    if below.is_zero() {
        return "–".into();
    }
    let point = format!("{:.3}", median(top).as_secs_f64() / below.as_secs_f64());
    match crate::spread::ratio_interval(top, bottom) {
        Some((low, high)) if high - low >= 0.005 => format!("{point} ({low:.2}–{high:.2})"),
        _ => point,
    }
}

/// What the intervals beside the ratios are, for the text under the tables.
pub const INTERVALS: &str = "The figures in brackets are 90 % intervals of each ratio, from resampling each side's runs (2,000 bootstrap resamples): a ratio is told apart from 1.05 only when its interval is.";

fn secs(d: Duration) -> String {
    format!("{:.3} s", d.as_secs_f64())
}

/// The table in markdown.
pub fn table(rows: &[Row]) -> String {
    let mut out = String::new();
    out.push_str("| agent | turn | runs | wall bare | wall warden | wall ratio | CPU bare | CPU warden | CPU ratio |\n");
    out.push_str("|---|---|---|---|---|---|---|---|---|\n");
    for row in rows {
        let (bw, ww, bc, wc) = (median(&row.bare_wall), median(&row.warden_wall), median(&row.bare_cpu), median(&row.warden_cpu));
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            row.agent,
            row.turn,
            row.bare_wall.len().min(row.warden_wall.len()),
            secs(bw),
            secs(ww),
            ratio(&row.warden_wall, &row.bare_wall),
            secs(bc),
            secs(wc),
            ratio(&row.warden_cpu, &row.bare_cpu)
        );
    }
    out
}

/// The second table in markdown: the agent in Warden's mode against the bare CLI, and Warden
/// against that mode (wall and CPU medians, with their ratios).
pub fn split_table(rows: &[Row]) -> String {
    let mut out = String::new();
    out.push_str("| agent | turn | wall agent mode | wall mode / bare | wall warden / mode | CPU agent mode | CPU mode / bare | CPU warden / mode |\n");
    out.push_str("|---|---|---|---|---|---|---|---|\n");
    for row in rows {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            row.agent,
            row.turn,
            secs(median(&row.mode_wall)),
            ratio(&row.mode_wall, &row.bare_wall),
            ratio(&row.warden_wall, &row.mode_wall),
            secs(median(&row.mode_cpu)),
            ratio(&row.mode_cpu, &row.bare_cpu),
            ratio(&row.warden_cpu, &row.mode_cpu)
        );
    }
    out
}

/// The machine: CPU model, cores, memory and the load when measured (Linux: /proc).
pub fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name").and_then(|rest| rest.split_once(':')).map(|(_, v)| v.trim().to_owned()))
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let memory = std::fs::read_to_string("/proc/meminfo")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:").map(|v| v.trim().trim_end_matches(" kB").parse::<u64>().unwrap_or(0)))
        .map_or_else(String::new, |kb| format!(", {:.1} GiB RAM", kb as f64 / 1024.0 / 1024.0));
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let load: Vec<&str> = load.split_whitespace().take(3).collect();
    format!("{model}, {cores} cores{memory}; load average {}", load.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_and_ratios_make_the_table() {
        let ms = Duration::from_millis;
        assert_eq!(median(&[ms(3), ms(1), ms(2)]), ms(2));
        assert_eq!(median(&[ms(4), ms(1), ms(2), ms(3)]), Duration::from_micros(2500));
        let row = Row {
            agent: "Claude Code".into(),
            turn: "no tool".into(),
            bare_wall: vec![ms(1000), ms(1100), ms(900)],
            bare_cpu: vec![ms(500); 3],
            mode_wall: vec![ms(1020), ms(1010), ms(1000)],
            mode_cpu: vec![ms(400); 3],
            warden_wall: vec![ms(1050), ms(990), ms(2000)],
            warden_cpu: vec![ms(510); 3],
        };
        let split = split_table(std::slice::from_ref(&row));
        let table = table(&[row]);
        // Wall times vary: their ratios carry an interval; CPU times do not: theirs stand alone.
        assert!(table.contains("| Claude Code | no tool | 3 | 1.000 s | 1.050 s | 1.050 ("), "{table}");
        assert!(table.contains(") | 0.500 s | 0.510 s | 1.020 |"), "{table}");
        assert!(split.contains("| Claude Code | no tool | 1.010 s | 1.010 ("), "{split}");
        assert!(split.contains(") | 0.400 s | 0.800 | 1.275 |"), "{split}");
    }
}
