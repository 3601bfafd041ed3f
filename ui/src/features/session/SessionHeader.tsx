// The line above a session: what it is, where it stands, how freely its agent may act, and what
// it has used so far.
import { useState } from "react";
import { createPortal } from "react-dom";
import type { SessionStatus } from "../../ipc";
import { sessionAgentLabel } from "../../shared/agentNames";
import { useFilesOpener } from "../files/opener";
import { useChecks } from "../checks/ChecksProvider";
import { TaskChip } from "../checks/TaskChip";
import { chipVisible } from "../../model/tasks";
import { ModeSwitch } from "../permissions/panel/ModeSwitch";
import { acceptsChanges, bypassActive, modeLabel } from "../permissions/panel/modes";
import { PermissionsPanel } from "../permissions/panel/PermissionsPanel";
import { TerminalButtons } from "../terminal/TerminalButtons";
import { formatCost, formatTokens } from "../../shared/format";
import type { Transcript } from "../../model/transcript";

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
}

/** Title, status, agent and model, permission mode, tokens, cost and context use. */
export function SessionHeader({ title, transcript, status, readOnly, sessionId, project }: Props) {
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
  const current = t.tasks.current;
  const task = current && chipVisible(current) ? current : null;
  return (
    <header className={bypassOn ? "session-header bypass" : "session-header"} data-bypass={bypassOn ? "on" : undefined}>
      <div className="session-title" title={title}>
        {title}
      </div>
      <div className="session-facts">
        <span className={`status-pill ${readOnly ? "history" : status}`} data-testid="session-status">
          {readOnly ? "Claude Code history" : STATUS_WORDS[status]}
        </span>
        {task && <TaskChip task={task} maxRounds={checks?.overview.overview?.maxRounds ?? null} onOpen={checks?.open} />}
        <span title={t.started?.program}>{sessionAgentLabel(t.started)}{t.info?.version || t.started?.version ? ` ${t.info?.version ?? t.started?.version}` : ""}</span>
        {model && <span>{model}</span>}
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
        {folder && (
          <button type="button" className="small" onClick={() => setPanelOpen(true)} data-testid="permissions-open">
            Permissions
          </button>
        )}
        {openFiles && (
          <button
            type="button"
            className="small"
            onClick={() => openFiles({ type: "session" })}
            title="The files the agent changed, their diffs, and reverting them"
            data-testid="files-open"
          >
            Files
            <span className="files-open-count" data-testid="files-count">
              {t.files.changedFiles}
            </span>
          </button>
        )}
        {checks && (
          <button type="button" className="small" onClick={checks.open} title="The task's checks, their results and the feedback for the agent" data-testid="checks-open">
            Checks
          </button>
        )}
        <TerminalButtons agent={t.started?.agent ?? null} sessionId={session} live={!readOnly && status !== "stopped" && status !== "crashed"} />
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
