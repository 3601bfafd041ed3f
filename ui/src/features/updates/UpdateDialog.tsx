// The update dialog (Help › Check for Updates…, or an update found at start): the version
// running and the one offered with its notes, Install and restart with the download's progress,
// and any failure in words. The update is verified before anything is installed, so a failure
// leaves Warden as it was — the dialog says so. Also the start-up check setting.
import { useEffect, useState } from "react";
import { updates, type UpdateInfo } from "../../ipc";
import { Dialog } from "../../shared/Dialog";
import { Markdown } from "../../shared/Markdown";
import { progressFraction, progressText, type UpdateStep } from "./updateFlow";
import "./updates.css";

interface Props {
  /** An update already found (the start-up check); otherwise the dialog checks when it opens. */
  found: UpdateInfo | null;
  onClose: () => void;
}

export function UpdateDialog({ found, onClose }: Props) {
  const [step, setStep] = useState<UpdateStep>(found ? { kind: "available", info: found } : { kind: "checking" });
  const [checkAtStart, setCheckAtStart] = useState<boolean | null>(null);

  const check = async () => {
    setStep({ kind: "checking" });
    const result = await updates.check();
    if (!result.ok) setStep({ kind: "failed", error: result.error, info: null });
    else setStep(result.value ? { kind: "available", info: result.value } : { kind: "current" });
  };

  useEffect(() => {
    let current = true;
    void updates.settings().then((s) => current && setCheckAtStart(s.checkAtStart));
    if (!found) void check();
    return () => {
      current = false;
    };
    // Once per opening.
  }, []);

  const install = async (info: UpdateInfo) => {
    setStep({ kind: "installing", info, progress: null });
    const stop = await updates.onProgress((progress) => setStep({ kind: "installing", info, progress }));
    const result = await updates.install();
    stop();
    if (!result.ok) return setStep({ kind: "failed", error: result.error, info });
    setStep({ kind: "restarting", info });
    await updates.restart();
  };

  const toggleCheckAtStart = async (on: boolean) => {
    setCheckAtStart(on);
    const saved = await updates.setSettings({ checkAtStart: on });
    setCheckAtStart(saved.ok ? saved.value.checkAtStart : !on);
  };

  const busy = step.kind === "installing" || step.kind === "restarting";
  return (
    <Dialog title="Software Update" onCancel={() => !busy && onClose()} cancelOnBackdrop={!busy} testId="update-dialog" data={{ step: step.kind }}>
      <StepBody step={step} />
      {checkAtStart !== null && (
        <label className="update-setting">
          <input type="checkbox" checked={checkAtStart} disabled={busy} onChange={(e) => void toggleCheckAtStart(e.target.checked)} data-testid="update-check-at-start" />
          Check for updates when Warden starts
        </label>
      )}
      <div className="dialog-buttons">
        {step.kind === "available" && (
          <>
            <button type="button" onClick={onClose}>
              Later
            </button>
            <button type="button" className="primary" onClick={() => void install(step.info)} data-autofocus data-testid="update-install">
              Install and restart
            </button>
          </>
        )}
        {step.kind === "failed" && (
          <>
            <button type="button" onClick={onClose}>
              Close
            </button>
            <button type="button" className="primary" onClick={() => void (step.info ? install(step.info) : check())} data-autofocus data-testid="update-retry">
              Try again
            </button>
          </>
        )}
        {(step.kind === "checking" || step.kind === "current") && (
          <button type="button" onClick={onClose} data-autofocus data-testid="update-close">
            Close
          </button>
        )}
        {busy && (
          <button type="button" disabled>
            {step.kind === "restarting" ? "Restarting…" : "Installing…"}
          </button>
        )}
      </div>
    </Dialog>
  );
}

function StepBody({ step }: { step: UpdateStep }) {
  switch (step.kind) {
    case "checking":
      return <p data-testid="update-checking">Looking for a newer version of Warden…</p>;
    case "current":
      return <p data-testid="update-current">Warden is up to date: no newer version is available.</p>;
    case "available":
    case "installing":
    case "restarting":
      return (
        <>
          <Versions info={step.info} />
          {step.kind === "installing" && <Progress step={step} />}
          {step.kind === "restarting" && <p data-testid="update-restarting">Installed. Warden restarts now…</p>}
        </>
      );
    case "failed":
      return (
        <>
          {step.info && <Versions info={step.info} />}
          <div className="update-error" role="alert" data-testid="update-error">
            {step.error.message}
          </div>
        </>
      );
  }
}

function Versions({ info }: { info: UpdateInfo }) {
  return (
    <div data-testid="update-available">
      <p>
        Warden <strong data-testid="update-version">{info.version}</strong> is available — you have{" "}
        <span data-testid="update-current-version">{info.currentVersion}</span>
        {info.date ? `. Published ${new Date(info.date).toLocaleDateString()}.` : "."}
      </p>
      {info.notes && (
        <div className="update-notes" data-testid="update-notes">
          <Markdown text={info.notes} />
        </div>
      )}
    </div>
  );
}

function Progress({ step }: { step: Extract<UpdateStep, { kind: "installing" }> }) {
  const fraction = progressFraction(step.progress);
  return (
    <div className="update-progress" data-testid="update-progress">
      <progress max={1} value={fraction ?? undefined} />
      <span>{progressText(step.progress)}</span>
    </div>
  );
}
