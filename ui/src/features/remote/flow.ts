// The Open Remote Project dialog's steps as data: the form, connecting (with what the window is
// doing), the offer to install Warden on the host when it is missing or of another version,
// installing (with progress), and a failure that keeps the form as typed for another try.

/** Why the host cannot serve this window yet, and what installing would do. */
export interface InstallOffer {
  /** `missing`: no Warden there; `mismatch`: another version there. */
  why: "missing" | "mismatch";
  /** The connection's own words. */
  message: string;
  /** The version the host runs, when it runs one. */
  hostVersion: string | null;
  /** The host's operating system and architecture, when known. */
  hostPlatform: string | null;
}

/** How a connect attempt ended. */
export type ConnectAnswer = { ok: true } | { ok: false; message: string; offer: InstallOffer | null };

/** One step of a connect or an install, as the window shows it. */
export interface Progress {
  /** What is happening, in words ("Copying Warden to the host"). */
  text: string;
  /** Bytes (or steps) done and in all, when the step can tell. */
  done: number | null;
  total: number | null;
}

/** Where the dialog is. */
export type Phase =
  | { step: "form" }
  | { step: "connecting"; progress: Progress[]; afterInstall: boolean }
  | { step: "offer"; offer: InstallOffer }
  | { step: "installing"; progress: Progress[] }
  | { step: "failed"; message: string; offer: InstallOffer | null };

/** What moves the dialog. */
export type FlowEvent =
  | { type: "connect"; afterInstall?: boolean }
  | { type: "install" }
  | { type: "progress"; progress: Progress }
  | { type: "answer"; answer: ConnectAnswer }
  | { type: "installFailed"; message: string }
  | { type: "back" };

/** Progress lines kept on screen: the latest ones. */
const KEPT = 6;

/** Folds an event into the phase. A progress report that arrives late (after the step ended) is dropped. */
export function flow(phase: Phase, event: FlowEvent): Phase {
  switch (event.type) {
    case "connect":
      return { step: "connecting", progress: [], afterInstall: event.afterInstall ?? false };
    case "install":
      return phase.step === "offer" || (phase.step === "failed" && phase.offer) ? { step: "installing", progress: [] } : phase;
    case "progress":
      if (phase.step !== "connecting" && phase.step !== "installing") return phase;
      return { ...phase, progress: merge(phase.progress, event.progress) };
    case "answer":
      if (event.answer.ok) return phase;
      // An install was offered only when the host can take one: a connect after an install that
      // still finds another version is a failure, not a second offer in a loop.
      if (event.answer.offer && phase.step === "connecting" && !phase.afterInstall) return { step: "offer", offer: event.answer.offer };
      return { step: "failed", message: event.answer.message, offer: null };
    case "installFailed":
      return { step: "failed", message: event.message, offer: null };
    case "back":
      return { step: "form" };
  }
}

/** A step's new report replaces its previous one (the same text), so a byte count does not scroll the list. */
function merge(list: Progress[], next: Progress): Progress[] {
  const last = list[list.length - 1];
  if (last && last.text === next.text) return [...list.slice(0, -1), next];
  return [...list, next].slice(-KEPT);
}

/** "12.5 of 116 MB", or null without sizes. */
export function amount(progress: Progress): string | null {
  if (progress.done === null) return null;
  const mb = (n: number) => (n / 1_000_000).toFixed(n < 10_000_000 ? 1 : 0);
  return progress.total ? `${mb(progress.done)} of ${mb(progress.total)} MB` : `${mb(progress.done)} MB`;
}
