// Warden's actions for the `/` list, built from what the session view around the prompt box
// provides (the Files panel, reviews, checks): an action whose opener is missing (a history
// view, no checks) is left out, so the list never offers what would do nothing. "Roll back the
// last turn" opens Files on that turn, where reverting is confirmed file by file as everywhere.
import type { Transcript } from "../../model/transcript";
import { useChecks } from "../checks/ChecksProvider";
import { useFilesOpener } from "../files/opener";
import { useReviews } from "../review/ReviewProvider";
import type { WardenActions } from "./wardenCommands";

interface Options {
  /** The session's transcript: its last turn is the one rolled back. */
  transcript: Transcript | null;
  /** Starts a new session (the project's New Session dialog), when the view can. */
  onNewSession?: () => void;
  /** Opens the permission rules, when the view can. */
  onOpenPermissions?: () => void;
}

/** The handlers of Warden's actions available here. */
export function useWardenActions({ transcript, onNewSession, onOpenPermissions }: Options): WardenActions {
  const openFiles = useFilesOpener();
  const reviews = useReviews();
  const checks = useChecks();
  const lastTurn = transcript ? lastPromptTurn(transcript) : null;
  const actions: WardenActions = {};
  if (onNewSession) actions.newSession = onNewSession;
  if (reviews) actions.review = () => reviews.ask({ type: "session" });
  if (openFiles && lastTurn !== null) actions.rollbackTurn = () => openFiles({ type: "turn", turn: lastTurn });
  if (openFiles) actions.openFiles = () => openFiles({ type: "session" });
  if (checks) actions.openChecks = () => checks.open();
  if (onOpenPermissions) actions.openPermissions = onOpenPermissions;
  return actions;
}

/** The turn of the session's last prompt, if it had one. */
export function lastPromptTurn(transcript: Transcript): number | null {
  for (let i = transcript.entries.length - 1; i >= 0; i--) {
    const entry = transcript.entries[i];
    if (entry?.kind === "user") return entry.turn;
  }
  return null;
}
