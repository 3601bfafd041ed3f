// The detected agents, loaded when a screen or dialog that shows them opens (at once, from the
// versions the backend kept), replaced when the backend's background check found them changed,
// and reloaded on demand (after an install, after a custom agent changed, Refresh).
import { useCallback, useEffect, useRef, useState } from "react";
import { agents, type AgentView } from "../ipc";

export interface Agents {
  /** Null until the first list arrived. */
  views: AgentView[] | null;
  error: string | null;
  loading: boolean;
  /** Lists again; `checkNow` also asks every agent its version again in the background. */
  refresh: (checkNow?: boolean) => Promise<void>;
}

export function useAgents(): Agents {
  const [views, setViews] = useState<AgentView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const live = useRef(true);
  // Only the latest request's answer counts: a slow earlier list must not replace a newer one.
  const latest = useRef(0);

  const refresh = useCallback(async (checkNow = false) => {
    const mine = ++latest.current;
    setLoading(true);
    let listed: Awaited<ReturnType<typeof agents.list>>;
    try {
      listed = await agents.list(checkNow);
    } catch (e) {
      listed = { ok: false, error: { code: "internal", message: e instanceof Error ? e.message : String(e) } };
    }
    if (!live.current || mine !== latest.current) return;
    setLoading(false);
    if (listed.ok) {
      setViews(listed.value);
      setError(null);
    } else {
      setError(listed.error.message);
    }
  }, []);

  useEffect(() => {
    live.current = true;
    void refresh();
    // The background check's list is newer than any answer in flight.
    // Without the event (no backend to listen to) the list still works, only unrefreshed.
    const unlisten = agents
      .onRefreshed((fresh) => {
        if (!live.current) return;
        latest.current++;
        setViews(fresh);
        setError(null);
        setLoading(false);
      })
      .catch(() => () => {});
    return () => {
      live.current = false;
      void unlisten.then((stop) => stop());
    };
  }, [refresh]);

  return { views, error, loading, refresh };
}
