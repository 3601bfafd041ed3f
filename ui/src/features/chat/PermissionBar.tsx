// The agent's open questions, oldest first, above the prompt box. Answers go to the engine;
// the question leaves the list when the engine reports it resolved, so none is answered twice.
import { useState } from "react";
import type { PermissionDecision, PermissionRequest } from "../../ipc";

interface Props {
  pending: PermissionRequest[];
  onAnswer: (request: PermissionRequest, decision: PermissionDecision) => Promise<void>;
}

/** The first open permission question with its answers, and how many more wait. */
export function PermissionBar({ pending, onAnswer }: Props) {
  const [answering, setAnswering] = useState<string | null>(null);
  const request = pending[0];
  if (!request) return null;
  const answer = async (decision: PermissionDecision) => {
    setAnswering(request.requestId);
    try {
      await onAnswer(request, decision);
    } finally {
      setAnswering(null);
    }
  };
  const busy = answering === request.requestId;
  return (
    <div className="permission-bar" role="alertdialog" aria-label="Permission request" data-testid="permission-bar">
      <div className="permission-text">
        <strong>{request.title || `Run ${request.toolName}?`}</strong>
        <code className="permission-input">{preview(request)}</code>
        {request.blockedPath && <span className="badge warn">path: {request.blockedPath}</span>}
        {pending.length > 1 && <span className="muted">{pending.length - 1} more waiting</span>}
      </div>
      <div className="permission-actions">
        <button className="primary" disabled={busy} onClick={() => void answer("allowOnce")} data-testid="allow-once">
          Allow once
        </button>
        <button disabled={busy} onClick={() => void answer("allowSession")}>
          Allow for this session
        </button>
        <button className="danger" disabled={busy} onClick={() => void answer("deny")} data-testid="deny">
          Deny
        </button>
      </div>
    </div>
  );
}

/** The part of a tool's input a person decides on: the command, the path, the URL. */
function preview(request: PermissionRequest): string {
  const input = request.rawInput;
  if (input && typeof input === "object" && !Array.isArray(input)) {
    for (const key of ["command", "file_path", "path", "url", "pattern"]) {
      const value = input[key];
      if (typeof value === "string") return value;
    }
  }
  const text = JSON.stringify(input);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
