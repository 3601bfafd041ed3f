// Puts the oldest waiting question of the session in front into the permission modal and sends
// the answer. Which question that is comes from the window-wide waiting list, not from the
// session's transcript, so the modal and the attention strip always agree.
import { questions, sessions, type PermissionAnswer, type Project, type SessionId, type WaitingRequest } from "../../ipc";
import { sessionAgentLabel } from "../../shared/agentNames";
import { hub } from "../../model/useSession";
import { QuestionDialog } from "./QuestionDialog";
import { PermissionModal } from "./PermissionModal";
import { frontTurn, requestKey } from "./queue";
import { waitingList } from "./waiting";

interface Props {
  project: Project;
  /** The session in front (its tab is the active one), if any. */
  sessionId: SessionId | null;
  sessionTitle: string;
  /** The window's waiting questions. */
  waiting: WaitingRequest[];
}

/** The modal for the session in front, or nothing when it waits for no answer. */
export function PermissionPrompt({ project, sessionId, sessionTitle, waiting }: Props) {
  const turn = frontTurn(waiting, sessionId);
  if (!turn) return null;
  const { current } = turn;
  const onAnswer = async (answer: PermissionAnswer): Promise<string | null> => {
    const sent = await sessions.resolve(current.sessionId, current.request.requestId, answer);
    if (!sent.ok) return sent.error.message;
    // Kept until the backend drops it from the list, so a remounted modal does not offer it again.
    waitingList.markAnswered(current);
    return null;
  };
  const agentName = sessionAgentLabel(hub.get(current.sessionId)?.transcript.started);
  const input = current.request.input;
  if (input.type === "question") {
    // A question with choices is answered with the person's choices, not allowed or denied.
    return (
      <QuestionDialog
        key={requestKey(current)}
        waiting={current}
        questions={input.questions}
        projectName={project.name}
        sessionTitle={sessionTitle}
        more={turn.more}
        answered={waitingList.isAnswered(current)}
        onAnswer={async (answers) => {
          const sent = await questions.answer(current.sessionId, current.request.requestId, answers);
          if (!sent.ok) return sent.error.message;
          waitingList.markAnswered(current);
          return null;
        }}
        onDecline={(message) => onAnswer({ decision: "deny", message })}
        agentName={agentName}
      />
    );
  }
  return (
    <PermissionModal
      key={requestKey(current)}
      waiting={current}
      projectName={project.name}
      projectPath={project.path}
      sessionTitle={sessionTitle}
      more={turn.more}
      answered={waitingList.isAnswered(current)}
      onAnswer={onAnswer}
      agentName={agentName}
    />
  );
}
