// The question an agent asks before a tool call, as a modal: who asks (agent, project,
// session), what exactly would happen, and the answers with their keys. The heading and the
// warnings are Warden's; what the agent says about its call is quoted below what would happen.
// No answer counts in the first moments after a question comes to the front (keys and clicks
// alike, see `arming.ts`). An answer goes to the backend once; the buttons stay off until it
// replies, and after that until the question leaves the window's waiting list, so a question
// is never answered twice.
import { useMemo, useRef, useState } from "react";
import { useSendOnce } from "./useSendOnce";
import type { PermissionAnswer, PermissionDecision, PermissionMode, PermissionRequest, WaitingRequest } from "../../ipc";
import { Dialog } from "../../shared/Dialog";
import { AgentWords } from "./AgentWords";
import { ARM_DELAY_MS, useArming } from "./arming";
import { offers, PlanChoices, RuleChoices, ToolChoices } from "./Choices";
import { commandContinues } from "./commandLines";
import { isPlanApproval, previewOf, type Preview } from "./preview";
import { requestKey } from "./queue";
import { ReachNotes } from "./ReachNotes";
import { RequestPreview } from "./RequestPreview";
import { RuleEditor } from "./RuleEditor";
import { useRuleDrafts } from "./ruleDrafts";
import { useAnswerKeys } from "./useAnswerKeys";
import "./permissions.css";

export { ARM_DELAY_MS };


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

/** The modal for one waiting question. Give it a `key` per question: its state is that question's. */
export function PermissionModal({ waiting, projectName, projectPath, sessionTitle, more, answered = false, onAnswer, armDelayMs = ARM_DELAY_MS, agentName = "Claude Code" }: PermissionModalProps) {
  const request = waiting.request;
  const preview = useMemo(() => previewOf(request), [request]);
  const plan = preview.type === "plan" || isPlanApproval(request);
  const suggested = request.suggestedRules ?? [];
  const outside = request.outsideProject ?? [];
  const protectedPaths = request.protectedPaths ?? [];
  const { armed, live } = useArming(requestKey(waiting), armDelayMs);
  // A long command is cut at first; no allow answer counts until the person showed all of it.
  const [wholeCommand, setWholeCommand] = useState(false);
  const commandHidden = preview.type === "shell" && !wholeCommand && commandContinues(preview.command);
  const allowHeld = commandHidden ? "Show the whole command first: part of it is not shown yet" : null;
  const noAlways =
    protectedPaths.length > 0
      ? "Warden keeps no rule for agent or tool configuration: it asks each time"
      : outside.length > 0
        ? "Project rules never allow a call outside the project"
        : null;
  const rules = useRuleDrafts(suggested);
  const [stage, setStage] = useState<Stage>("choose");
  const [message, setMessage] = useState("");
  const [thenMode, setThenMode] = useState<PermissionMode>("default");
  const messageField = useRef<HTMLTextAreaElement>(null);
  const { phase, error, send: sendOnce, sending } = useSendOnce(answered, armed);
  const busy = phase !== "idle";

  const send = async (answer: PermissionAnswer) => {
    // Every answer passes here, from a key, a button or the message field: none counts before
    // the question is armed, and no allow counts while part of the command is not shown.
    if (answer.decision !== "deny" && answer.decision !== "denyAndStop" && commandHidden) return;
    await sendOnce(() => onAnswer(answer));
  };

  const note = () => message.trim() || null;
  // A plan approval is Claude's own question with its own answers; anything else gets only the
  // answers the agent offers, by button and by key alike.
  const has = (decision: PermissionDecision) => plan || offers(request.offered, decision);
  const allowOnce = () => has("allowOnce") && void send({ decision: "allowOnce" });
  // With suggestions, "session" is one key: the rules show beside the button and only last
  // until the session ends. Without any, the person writes the rule first.
  const allowSession = () => {
    if (!has("allowSession") || !armed() || commandHidden) return;
    if (suggested.length > 0) void send({ decision: "allowSession" });
    else setStage("allowSession");
  };
  const allowAlways = () => {
    if (has("allowAlways") && noAlways === null && armed() && !commandHidden) setStage("allowAlways");
  };
  const deny = () => has("deny") && void send({ decision: "deny", message: note() });
  const denyAndStop = () => has("denyAndStop") && void send({ decision: "denyAndStop", message: note() });
  const approvePlan = () => void send({ decision: "allowOnce", mode: thenMode });
  const confirmRules = async () => {
    if (stage === "choose" || sending()) return;
    const edited = await rules.finish();
    if (edited) await send({ decision: stage, rules: edited });
  };
  const focusMessage = () => messageField.current?.focus();
  /**
   * Esc steps back out of the rule fields (someone editing a rule did not mean to deny), else
   * denies; for a plan that is "keep planning", with the message if one was written.
   */
  const escape = () => (stage !== "choose" ? setStage("choose") : deny());

  useAnswerKeys(
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
    armed,
  );

  // The agent's title is its own words, quoted below; the heading is Warden's.
  const title = heading(preview, plan, request.toolName);
  return (
    <Dialog
      title={title}
      onCancel={() => armed() && escape()}
      cancelOnBackdrop={false}
      testId="permission-modal"
      className={live ? "permission-dialog" : "permission-dialog arming"}
      data={{ tool: request.toolName, "request-id": request.requestId, armed: String(live) }}
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
        <ReachNotes outside={outside} protectedPaths={protectedPaths} blockedPath={request.blockedPath} />
        <RequestPreview
          preview={preview}
          cwd={projectPath}
          outside={outside}
          wholeCommand={wholeCommand}
          onShowWholeCommand={() => setWholeCommand(true)}
        />
        <AgentWords agentName={agentName} words={agentWords(request, preview)} />
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
          noAlways={noAlways}
          allowHeld={allowHeld}
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

/** The modal's heading, in Warden's words. */
function heading(preview: Preview, plan: boolean, toolName: string): string {
  if (plan) return "Approve the plan?";
  if (preview.type === "shell") return "Run this command?";
  return `Allow ${toolName}?`;
}

/**
 * What the agent wrote about the call: for a command its description, for another tool its
 * title for the question (unless that only repeats the tool's name); then its reason for asking.
 * A command's title is left out: it is the description again (Claude Code), the command
 * retold (Codex's, made by Warden; the ACP adapters'), never more than the two say.
 */
function agentWords(request: PermissionRequest, preview: Preview): (string | null)[] {
  if (preview.type === "shell") return [preview.description, request.reason];
  const title = request.title.trim();
  return [title !== request.toolName ? title : null, request.reason];
}
