// The usage view: what agents' turns used and cost in one project or in all, over a chosen
// range — totals, per day, per agent and per model — with estimated costs marked and unknown
// ones said to be unknown, the CSV export, and Codex's rate limits where known.
import { useCallback, useEffect, useState } from "react";
import { usage, type UsageReport, type UsageTotals } from "../../ipc";
import { agentLabel } from "../../shared/agentNames";
import { formatTokens } from "../../shared/format";
import { costKind, costText, isEstimated, knownCost, limitText, RANGES, rangeBounds, windowText, type RangeId } from "./usageFormat";
import "./usage.css";

interface Props {
  /** The project to show (its folder and name), or null for every project. */
  project: { path: string; name: string } | null;
  onClose: () => void;
  /** The clock, for tests. */
  now?: () => number;
  /** Where a remote project runs ("ssh: dev@box"): the usage is its host's; an export saves the host's CSV here. */
  host?: string;
}

export function UsageScreen({ project, onClose, now = Date.now, host }: Props) {
  const [range, setRange] = useState<RangeId>("30");
  const [report, setReport] = useState<UsageReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [exported, setExported] = useState<string | null>(null);
  const path = project?.path ?? null;

  const load = useCallback(async () => {
    setLoading(true);
    const { fromMs, toMs } = rangeBounds(range, now());
    const got = await usage.report(path, fromMs, toMs);
    setLoading(false);
    if (got.ok) {
      setReport(got.value);
      setError(null);
    } else setError(got.error.message);
  }, [path, range, now]);

  useEffect(() => {
    void load();
  }, [load]);

  const exportCsv = async () => {
    const { fromMs, toMs } = rangeBounds(range, now());
    const saved = await usage.export(path, fromMs, toMs);
    if (!saved.ok) setError(saved.error.message);
    else if (saved.value !== null) setExported(saved.value);
  };

  const title = (project ? `Usage of ${project.name}` : "Usage of all projects") + (host ? ` on ${host}` : "");
  return (
    <section className="usage-screen" aria-labelledby="usage-title" data-testid="usage-view" aria-busy={loading}>
      <header className="usage-header">
        <h1 id="usage-title">{title}</h1>
        <span className="usage-spacer" />
        <select aria-label="Time range" value={range} onChange={(e) => setRange(e.target.value as RangeId)} data-testid="usage-range">
          {RANGES.map((r) => (
            <option key={r.id} value={r.id}>
              {r.label}
            </option>
          ))}
        </select>
        <button onClick={() => void load()} disabled={loading}>
          Refresh
        </button>
        <button onClick={() => void exportCsv()} disabled={!report || report.totals.turns === 0} data-testid="usage-export">
          Export CSV…
        </button>
        <button onClick={onClose} data-testid="usage-close">
          Close
        </button>
      </header>
      {error && (
        <div className="inline-error" role="alert" data-testid="usage-error">
          {error}
        </div>
      )}
      {exported && (
        <p className="muted" data-testid="usage-exported">
          Saved to <code>{exported}</code>
        </p>
      )}
      {report && <Report report={report} now={now()} />}
    </section>
  );
}

function Report({ report, now }: { report: UsageReport; now: number }) {
  const t = report.totals;
  if (t.turns === 0) {
    return (
      <p className="muted" data-testid="usage-empty">
        No turns ended in this range.
      </p>
    );
  }
  const anyEstimated = isEstimated(t);
  const anyUnknown = t.unpricedTurns > 0;
  return (
    <>
      <dl className="usage-totals" data-testid="usage-totals">
        <Fact label="Cost" value={<Cost totals={t} />} testId="usage-total-cost" />
        <Fact label="Turns" value={String(t.turns)} />
        <Fact label="Sessions" value={String(t.sessions)} />
        <Fact label="Input" value={<Tokens n={t.inputTokens} />} />
        <Fact label="Output" value={<Tokens n={t.outputTokens} />} />
        <Fact label="Cache read" value={<Tokens n={t.cacheReadTokens} />} />
        <Fact label="Cache write" value={<Tokens n={t.cacheWriteTokens} />} />
      </dl>
      {(anyEstimated || anyUnknown) && (
        <p className="muted usage-note" data-testid="usage-note">
          {anyEstimated && (
            <>
              <span className="usage-estimated">est.</span> Estimated from token counts with Warden's price table of {report.prices.written}
              <span title={report.prices.source}> (source)</span>, for agents that do not report cost (Codex).{" "}
            </>
          )}
          {anyUnknown && (
            <>
              {t.unpricedTurns} {t.unpricedTurns === 1 ? "turn has" : "turns have"} no known cost: the agent reports none and its model is not
              in the price table, or it reports no tokens.
            </>
          )}
        </p>
      )}
      {report.rateLimits && <RateLimitsPanel seen={report.rateLimits} now={now} />}
      <h2>Per day</h2>
      <DayTable report={report} />
      <h2>Per agent</h2>
      <GroupTable
        testId="usage-agents"
        first="Agent"
        rows={report.agents.map((a) => ({ key: `${a.agent}:${a.agentName ?? ""}`, label: agentLabel(a.agent, a.agentName), totals: a.totals }))}
      />
      <h2>Per model</h2>
      <GroupTable
        testId="usage-models"
        first="Model"
        rows={report.models.map((m) => ({
          key: `${m.agent}:${m.agentName ?? ""}:${m.model ?? ""}`,
          label: (
            <>
              {m.model ?? <span className="muted">not named</span>}
              <span className="muted"> · {agentLabel(m.agent, m.agentName)}</span>
              {!m.priced && m.totals.unpricedTurns > 0 && <span className="usage-unpriced"> not in the price table</span>}
            </>
          ),
          totals: m.totals,
        }))}
      />
    </>
  );
}

function Fact({ label, value, testId }: { label: string; value: React.ReactNode; testId?: string }) {
  return (
    <div className="usage-fact">
      <dt>{label}</dt>
      <dd data-testid={testId}>{value}</dd>
    </div>
  );
}

function Tokens({ n }: { n: number }) {
  return <span title={n.toLocaleString()}>{formatTokens(n)}</span>;
}

/** A cost, marked when estimated and said to be unknown when it is. */
function Cost({ totals }: { totals: UsageTotals }) {
  const kind = costKind(totals);
  return (
    <span className={`usage-cost ${kind}`} data-cost-kind={kind}>
      {costText(totals)}
      {isEstimated(totals) && (
        <span className="usage-estimated" title="Estimated from token counts with Warden's price table">
          est.
        </span>
      )}
    </span>
  );
}

function DayTable({ report }: { report: UsageReport }) {
  const cost = (t: UsageTotals) => knownCost(t);
  // Bars by cost, or by tokens when no cost is known at all.
  const byCost = report.days.some((d) => cost(d.totals) > 0);
  const measure = (t: UsageTotals) => (byCost ? cost(t) : t.inputTokens + t.outputTokens + t.cacheReadTokens + t.cacheWriteTokens);
  const max = Math.max(...report.days.map((d) => measure(d.totals)), 0);
  return (
    <table className="usage-table" data-testid="usage-days">
      <thead>
        <tr>
          <th>Day</th>
          <th className="num">Turns</th>
          <th className="num">Input</th>
          <th className="num">Output</th>
          <th className="num">Cache read</th>
          <th className="num">Cost</th>
          <th aria-hidden="true" />
        </tr>
      </thead>
      <tbody>
        {report.days.map((d) => (
          <tr key={d.day} data-day={d.day}>
            <td>{d.day}</td>
            <td className="num">{d.totals.turns}</td>
            <td className="num">
              <Tokens n={d.totals.inputTokens} />
            </td>
            <td className="num">
              <Tokens n={d.totals.outputTokens} />
            </td>
            <td className="num">
              <Tokens n={d.totals.cacheReadTokens} />
            </td>
            <td className="num">
              <Cost totals={d.totals} />
            </td>
            <td className="usage-bar-cell" aria-hidden="true">
              <span className="usage-bar" style={{ width: `${max > 0 ? (measure(d.totals) / max) * 100 : 0}%` }} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function GroupTable({ testId, first, rows }: { testId: string; first: string; rows: { key: string; label: React.ReactNode; totals: UsageTotals }[] }) {
  return (
    <table className="usage-table" data-testid={testId}>
      <thead>
        <tr>
          <th>{first}</th>
          <th className="num">Sessions</th>
          <th className="num">Turns</th>
          <th className="num">Input</th>
          <th className="num">Output</th>
          <th className="num">Cache read</th>
          <th className="num">Cache write</th>
          <th className="num">Cost</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key}>
            <td>{r.label}</td>
            <td className="num">{r.totals.sessions}</td>
            <td className="num">{r.totals.turns}</td>
            <td className="num">
              <Tokens n={r.totals.inputTokens} />
            </td>
            <td className="num">
              <Tokens n={r.totals.outputTokens} />
            </td>
            <td className="num">
              <Tokens n={r.totals.cacheReadTokens} />
            </td>
            <td className="num">
              <Tokens n={r.totals.cacheWriteTokens} />
            </td>
            <td className="num">
              <Cost totals={r.totals} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function RateLimitsPanel({ seen, now }: { seen: NonNullable<UsageReport["rateLimits"]>; now: number }) {
  const l = seen.limits;
  const windows = [l.primary, l.secondary].filter((w) => w !== null);
  return (
    <div className="usage-limits" data-testid="usage-rate-limits">
      <h2>
        {agentLabel(seen.agent)} rate limits
        <span className="muted"> · as of {new Date(seen.atMs).toLocaleString()}</span>
      </h2>
      <ul>
        {windows.map((w, i) => (
          <li key={i}>
            <span className="usage-limit-name">{windowText(w)}</span>
            <span className="usage-meter" aria-hidden="true">
              <span style={{ width: `${Math.min(100, Math.max(0, w.usedPercent ?? 0))}%` }} />
            </span>
            <span>{limitText(w, now)}</span>
          </li>
        ))}
        {l.credits && (
          <li>
            <span className="usage-limit-name">Credits</span>
            <span>{l.credits.unlimited ? "unlimited" : l.credits.balance ?? (l.credits.hasCredits ? "available" : "none left")}</span>
          </li>
        )}
        {l.planType && (
          <li>
            <span className="usage-limit-name">Plan</span>
            <span>{l.planType}</span>
          </li>
        )}
        {l.reached && (
          <li className="usage-limit-reached">
            <span className="usage-limit-name">Reached</span>
            <span>{l.reached.replace(/_/g, " ")}</span>
          </li>
        )}
      </ul>
    </div>
  );
}
