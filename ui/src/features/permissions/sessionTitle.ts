// The title of a session that may have no tab and belong to a project not in front (the
// attention strip names the session that asks). The stored record has it; records are read per
// project, once per session that was not known yet.
import { useEffect, useState } from "react";
import { sessions, type SessionId } from "../../ipc";
import { hub } from "../../model/useSession";

/** Stored titles by session id, for as long as the window runs (titles are short). */
const stored = new Map<SessionId, string>();

/** What to call a session: its stored title, else its first prompt if its tab is open. */
export function useSessionTitle(project: string, sessionId: SessionId): string {
  const [, reread] = useState(0);
  useEffect(() => {
    if (stored.get(sessionId)) return;
    let live = true;
    void sessions.list(project).then((listed) => {
      if (!listed.ok) return;
      for (const record of listed.value) if (record.title) stored.set(record.id, record.title);
      if (live) reread((n) => n + 1);
    });
    return () => {
      live = false;
    };
  }, [project, sessionId]);
  const title = stored.get(sessionId) ?? "";
  return hub.get(sessionId)?.transcript.title(title) ?? (title || "Untitled session");
}
