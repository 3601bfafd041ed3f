import type { Notice, NoticeId } from "../../ipc";
import type { LocalError } from "../../model/workspaceState";

interface Props {
  notices: Notice[];
  errors: LocalError[];
  onDismissNotice: (id: NoticeId) => void;
  onDismissError: (id: number) => void;
  onForgetRecent: (path: string) => void;
}

/** Errors and notices, newest last, each dismissable. */
export function Notices({ notices, errors, onDismissNotice, onDismissError, onForgetRecent }: Props) {
  if (notices.length === 0 && errors.length === 0) return null;
  return (
    <div className="notices" role="alert" data-testid="notices">
      {notices.map((n) => (
        <div key={`n${n.id}`} className="notice">
          <span className="notice-text">{n.message}</span>
          <button className="icon-button" aria-label="Dismiss" onClick={() => onDismissNotice(n.id)}>
            ×
          </button>
        </div>
      ))}
      {errors.map((e) => (
        <div key={`e${e.id}`} className="notice">
          <span className="notice-text">{e.error.message}</span>
          {e.recentPath && e.error.code === "projectNotFound" ? (
            <button
              onClick={() => {
                onForgetRecent(e.recentPath!);
                onDismissError(e.id);
              }}
            >
              Remove from recent
            </button>
          ) : null}
          <button className="icon-button" aria-label="Dismiss" onClick={() => onDismissError(e.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
