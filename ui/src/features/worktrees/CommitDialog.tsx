// Commit…: the worktree's uncommitted files go into one commit on its branch, with a message the
// person writes or asks the session's agent to draft (a turn of its own; its reply fills the
// message when that turn ends).
import { useEffect, useState } from "react";
import { sessions, worktrees, type IpcError, type WorktreeInfo } from "../../ipc";
import { Dialog } from "../../shared/Dialog";
import type { Transcript } from "../../model/transcript";
import { baseName, fileCount } from "../../model/worktrees";
import { draftAnswer, draftPrompt } from "./CommitDraft";

interface Props {
  path: string;
  info: WorktreeInfo;
  /** The session whose agent can draft; null when it cannot (a history, no agent running). */
  sessionId: string | null;
  transcript: Transcript;
  /** Whether the agent is there and between turns, so a draft can be asked for now. */
  canDraft: boolean;
  /** After the commit was made (its id). */
  onCommitted: (commit: string) => void;
  onClose: () => void;
}

export function CommitDialog({ path, info, sessionId, transcript, canDraft, onCommitted, onClose }: Props) {
  const [message, setMessage] = useState("");
  const [error, setError] = useState<IpcError | null>(null);
  const [busy, setBusy] = useState(false);
  // The turn drafting the message, until it ends.
  const [drafting, setDrafting] = useState<number | null>(null);
  const [draftNote, setDraftNote] = useState<string | null>(null);

  // The transcript changes in place; its version says when to look at the drafting turn again.
  const version = transcript.version;
  useEffect(() => {
    if (drafting === null) return;
    const answer = draftAnswer(transcript, drafting);
    if (!answer.done) return;
    setDrafting(null);
    if (answer.text !== null) {
      setMessage(answer.text);
      setDraftNote(answer.error ? `The turn ended with an error (${answer.error}); check the draft.` : "Drafted by the agent: read it before you commit.");
    } else setDraftNote(answer.error ? `The agent could not draft one: ${answer.error}` : "The agent's reply had no text to use.");
  }, [drafting, transcript, version]);

  const askDraft = async () => {
    if (!sessionId) return;
    setDraftNote(null);
    setError(null);
    const sent = await sessions.prompt(sessionId, draftPrompt(info.branch, baseName(info)));
    if (sent.ok) setDrafting(sent.value);
    else setError(sent.error);
  };

  const commit = async () => {
    setBusy(true);
    const made = await worktrees.commit(path, message.trim());
    setBusy(false);
    if (made.ok) onCommitted(made.value);
    else setError(made.error);
  };

  const nothing = info.uncommitted.length === 0;
  const draftWhy = drafting !== null ? "The agent is drafting…" : canDraft ? null : "The agent must be running and between turns to draft a message";
  return (
    <Dialog title={`Commit on ${info.branch}`} onCancel={onClose} testId="worktree-commit-dialog" className="worktree-dialog">
      {nothing ? (
        <p className="muted" data-testid="worktree-commit-nothing">
          Nothing to commit: every change in the worktree is committed.
        </p>
      ) : (
        <>
          <p>
            {fileCount(info.uncommitted.length)} not committed yet go into one commit on <code>{info.branch}</code>:
          </p>
          <ul className="worktree-paths" data-testid="worktree-commit-files">
            {info.uncommitted.map((file) => (
              <li key={file}>
                <code>{file}</code>
              </li>
            ))}
          </ul>
        </>
      )}
      <label className="field">
        <span>Message</span>
        <textarea
          rows={6}
          value={message}
          onChange={(e) => setMessage(e.target.value)}
          placeholder="What this commit does, in a short first line"
          data-autofocus
          data-testid="worktree-commit-message"
        />
      </label>
      <div className="worktree-draft">
        <button type="button" className="small" onClick={() => void askDraft()} disabled={draftWhy !== null || nothing} title={draftWhy ?? "Ask the session's agent to write the message (a turn of its own)"} data-testid="worktree-commit-draft">
          {drafting !== null ? "Drafting…" : "Ask the agent to draft"}
        </button>
        {draftNote && (
          <span className="muted" data-testid="worktree-draft-note">
            {draftNote}
          </span>
        )}
      </div>
      {error && (
        <div className="inline-error" role="alert" data-testid="worktree-commit-error">
          {error.message}
        </div>
      )}
      <div className="dialog-buttons">
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="primary" onClick={() => void commit()} disabled={busy || nothing || message.trim() === ""} data-testid="worktree-commit-confirm">
          {busy ? "Committing…" : "Commit"}
        </button>
      </div>
    </Dialog>
  );
}
