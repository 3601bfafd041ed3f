// Picking the best of a group: how its branch goes into the base (merge, squash or rebase), an
// optional commit message, and — before anything happens — what is lost for good: the other
// members' branches and worktrees, their uncommitted files named one by one.
import { useState, type FormEvent } from "react";
import { bestOf, type BestOfEntry, type BestOfPicked, type IpcError, type MergeHow } from "../../ipc";
import { Dialog } from "../../shared/Dialog";
import { baseName } from "../../model/worktrees";
import { memberName } from "./BestOfGroups";

const HOWS: { how: MergeHow; label: string; hint: string }[] = [
  { how: "merge", label: "Merge", hint: "a merge commit keeps the branch's commits as they are" },
  { how: "squash", label: "Squash", hint: "all of its work as one new commit on the base" },
  { how: "rebase", label: "Rebase", hint: "its commits replayed on top of the base, no merge commit" },
];

interface Props {
  group: string;
  member: BestOfEntry;
  /** The other members: what is discarded. */
  others: BestOfEntry[];
  onCancel: () => void;
  onPicked: (result: BestOfPicked) => void;
}

/** The branch of a member, as the person knows it. */
function branchOf(entry: BestOfEntry): string {
  return entry.worktree?.branch ?? entry.session.worktree?.branch ?? "its branch";
}

/** Confirms the pick and runs it; errors stay in the dialog with the choices as they were. */
export function ComparePickDialog({ group, member, others, onCancel, onPicked }: Props) {
  const [how, setHow] = useState<MergeHow>("merge");
  const [message, setMessage] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<IpcError | null>(null);
  const base = member.worktree ? baseName(member.worktree) : (member.session.worktree?.baseBranch ?? "the base");
  const uncommitted = member.worktree?.uncommitted.length ?? 0;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    const done = await bestOf.pick(group, member.session.id, how, message.trim() || null);
    setBusy(false);
    if (done.ok) onPicked(done.value);
    else setError(done.error);
  };

  return (
    <Dialog title={`Keep ${memberName(member)}?`} onCancel={onCancel} testId="compare-pick-dialog" className="compare-pick-dialog">
      <form className="form" onSubmit={(e) => void submit(e)}>
        <p>
          The group's sessions stop. {uncommitted > 0 ? `Its ${uncommitted} uncommitted ${uncommitted === 1 ? "file is" : "files are"} committed, then ` : "Then "}
          <code>{branchOf(member)}</code> goes into <code>{base}</code>. Its worktree stays until you discard it.
        </p>
        <fieldset className="field">
          <legend>How it goes into {base}</legend>
          {HOWS.map((h) => (
            <label key={h.how} className="radio">
              <input type="radio" name="pick-how" value={h.how} checked={how === h.how} onChange={() => setHow(h.how)} data-testid={`compare-how-${h.how}`} />
              <span>
                {h.label}
                <span className="hint"> — {h.hint}</span>
              </span>
            </label>
          ))}
        </fieldset>
        <label className="field">
          <span>Commit message (optional)</span>
          <input value={message} onChange={(e) => setMessage(e.target.value)} placeholder="Warden names the session when left empty" data-testid="compare-pick-message" />
        </label>
        <div className="compare-loss" role="note" data-testid="compare-pick-loss">
          {others.length === 0 ? (
            <p>Nothing else is discarded: this is the group's only session.</p>
          ) : (
            <>
              <p>
                <strong>Discarded for good</strong> — the other {others.length === 1 ? "member's" : `${others.length} members'`} branches and worktrees:
              </p>
              <ul>
                {others.map((o) => {
                  const files = o.worktree?.uncommitted ?? [];
                  return (
                    <li key={o.session.id} data-testid="compare-pick-lost" data-session={o.session.id}>
                      <code>{branchOf(o)}</code> ({memberName(o)}): {o.files} {o.files === 1 ? "file" : "files"} changed
                      {files.length > 0 ? (
                        <>
                          , and {files.length} uncommitted {files.length === 1 ? "file" : "files"}: <span className="compare-loss-files">{files.join(", ")}</span>
                        </>
                      ) : null}
                    </li>
                  );
                })}
              </ul>
            </>
          )}
        </div>
        {busy && (
          <p className="worktree-progress" role="status">
            Stopping the sessions, merging and discarding…
          </p>
        )}
        {error && (
          <div className="inline-error" role="alert" data-testid="compare-pick-error">
            {error.message}
          </div>
        )}
        <div className="dialog-buttons">
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className="danger" disabled={busy} data-autofocus data-testid="compare-pick-confirm">
            {busy ? "Merging…" : others.length > 0 ? `Merge and discard ${others.length}` : "Merge"}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
