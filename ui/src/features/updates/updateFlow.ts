// What the update dialog shows, as plain values: the step it is at, and the words for a
// download's progress. Kept apart from the component so the wording is tested without a DOM.
import type { IpcError, UpdateInfo, UpdateProgress } from "../../ipc";

/** The dialog's step. */
export type UpdateStep =
  | { kind: "checking" }
  | { kind: "current" }
  | { kind: "available"; info: UpdateInfo }
  | { kind: "installing"; info: UpdateInfo; progress: UpdateProgress | null }
  | { kind: "restarting"; info: UpdateInfo }
  /** `info` is set when the failure came while installing it (Install can be tried again). */
  | { kind: "failed"; error: IpcError; info: UpdateInfo | null };

const MIB = 1024 * 1024;

function size(bytes: number): string {
  return bytes >= MIB ? `${(bytes / MIB).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/** "Downloading… 3.2 MB of 12.0 MB" while it downloads; "Verifying and installing…" once all is in. */
export function progressText(progress: UpdateProgress | null): string {
  if (!progress) return "Starting the download…";
  const { downloaded, total } = progress;
  if (total !== null && downloaded >= total) return "Checking the signature and installing…";
  return total === null ? `Downloading… ${size(downloaded)}` : `Downloading… ${size(downloaded)} of ${size(total)}`;
}

/** The fraction downloaded (0–1), or null when the size is unknown. */
export function progressFraction(progress: UpdateProgress | null): number | null {
  if (!progress || progress.total === null || progress.total === 0) return null;
  return Math.min(1, progress.downloaded / progress.total);
}
