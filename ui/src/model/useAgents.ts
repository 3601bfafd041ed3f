// The detected agents, loaded when a screen or dialog that shows them opens, and reloaded on
// demand (after an install, after a custom agent changed).
import { useCallback, useEffect, useRef, useState } from "react";
import { agents, type AgentView } from "../ipc";

export interface Agents {
  /** Null until the first list arrived. */
  views: AgentView[] | null;
  error: string | null;
  loading: boolean;
  refresh: () => Promise<void>;
}

export function useAgents(): Agents {
  const [views, setViews] = useState<AgentView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const live = useRef(true);
  // Only the latest request's answer counts: a slow earlier list must not replace a newer one.
  const latest = useRef(0);

  const refresh = useCallback(async () => {
    const mine = ++latest.current;
    setLoading(true);
    let listed: Awaited<ReturnType<typeof agents.list>>;
    try {
      listed = await agents.list();
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
    return () => {
      live.current = false;
    };
  }, [refresh]);

  return { views, error, loading, refresh };
}
