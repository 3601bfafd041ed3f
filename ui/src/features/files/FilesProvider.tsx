// Lets everything in a session view open its Files panel (the header's button, a tool row's
// "N files", a turn's "N files changed", a finding at its hunk), and shows the panel above the
// window when it is open.
import { useCallback, useState, type ReactNode } from "react";
import { createPortal } from "react-dom";
import type { Transcript } from "../../model/transcript";
import { FilesPanel } from "./FilesPanel";
import { FilesOpenerContext, type FilesTarget } from "./opener";
import type { FileScope } from "./scope";

interface Props {
  /** The project folder; null until the agent says where it runs. */
  project: string | null;
  /** The Warden session; null for a view that is not one (a Claude Code history): no journal. */
  sessionId: string | null;
  transcript: Transcript;
  children: ReactNode;
}

export function FilesProvider({ project, sessionId, transcript, children }: Props) {
  // Each opening starts afresh on the scope it was opened for.
  const [open, setOpen] = useState<{ scope: FileScope; path: string | null; at: FilesTarget | null; n: number } | null>(null);
  const opener = useCallback(
    (scope: FileScope, path?: string, at?: FilesTarget) => setOpen((was) => ({ scope, path: path ?? null, at: at ?? null, n: (was?.n ?? 0) + 1 })),
    [],
  );
  const available = project !== null && sessionId !== null;
  return (
    <FilesOpenerContext.Provider value={available ? opener : null}>
      {children}
      {open &&
        available &&
        createPortal(
          <FilesPanel
            key={open.n}
            project={project}
            sessionId={sessionId}
            transcript={transcript}
            scope={open.scope}
            path={open.path}
            at={open.at}
            onClose={() => setOpen(null)}
          />,
          document.body,
        )}
    </FilesOpenerContext.Provider>
  );
}
