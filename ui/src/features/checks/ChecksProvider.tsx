// Lets everything in a session view open its Checks panel (the header's chip and button, the bar
// above the prompt box when a task needs the person), and shows the panel above the window when
// it is open. It also reads the project's checks configuration, which the chip (its round limit)
// and the panel share.
import { createContext, useCallback, useContext, useState, type ReactNode } from "react";
import { createPortal } from "react-dom";
import type { Transcript } from "../../model/transcript";
import { ChecksPanel } from "./ChecksPanel";
import { useChecksOverview, type OverviewState } from "./useChecksOverview";

/** Opens the panel (on the task's latest round). */
export type ChecksOpener = () => void;

interface ChecksContextValue {
  open: ChecksOpener;
  overview: OverviewState;
}

const ChecksContext = createContext<ChecksContextValue | null>(null);

/** The opener and configuration of the session around, if any. */
export function useChecks(): ChecksContextValue | null {
  return useContext(ChecksContext);
}

interface Props {
  project: string | null;
  /** The Warden session; null for a view that is not one (a Claude Code history). */
  sessionId: string | null;
  transcript: Transcript;
  children: ReactNode;
}

export function ChecksProvider({ project, sessionId, transcript, children }: Props) {
  const [open, setOpen] = useState(0);
  const opener = useCallback(() => setOpen((n) => n + 1), []);
  const overview = useChecksOverview(project);
  const available = project !== null && sessionId !== null;
  return (
    <ChecksContext.Provider value={available ? { open: opener, overview } : null}>
      {children}
      {open > 0 &&
        available &&
        createPortal(
          <ChecksPanel key={open} project={project} sessionId={sessionId} transcript={transcript} overview={overview} onClose={() => setOpen(0)} />,
          document.body,
        )}
    </ChecksContext.Provider>
  );
}
