// The person's hunk comments not yet sent, in the Files panel's footer: how many, and "Send to
// the agent" as a prompt of the person's own (they are the person's words). While the checks'
// feedback waits for a decision, the comments go with it from the composer instead: a new
// prompt would finish that task as accepted.
import { useState } from "react";
import { sessions, type HunkComment } from "../../ipc";
import { commentsSent, withComments } from "./comments";

interface Props {
  project: string;
  sessionId: string;
  comments: HunkComment[];
  /** Why sending is not possible now (the agent works, feedback waits); null when it is. */
  blocked: string | null;
  /** After a send: the list is read again. */
  onSent: () => void;
}

export function CommentsBar({ project, sessionId, comments, blocked, onSent }: Props) {
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (comments.length === 0) return null;
  const send = async () => {
    setSending(true);
    const sent = await sessions.prompt(sessionId, withComments("", comments));
    if (sent.ok) {
      const marked = await commentsSent(project, comments);
      setError(marked.ok ? null : `Sent, but not recorded as sent: ${marked.error.message}`);
      onSent();
    } else setError(sent.error.message);
    setSending(false);
  };
  const words = comments.length === 1 ? "1 comment" : `${comments.length} comments`;
  return (
    <div className="comments-bar" data-testid="comments-bar">
      <span className="muted">
        {words} not sent to the agent{blocked ? ` — ${blocked}` : ""}
      </span>
      {error && (
        <span className="inline-error" role="alert">
          {error}
        </span>
      )}
      <button type="button" className="small primary" onClick={() => void send()} disabled={sending || blocked !== null} data-testid="comments-send">
        Send to the agent
      </button>
    </div>
  );
}
