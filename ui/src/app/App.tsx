import { useEffect, useState } from "react";
import { AgentsScreen } from "../features/agents/AgentsScreen";
import { AttentionStrip } from "../features/permissions/AttentionStrip";
import { useBringForward } from "../features/permissions/useBringForward";
import { Notices } from "../features/projects/Notices";
import { ProjectView } from "../features/projects/ProjectView";
import { Sidebar } from "../features/projects/Sidebar";
import { StartScreen } from "../features/projects/StartScreen";
import { UsageScreen } from "../features/usage/UsageScreen";
import { FirstRun } from "../features/welcome/FirstRun";
import { UpdatesHost } from "../features/updates/UpdatesHost";
import { useWorkspace } from "../model/useWorkspace";
import { projectOf, RemoteWindow, useRemoteWindow } from "../features/remote/RemoteWindow";
import { RecentRemote } from "../features/remote/RecentRemote";
import { relativeTime } from "../features/projects/names";

/** Refreshes "5 minutes ago" labels once a minute. */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 60_000);
    return () => window.clearInterval(timer);
  }, []);
  return now;
}

/**
 * The window: open projects on the left, the active project or the start screen on the right,
 * and above them a strip when an agent waits for an answer in a session not on screen.
 */
export function App() {
  const { state, actions } = useWorkspace();
  const now = useNow();
  // The Agents screen takes the place of the project view until closed or a project is chosen.
  const [agentsOpen, setAgentsOpen] = useState(false);
  const activeId = state.view?.active ?? null;
  // The usage view likewise: of one project (from its view) or of all (from the sidebar).
  const [usageOf, setUsageOf] = useState<{ project: { path: string; name: string } | null } | null>(null);
  useEffect(() => {
    setAgentsOpen(false);
    setUsageOf(null);
  }, [activeId]);
  // Remote projects: the dialog, the one in front (before the local one), their rows.
  const remoteWindow = useRemoteWindow(activeId);
  // A remote project's own Agents and Usage screens (its host's), shown in its place while it is in front.
  const [hostScreen, setHostScreen] = useState<{ key: string; screen: "agents" | "usage" } | null>(null);
  // Also follows clicks on the desktop notifications of permission questions; a host's
  // session's notification brings its remote project forward, as the strip's Show does.
  const bringForward = useBringForward(state.view, actions, (focus) => {
    if (remoteWindow.bring(focus.project, focus.sessionId, focus.connection)) {
      setAgentsOpen(false);
      setUsageOf(null);
    }
  });
  const view = state.view;
  if (!view) return <div className="loading" aria-busy="true" />;
  const remoteFront = remoteWindow.front;
  const hostShown = remoteFront && hostScreen?.key === remoteFront.key ? hostScreen.screen : null;
  const active = remoteFront ? null : (view.open.find((p) => p.id === view.active) ?? null);
  // Calls of the screens below go to the host while its project is what they show.
  remoteWindow.route(!agentsOpen && !usageOf);
  return (
    <div className="shell">
      <Sidebar
        projects={view.open}
        active={view.active}
        onActivate={(id) => {
          setAgentsOpen(false);
          setUsageOf(null);
          remoteWindow.showLocal();
          actions.activate(id);
        }}
        remote={{
          projects: remoteWindow.snapshot.projects,
          front: remoteWindow.front?.key ?? null,
          onActivate: (key) => {
            setAgentsOpen(false);
            setUsageOf(null);
            remoteWindow.activate(key);
          },
          onClose: remoteWindow.close,
          onOpenRemote: remoteWindow.openDialog,
        }}
        onClose={actions.close}
        onOpenFolder={actions.pick}
        agentsOpen={agentsOpen}
        onShowAgents={() => {
          setUsageOf(null);
          setAgentsOpen(true);
        }}
        usageOpen={usageOf !== null && usageOf.project === null}
        onShowUsage={() => {
          setAgentsOpen(false);
          setUsageOf({ project: null });
        }}
      />
      <main className="main">
        <AttentionStrip
          projects={[...view.open, ...remoteWindow.snapshot.projects.map(projectOf)]}
          onShow={(project, sessionId) =>
            void remoteWindow.showWaiting(project, sessionId, () => bringForward(project, sessionId)).then((onHost) => {
              if (onHost) {
                setAgentsOpen(false);
                setUsageOf(null);
              }
            })
          }
        />
        <Notices
          notices={view.notices}
          errors={state.errors}
          onDismissNotice={actions.dismissNotice}
          onDismissError={actions.dismissError}
          onForgetRecent={actions.forgetRecent}
        />
        {agentsOpen ? (
          <AgentsScreen onClose={() => setAgentsOpen(false)} />
        ) : usageOf ? (
          <UsageScreen project={usageOf.project} onClose={() => setUsageOf(null)} />
        ) : remoteFront && hostShown === "agents" ? (
          <AgentsScreen key={`agents-${remoteFront.key}`} host={remoteFront.place} onClose={() => setHostScreen(null)} />
        ) : remoteFront && hostShown === "usage" ? (
          <UsageScreen
            key={`usage-${remoteFront.key}`}
            project={{ path: remoteFront.project, name: remoteFront.name }}
            host={remoteFront.place}
            onClose={() => setHostScreen(null)}
          />
        ) : remoteFront ? (
          <ProjectView
            key={remoteFront.key}
            project={projectOf(remoteFront)}
            now={now}
            onShowUsage={() => setHostScreen({ key: remoteFront.key, screen: "usage" })}
            onShowHostAgents={() => setHostScreen({ key: remoteFront.key, screen: "agents" })}
            onReveal={() => {}}
            onClose={() => remoteWindow.close(remoteFront.key)}
            remote={{ host: remoteFront, onReconnect: () => void remoteWindow.reconnect(remoteFront), reconnecting: remoteWindow.reconnecting }}
          />
        ) : active ? (
          <ProjectView
            project={active}
            now={now}
            onReveal={() => actions.reveal(active.id)}
            onClose={() => actions.close(active.id)}
            onShowUsage={() => setUsageOf({ project: { path: active.path, name: active.name } })}
          />
        ) : (
          <StartScreen
            recent={view.recent}
            now={now}
            onOpenFolder={actions.pick}
            onOpenRemote={remoteWindow.openDialog}
            remote={
              remoteWindow.snapshot.recent.length > 0 && (
              <RecentRemote
                recent={remoteWindow.snapshot.recent}
                when={(ms) => relativeTime(ms, now)}
                onOpen={remoteWindow.reopen}
                onForget={remoteWindow.forgetRecent}
              />
              )
            }
            onOpenRecent={actions.openRecent}
            onForget={actions.forgetRecent}
            // On a first run the welcome (what Warden is, setting up an agent) comes first.
            intro={
              <FirstRun
                hasProjects={view.recent.length > 0}
                onShowAgents={() => {
                  setUsageOf(null);
                  setAgentsOpen(true);
                }}
              />
            }
          />
        )}
      </main>
      <UpdatesHost />
      <RemoteWindow
        control={remoteWindow}
        onOpened={() => {
          setAgentsOpen(false);
          setUsageOf(null);
        }}
      />
    </div>
  );
}
