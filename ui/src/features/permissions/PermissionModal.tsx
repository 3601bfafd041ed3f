// The question an agent asks before a tool call, as a modal: who asks (agent, project,
// session), what exactly would happen, and the answers with their keys. An answer goes to the
// backend once; the buttons stay off until it replies, and after that until the question
// leaves the window's waiting list, so a question is never answered twice.
import { useMemo, useRef, useState } from "react";
import type { PermissionAnswer, PermissionDecision, PermissionMode, WaitingRequest } from "../../ipc";
import { Dialog } from "../../app/Dialog";
import { offers, PlanChoices, RuleChoices, ToolChoices } from "./Choices";
import { isPlanApproval, previewOf } from "./preview";
import { ReachNotes } from "./ReachNotes";
import { RequestPreview } from "./RequestPreview";
import { RuleEditor } from "./RuleEditor";
import { useRuleDrafts } from "./ruleDrafts";
import { useAnswerKeys } from "./useAnswerKeys";
import "./permissions.css";

/** Keys are ignored this long after a question appears (see `useAnswerKeys`). */
export const ARM_DELAY_MS = 300;

export interface PermissionModalProps {
  waiting: WaitingRequest;
  projectName: string;
  /** The project folder, where a command runs. */
  projectPath: string;
  sessionTitle: string;
  /** Other questions waiting in the window (this session's later ones and other sessions'). */
  more: number;
  /** This window already answered it; it waits for the backend to drop it from the list. */
  answered?: boolean;
  /** Sends the answer; resolves to null once the backend took it, else to what went wrong. */
  onAnswer: (answer: PermissionAnswer) => Promise<string | null>;
  armDelayMs?: number;
  /** The asking agent's name for people. */
  agentName?: string;
}

/** Where the answer stands: choosing, editing the rules of an allow answer, or sent. */
type Stage = "choose" | "allowSession" | "allowAlways";
type Phase = "idle" | "sending" | "sent";

/** The modal for one waiting question. Give it a `key` per question: its state is that question's. */
export function PermissionModal({ waiting, projectName, projectPath, sessionTitle, more, answered = false, onAnswer, armDelayMs = ARM_DELAY_MS, agentName = "Claude Code" }: PermissionModalProps) {
  const request = waiting.request;
  const preview = useMemo(() => previewOf(request), [request]);
  const plan = preview.type === "plan" || isPlanApproval(request);
  const suggested = request.suggestedRules ?? [];
  const outside = request.outsideProject ?? [];
  const rules = useRuleDrafts(suggested);
  const [stage, setStage] = useState<Stage>("choose");
  const [phase, setPhase] = useState<Phase>(answered ? "sent" : "idle");
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState("");
  const [thenMode, setThenMode] = useState<PermissionMode>("default");
  const messageField = useRef<HTMLTextAreaElement>(null);
  // The state update is not seen until the next render; a second key press in between must not send again.
  const inFlight = useRef(answered);
  const busy = phase !== "idle";

  const send = async (answer: PermissionAnswer) => {
    if (inFlight.current) return;
    inFlight.current = true;
    setPhase("sending");
    setError(null);
    let failed: string | null;
    try {
      failed = await onAnswer(answer);
    } catch (e) {
      failed = e instanceof Error ? e.message : String(e);
    }
    if (failed === null) {
      setPhase("sent");
      return;
    }
    inFlight.current = false;
    setPhase("idle");
    setError(failed);
  };

  const note = () => message.trim() || null;
  // A plan approval is Claude's own question with its own answers; anything else gets only the
  // answers the agent offers, by button and by key alike.
  const has = (decision: PermissionDecision) => plan || offers(request.offered, decision);
  const allowOnce = () => has("allowOnce") && void send({ decision: "allowOnce" });
  // With suggestions, "session" is one key: the rules show beside the button and only last
  // until the session ends. Without any, the person writes the rule first.
  const allowSession = () => {
    if (!has("allowSession")) return;
    if (suggested.length > 0) void send({ decision: "allowSession" });
    else setStage("allowSession");
  };
  const allowAlways = () => {
    if (has("allowAlways") && outside.length === 0) setStage("allowAlways");
  };
  const deny = () => has("deny") && void send({ decision: "deny", message: note() });
  const denyAndStop = () => has("denyAndStop") && void send({ decision: "denyAndStop", message: note() });
  const approvePlan = () => void send({ decision: "allowOnce", mode: thenMode });
  const confirmRules = async () => {
    if (stage === "choose" || inFlight.current) return;
    const edited = await rules.finish();
    if (edited) await send({ decision: stage, rules: edited });
  };
  const focusMessage = () => messageField.current?.focus();
  /**
   * Esc steps back out of the rule fields (someone editing a rule did not mean to deny), else
   * denies; for a plan that is "keep planning", with the message if one was written.
   */
  const escape = () => (stage !== "choose" ? setStage("choose") : deny());

  const armed = useAnswerKeys(
    {
      enter: () => (stage !== "choose" ? void confirmRules() : plan ? approvePlan() : allowOnce()),
      escape,
      letter: (key) => {
        if (key === "d") focusMessage();
        else if (plan || stage !== "choose") return false;
        else if (key === "s") allowSession();
        else if (key === "a") allowAlways();
        else if (key === "x") denyAndStop();
        else return false;
        return true;
      },
    },
    armDelayMs,
  );

  const title = request.title || (plan ? "Approve the plan?" : `Allow ${request.toolName}?`);
  return (
    <Dialog
      title={title}
      onCancel={() => armed() && escape()}
      cancelOnBackdrop={false}
      testId="permission-modal"
      className="permission-dialog"
      data={{ tool: request.toolName, "request-id": request.requestId }}
    >
      <div className="pm-context">
        <span>
          <strong>{agentName}</strong> <span className="muted">in</span> <strong>{projectName}</strong> <span className="muted">·</span>{" "}
          <span className="pm-session">{sessionTitle}</span>
        </span>
        {more > 0 && (
          <span className="pm-queue" data-testid="permission-queue-count">
            {more} more waiting
          </span>
        )}
      </div>
      {/* Focus starts here, not on a button: Enter then answers through the shortcut, once. */}
      <div className="pm-body" tabIndex={-1} data-autofocus>
        {request.reason && <p className="pm-reason">{request.reason}</p>}
        <ReachNotes outside={outside} blockedPath={request.blockedPath} />
        <RequestPreview preview={preview} cwd={projectPath} />
      </div>
      {stage !== "choose" && (
        <RuleEditor
          drafts={rules.drafts}
          scope={stage === "allowAlways" ? "to this project" : "for this session"}
          disabled={busy}
          onEdit={rules.edit}
          onConfirm={() => void confirmRules()}
        />
      )}
      <textarea
        ref={messageField}
        className="pm-message"
        rows={plan ? 2 : 1}
        value={message}
        disabled={busy}
        aria-label={plan ? "What to change in the plan" : "Message to the agent"}
        placeholder={plan ? "What to change in the plan (optional, sent with Keep planning)" : "Message to the agent (optional, sent with Deny) — D"}
        data-testid="permission-message"
        onChange={(e) => setMessage(e.target.value)}
        onKeyDown={(e) => {
          // Enter sends the refusal with the message; Shift+Enter is a new line.
          if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
            e.preventDefault();
            deny();
          }
        }}
      />
      {error && (
        <div className="inline-error pm-error" role="alert" data-testid="permission-error">
          {error}
        </div>
      )}
      {phase !== "idle" && (
        <p className="pm-status" role="status">
          {phase === "sending" ? "Sending your answer…" : `Answered — waiting for ${agentName}…`}
        </p>
      )}
      {plan ? (
        <PlanChoices busy={busy} then={thenMode} onThen={setThenMode} onApprove={approvePlan} onKeepPlanning={deny} />
      ) : stage === "choose" ? (
        <ToolChoices
          busy={busy}
          offered={request.offered}
          suggested={suggested}
          outside={outside.length > 0}
          onAllowOnce={allowOnce}
          onAllowSession={allowSession}
          onAllowAlways={allowAlways}
          onDeny={deny}
          onDenyAndStop={denyAndStop}
        />
      ) : (
        <RuleChoices
          busy={busy}
          canDeny={has("deny")}
          confirmable={rules.confirmable}
          always={stage === "allowAlways"}
          onConfirm={() => void confirmRules()}
          onBack={() => setStage("choose")}
          onDeny={deny}
        />
      )}
    </Dialog>
  );
}
