// Warden's own actions the `/` list offers in a session: those the session view around provides
// (Files, review, checks) and those its caller passes (a new session). An action with no
// handler here is not offered.
import { useMemo } from "react";
import { useChecks } from "../../checks/ChecksProvider";
import type { WardenActions } from "../../commands/wardenCommands";
import { useFilesOpener } from "../../files/opener";
import { useReviews } from "../../review/ReviewProvider";

/** The actions available in this session view, plus `extra`. */
export function useWardenActions(extra: WardenActions): WardenActions {
  const files = useFilesOpener();
  const reviews = useReviews();
  const checks = useChecks();
  return useMemo(() => {
    const actions: WardenActions = { ...extra };
    if (files) actions.openFiles = () => files({ type: "session" });
    if (reviews) actions.review = () => reviews.ask({ type: "session" });
    if (checks) actions.openChecks = () => checks.open();
    return actions;
  }, [extra, files, reviews, checks]);
}
