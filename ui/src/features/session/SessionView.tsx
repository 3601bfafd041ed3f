// A session in its tab: header, the chat with the prompt box, and the tool timeline with the
// plan beside it. Chat and timeline share one selected tool call, so each scrolls to what is
// picked in the other.
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { sessions, steer, type IpcError, type Outcome, type OutputMatches, type SessionRecord, type SessionStatus } from "../../ipc";
import { ChatView, type ToolSelection } from "../chat/ChatView";
import { PromptBox } from "../chat/PromptBox";
import { toPromptInput } from "../chat/composer/composed";
import { queueOf, snapshotOf } from "../chat/composer/sessionQueues";
import { FilesProvider } from "../files/FilesProvider";
import { ChecksProvider } from "../checks/ChecksProvider";
import { ReviewProvider } from "../review/ReviewProvider";
import { TaskBar } from "../checks/TaskBar";
import { sessionAgentLabel } from "../../shared/agentNames";
import { PlanPanel } from "../timeline/PlanPanel";
import { Timeline } from "../timeline/Timeline";
import type { Feed } from "../../model/hub";
import { OutputLoaderContext, TextLoaderContext } from "../../model/outputLoader";
import { SessionHeader } from "./SessionHeader";
import { useOpenSession } from "../../model/useSession";
import { useSessionFind, type SearchJump } from "../search/useSessionFind";
import { useSessionHost } from "../remote/store";

interface Props {
  id: string;
  feed?: Feed;
  /** The stored title, until the transcript has a prompt of its own. */
  title: string;
  /**
   * The stored status. A session whose app quit without stopping it reads as crashed there,
   * while its last event still says it was running; the record is the one that knows.
   */
  storedStatus: SessionStatus | null;
  /** The stored record, once the session list has it (a worktree session's branch and base). */
  record?: SessionRecord | null;
  /** Turns a read-only history into a live session (import, then resume); returns an error. */
  onAdopt?: () => Promise<string | null>;
  /** Bumped to put the keyboard focus in the prompt box. */
  focusToken: number;
  /** Bumped to stop the running turn (the Esc shortcut). */
  stopToken: number;
  /** A project search hit to show once the transcript is read. */
  jump?: SearchJump | null;
  /** Opens the New Session dialog (the `/new` command). */
  onNewSession?: () => void;
}

/** One session: chat, prompt box, timeline and plan. */
export function SessionView({ id, feed, title, storedStatus, record, onAdopt, focusToken, stopToken, jump = null, onNewSession }: Props) {
  const session = useOpenSession(id, feed);
  const t = session.transcript;
  const [selection, setSelection] = useState<ToolSelection | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const [stopping, setStopping] = useState(false);
  const [resuming, setResuming] = useState(false);

  const report = <T,>(outcome: { ok: true; value: T } | { ok: false; error: IpcError }): boolean => {
    setError(outcome.ok ? null : outcome.error);
    return outcome.ok;
  };

  const stop = useCallback(async () => {
    setStopping(true);
    const outcome = await sessions.interrupt(id);
    setStopping(false);
    setError(outcome.ok ? null : outcome.error);
  }, [id]);

  useStopShortcut(stopToken, t.busy, stop);
  // Ctrl+F: the find bar over the chat; a match in a tool call selects it in the timeline too.
  const find = useSessionFind({
    transcript: t,
    sessionId: id,
    loaded: session.loaded,
    // A Claude Code history is not in the store: its own transcript is searched.
    outputMatches: session.feed.kind === "static" ? (session.feed.outputMatches ?? noOutputMatches) : undefined,
    jump,
    onTool: useCallback((toolId: string) => setSelection({ id: toolId, from: "chat" }), []),
  });

  const resume = async () => {
    setResuming(true);
    try {
      if (session.readOnly) {
        const failed = (await onAdopt?.()) ?? null;
        if (failed) setError({ code: "internal", message: failed });
      } else report(await sessions.resume(id));
    } finally {
      setResuming(false);
    }
  };

  const status: SessionStatus = storedStatus === "crashed" && !isOver(t.status) ? "crashed" : t.status;
  const over = isOver(status);
  const loadOutput = useCallback((toolId: string) => session.loadOutput(toolId), [session]);
  const loadText = useCallback((seq: number) => void session.loadText(seq), [session]);
  const canResume = (session.readOnly || over) && !resuming;
  const shownTitle = t.title(title);
  // The person's own earlier prompts, for Up/Down in the box.
  const history = useMemo(
    () => t.entries.flatMap((e) => (e.kind === "user" && (e.origin === "person" || e.origin === "steer") ? [e.text] : [])),
    // The transcript is mutable: its length says when a prompt was added.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [t, t.entries.length],
  );
  const extraActions = useMemo(() => (onNewSession ? { newSession: onNewSession } : {}), [onNewSession]);
  // A session on a host whose connection is away takes no prompt until it is back (it would be lost).
  const host = useSessionHost(session.readOnly ? null : id);
  const away = host && host.state.type !== "connected" ? host : null;
  const disabledReason = session.readOnly
    ? "A Claude Code session from outside Warden — resume it to continue"
    : over
      ? "The session has ended — resume it to continue"
      : away
        ? away.state.type === "reconnecting"
          ? `Reconnecting to ${away.place}… — the session goes on there; prompts wait until it is back`
          : `${away.place} is not connected — reconnect to continue`
      : status === "starting"
        ? `Starting ${sessionAgentLabel(t.started)}…`
        : status === "stopping"
          ? "Stopping…"
          : null;

  return (
    <OutputLoaderContext.Provider value={loadOutput}>
    <TextLoaderContext.Provider value={loadText}>
    <FilesProvider project={t.started?.cwd ?? null} sessionId={session.readOnly ? null : id} transcript={t}>
    {/* A session on a host reviews and reads its checks there (the ipc routes the calls). */}
    <ReviewProvider project={t.started?.cwd ?? null} sessionId={session.readOnly ? null : id} transcript={t}>
    <ChecksProvider project={t.started?.cwd ?? null} sessionId={session.readOnly ? null : id} transcript={t}>
    <section
      ref={find.rootRef}
      className="session-view"
      data-testid="session-view"
      data-session-id={id}
      data-loaded={session.loaded ? "true" : undefined}
      aria-label={shownTitle}
    >
      <SessionHeader
        title={shownTitle}
        transcript={t}
        status={status}
        readOnly={session.readOnly}
        sessionId={id}
        // A worktree session's folder is the worktree, as the store recorded it.
        project={record?.worktree ? record.project : undefined}
        worktree={record?.worktree ?? null}
      />
      {(session.error || session.textError) && (
        <div className="inline-error" role="alert">
          Could not read this session: {session.error?.message ?? session.textError}
        </div>
      )}
      <div className="session-body">
        <div className="chat-column">
          {find.bar}
          <ChatView
            // Mounted anew once the transcript is read, so the list starts at its end.
            key={session.loaded ? "loaded" : "loading"}
            transcript={t}
            version={t.version}
            selection={selection}
            onSelectTool={(toolId) => setSelection({ id: toolId, from: "chat" })}
            onResume={canResume ? () => void resume() : null}
            reveal={find.reveal}
            sessionId={session.readOnly ? null : id}
          />
          <TaskBar transcript={t} />
          {error && (
            <div className="inline-error" role="alert" data-testid="action-error">
              {error.message}
              <button className="icon-button" aria-label="Dismiss" onClick={() => setError(null)}>
                ×
              </button>
            </div>
          )}
          {session.readOnly || over ? (
            <div className="resume-bar">
              <span className="muted">{disabledReason}</span>
              <button className="primary" onClick={() => void resume()} disabled={!canResume} data-testid="resume-session">
                {resuming ? "Resuming…" : "Resume"}
              </button>
            </div>
          ) : (
            <PromptBox
              sessionId={id}
              busy={t.busy}
              busySince={t.turnStartedMs}
              disabledReason={disabledReason}
              stopping={stopping || status === "stopping"}
              onSend={async (prompt) => report(await sessions.prompt(id, toPromptInput(prompt)))}
              onSteer={t.controls?.canSteer ? async (text) => report(await steer.send(id, text)) : null}
              onStop={() => void stop()}
              focusToken={focusToken}
              queue={queueOf(id)}
              snapshot={() => snapshotOf(t)}
              history={history}
              // A worktree session's finder searches its own folder, as the store recorded it.
              project={record?.project ?? t.started?.cwd ?? null}
              accepts={t.promptAccepts}
              agentName={sessionAgentLabel(t.started)}
              agentCommands={t.commands}
              wardenActions={extraActions}
            />
          )}
        </div>
        <aside className="side-panel" aria-label="Plan and tool calls">
          {t.plan.length > 0 && <PlanPanel plan={t.plan} />}
          <div className="side-title">
            Tool calls <span className="muted">{t.tools.size}</span>
          </div>
          <Timeline
            transcript={t}
            version={t.version}
            selectedId={selection?.id ?? null}
            onSelect={(toolId) => setSelection({ id: toolId, from: "timeline" })}
          />
        </aside>
      </div>
    </section>
    </ChecksProvider>
    </ReviewProvider>
    </FilesProvider>
    </TextLoaderContext.Provider>
    </OutputLoaderContext.Provider>
  );
}

/** Stops the turn when `token` moves while a turn runs (the window's Esc shortcut). */
function useStopShortcut(token: number, busy: boolean, stop: () => Promise<void>) {
  const seen = useRef(token);
  const latest = useRef({ busy, stop });
  latest.current = { busy, stop };
  useEffect(() => {
    if (token === seen.current) return;
    seen.current = token;
    if (latest.current.busy) void latest.current.stop();
  }, [token]);
}

/** A read-only transcript that cannot read its outputs back holds all of them: nothing to count elsewhere. */
async function noOutputMatches(): Promise<Outcome<OutputMatches[]>> {
  return { ok: true, value: [] };
}

function isOver(status: SessionStatus): boolean {
  return status === "stopped" || status === "crashed";
}
