// The tab strip of a project's open sessions. A dot marks a session whose turn is running, so
// one streaming in the background is visible from any tab, and an amber one a session that
// waits for an answer.
import { useCallback, useSyncExternalStore } from "react";
import type { Tabs } from "./tabs";
import { hub } from "../../model/useSession";
import { chipVisible, chipWords, type TaskState } from "../../model/tasks";
import { TaskChip } from "../checks/TaskChip";

/** What a tab shows. */
export interface TabInfo {
  title: string;
  busy: boolean;
  /** The session waits for an answer from you. */
  waiting: boolean;
  /** The session's latest task, for its chip. */
  task: TaskState | null;
}

interface Props {
  tabs: Tabs;
  /** A tab's title when its transcript has none yet. */
  titleOf: (id: string) => string;
  /** Questions waiting per session, from the window-wide list (the source of truth). */
  waiting: ReadonlyMap<string, number>;
  onActivate: (id: string) => void;
  onClose: (id: string) => void;
}

/** Session tabs with close buttons. */
export function SessionTabs({ tabs, titleOf, waiting, onActivate, onClose }: Props) {
  // Re-render only when a flag or title a tab shows changes, not on every streamed token.
  const subscribe = useCallback((onChange: () => void) => hub.onChange(onChange), []);
  useSyncExternalStore(subscribe, () => tabs.open.map((id) => flags(id)).join("|"));
  const info = (id: string): TabInfo => {
    const t = hub.get(id)?.transcript;
    const title = t ? t.title(titleOf(id)) : titleOf(id) || "New session";
    // Not the transcript's own `pending`: a session that crashed mid-question keeps one there
    // for ever, while the backend's list drops it.
    return { title, busy: t?.busy ?? false, waiting: (waiting.get(id) ?? 0) > 0, task: visibleTask(t?.tasks.current ?? null) };
  };
  return (
    <div className="tab-strip" role="tablist" aria-label="Open sessions">
      {tabs.open.map((id) => {
        const tab = info(id);
        const active = id === tabs.active;
        return (
          <div
            key={id}
            className={active ? "tab active" : "tab"}
            data-testid="tab"
            data-session-id={id}
            data-waiting={tab.waiting ? "true" : undefined}
          >
            <button
              role="tab"
              aria-selected={active}
              className="tab-button"
              onClick={() => onActivate(id)}
              onAuxClick={(e) => e.button === 1 && onClose(id)}
              title={tab.title}
            >
              {tab.waiting ? (
                <span className="tab-mark waiting" title="Waiting for your answer" />
              ) : tab.busy ? (
                <span className="tab-mark busy" title="Working" />
              ) : null}
              <span className="tab-title">{tab.title}</span>
              {tab.task && <TaskChip task={tab.task} maxRounds={null} testId="tab-task-chip" />}
            </button>
            <button className="icon-button tab-close" aria-label={`Close ${tab.title}`} title="Close (Ctrl+W)" onClick={() => onClose(id)} data-testid="tab-close">
              ×
            </button>
          </div>
        );
      })}
    </div>
  );
}

function visibleTask(task: TaskState | null): TaskState | null {
  return task && chipVisible(task) ? task : null;
}

function flags(id: string): string {
  const t = hub.get(id)?.transcript;
  if (!t) return "";
  const task = t.tasks.current;
  return `${t.busy ? 1 : 0}${t.entries.length > 0 ? 1 : 0}${task ? `${task.task}:${chipWords(task, null)}` : ""}`;
}
