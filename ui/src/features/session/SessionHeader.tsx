// The line above a session: what it is, where it stands, how freely its agent may act, and what
// it has used so far.
import { useState } from "react";
import { createPortal } from "react-dom";
import type { SessionStatus, SessionWorktree } from "../../ipc";
import { sessionAgentLabel } from "../../shared/agentNames";
import { useFilesOpener } from "../files/opener";
import { useChecks } from "../checks/ChecksProvider";
import { TaskChip } from "../checks/TaskChip";
import { useReviews } from "../review/ReviewProvider";
import { chipVisible } from "../../model/tasks";
import { ModeSwitch } from "../permissions/panel/ModeSwitch";
import { ModelSwitch } from "./ModelSwitch";
import { acceptsChanges, bypassActive, modeLabel } from "../permissions/panel/modes";
import { PermissionsPanel } from "../permissions/panel/PermissionsPanel";
import { TerminalButtons } from "../terminal/TerminalButtons";
import { formatCost, formatTokens } from "../../shared/format";
import { Icon } from "../../shared/icons";
import type { Transcript } from "../../model/transcript";
import { WorktreeBar } from "../worktrees/WorktreeBar";
import { HostChip } from "../remote/HostChip";

const STATUS_WORDS: Record<SessionStatus, string> = {
  starting: "Starting",
  ready: "Ready",
  running: "Working",
  stopping: "Stopping",
  stopped: "Stopped",
  crashed: "Crashed",
};

interface Props {
  title: string;
  transcript: Transcript;
  /** The status to show (the transcript's, unless the store knows the agent is gone). */
  status: SessionStatus;
  readOnly: boolean;
  /** The Warden session; without it the mode is shown but cannot be switched. */
  sessionId?: string;
  /** The project folder; by default the one the agent was started in (which is the project). */
  project?: string;
  /** The session's own git worktree (its folder is `project`), when it works in one. */
  worktree?: SessionWorktree | null;
}

/** Title, status, agent and model, permission mode, tokens, cost and context use. */
export function SessionHeader({ title, transcript, status, readOnly, sessionId, project, worktree }: Props) {
  const t = transcript;
  const [panelOpen, setPanelOpen] = useState(false);
  const model = t.info?.model ?? t.started?.model ?? null;
  const context = contextUse(t);
  const folder = project ?? t.started?.cwd ?? null;
  // A history view is not a Warden session: nothing of it can be switched or taken back.
  const session = readOnly ? null : (sessionId ?? null);
  const bypassOn = !readOnly && bypassActive(t.mode, status);
  const openFiles = useFilesOpener();
  const checks = useChecks();
  const review = useReviews();
  const current = t.tasks.current;
  const task = current && chipVisible(current) ? current : null;
  const agentLabel = `${sessionAgentLabel(t.started)}${t.info?.version || t.started?.version ? ` ${t.info?.version ?? t.started?.version}` : ""}`;
  return (
    <header className={bypassOn ? "session-header bypass" : "session-header"} data-bypass={bypassOn ? "on" : undefined}>
      <div className="session-title-row">
        <div className="session-title" title={title}>
          {title}
        </div>
        <span className="usage" data-testid="session-usage" title="Tokens in (incl. cache) / out over all turns">
          {t.usage.turns} {t.usage.turns === 1 ? "turn" : "turns"} · {formatTokens(t.usage.inputTokens)} in · {formatTokens(t.usage.outputTokens)} out ·{" "}
          {formatCost(t.usage.costUsd)}
        </span>
        {context && (
          <span className="context" title={`${context.used} of ${context.window} tokens of context in use`}>
            <span className="context-meter" aria-hidden="true">
              <span style={{ width: `${Math.min(100, context.percent)}%` }} />
            </span>
            {context.percent.toFixed(0)}% context
          </span>
        )}
      </div>
      {/* One line at any width: the buttons are icons with their words as labels, and the
          agent and model give way (cut short, whole in their tooltip) before anything wraps. */}
      <div className="session-facts" data-testid="session-facts">
        <span className={`status-pill ${readOnly ? "history" : status}`} data-testid="session-status">
          {readOnly ? "Claude Code history" : STATUS_WORDS[status]}
        </span>
        {/* Where it runs, for a session on another host (nothing for a local one). */}
        <HostChip sessionId={sessionId ?? null} />
        {task && (
          <TaskChip
            task={task}
            maxRounds={checks?.overview.overview?.maxRounds ?? null}
            budgetUsd={checks?.overview.overview?.budgetUsd ?? null}
            reviewCostUsd={t.reviews.costOfTask(task.task)}
            showCost
            onOpen={checks?.open}
          />
        )}
        <span className="session-agent" title={[t.started?.program, agentLabel, model].filter(Boolean).join(" · ")} data-testid="session-agent">
          {agentLabel}
          {/* The model switch names the model itself. */}
          {model && !(session && t.controls?.canSwitchModel) ? ` · ${model}` : ""}
        </span>
        {session && t.controls && <ModelSwitch sessionId={session} controls={t.controls} status={status} />}
        {session ? (
          <ModeSwitch sessionId={session} mode={t.mode} status={status} />
        ) : (
          t.mode && <span className="mode">{modeLabel(t.mode)}</span>
        )}
        {bypassOn && !session && (
          <span className="bypass-badge" data-testid="bypass-badge">
            Bypass on
          </span>
        )}
        <span className="header-buttons">
          {folder && (
            <button
              type="button"
              className="small icon-button"
              onClick={() => setPanelOpen(true)}
              aria-label="Permissions"
              title="Permissions: the rules for what the agent may do"
              data-testid="permissions-open"
            >
              <Icon name="permissions" />
            </button>
          )}
          {openFiles && (
            <button
              type="button"
              className="small icon-button"
              onClick={() => openFiles({ type: "session" })}
              aria-label={`Files (${t.files.changedFiles} changed)`}
              title="Files: the files the agent changed, their diffs, and reverting them"
              data-testid="files-open"
            >
              <Icon name="files" />
              <span className="files-open-count" data-testid="files-count">
                {t.files.changedFiles}
              </span>
            </button>
          )}
          {checks && (
            <button
              type="button"
              className="small icon-button"
              onClick={checks.open}
              aria-label="Checks"
              title="Checks: the task's checks, their results and the feedback for the agent"
              data-testid="checks-open"
            >
              <Icon name="checks" />
            </button>
          )}
          {/* One button, so the line stays one line: Review with… until there is a review, then
              the reviews (whose view offers Review with… again). */}
          {review &&
            (t.reviews.list.length === 0 ? (
              <button
                type="button"
                className="small"
                onClick={() => review.ask(current ? { type: "task", task: current.task } : { type: "session" })}
                title="Review with…: another agent reads what the current task (or the session) changed and reports findings"
                data-testid="review-with"
              >
                Review with…
              </button>
            ) : (
              <button type="button" className="small" onClick={() => review.show()} title="Reviews: every reviewer's findings, and Review with…" data-testid="reviews-open">
                Reviews {t.reviews.list.length}
              </button>
            ))}
          <TerminalButtons agent={t.started?.agent ?? null} sessionId={session} live={!readOnly && status !== "stopped" && status !== "crashed"} />
        </span>
      </div>
      {worktree && folder && <WorktreeBar worktree={worktree} path={folder} transcript={t} status={status} sessionId={session} />}
      {panelOpen &&
        folder &&
        // In the body, not the header: a dialog is not part of the banner, nor styled by it.
        createPortal(
          <PermissionsPanel
            project={folder}
            sessionId={session}
            sessionRules={t.sessionRules}
            live={acceptsChanges(status)}
            version={t.version}
            onClose={() => setPanelOpen(false)}
          />,
          document.body,
        )}
    </header>
  );
}

/** How full the model's context was at the end of the last turn, when the agent says. */
function contextUse(t: Transcript): { used: number; window: number; percent: number } | null {
  const used = t.lastTurn?.contextTokens;
  const window = t.lastTurn?.contextWindow;
  if (!used || !window) return null;
  return { used, window, percent: (used / window) * 100 };
}
