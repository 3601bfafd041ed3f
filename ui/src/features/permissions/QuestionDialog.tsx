// The agent's question with choices (Claude Code's AskUserQuestion) as a dialog: each question
// with its options (one or several, as the agent asks), the options' descriptions, and an answer
// in the person's own words where the agent takes one. The answers reach the agent as its tool
// expects (see `questions.answer`); "Don't answer" tells the agent the person declined. As with
// permission questions, nothing counts in the first moments after the dialog appears.
import { useState } from "react";
import { useSendOnce } from "./useSendOnce";
import type { AskedQuestion, QuestionAnswer, WaitingRequest } from "../../ipc";
import { Dialog } from "../../shared/Dialog";
import { ARM_DELAY_MS, useArming } from "./arming";
import { requestKey } from "./queue";
import "./questions.css";

/** What the agent is told when the person declines to answer. */
export const DECLINED_MESSAGE = "The user declined to answer the questions.";

export interface QuestionDialogProps {
  waiting: WaitingRequest;
  /** The questions asked (the request's `input.questions`). */
  questions: AskedQuestion[];
  projectName: string;
  sessionTitle: string;
  /** Other questions waiting in the window. */
  more: number;
  /** This window already answered it; it waits for the backend to drop it from the list. */
  answered?: boolean;
  /** Sends the answers; resolves to null once the backend took them, else to what went wrong. */
  onAnswer: (answers: QuestionAnswer[]) => Promise<string | null>;
  /** Declines to answer, with what the agent is told. */
  onDecline: (message: string) => Promise<string | null>;
  armDelayMs?: number;
  agentName?: string;
}

/** One question's answer being chosen. */
interface Draft {
  picked: string[];
  other: string;
}

/** The answers to send: every question with a pick or words of its own. */
export function answersOf(questions: readonly AskedQuestion[], drafts: readonly Draft[]): QuestionAnswer[] {
  return questions.flatMap((q, index) => {
    const draft = drafts[index] ?? { picked: [], other: "" };
    const other = q.allowsOther && draft.other.trim() !== "" ? draft.other.trim() : null;
    if (draft.picked.length === 0 && other === null) return [];
    return [{ index, picked: draft.picked, other }];
  });
}

/** The next draft after the person picks (or unpicks) `label`. */
export function pick(question: AskedQuestion, draft: Draft, label: string): Draft {
  if (question.multiSelect) {
    const picked = draft.picked.includes(label) ? draft.picked.filter((p) => p !== label) : [...draft.picked, label];
    return { ...draft, picked };
  }
  // One choice: an option replaces the person's own words.
  return { picked: [label], other: "" };
}

/** The dialog for one waiting question. Give it a `key` per question. */
export function QuestionDialog({
  waiting,
  questions,
  projectName,
  sessionTitle,
  more,
  answered = false,
  onAnswer,
  onDecline,
  armDelayMs = ARM_DELAY_MS,
  agentName = "Claude Code",
}: QuestionDialogProps) {
  const { armed, live } = useArming(requestKey(waiting), armDelayMs);
  const [drafts, setDrafts] = useState<Draft[]>(() => questions.map(() => ({ picked: [], other: "" })));
  const { phase, error, send } = useSendOnce(answered, armed);
  const busy = phase !== "idle";
  const answers = answersOf(questions, drafts);
  const complete = answers.length === questions.length;

  const submit = () => complete && void send(() => onAnswer(answers));
  const decline = () => void send(() => onDecline(DECLINED_MESSAGE));
  const edit = (index: number, next: Draft) => setDrafts((all) => all.map((d, i) => (i === index ? next : d)));

  return (
    <Dialog
      title={questions.length === 1 ? `${agentName} asks you a question` : `${agentName} asks you ${questions.length} questions`}
      onCancel={() => armed() && decline()}
      cancelOnBackdrop={false}
      testId="question-dialog"
      className={live ? "question-dialog" : "question-dialog arming"}
      data={{ "request-id": waiting.request.requestId, armed: String(live) }}
    >
      <div className="pm-context">
        <span>
          <strong>{agentName}</strong> <span className="muted">in</span> <strong>{projectName}</strong> <span className="muted">·</span>{" "}
          <span className="pm-session">{sessionTitle}</span>
        </span>
        {more > 0 && <span className="pm-queue">{more} more waiting</span>}
      </div>
      <form
        className="qd-questions"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        {questions.map((q, qi) => {
          const draft = drafts[qi] ?? { picked: [], other: "" };
          const group = `question-${requestKey(waiting)}-${qi}`;
          return (
            <fieldset key={qi} className="qd-question" data-testid={`question-${qi}`} disabled={busy}>
              <legend>
                {q.header && <span className="qd-header">{q.header}</span>}
                <span className="qd-text">{q.question}</span>
                <span className="qd-how muted">{q.multiSelect ? "Pick any" : "Pick one"}</span>
              </legend>
              {q.options.map((option, oi) => (
                <label key={option.label} className="qd-option">
                  <input
                    type={q.multiSelect ? "checkbox" : "radio"}
                    name={group}
                    checked={draft.picked.includes(option.label)}
                    data-testid={`question-${qi}-option-${oi}`}
                    {...(qi === 0 && oi === 0 ? { "data-autofocus": true } : {})}
                    onChange={() => edit(qi, pick(q, draft, option.label))}
                  />
                  <span className="qd-label">{option.label}</span>
                  {option.description && <span className="qd-description muted">{option.description}</span>}
                </label>
              ))}
              {q.allowsOther && (
                <input
                  type="text"
                  className="qd-other"
                  placeholder={q.options.length > 0 ? "Other: your own answer" : "Your answer"}
                  aria-label={`Your own answer to: ${q.question}`}
                  value={draft.other}
                  data-testid={`question-${qi}-other`}
                  // One choice: the person's own words replace a picked option.
                  onChange={(e) => edit(qi, { picked: q.multiSelect ? draft.picked : [], other: e.target.value })}
                />
              )}
            </fieldset>
          );
        })}
        {error && (
          <div className="inline-error" role="alert" data-testid="question-error">
            {error}
          </div>
        )}
        {phase !== "idle" && (
          <p className="pm-status" role="status">
            {phase === "sending" ? "Sending your answer…" : `Answered — waiting for ${agentName}…`}
          </p>
        )}
        <div className="dialog-buttons">
          <button type="button" onClick={decline} disabled={busy} data-testid="question-decline">
            Don&apos;t answer
          </button>
          <button
            type="submit"
            className="primary"
            disabled={busy || !complete}
            title={complete ? undefined : "Answer every question first"}
            data-testid="question-submit"
          >
            Answer
          </button>
        </div>
      </form>
    </Dialog>
  );
}
