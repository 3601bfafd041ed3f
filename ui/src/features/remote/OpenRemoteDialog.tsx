// File › Open Remote Project…: where the project is (an SSH host, a running container, or a
// command that reaches Warden somewhere) and its folder there; then connecting, with what the
// window is doing; when Warden is missing on the host or of another version, the offer to
// install the matching one there, with progress; then the connection again. Whatever fails, the
// form keeps what was typed.
import "./remote.css";
import { useEffect, useReducer, useRef, useState, type FormEvent, type ReactNode } from "react";
import { Dialog } from "../../shared/Dialog";
import { amount, flow, type ConnectAnswer, type Phase, type Progress } from "./flow";
import { draftProblems, emptyDraft, placeLabel, type RemoteDraft, type RemoteKind } from "./validate";

interface Props {
  /** Connects and opens the folder; progress as it goes. Resolves once the project is open or failed. */
  connect: (draft: RemoteDraft, onProgress: (p: Progress) => void) => Promise<ConnectAnswer>;
  /** Installs this Warden's headless binary on the host; the error's words, or null when done. */
  install: (draft: RemoteDraft, onProgress: (p: Progress) => void) => Promise<string | null>;
  /** The project opened: the dialog closes. */
  onOpened: () => void;
  onCancel: () => void;
  /** What the form starts with (a recent remote project). */
  initial?: RemoteDraft;
  /** Connects at once with `initial` (one click on a recent remote project). */
  autoConnect?: boolean;
}

const KINDS: { kind: RemoteKind; label: string; hint: string }[] = [
  { kind: "ssh", label: "SSH host", hint: "OpenSSH's ssh: your keys, agent, jump hosts and known_hosts as you set them up" },
  { kind: "container", label: "Running container", hint: "docker exec (or podman) into a container that runs now" },
  { kind: "command", label: "Custom command", hint: "any command whose input and output reach `warden serve --stdio` there" },
];

/** The dialog. */
export function OpenRemoteDialog({ connect, install, onOpened, onCancel, initial, autoConnect = false }: Props) {
  const [draft, setDraft] = useState<RemoteDraft>(initial ?? emptyDraft);
  // Problems show once the person tried to connect (not while the first letters are typed).
  const [tried, setTried] = useState(false);
  const [phase, dispatch] = useReducer(flow, { step: "form" } as Phase);
  // A reply of an attempt the person cancelled or replaced must not move the dialog.
  const attempt = useRef(0);
  const problems = draftProblems(draft);
  const valid = Object.keys(problems).length === 0;
  const busy = phase.step === "connecting" || phase.step === "installing";
  const set = (patch: Partial<RemoteDraft>) => setDraft((d) => ({ ...d, ...patch }));

  const runConnect = async (afterInstall: boolean) => {
    const mine = ++attempt.current;
    dispatch({ type: "connect", afterInstall });
    const answer = await connect(draft, (progress) => mine === attempt.current && dispatch({ type: "progress", progress }));
    if (mine !== attempt.current) return;
    if (answer.ok) onOpened();
    else dispatch({ type: "answer", answer });
  };

  // Once, on opening: a recent project connects without another click (its fields were valid when it opened).
  // Not a custom command: that runs on this machine, so the person sees it and presses Connect.
  const started = useRef(false);
  useEffect(() => {
    if (started.current || !autoConnect || !valid || draft.kind === "command") return;
    started.current = true;
    void runConnect(false);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (!valid || busy) return;
    void runConnect(false);
  };

  const runInstall = async () => {
    const mine = ++attempt.current;
    dispatch({ type: "install" });
    const failed = await install(draft, (progress) => mine === attempt.current && dispatch({ type: "progress", progress }));
    if (mine !== attempt.current) return;
    if (failed) dispatch({ type: "installFailed", message: failed });
    else void runConnect(true);
  };

  const cancel = () => {
    attempt.current++;
    onCancel();
  };

  const where = placeLabel(draft);
  return (
    <Dialog title="Open Remote Project" onCancel={cancel} testId="remote-dialog" className="remote-dialog" cancelOnBackdrop={!busy} data={{ phase: phase.step }}>
      {phase.step === "form" || phase.step === "failed" ? (
        <form className="form" onSubmit={submit} noValidate>
          <fieldset className="field">
            <legend>Where</legend>
            {KINDS.map((k) => (
              <label key={k.kind} className="radio">
                <input type="radio" name="remote-kind" checked={draft.kind === k.kind} onChange={() => set({ kind: k.kind })} data-testid={`remote-kind-${k.kind}`} />
                <span>
                  {k.label}
                  <span className="hint"> — {k.hint}</span>
                </span>
              </label>
            ))}
          </fieldset>
          {draft.kind === "ssh" && (
            <Field label="Destination" problem={tried ? problems.destination : undefined} hint="user@host, a Host alias from ~/.ssh/config, or ssh://user@host:port">
              <input
                value={draft.destination}
                onChange={(e) => set({ destination: e.target.value })}
                placeholder="dev@build-box"
                spellCheck={false}
                autoCapitalize="off"
                data-autofocus
                data-testid="remote-destination"
              />
            </Field>
          )}
          {draft.kind === "ssh" && (
            <Field
              label="SSH options (optional)"
              problem={tried ? problems.sshOptions : undefined}
              hint="-p PORT, -i KEY_FILE, -J JUMP_HOST, -o Key=Value (like ConnectTimeout=5); anything else belongs in ~/.ssh/config"
            >
              <input
                value={draft.sshOptions}
                onChange={(e) => set({ sshOptions: e.target.value })}
                placeholder="-p 2222 -J bastion"
                spellCheck={false}
                autoCapitalize="off"
                data-testid="remote-ssh-options"
              />
            </Field>
          )}
          {draft.kind === "container" && (
            <div className="remote-container-row">
              <Field label="Container" problem={tried ? problems.container : undefined} hint="its name or id (docker ps)">
                <input value={draft.container} onChange={(e) => set({ container: e.target.value })} spellCheck={false} data-autofocus data-testid="remote-container" />
              </Field>
              <label className="field">
                <span>Engine</span>
                <select value={draft.engine} onChange={(e) => set({ engine: e.target.value as RemoteDraft["engine"] })} data-testid="remote-engine">
                  <option value="docker">docker</option>
                  <option value="podman">podman</option>
                </select>
              </label>
            </div>
          )}
          {draft.kind === "command" && (
            <Field label="Command" problem={tried ? problems.command : undefined} hint="run with sh -c here; it must start warden serve --stdio there">
              <input
                value={draft.command}
                onChange={(e) => set({ command: e.target.value })}
                placeholder="kubectl exec -i my-pod -- warden serve --stdio"
                spellCheck={false}
                data-autofocus
                data-testid="remote-command"
              />
            </Field>
          )}
          <Field label="Folder on the host" problem={tried ? problems.folder : undefined} hint="the project folder there: /home/you/app or ~/app">
            <input value={draft.folder} onChange={(e) => set({ folder: e.target.value })} placeholder="~/code/app" spellCheck={false} data-testid="remote-folder" />
          </Field>
          {phase.step === "failed" && (
            <div className="inline-error remote-failed" role="alert" data-testid="remote-error">
              {phase.message}
            </div>
          )}
          <div className="dialog-buttons">
            <button type="button" onClick={cancel}>
              Cancel
            </button>
            <button type="submit" className="primary" disabled={tried && !valid} data-testid="remote-connect">
              Connect
            </button>
          </div>
        </form>
      ) : phase.step === "offer" ? (
        <div className="remote-offer" data-testid="remote-install-offer">
          <p>
            <strong>{phase.offer.why === "missing" ? `Warden is not installed on ${where}.` : `${where} runs another version of Warden.`}</strong>
          </p>
          <p className="muted remote-detail">{phase.offer.message}</p>
          <p>
            Install this window's version there? Warden copies its headless binary (no window, no GTK) to <code>~/.local/bin/warden</code> on the
            host{phase.offer.hostPlatform ? ` (${phase.offer.hostPlatform})` : ""}, after checking that the host runs the same operating system and
            architecture; nothing else there changes.
          </p>
          <div className="dialog-buttons">
            <button type="button" onClick={() => dispatch({ type: "back" })}>
              Back
            </button>
            <button type="button" className="primary" onClick={() => void runInstall()} data-autofocus data-testid="remote-install">
              Install and Connect
            </button>
          </div>
        </div>
      ) : (
        <div className="remote-progress" role="status" aria-live="polite" data-testid="remote-progress">
          <p>
            <strong>{phase.step === "installing" ? `Installing Warden on ${where}…` : `Connecting to ${where}…`}</strong>
          </p>
          <ProgressList progress={phase.progress} />
          <div className="dialog-buttons">
            <button type="button" onClick={cancel} data-testid="remote-cancel">
              Cancel
            </button>
          </div>
        </div>
      )}
    </Dialog>
  );
}

function Field({ label, problem, hint, children }: { label: string; problem: string | undefined; hint: string; children: ReactNode }) {
  return (
    <label className={problem ? "field remote-field invalid" : "field remote-field"}>
      <span>{label}</span>
      {children}
      {problem ? (
        <span className="remote-problem" role="alert" data-testid="remote-problem">
          {problem}
        </span>
      ) : (
        <span className="hint remote-hint">{hint}</span>
      )}
    </label>
  );
}

function ProgressList({ progress }: { progress: Progress[] }) {
  if (progress.length === 0) return <p className="muted">Starting…</p>;
  return (
    <ul className="remote-steps">
      {progress.map((p, i) => {
        const size = amount(p);
        const last = i === progress.length - 1;
        return (
          <li key={`${i}-${p.text}`} className={last ? "current" : "done"} data-testid="remote-step">
            <span>{p.text}</span>
            {size && <span className="muted"> · {size}</span>}
            {last && p.total ? (
              <progress value={p.done ?? 0} max={p.total} aria-label={p.text} />
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}
