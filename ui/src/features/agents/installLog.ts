// An install's progress, folded from the events the backend streams: where it stands and the
// last lines of its output.
import type { InstallEvent, OutputStream } from "../../ipc";

/** Output lines kept on screen; older ones are counted, not kept (npm can print thousands). */
export const LINES_KEPT = 400;

export type InstallPhase = "idle" | "running" | "succeeded" | "failed" | "cancelled";

export interface InstallLog {
  phase: InstallPhase;
  /** The command line that runs. */
  command: string | null;
  lines: { stream: OutputStream; text: string }[];
  /** Lines dropped from the front to keep `LINES_KEPT`. */
  dropped: number;
  /** How it ended, in words ("exit code 1", "killed by signal 9"). */
  ending: string | null;
  /** Why it failed, in plain words, when the backend could tell (an unreachable registry). */
  error: string | null;
}

export const IDLE: InstallLog = { phase: "idle", command: null, lines: [], dropped: 0, ending: null, error: null };

/** The log after one more event. */
export function foldInstall(log: InstallLog, event: InstallEvent): InstallLog {
  switch (event.type) {
    case "started":
      return { ...IDLE, phase: "running", command: event.data.command };
    case "output": {
      const lines = [...log.lines, { stream: event.data.stream, text: event.data.line }];
      const over = Math.max(0, lines.length - LINES_KEPT);
      return { ...log, lines: over ? lines.slice(over) : lines, dropped: log.dropped + over };
    }
    case "finished": {
      const f = event.data;
      const phase: InstallPhase = f.cancelled ? "cancelled" : f.success ? "succeeded" : "failed";
      const ending = f.cancelled
        ? "cancelled"
        : f.code !== null
          ? `exit code ${f.code}`
          : f.signal !== null
            ? `killed by signal ${f.signal}`
            : "ended";
      return { ...log, phase, ending, error: f.error ?? null };
    }
  }
}
