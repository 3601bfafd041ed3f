// The project's checks configuration as the window shows it: read when a session view opens,
// re-read after a trust decision.
import { useCallback, useEffect, useState } from "react";
import { checks, type ChecksOverview, type IpcError } from "../../ipc";

export interface OverviewState {
  overview: ChecksOverview | null;
  error: IpcError | null;
  /** Reads it again (after a decision, or when the panel opens). */
  refresh: () => void;
  /** Puts a value the backend returned (a trust decision answers with the new overview). */
  set: (overview: ChecksOverview) => void;
}

export function useChecksOverview(project: string | null): OverviewState {
  const [overview, setOverview] = useState<ChecksOverview | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const [n, setN] = useState(0);
  useEffect(() => {
    if (!project) return;
    let live = true;
    void checks.overview(project).then((outcome) => {
      if (!live) return;
      if (outcome.ok) {
        setOverview(outcome.value);
        setError(null);
      } else setError(outcome.error);
    });
    return () => {
      live = false;
    };
  }, [project, n]);
  const refresh = useCallback(() => setN((x) => x + 1), []);
  const set = useCallback((value: ChecksOverview) => {
    setOverview(value);
    setError(null);
  }, []);
  return { overview, error, refresh, set };
}
