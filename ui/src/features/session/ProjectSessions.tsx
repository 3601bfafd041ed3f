// The session side of a project: its session list, the tabs of open sessions, the session in
// front, the New Session and close-tab dialogs, the permission modal of the session in front,
// and the keyboard shortcuts for all of them. A best-of group's compare view opens in a tab of
// its own beside the sessions.
import "./session.css";
import { useCallback, useEffect, useMemo, useState } from "react";
import { bestOf, claudeHistory, search, sessions, worktrees, type ClaudeHistoryEntry, type Project, type SessionRecord } from "../../ipc";
import { Dialog } from "../../shared/Dialog";
import { setFront, useShowRequests } from "../permissions/front";
import { PermissionPrompt } from "../permissions/PermissionPrompt";
import { countBySession, frontTurn } from "../permissions/queue";
import { useWaiting } from "../permissions/waiting";
import { NewSessionDialog, type BestOfChoice, type NewSessionChoice } from "./NewSessionDialog";
import { CompareView } from "../worktrees/CompareView";
import { compareGroupOf, compareTabId } from "../worktrees/BestOfGroups";
import { rememberHomes } from "../../model/worktreeHomes";
import type { Feed } from "../../model/hub";
import { historyMatches } from "../../model/historyTexts";
import { historyTabId, SessionList } from "./SessionList";
import { SessionTabs } from "./SessionTabs";
import { SessionView } from "./SessionView";
import { useWorktreeList } from "../../model/worktrees";
import { TerminalDock } from "../terminal/TerminalDock";
import { PipelineStart } from "../pipeline/PipelineStart";
import { PipelineStrips } from "../pipeline/PipelineStrip";
import { usePipelineRuns } from "../pipeline/usePipelineRuns";
import { closeTab, cycleTab, noTabs, openTab, replaceTab, type Tabs } from "./tabs";
import { hub, useClaudeHistory, useSessionList } from "../../model/useSession";
import { ProjectSearch, useProjectSearchShortcut } from "../search/ProjectSearch";
import type { SearchJump } from "../search/useSessionFind";
import { closeComposer } from "../chat/composer/sessionQueues";

/**
 * Tabs per project (by its id: a remote project's folder can have the same path as a local one
 * or another host's), kept while another project is in front.
 */
const tabsByProject = new Map<string, Tabs>();
/** Claude Code transcripts open read-only, by tab id. */
const historyTabs = new Map<string, ClaudeHistoryEntry>();

interface Props {
  project: Project;
  now: number;
}

/** Sessions list, tabs and the session in front, for one project. */
export function ProjectSessions({ project, now }: Props) {
  const { list, error } = useSessionList(project.path);
  const history = useClaudeHistory(project.path);
  const pipelineRuns = usePipelineRuns(project.path);
  const [tabs, setTabsState] = useState<Tabs>(() => tabsByProject.get(project.id) ?? noTabs);
  const [creating, setCreating] = useState(false);
  const [closing, setClosing] = useState<string | null>(null);
  const [focusToken, setFocusToken] = useState(0);
  const [stopToken, setStopToken] = useState(0);
  // The project search (Ctrl+Shift+F) and the hit it last opened, shown in its session's tab.
  const [searching, setSearching] = useState(false);
  const [jump, setJump] = useState<{ sessionId: string; jump: SearchJump } | null>(null);
  // A hit is shown once: coming back to its tab later does not scroll there again.
  useEffect(() => setJump((j) => (j && j.sessionId !== tabs.active ? null : j)), [tabs.active]);

  const setTabs = useCallback(
    (update: (tabs: Tabs) => Tabs) => {
      setTabsState((old) => {
        const next = update(old);
        tabsByProject.set(project.id, next);
        return next;
      });
    },
    [project.id],
  );

  const records = useMemo(() => new Map(list?.map((s) => [s.id, s]) ?? []), [list]);
  // The list shows each worktree session's state (ahead, behind, uncommitted), read again
  // whenever the list is read again (a commit or merge from the header asks for that); a
  // project without worktree sessions reads nothing.
  const [listMark, setListMark] = useState(0);
  useEffect(() => setListMark((n) => n + 1), [list]);
  const trees = useWorktreeList(list?.some((s) => s.worktree) ? project.path : null, String(listMark));
  const treeStates = useMemo(() => new Map(trees.value?.map((w) => [w.path, w]) ?? []), [trees.value]);
  // The window takes a worktree folder (a question's project, a notification) to this project.
  useEffect(() => {
    if (list) rememberHomes(list);
  }, [list]);
  const storedTitle = (id: string) => {
    const group = compareGroupOf(id);
    if (group !== null) return `Compare: best of ${list?.filter((s) => s.group === group).length || "N"}`;
    return records.get(id)?.title ?? historyTabs.get(id)?.title ?? "";
  };
  const open = (id: string) => {
    setTabs((t) => openTab(t, id));
    setFocusToken((n) => n + 1);
  };

  const waiting = useWaiting();
  const waitingCounts = useMemo(() => countBySession(waiting), [waiting]);
  const active = tabs.active;
  // The attention strip points elsewhere only while the session on screen asks nothing.
  useEffect(() => {
    setFront(project.path, active);
    return () => setFront(null, null);
  }, [project.path, active]);
  // A notification click or the strip's Show button, for a session of this project.
  useShowRequests(project.path, open, project.id);
  const asking = frontTurn(waiting, active) !== null;

  const openHistory = (entry: ClaudeHistoryEntry) => {
    historyTabs.set(historyTabId(entry.agentSessionId), entry);
    open(historyTabId(entry.agentSessionId));
  };
  const feedOf = (id: string): Feed | undefined => {
    const entry = historyTabs.get(id);
    return entry
      ? {
          kind: "static",
          load: () => claudeHistory.events(project.path, entry.agentSessionId),
          texts: (snapshot: string, fromSeq: number, toSeq: number) => claudeHistory.texts(project.path, entry.agentSessionId, snapshot, fromSeq, toSeq),
          output: (toolId: string) => claudeHistory.output(project.path, entry.agentSessionId, toolId),
          outputMatches: (seqs: number[], needle: string) => historyMatches(seqs, (part) => search.sessionOutputs(entry.agentSessionId, part, needle, project.path)),
        }
      : undefined;
  };
  /** A Claude Code transcript becomes a Warden session (same id) and resumes in its tab. */
  const adopt = async (tabId: string): Promise<string | null> => {
    const entry = historyTabs.get(tabId);
    if (!entry) return null;
    const imported = await claudeHistory.import(project.path, entry.agentSessionId);
    if (!imported.ok) return imported.error.message;
    const resumed = await sessions.resume(imported.value.id);
    hub.close(tabId);
    historyTabs.delete(tabId);
    // The resumed session's status events refresh the session list; the history lost an entry.
    setTabs((t) => replaceTab(t, tabId, imported.value.id));
    history.refresh();
    return resumed.ok ? null : resumed.error.message;
  };

  const start = async (choice: NewSessionChoice) => {
    const outcome = await sessions.start(project.path, choice);
    if (!outcome.ok) return outcome.error;
    setCreating(false);
    rememberHomes([outcome.value]);
    // Opening it follows its events, whose status changes refresh the list.
    open(outcome.value.id);
    return null;
  };

  const loadWorktreeOptions = useCallback((title: string) => worktrees.options(project.path, title), [project.path]);

  /** Starts best of N: every member's session opens in a tab, the compare view in front. */
  const startBestOf = async (choice: BestOfChoice) => {
    const outcome = await bestOf.start(project.path, choice.prompt, choice.members, choice.mode, choice.base, choice.runSetup);
    if (!outcome.ok) return outcome.error;
    setCreating(false);
    rememberHomes(outcome.value.sessions);
    setTabs((t) => outcome.value.sessions.reduce((tabs, s) => openTab(tabs, s.id), t));
    open(compareTabId(outcome.value.id));
    hub.recordsChanged();
    return null;
  };

  /** Closes a tab; a session whose agent still runs asks first. */
  const requestClose = useCallback(
    (id: string) => {
      const status = hub.get(id)?.transcript.status;
      const live = hub.get(id) && !hub.get(id)?.readOnly && status !== "stopped" && status !== "crashed";
      if (live) setClosing(id);
      else forget(id);
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [],
  );
  const openNewSession = useCallback(() => setCreating(true), []);
  const forget = (id: string) => {
    setTabs((t) => closeTab(t, id));
    hub.close(id);
    // Closed for good: its queued prompts and unsent draft go with it.
    closeComposer(id);
  };

  useProjectSearchShortcut(() => setSearching(true), !creating && closing === null && !asking);

  useShortcuts({
    newSession: () => setCreating(true),
    closeTab: () => tabs.active && requestClose(tabs.active),
    stop: () => setStopToken((n) => n + 1),
    cycle: (step) => setTabs((t) => cycleTab(t, step)),
    // The permission modal has the keyboard while it asks (Esc there denies, not stops).
    enabled: !creating && closing === null && !asking,
  });

  return (
    <div className="project-sessions">
      <SessionList
        list={list}
        error={error}
        openIds={new Set(tabs.open)}
        waiting={waitingCounts}
        activeId={active}
        now={now}
        onOpen={(s: SessionRecord) => open(s.id)}
        onNew={() => setCreating(true)}
        onSearch={() => setSearching(true)}
        history={history.list}
        onOpenHistory={openHistory}
        onCompare={(group) => open(compareTabId(group))}
        worktreeStates={treeStates}
      />
      <div className="session-area">
        <PipelineStrips runs={pipelineRuns} onOpen={open} />
        {tabs.open.length > 0 && (
          <SessionTabs
            tabs={tabs}
            titleOf={storedTitle}
            waiting={waitingCounts}
            onActivate={(id) => setTabs((t) => openTab(t, id))}
            onClose={requestClose}
          />
        )}
        {active && compareGroupOf(active) !== null ? (
          <CompareView key={active} group={compareGroupOf(active) ?? ""} onOpen={open} onDiscarded={(ids) => ids.forEach(forget)} />
        ) : active ? (
          <SessionView
            key={active}
            id={active}
            feed={feedOf(active)}
            title={storedTitle(active)}
            storedStatus={records.get(active)?.status ?? null}
            record={records.get(active) ?? null}
            onAdopt={() => adopt(active)}
            focusToken={focusToken} stopToken={stopToken}
            jump={jump?.sessionId === active ? jump.jump : null} onNewSession={openNewSession} />
        ) : (
          <div className="no-session" data-testid="no-session">
            <p>No session open.</p>
            <button className="primary" onClick={() => setCreating(true)} data-testid="new-session-empty">
              New Session
            </button>
            <p className="hint">Ctrl+N starts a session · pick one on the left to reopen it</p>
          </div>
        )}
        {/* A session in a worktree works in that folder: its terminals start there. */}
        <TerminalDock project={(active && records.get(active)?.worktree && records.get(active)?.project) || project.path} />
      </div>
      {creating && (
        <NewSessionDialog
          projectName={project.name}
          onStart={start}
          onCancel={() => setCreating(false)}
          // Worktrees, best of N and pipelines run on the project's host, as here.
          worktreeOptions={loadWorktreeOptions}
          onStartBestOf={startBestOf}
          pipelines={(mode) => <PipelineStart project={project.path} mode={mode} onStarted={() => setCreating(false)} />}
        />
      )}
      {searching && (
        <ProjectSearch
          project={project.path}
          onClose={() => setSearching(false)}
          onOpen={(hit, words) => {
            setSearching(false);
            setJump((old) => ({ sessionId: hit.sessionId, jump: { target: hit.target, words, token: (old?.jump.token ?? 0) + 1 } }));
            open(hit.sessionId);
          }}
        />
      )}
      {closing && (
        <Dialog title="This session is still running" onCancel={() => setClosing(null)} testId="close-running">
          <p>Closing the tab can stop the agent, or leave it running in the background (it stays in the session list).</p>
          <div className="dialog-buttons">
            <button onClick={() => setClosing(null)}>Cancel</button>
            <button
              onClick={() => {
                setTabs((t) => closeTab(t, closing));
                setClosing(null);
              }}
            >
              Keep Running
            </button>
            <button
              className="danger"
              data-autofocus
              data-testid="stop-and-close"
              onClick={() => {
                const id = closing;
                setClosing(null);
                forget(id);
                void sessions.stop(id).then(() => hub.recordsChanged());
              }}
            >
              Stop and Close
            </button>
          </div>
        </Dialog>
      )}
      {/* Last, so it stacks above any other dialog that happens to be open when a question comes. */}
      <PermissionPrompt
        // A worktree session works in its own folder: its questions' paths are read against it.
        project={active && records.get(active)?.worktree ? { ...project, path: records.get(active)?.project ?? project.path } : project}
        sessionId={active}
        sessionTitle={active ? (hub.get(active)?.transcript.title(storedTitle(active)) ?? (storedTitle(active) || "New session")) : ""}
        waiting={waiting}
      />
    </div>
  );
}

interface Shortcuts {
  newSession: () => void;
  closeTab: () => void;
  stop: () => void;
  cycle: (step: number) => void;
  /** Off while a dialog has the keyboard. */
  enabled: boolean;
}

/** Ctrl/Cmd+N new session, Ctrl/Cmd+W close tab, Ctrl+Tab next tab, Esc stop the turn. */
function useShortcuts(s: Shortcuts) {
  useEffect(() => {
    if (!s.enabled) return;
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      if (mod && !e.shiftKey && !e.altKey && key === "n") s.newSession();
      else if (mod && !e.shiftKey && !e.altKey && key === "w") s.closeTab();
      else if (e.ctrlKey && key === "tab") s.cycle(e.shiftKey ? -1 : 1);
      else if (e.ctrlKey && key === "pagedown") s.cycle(1);
      else if (e.ctrlKey && key === "pageup") s.cycle(-1);
      else if (key === "escape" && !e.defaultPrevented) s.stop();
      else return;
      e.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [s]);
}
