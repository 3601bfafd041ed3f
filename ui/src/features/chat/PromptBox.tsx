// Where the person writes to the agent. Enter (or Ctrl/Cmd+Enter) sends, Shift+Enter starts a
// new line. While a turn runs, Enter queues the prompt (shown above the box, sent when the turn
// ends) and, where the session can steer, Ctrl+Enter sends it into the running turn; Esc stops.
// `@` opens the file finder (the choice becomes a chip), `/` at the start the commands, pasted or
// dropped images become thumbnails; Up/Down on the first/last line walk the session's earlier
// prompts; the unsent draft is kept per session across restarts.
import "./composer/composer.css";
import { useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore, type KeyboardEvent } from "react";
import type { AgentCommand, PromptAccepts } from "../../ipc";
import type { WardenActions } from "../commands/wardenCommands";
import { AttachmentChips } from "./composer/AttachmentChips";
import { ComposerActions } from "./composer/ComposerActions";
import { isEmpty, keepMentionsInText, removeMention, EMPTY, type ComposedPrompt, type ComposerAttachment } from "./composer/composed";
import { MentionPopup, MENTION_LIST_ID } from "./composer/MentionPopup";
import { HistoryWalk, onFirstLine, onLastLine, promptsOf } from "./composer/promptHistory";
import type { PromptQueue, SessionSnapshot } from "./composer/promptQueue";
import { QueuedPrompts } from "./composer/QueuedPrompts";
import { SlashPopup } from "./composer/SlashPopup";
import { useDraft } from "./composer/useDraft";
import { useFocusWhenEnabled } from "./composer/useFocusWhenEnabled";
import { useImageAttach } from "./composer/useImageAttach";
import { useMentionPopup } from "./composer/useMentionPopup";
import { useWardenActions } from "./composer/useWardenActions";

interface Props {
  /** Whose draft, queue and history these are. */
  sessionId: string;
  /** A turn is running. */
  busy: boolean;
  /** Since when (ms since the epoch), for the clock. */
  busySince: number | null;
  /** The session cannot take prompts now (starting, stopping, stopped); says why. */
  disabledReason: string | null;
  /** A stop was asked for and is under way. */
  stopping: boolean;
  /** Sends a prompt now; resolves to whether it went out (the caller shows why not). */
  onSend: (prompt: ComposedPrompt) => Promise<boolean>;
  /** Sends text into the running turn; absent where the session cannot steer. */
  onSteer?: ((text: string) => Promise<boolean>) | null;
  onStop: () => void;
  /** Bumped to move the keyboard focus into the box (honoured once the box is enabled). */
  focusToken?: number;
  /** The session's queue (absent: prompts cannot be queued, the box waits for the turn). */
  queue?: PromptQueue;
  /** The session as the queue reads it, now. */
  snapshot?: () => SessionSnapshot;
  /** The person's earlier prompts of this session, oldest first. */
  history?: readonly string[];
  /** The folder `@` searches (null: no mentions yet). */
  project?: string | null;
  /** What the agent's prompts take (null: not known yet — no images offered). */
  accepts?: PromptAccepts | null;
  /** The agent's name, for messages. */
  agentName?: string;
  /** The agent's `/` commands as it last listed them (null: it never did). */
  agentCommands?: readonly AgentCommand[] | null;
  /** Warden's own actions the `/` list offers besides the session view's own (Files, review, checks). */
  wardenActions?: WardenActions;
}

const NO_ACTIONS: WardenActions = {};
const noSubscribe = () => () => {};

/** The multi-line prompt box with its queue, attachments, popups and buttons. */
export function PromptBox(props: Props) {
  const { sessionId, busy, busySince, disabledReason, stopping, onSend, onSteer, onStop, focusToken, queue, accepts = null } = props;
  const history = useMemo(() => promptsOf(props.history ?? []), [props.history]);
  const [prompt, setPrompt] = useDraft(sessionId);
  const [caret, setCaret] = useState(prompt.text.length);
  const [sending, setSending] = useState(false);
  const area = useRef<HTMLTextAreaElement>(null);
  const placeCaret = useRef<number | null>(null);
  const walk = useRef(new HistoryWalk());
  const drop = useImageAttach(prompt, setPrompt, accepts, props.agentName ?? "This agent");

  const enabled = !(disabledReason !== null && !busy);
  useFocusWhenEnabled(area, enabled, focusToken);
  const wardenActions = useWardenActions(props.wardenActions ?? NO_ACTIONS);
  const mention = useMentionPopup(prompt.text, caret, props.project ?? null, enabled && !!props.project);

  // A caret asked for by a change made here (a mention, a recalled prompt) is placed after render.
  useLayoutEffect(() => {
    const at = placeCaret.current;
    if (at === null || !area.current) return;
    placeCaret.current = null;
    area.current.setSelectionRange(at, at);
    setCaret(at);
  });

  const change = (next: ComposedPrompt, at?: number) => {
    setPrompt(keepMentionsInText(next));
    if (at !== undefined) placeCaret.current = at;
  };

  const images = prompt.attachments.filter((a) => a.type === "image").length;
  const canSend = enabled && !sending && !isEmpty(prompt);
  // Earlier prompts still waiting (a paused queue): a new one goes behind them, and Send says so.
  const waiting = useSyncExternalStore(queue?.subscribe ?? noSubscribe, () => queue?.get().items.length ?? 0);
  const steer = busy && onSteer ? { blocked: images > 0 ? "Images cannot go into a running turn: queue this prompt" : null } : null;

  /** Sends `out` now, into the running turn (steer), or into the queue; empties the box once it went. */
  const submit = async (how: "send" | "steer", out: ComposedPrompt = prompt) => {
    if (!enabled || sending || isEmpty(out)) return;
    drop.setProblem(null);
    walk.current.reset();
    let sent = false;
    if (how === "steer") {
      if (!onSteer || steer?.blocked) return;
      setSending(true);
      sent = await onSteer(out.text);
      setSending(false);
    } else if (queue && props.snapshot && (busy || queue.get().items.length > 0)) {
      // While a turn runs, or while earlier prompts still wait, a prompt joins the queue's end.
      queue.add(out, props.snapshot());
      sent = true;
    } else if (!busy) {
      setSending(true);
      sent = await onSend(out);
      setSending(false);
    }
    // A prompt that did not go out stays in the box, so nothing typed is lost.
    if (sent) change(EMPTY);
  };

  const chooseMention = (index: number) => {
    const found = mention.results.paths[index];
    const chosen = found && mention.choose(prompt, found);
    if (chosen) change(chosen.prompt, chosen.caret);
  };

  const recall = (text: string | null) => {
    if (text === null) return false;
    change({ ...prompt, text }, text.length);
    return true;
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    // The `/` list owns its keys while it is open (it marks them handled).
    if (e.defaultPrevented || e.nativeEvent.isComposing) return;
    if (mention.open && mention.results.paths.length > 0) {
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        mention.move(e.key === "ArrowDown" ? 1 : -1);
        return;
      }
      if ((e.key === "Enter" && !e.shiftKey) || e.key === "Tab") {
        e.preventDefault();
        chooseMention(mention.selected);
        return;
      }
    }
    if (mention.open && e.key === "Escape") {
      e.preventDefault();
      mention.dismiss();
      return;
    }
    const box = e.currentTarget;
    if (e.key === "Enter" && !e.shiftKey) {
      e.preventDefault();
      void submit(busy && (e.ctrlKey || e.metaKey) && steer ? "steer" : "send");
    } else if (e.key === "Escape" && busy) {
      e.preventDefault();
      onStop();
    } else if (e.key === "ArrowUp" && !e.altKey && onFirstLine(box.value, box.selectionStart, box.selectionEnd)) {
      if (recall(walk.current.up(history, prompt.text))) e.preventDefault();
    } else if (e.key === "ArrowDown" && !e.altKey && onLastLine(box.value, box.selectionStart, box.selectionEnd)) {
      if (recall(walk.current.down(history))) e.preventDefault();
    }
  };

  const remove = (a: ComposerAttachment) =>
    change(a.type === "mention" ? removeMention(prompt, a.path) : { ...prompt, attachments: prompt.attachments.filter((x) => x !== a) });

  const placeholder =
    disabledReason && !busy
      ? disabledReason
      : busy
        ? `The agent is working — Enter queues your next prompt${steer ? ", Ctrl+Enter sends it now" : ""}`
        : `Ask the agent… (Enter sends, Shift+Enter for a new line, @ mentions a file${accepts?.images ? ", paste an image" : ""})`;

  return (
    <div className="composer" data-testid="composer">
      {queue && <QueuedPrompts queue={queue} />}
      <div
        className={`prompt-box${busy ? " busy" : ""}${drop.dropping ? " dropping" : ""}`}
        data-testid="prompt-box"
        aria-busy={busy}
        onDragOver={drop.onDragOver}
        onDragLeave={drop.onDragLeave}
        onDrop={drop.onDrop}
      >
        <div className="prompt-field">
          {mention.open && (
            <MentionPopup results={mention.results} selected={mention.selected} onChoose={(found) => chooseMention(mention.results.paths.indexOf(found))} onHover={mention.setSelected} />
          )}
          <SlashPopup
            text={prompt.text}
            caret={caret}
            run={{ replace: (text) => change({ ...prompt, text }, text.length), send: (text) => void submit("send", { text, attachments: [] }) }}
            agentCommands={props.agentCommands ?? null}
            actions={wardenActions}
          />
          <AttachmentChips attachments={prompt.attachments} onRemove={remove} />
          <textarea
            ref={area}
            value={prompt.text}
            rows={Math.min(10, Math.max(2, prompt.text.split("\n").length))}
            placeholder={placeholder}
            aria-label="Prompt"
            data-testid="prompt-input"
            aria-expanded={mention.open}
            aria-controls={mention.open ? MENTION_LIST_ID : undefined}
            aria-activedescendant={mention.open && mention.results.paths.length > 0 ? `mention-option-${mention.selected}` : undefined}
            disabled={!enabled}
            onChange={(e) => {
              change({ ...prompt, text: e.target.value });
              setCaret(e.target.selectionStart);
            }}
            onSelect={(e) => setCaret(e.currentTarget.selectionStart)}
            onKeyDown={onKeyDown}
            onPaste={drop.onPaste}
          />
          {drop.problem && (
            <div className="composer-error" role="alert" data-testid="composer-error">
              {drop.problem}
              <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => drop.setProblem(null)}>
                ×
              </button>
            </div>
          )}
        </div>
        <ComposerActions
          busy={busy}
          busySince={busySince}
          stopping={stopping}
          canSend={canSend}
          queued={waiting > 0}
          steer={steer}
          onSend={() => void submit("send")}
          onSteer={() => void submit("steer")}
          onStop={onStop}
        />
      </div>
    </div>
  );
}
