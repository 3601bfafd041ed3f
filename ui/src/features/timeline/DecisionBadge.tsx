// A call's permission decision in the timeline: a short label in its row, a sentence in its details.
import type { ToolView } from "../../model/transcript";
import { describeDecision } from "./decision";
import { isPlanApproval } from "./toolInput";
import "./timeline.css";

/** How the call was allowed or refused, in a few words; the whole sentence on hover. */
export function DecisionBadge({ view }: { view: ToolView }) {
  if (!view.decision) return null;
  const words = describeDecision(view.decision, view.decisionMode, isPlanApproval(view.call.input));
  return (
    <span
      className={`tl-decision ${words.allowed ? "tl-decision-allowed" : "tl-decision-denied"}`}
      title={words.text}
      data-testid="tool-decision"
      data-source={view.decision.source}
      data-decision={view.decision.decision}
    >
      {words.short}
    </span>
  );
}

/** The decision as a sentence, for the call's details. */
export function DecisionLine({ view }: { view: ToolView }) {
  if (!view.decision) return null;
  const words = describeDecision(view.decision, view.decisionMode, isPlanApproval(view.call.input));
  return (
    <p className={`tl-decision-line ${words.allowed ? "tl-decision-allowed" : "tl-decision-denied"}`} data-testid="tool-decision-line">
      {words.text}
    </p>
  );
}
