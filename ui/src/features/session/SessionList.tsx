// A project's sessions, newest first: what each was about, whether it runs, when it started,
// what it cost, whether it waits for an answer, its branch when it works in a worktree. The
// sessions of a best-of group stand together, with a button to compare them. Clicking one opens
// it in a tab.
import { groupSessions } from "../worktrees/BestOfGroups";
import "../worktrees/BestOfList.css";
import type { ClaudeHistoryEntry, IpcError, SessionRecord, SessionStatus, WorktreeInfo } from "../../ipc";
import { agentLabel } from "../../shared/agentNames";
import { formatSessionCost, formatStart } from "../../shared/format";

interface Props {
  list: SessionRecord[] | null;
  error: IpcError | null;
  openIds: ReadonlySet<string>;
  /**
   * Questions waiting per session, from the window-wide list: a session asks also when no tab
   * follows its events.
   */
  waiting: ReadonlyMap<string, number>;
  activeId: string | null;
  now: number;
  onOpen: (record: SessionRecord) => void;
  onNew: () => void;
  /** Opens the search over the project's sessions. */
  onSearch?: () => void;
  /** Claude Code's own sessions of this project that Warden has not imported. */
  history: ClaudeHistoryEntry[] | null;
  onOpenHistory: (entry: ClaudeHistoryEntry) => void;
  /** Opens the compare view of a best-of group. */
  onCompare?: (group: string) => void;
  /** The state of the project's worktrees now, by folder (a session's `project`). */
  worktreeStates?: ReadonlyMap<string, WorktreeInfo>;
}

/** The tab id of a Claude Code transcript shown read-only. */
export function historyTabId(agentSessionId: string): string {
  return `history:${agentSessionId}`;
}

/** How a stored status reads in the list: running, finished or crashed. */
export function listState(status: SessionStatus): "running" | "finished" | "crashed" {
  if (status === "crashed") return "crashed";
  if (status === "stopped") return "finished";
  return "running";
}

/** The session list of a project. */
export function SessionList({ list, error, openIds, waiting, activeId, now, onOpen, onNew, onSearch, history, onOpenHistory, onCompare, worktreeStates }: Props) {
  const row = (s: SessionRecord) => (
    <SessionRow
      key={s.id}
      s={s}
      tree={s.worktree ? (worktreeStates?.get(s.project) ?? null) : null}
      asks={waiting.get(s.id) ?? 0}
      active={s.id === activeId}
      open={openIds.has(s.id)}
      now={now}
      onOpen={onOpen}
    />
  );
  return (
    <nav className="session-list" aria-label="Sessions" data-testid="session-list">
      <div className="list-header">
        <span className="sidebar-section">Sessions</span>
        {onSearch && (
          <button className="icon-button" onClick={onSearch} title="Search the sessions (Ctrl+Shift+F)" aria-label="Search the sessions" data-testid="project-search-open">
            ⌕
          </button>
        )}
        <button className="icon-button" onClick={onNew} title="New session (Ctrl+N)" aria-label="New session" data-testid="new-session">
          +
        </button>
      </div>
      {error && (
        <p className="inline-error" role="alert">
          {error.message}
        </p>
      )}
      {list && list.length === 0 && <p className="sidebar-empty">No sessions yet.</p>}
      <ul>
        {list &&
          groupSessions(list).map((item) =>
            item.kind === "session" ? (
              row(item.record)
            ) : (
              <li key={`group:${item.id}`} className="best-of-group" data-testid="best-of-group" data-group={item.id}>
                <div className="best-of-group-head">
                  <span className="best-of-group-title" title={item.records[0]?.title}>
                    Best of {item.records.length}
                  </span>
                  {onCompare && (
                    <button className="small" onClick={() => onCompare(item.id)} data-testid="best-of-compare" title="The sessions side by side; pick one to keep">
                      Compare
                    </button>
                  )}
                </div>
                <ul>{item.records.map(row)}</ul>
              </li>
            ),
          )}
      </ul>
      {history && history.length > 0 && (
        <>
          <div className="sidebar-section list-subsection" title="Sessions run in Claude Code outside Warden; open one to read it, resume it to continue here">
            Claude Code history
          </div>
          <ul data-testid="claude-history">
            {history.map((h) => {
              const id = historyTabId(h.agentSessionId);
              return (
                <li key={h.agentSessionId}>
                  <button
                    className={["session-item", id === activeId ? "active" : "", openIds.has(id) ? "open" : ""].join(" ")}
                    onClick={() => onOpenHistory(h)}
                    data-testid="history-row"
                    title={h.error ?? h.title}
                  >
                    <span className={`state-dot ${h.error ? "crashed" : "finished"}`} aria-hidden="true" />
                    <span className="session-item-text">
                      <span className="session-item-title">{h.title || h.firstPrompt || "Untitled session"}</span>
                      <span className="session-item-meta">
                        {h.error ? "unreadable" : `${formatStart(h.createdMs, now)} · ${h.prompts} ${h.prompts === 1 ? "prompt" : "prompts"}`}
                      </span>
                    </span>
                  </button>
                </li>
              );
            })}
          </ul>
        </>
      )}
    </nav>
  );
}

/** One session of the list. */
function SessionRow({
  s,
  tree,
  asks,
  active,
  open,
  now,
  onOpen,
}: {
  s: SessionRecord;
  /** Its worktree's state, once read. */
  tree: WorktreeInfo | null;
  asks: number;
  active: boolean;
  open: boolean;
  now: number;
  onOpen: (record: SessionRecord) => void;
}) {
  const state = listState(s.status);
  const classes = ["session-item", active ? "active" : "", open ? "open" : ""].join(" ");
  return (
    <li>
      <button
        className={classes}
        onClick={() => onOpen(s)}
        data-testid="session-row"
        data-session-id={s.id}
        data-state={state}
        data-waiting={asks > 0 ? "true" : undefined}
        aria-current={active ? "page" : undefined}
        title={s.title || "Untitled session"}
      >
        <span className={`state-dot ${state}`} aria-label={state} />
        <span className="session-item-text">
          <span className="session-item-title">{s.title || "Untitled session"}</span>
          {s.worktree && (
            <span className="session-branch" data-testid="session-branch" title={`Works on branch ${s.worktree.branch} in its own worktree`}>
              {s.worktree.branch}
            </span>
          )}
          {tree && <span className="session-tree-state" data-testid="session-tree-state">{treeWords(tree)}</span>}
          <span className="session-item-meta">
            {agentLabel(s.agent, s.agentName)} · {formatStart(s.createdMs, now)} · {s.turns} {s.turns === 1 ? "turn" : "turns"} · {formatSessionCost(s.agent, s.costUsd)}
            {state === "crashed" ? " · crashed" : ""}
          </span>
        </span>
        {asks > 0 && (
          <span className="session-waiting" title="Waiting for your answer" data-testid="session-waiting">
            {asks === 1 ? "asks" : `asks ${asks}`}
          </span>
        )}
      </button>
    </li>
  );
}

/** A worktree's state in a few words: commits ahead and behind its base, uncommitted files. */
export function treeWords(tree: WorktreeInfo): string {
  if (tree.missing) return "folder deleted";
  const dirty = tree.uncommitted.length;
  return `+${tree.ahead} −${tree.behind} · ${dirty === 0 ? "all committed" : `${dirty} uncommitted`}`;
}
