// The Terminal panel at the bottom of the session area: tabs of shells (and agents' own
// interfaces), the terminal in front, a top edge to drag for height. Ctrl+` shows and hides it.
import "./terminal.css";
import { useEffect, useRef, type PointerEvent as ReactPointerEvent } from "react";
import { exitLabel, type Dock } from "./dock";
import { dockStore, useDock, type DockStore } from "./store";
import { keyAction } from "./keys";

interface Props {
  /** The project folder the terminals start in. */
  project: string;
  store?: DockStore;
}

/** The panel of `project`, when it is shown; and its shortcut, always. */
export function TerminalDock({ project, store = dockStore }: Props) {
  const dock = useDock(project, store);
  const section = useRef<HTMLElement>(null);

  useEffect(() => {
    store.setShowing(project);
    return () => store.setShowing(null);
  }, [project, store]);

  useEffect(() => {
    // Inside a terminal the terminal handles the key itself (and keeps it from here).
    const onKey = (e: KeyboardEvent) => {
      if (keyAction(e) !== "toggle") return;
      e.preventDefault();
      store.toggle(project);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [project, store]);

  if (!dock.open) return null;

  const startDrag = (e: ReactPointerEvent<HTMLDivElement>) => {
    const area = section.current?.parentElement;
    if (!area) return;
    e.preventDefault();
    const handle = e.currentTarget;
    handle.setPointerCapture(e.pointerId);
    const startY = e.clientY;
    const startHeight = dock.height;
    // The session above keeps at least a header's worth of room.
    const max = area.getBoundingClientRect().height - 120;
    const move = (m: PointerEvent) => store.resize(project, startHeight + (startY - m.clientY), max);
    const end = () => {
      handle.removeEventListener("pointermove", move);
      handle.removeEventListener("pointerup", end);
      handle.removeEventListener("pointercancel", end);
    };
    handle.addEventListener("pointermove", move);
    handle.addEventListener("pointerup", end);
    handle.addEventListener("pointercancel", end);
  };

  return (
    <section ref={section} className="terminal-dock" style={{ height: dock.height }} aria-label="Terminal" data-testid="terminal-panel">
      <div className="terminal-resize" role="separator" aria-orientation="horizontal" aria-label="Resize the terminal" onPointerDown={startDrag} />
      <TabStrip project={project} dock={dock} store={store} />
      {dock.active && <TermView key={dock.active} sessionKey={dock.active} store={store} />}
    </section>
  );
}

function TabStrip({ project, dock, store }: { project: string; dock: Dock; store: DockStore }) {
  return (
    <div className="terminal-tabs">
      <div className="terminal-tab-list" role="tablist" aria-label="Terminals">
        {dock.tabs.map((tab) => {
          const active = tab.key === dock.active;
          const state = tab.error ? "failed" : tab.exit ? "exited" : "running";
          return (
            <div key={tab.key} className={active ? "terminal-tab active" : "terminal-tab"} data-testid="terminal-tab" data-state={state}>
              <button
                type="button"
                role="tab"
                aria-selected={active}
                className="terminal-tab-button"
                onClick={() => store.activate(project, tab.key)}
                title={tab.error ?? (tab.exit ? `${tab.title} — ${exitLabel(tab.exit)}` : tab.title)}
              >
                <span className={`terminal-mark ${state}`} aria-hidden="true" />
                <span className="terminal-tab-title">{tab.title}</span>
                {tab.exit && (
                  <span className="terminal-exit" data-testid="terminal-exit">
                    {exitLabel(tab.exit)}
                  </span>
                )}
                {tab.error && <span className="terminal-exit">failed</span>}
              </button>
              <button type="button" className="icon-button" aria-label={`Close ${tab.title}`} onClick={() => store.close(project, tab.key)}>
                ×
              </button>
            </div>
          );
        })}
      </div>
      <button type="button" className="icon-button" aria-label="New terminal" title="New terminal" onClick={() => store.openShell(project)} data-testid="terminal-new">
        +
      </button>
      <span className="terminal-spacer" />
      <button type="button" className="icon-button" aria-label="Hide the terminal" title="Hide (Ctrl+`)" onClick={() => store.toggle(project)}>
        ⌄
      </button>
    </div>
  );
}

/** Shows one tab's terminal: moves its element in, fits it to the room, focuses it. */
function TermView({ sessionKey, store }: { sessionKey: string; store: DockStore }) {
  const container = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const session = store.session(sessionKey);
    const element = container.current;
    if (!session || !element) return;
    session.attach(element);
    session.focus();
    if (typeof ResizeObserver === "undefined") return () => session.detach();
    let frame = 0;
    const observer = new ResizeObserver(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => session.fitNow());
    });
    observer.observe(element);
    return () => {
      cancelAnimationFrame(frame);
      observer.disconnect();
      session.detach();
    };
  }, [sessionKey, store]);
  return <div ref={container} className="terminal-view" data-testid="terminal-view" />;
}
