// A line at the top of the window when a question waits in a session the person is not looking
// at (another tab, another project, a session without a tab). It never takes the keyboard; its
// button brings that session to the front, where the modal asks.
import type { Project, SessionId, WaitingRequest } from "../../ipc";
import { sessionAgentLabel } from "../../shared/agentNames";
import { hub } from "../../model/useSession";
import { homeOf } from "../../model/worktreeHomes";
import { isPlanApproval } from "../timeline/toolInput";
import { useFront } from "./front";
import { elsewhere } from "./queue";
import { useSessionTitle } from "./sessionTitle";
import { useWaiting } from "./waiting";
import "./permissions.css";

interface Props {
  /** The open projects, for the asking project's name. */
  projects: Project[];
  onShow: (project: string, sessionId: SessionId) => void;
}

/** The strip, while a question waits outside the session in front. */
export function AttentionStrip({ projects, onShow }: Props) {
  const waiting = useWaiting();
  const { sessionId } = useFront();
  const target = elsewhere(waiting, sessionId);
  if (!target) return null;
  return <Strip waiting={target.waiting} more={target.more} projects={projects} onShow={onShow} />;
}

function Strip({ waiting, more, projects, onShow }: { waiting: WaitingRequest; more: number } & Props) {
  const title = useSessionTitle(waiting.project, waiting.sessionId);
  const home = homeOf(waiting.project);
  const project = projects.find((p) => p.path === home || p.id === waiting.project);
  const projectName = project?.name ?? (waiting.project.split(/[\\/]/).filter(Boolean).pop() || waiting.project);
  const tool = waiting.request.toolName;
  const wants = isPlanApproval(waiting.request.input) ? "asks you to approve a plan" : `wants to run ${tool}`;
  return (
    <div className="attention-strip" role="status" data-testid="permission-attention" data-session-id={waiting.sessionId}>
      <span className="attention-dot" aria-hidden="true" />
      <span className="attention-text">
        {sessionAgentLabel(hub.get(waiting.sessionId)?.transcript.started)} in <strong>{projectName}</strong> · <span className="attention-session">{title}</span> {wants}
        {more > 0 && <span className="muted"> · {more} more waiting</span>}
      </span>
      <button className="small" onClick={() => onShow(waiting.project, waiting.sessionId)} data-testid="permission-attention-show">
        Show
      </button>
    </div>
  );
}
