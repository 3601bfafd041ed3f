// Lets everything in a session view start a review (the header's and a turn's Review with…) and
// open the review view (the header, the Checks panel), and shows the dialog and the view above
// the window when they are open.
import { createContext, useCallback, useContext, useState, type ReactNode } from "react";
import { createPortal } from "react-dom";
import type { ReviewScope } from "../../ipc";
import type { Transcript } from "../../model/transcript";
import { ReviewDialog } from "./ReviewDialog";
import { ReviewView } from "./ReviewView";

export interface ReviewOpener {
  /** Opens "Review with…" on `scope` (the current task, a turn, the whole session). */
  ask: (scope: ReviewScope) => void;
  /** Opens the review view (on the reviews of `group`, by default the latest). */
  show: (group?: string) => void;
}

const ReviewContext = createContext<ReviewOpener | null>(null);

/** The review opener of the session around, if any (none in a history view or a lone row). */
export function useReviews(): ReviewOpener | null {
  return useContext(ReviewContext);
}

interface Props {
  project: string | null;
  /** The Warden session; null for a view that is not one (a Claude Code history). */
  sessionId: string | null;
  transcript: Transcript;
  children: ReactNode;
}

export function ReviewProvider({ project, sessionId, transcript, children }: Props) {
  const [asking, setAsking] = useState<ReviewScope | null>(null);
  const [showing, setShowing] = useState<{ group: string | null; n: number } | null>(null);
  const ask = useCallback((scope: ReviewScope) => setAsking(scope), []);
  const show = useCallback((group?: string) => setShowing((was) => ({ group: group ?? null, n: (was?.n ?? 0) + 1 })), []);
  const available = project !== null && sessionId !== null;
  return (
    <ReviewContext.Provider value={available ? { ask, show } : null}>
      {children}
      {available &&
        asking &&
        createPortal(
          <ReviewDialog
            sessionId={sessionId}
            transcript={transcript}
            scope={asking}
            onClose={() => setAsking(null)}
            onStarted={(scope) => {
              setAsking(null);
              show(groupOf(scope));
            }}
          />,
          document.body,
        )}
      {available &&
        showing &&
        createPortal(
          <ReviewView
            key={showing.n}
            project={project}
            sessionId={sessionId}
            transcript={transcript}
            group={showing.group}
            onAsk={() => {
              // The view's group names the scope asked about again; a task's by default.
              const task = transcript.tasks.current;
              setShowing(null);
              ask(task ? { type: "task", task: task.task } : { type: "session" });
            }}
            onClose={() => setShowing(null)}
          />,
          document.body,
        )}
    </ReviewContext.Provider>
  );
}

/** The view's group of a scope: `task:N`, `turn:N`, `session` or `base:REV`. */
export function groupOf(scope: ReviewScope): string {
  switch (scope.type) {
    case "task":
      return `task:${scope.task}`;
    case "turn":
      return `turn:${scope.turn}`;
    case "session":
      return "session";
    case "base":
      return `base:${scope.base}`;
  }
}
