// The compare view of a best-of group: its sessions side by side — agent, status, turns, cost,
// the gate's checks, files and lines changed, the branch — each with its files against the base
// and their diffs, and a Pick button that keeps one and discards the others. It reads the group
// again now and then while a member still runs (never for longer than a bound, and never after
// the view closed), and soon after any session's status changes.
import "../files/files.css";
import "./Compare.css";
import { useCallback, useEffect, useRef, useState } from "react";
import { bestOf, worktrees, type BestOfEntry, type BestOfPicked, type ChangedFile, type FileDiff, type IpcError, type SessionStatus } from "../../ipc";
import { formatSessionCost } from "../../shared/format";
import { hub } from "../../model/useSession";
import { baseName, fileCount, useWorktreeChanges } from "../../model/worktrees";
import { FileDiffView } from "../files/FileDiffView";
import { ComparePickDialog } from "./ComparePickDialog";
import { memberName } from "./BestOfGroups";

/** How often the group is read again while a member runs. */
export const COMPARE_REFRESH_MS = 3_000;
/** How many timed reads at most (an hour at the interval): a member stuck "running" does not poll for ever. */
export const COMPARE_MAX_REFRESHES = 1_200;

interface Props {
  group: string;
  /** Opens a member's session in its tab. */
  onOpen: (sessionId: string) => void;
  /** After a pick: the sessions of the members whose worktrees went (their tabs can close). */
  onDiscarded?: (sessionIds: string[]) => void;
}

/** How a member's status reads: running (or may: starting, ready for a prompt), finished or crashed. */
function stateOf(status: SessionStatus): "running" | "finished" | "crashed" {
  if (status === "crashed") return "crashed";
  return status === "stopped" ? "finished" : "running";
}

/** Whether a member's session still works. */
function live(entry: BestOfEntry): boolean {
  return stateOf(entry.session.status) === "running";
}

/** The group side by side. */
export function CompareView({ group, onOpen, onDiscarded }: Props) {
  const [entries, setEntries] = useState<BestOfEntry[] | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const [picking, setPicking] = useState<string | null>(null);
  const [picked, setPicked] = useState<{ member: BestOfEntry; result: BestOfPicked } | null>(null);
  const latest = useRef(0);

  const refresh = useCallback(() => {
    const mine = ++latest.current;
    void bestOf.compare(group).then((read) => {
      if (mine !== latest.current) return;
      if (read.ok) setEntries(read.value);
      setError(read.ok ? null : read.error);
    });
  }, [group]);

  useEffect(refresh, [refresh]);

  // Timed reads only while something runs, bounded; cleared when the view closes.
  const running = entries?.some(live) ?? false;
  useEffect(() => {
    if (!running) return;
    let count = 0;
    const timer = window.setInterval(() => {
      count += 1;
      if (count > COMPARE_MAX_REFRESHES) window.clearInterval(timer);
      else refresh();
    }, COMPARE_REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [running, refresh]);

  // A status change of any session (a turn ended, one stopped) is worth a read soon.
  useEffect(() => {
    let timer: number | undefined;
    const stop = hub.onRecordChange(() => {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, 300);
    });
    return () => {
      stop();
      window.clearTimeout(timer);
    };
  }, [refresh]);

  const member = entries?.find((e) => e.session.id === picking) ?? null;
  return (
    <section className="compare-view" data-testid="compare-view" data-group={group} aria-label="Compare the best-of sessions">
      <div className="compare-bar">
        <span className="compare-title">Best of {entries?.length ?? "…"}</span>
        <span className="muted compare-prompt" title={entries?.[0]?.session.title}>
          {entries?.[0]?.session.title}
        </span>
        <button type="button" className="small" onClick={refresh} data-testid="compare-refresh">
          Refresh
        </button>
      </div>
      {error && (
        <div className="inline-error" role="alert" data-testid="compare-error">
          Could not read the group: {error.message}
        </div>
      )}
      {picked && (
        <div className="compare-picked" role="status" data-testid="compare-picked">
          Kept {memberName(picked.member)}: merged as <code>{picked.result.commit.slice(0, 8)}</code>
          {picked.result.discarded.length > 0 ? (
            <>
              {" "}
              · discarded {picked.result.discarded.map((b, i) => (
                <span key={b}>
                  {i > 0 ? ", " : ""}
                  <code>{b}</code>
                </span>
              ))}
            </>
          ) : null}
        </div>
      )}
      {!entries && !error && <p className="muted compare-loading">Reading the group…</p>}
      {entries && (
        <div className="compare-columns" style={{ gridTemplateColumns: `repeat(${Math.max(entries.length, 1)}, minmax(280px, 1fr))` }}>
          {entries.map((entry, i) => (
            <CompareMember key={entry.session.id} entry={entry} index={i + 1} decided={picked !== null || decided(entries)} onOpen={onOpen} onPick={() => setPicking(entry.session.id)} />
          ))}
        </div>
      )}
      {member && entries && (
        <ComparePickDialog
          group={group}
          member={member}
          others={entries.filter((e) => e.session.id !== member.session.id)}
          onCancel={() => setPicking(null)}
          onPicked={(result) => {
            setPicking(null);
            setPicked({ member, result });
            refresh();
            hub.recordsChanged();
            onDiscarded?.(entries.filter((e) => e.session.id !== member.session.id).map((e) => e.session.id));
          }}
        />
      )}
    </section>
  );
}

/** The gate's checks in words. */
function checksWords(entry: BestOfEntry): string {
  const c = entry.checks;
  if (!c) return "no checks yet";
  // Zero of each is no evidence of passing: say that nothing was checked.
  if (c.passed + c.failed === 0) return `no checks ran · task ${c.verdict}`;
  return `${c.passed} passed · ${c.failed} failed · ${c.verdict}`;
}

/**
 * Whether a pick was made already: of several members, at most one still has its worktree
 * (a pick discards the others). Read from the group itself, so it holds after a restart too.
 */
export function decided(entries: readonly BestOfEntry[]): boolean {
  return entries.length > 1 && entries.filter((e) => e.worktree !== null && !e.worktree.missing).length <= 1;
}

/** One member's column. */
function CompareMember({
  entry,
  index,
  decided,
  onOpen,
  onPick,
}: {
  entry: BestOfEntry;
  index: number;
  /** A pick was made: nothing more to pick. */
  decided: boolean;
  onOpen: (id: string) => void;
  onPick: () => void;
}) {
  const s = entry.session;
  const path = entry.worktree?.path ?? s.project;
  const branch = entry.worktree?.branch ?? s.worktree?.branch ?? "";
  const base = entry.worktree ? baseName(entry.worktree) : (s.worktree?.baseBranch ?? s.worktree?.baseCommit.slice(0, 8) ?? "the base");
  const state = stateOf(s.status);
  const missing = entry.worktree === null || entry.worktree.missing;
  return (
    <article className="compare-member" data-testid="compare-member" data-session={s.id} data-state={state}>
      <header className="compare-member-head">
        <span className={`state-dot ${state}`} aria-label={state} />
        <strong className="compare-agent">{memberName(entry, index)}</strong>
        <span className={`status-pill ${s.status}`} data-testid="compare-status">
          {s.status}
        </span>
      </header>
      <dl className="compare-facts">
        <dt>Branch</dt>
        <dd>
          <code data-testid="compare-branch">{branch || "–"}</code> <span className="muted">from {base}</span>
        </dd>
        <dt>Turns</dt>
        <dd data-testid="compare-turns">{s.turns}</dd>
        <dt>Cost</dt>
        <dd data-testid="compare-cost" title={s.agent === "codex" ? "Codex reports no cost; the Usage view estimates it from its tokens" : undefined}>
          {formatSessionCost(s.agent, s.costUsd)}
        </dd>
        <dt>Checks</dt>
        <dd data-testid="compare-checks" className={entry.checks ? (entry.checks.failed > 0 ? "compare-failed" : "compare-passed") : "muted"}>
          {checksWords(entry)}
        </dd>
        <dt>Changes</dt>
        <dd data-testid="compare-lines">
          {fileCount(entry.files)} · <span className="added">+{entry.additions}</span> <span className="removed">−{entry.deletions}</span>
          {entry.worktree && entry.worktree.uncommitted.length > 0 && <span className="muted"> · {entry.worktree.uncommitted.length} uncommitted</span>}
        </dd>
      </dl>
      <div className="compare-actions">
        <button type="button" className="small" onClick={() => onOpen(s.id)} data-testid="compare-open">
          Open session
        </button>
        <button
          type="button"
          className="small primary"
          onClick={onPick}
          disabled={missing || decided}
          title={
            decided ? "One was picked already: the others were discarded" : missing ? "Its worktree is gone" : "Keep this one: merge it into the base and discard the others"
          }
          data-testid="compare-pick"
        >
          Pick this one
        </button>
      </div>
      {missing ? (
        <p className="muted compare-note">The worktree folder is gone; there is nothing to compare.</p>
      ) : (
        <MemberFiles path={path} mark={`${entry.files}:${entry.additions}:${entry.deletions}:${entry.worktree?.uncommitted.length ?? 0}:${s.status}`} />
      )}
    </article>
  );
}

/** A member's changed files versus the base, the first one's diff shown until another is clicked. */
function MemberFiles({ path, mark }: { path: string; mark: string }) {
  const { value: changes, error } = useWorktreeChanges(path, mark);
  const [picked, setPicked] = useState<string | null>(null);
  // Side by side the diffs are the comparison: one shows at once, and a file that went away gives way.
  const selected = changes?.files.some((f) => f.path === picked) ? picked : (changes?.files[0]?.path ?? null);
  const diff = useMemberDiff(path, selected, changes);
  if (error)
    return (
      <div className="inline-error" role="alert">
        Could not read the changes: {error.message}
      </div>
    );
  if (!changes) return <p className="muted compare-note">Reading the changes…</p>;
  if (changes.files.length === 0) return <p className="muted compare-note">No changes versus {changes.base} yet.</p>;
  return (
    <div className="compare-files">
      <ul className="file-list" aria-label="Changed files">
        {changes.files.map((f) => (
          <li key={f.path} className={`file-row${f.path === selected ? " selected" : ""}`} data-testid="compare-file" data-path={f.path}>
            <button type="button" className="file-pick" onClick={() => setPicked(f.path)} aria-current={f.path === selected ? "true" : undefined} title={f.path}>
              <span className="file-path">{f.path}</span>
              <span className="file-meta">
                <span className={`file-status ${f.kind.type}`}>{kindWords(f)}</span>
                {f.uncommitted && <span className="file-flag">uncommitted</span>}
              </span>
            </button>
            <span className="file-lines">
              <span className="added">+{f.additions}</span> <span className="removed">−{f.deletions}</span>
            </span>
          </li>
        ))}
      </ul>
      {selected && (
        <div className="compare-diff" data-testid="compare-diff" data-path={selected}>
          {diff?.status === "loading" && <p className="muted">Reading the change…</p>}
          {diff?.status === "failed" && (
            <div className="inline-error" role="alert">
              Could not read the change: {diff.error.message}
            </div>
          )}
          {diff?.status === "ready" && <FileDiffView diff={diff.diff} status={`versus ${changes.base}`} />}
        </div>
      )}
    </div>
  );
}

const KIND_WORDS: Record<ChangedFile["kind"]["type"], string> = {
  create: "added",
  modify: "modified",
  delete: "deleted",
  rename: "renamed",
  chmod: "mode changed",
};

function kindWords(f: ChangedFile): string {
  return f.kind.type === "rename" ? `renamed from ${f.kind.from}` : KIND_WORDS[f.kind.type];
}

type DiffState = { status: "loading" } | { status: "ready"; diff: FileDiff } | { status: "failed"; error: IpcError };

/** The selected file against the merge base, read again whenever the changes are. */
function useMemberDiff(path: string, file: string | null, changes: object | null): DiffState | null {
  const [state, setState] = useState<DiffState | null>(null);
  useEffect(() => {
    if (file === null) {
      setState(null);
      return;
    }
    let current = true;
    setState((was) => (was?.status === "ready" && was.diff.path === file ? was : { status: "loading" }));
    void worktrees.diff(path, file).then((read) => {
      if (current) setState(read.ok ? { status: "ready", diff: read.value } : { status: "failed", error: read.error });
    });
    return () => {
      current = false;
    };
  }, [path, file, changes]);
  return state;
}
