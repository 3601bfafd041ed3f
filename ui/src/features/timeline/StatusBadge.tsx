import type { ToolCallStatus } from "../../ipc";
import "./timeline.css";

/** The words shown for each tool call status. */
export const STATUS_LABEL: Record<ToolCallStatus, string> = {
  pending: "pending",
  awaitingPermission: "awaiting permission",
  running: "running",
  completed: "done",
  failed: "failed",
  denied: "denied",
  cancelled: "cancelled",
};

/** A tool call's status: a coloured dot (pulsing while running) and its label. */
export function StatusBadge({ status }: { status: ToolCallStatus }) {
  return (
    <span className={`tl-status tl-status-${status}`} data-status={status}>
      <span className="tl-status-dot" aria-hidden="true" />
      {STATUS_LABEL[status]}
    </span>
  );
}
