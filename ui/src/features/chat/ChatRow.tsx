// One row of the chat. Each kind of entry has its own small component; rows are memo-free on
// purpose: the virtual list only renders the dozen on screen.
import { useEffect } from "react";
import type { AgentExited, RawOutput, TurnEnded } from "../../ipc";
import { useTextLoader } from "../../model/outputLoader";
import { useReviews } from "../review/ReviewProvider";
import { useFilesOpener } from "../files/opener";
import { filesWord } from "../files/scope";
import { turnSummary } from "../../shared/format";
import type { ChatEntry, Transcript } from "../../model/transcript";
import type { RowExpansion } from "../timeline/expansion";
import { ToolRow } from "../timeline/ToolRow";
import { Markdown } from "../../shared/Markdown";
import { UserAttachments } from "./UserAttachments";

interface Props {
  entry: ChatEntry;
  index: number;
  transcript: Transcript;
  /** Which rows are open (thinking, raw output, tool details), held by the list. */
  expansion: RowExpansion;
  selectedTool: string | null;
  onSelectTool: (id: string) => void;
  onResume: (() => void) | null;
  /** The list is scrolling fast; rows stay cheap (see `Markdown`). */
  scrolling?: boolean;
  /** The session whose store holds the prompts' images (null: a history outside Warden's store). */
  sessionId?: string | null;
}

/** Renders one chat entry. */
export function ChatRow({ entry, index, transcript, expansion, selectedTool, onSelectTool, onResume, scrolling = false, sessionId = null }: Props) {
  switch (entry.kind) {
    case "user":
      // Feedback Warden sent for the person is never shown as their words.
      if (entry.origin === "feedback")
        return (
          <div className="msg user feedback" data-testid="feedback-message">
            <div className="msg-who">Feedback from checks</div>
            <div className="user-text">{entry.text}</div>
          </div>
        );
      return (
        <div className={entry.origin === "steer" ? "msg user steer" : "msg user"} data-testid="user-message">
          <div className="msg-who">{entry.origin === "steer" ? "You (sent into the running turn)" : "You"}</div>
          <div className="user-text">{entry.text}</div>
          <UserAttachments attachments={entry.attachments ?? []} sessionId={sessionId} />
        </div>
      );
    case "agent": {
      const nested = entry.parent ? " nested" : "";
      const missing = entry.held?.missing;
      if (entry.held && missing != null) return <MissingText seq={entry.held.seq} bytes={missing} thought={entry.thought} nested={nested} />;
      if (entry.thought) {
        const key = `thought:${index}`;
        const open = expansion.detailsOpen(key);
        return (
          <div className={`thought${nested}`} data-testid="thought">
            <button className="disclosure" aria-expanded={open} onClick={() => expansion.toggleDetails(key)}>
              <span className="chevron" aria-hidden="true">{open ? "▾" : "▸"}</span> Thinking
              {!open && <span className="thought-preview">{firstLine(entry.text)}</span>}
            </button>
            {open && <div className="thought-text">{entry.text}</div>}
          </div>
        );
      }
      return (
        <div className={`msg agent${nested}`} data-testid="agent-message">
          {entry.parent && <div className="msg-who">Subagent</div>}
          <Markdown text={entry.text} plainUnlessReady={scrolling} />
        </div>
      );
    }
    case "tool": {
      const view = transcript.tools.get(entry.id);
      if (!view) return null;
      return (
        <div className="chat-tool">
          <ToolRow view={view} tools={transcript.tools} selected={selectedTool === entry.id} selectedId={selectedTool} onSelect={onSelectTool} depth={0} expansion={expansion} />
        </div>
      );
    }
    case "notice":
      return (
        <div className={`chat-notice ${entry.level}`} role={entry.level === "warning" ? "alert" : undefined}>
          {entry.text}
        </div>
      );
    case "turnEnded":
      return <TurnEnd ended={entry.ended} files={transcript.files.filesOfTurn(entry.ended.turn)} />;
    case "exited":
      return <Exit exited={entry.exited} onResume={onResume} />;
    case "raw":
      return <Raw raw={entry.raw} open={expansion.detailsOpen(`raw:${index}`)} onToggle={() => expansion.toggleDetails(`raw:${index}`)} />;
  }
}

/**
 * A text a read-only history sends later: asks for it, and keeps about its room meanwhile (some
 * 90 bytes a line), so the list barely moves when it arrives.
 */
function MissingText({ seq, bytes, thought, nested }: { seq: number; bytes: number; thought: boolean; nested: string }) {
  const load = useTextLoader();
  // Only for a row that stays: a row drawn for an instant (the list settling) asks nothing.
  useEffect(() => {
    if (!load) return;
    const timer = setTimeout(() => load(seq), 40);
    return () => clearTimeout(timer);
  }, [load, seq]);
  const lines = thought ? 1 : Math.min(40, Math.max(1, Math.round(bytes / 90)));
  return (
    <div className={thought ? `thought${nested}` : `msg agent${nested}`} data-testid="text-loading" aria-busy="true">
      <div style={{ minHeight: `${lines * 1.5}em`, opacity: 0.6 }}>{thought ? "Thinking…" : "Loading…"}</div>
    </div>
  );
}

/**
 * The line under a finished turn, with the files it changed; an interrupted or failed turn says
 * so plainly (its files changed all the same, and are as worth reviewing).
 */
function TurnEnd({ ended, files }: { ended: TurnEnded; files: number }) {
  const summary = turnSummary(ended);
  const changed = <TurnFiles turn={ended.turn} files={files} />;
  if (ended.stopReason === "cancelled") {
    return (
      <div className="turn-end stopped" data-testid="turn-stopped">
        <span className="turn-flag">Stopped</span> {summary}
        {changed}
      </div>
    );
  }
  if (ended.stopReason === "error" || ended.error) {
    return (
      <div className="turn-end failed" role="alert" data-testid="turn-failed">
        <span className="turn-flag">Turn failed</span> {ended.error ?? ended.stopReason} <span className="muted">· {summary}</span>
        {changed}
      </div>
    );
  }
  const note = ended.stopReason === "endTurn" ? "" : ` · ${STOP_WORDS[ended.stopReason]}`;
  return (
    <div className="turn-end" data-testid="turn-end">
      {summary}
      {note}
      {changed}
    </div>
  );
}

/** " · 3 files changed", opening the Files panel on the turn where the session view offers it. */
function TurnFiles({ turn, files }: { turn: number; files: number }) {
  const open = useFilesOpener();
  const review = useReviews();
  if (files === 0) return null;
  const text = `${filesWord(files)} changed`;
  return (
    <>
      {" · "}
      {open ? (
        <button type="button" className="turn-files" onClick={() => open({ type: "turn", turn })} data-testid="turn-files">
          {text}
        </button>
      ) : (
        <span data-testid="turn-files">{text}</span>
      )}
      {/* A turn's changes can be reviewed where the session view offers reviews. */}
      {review && (
        <>
          {" · "}
          <button type="button" className="turn-files" onClick={() => review.ask({ type: "turn", turn })} data-testid="turn-review">
            Review with…
          </button>
        </>
      )}
    </>
  );
}

const STOP_WORDS: Record<TurnEnded["stopReason"], string> = {
  endTurn: "done",
  maxTokens: "hit the output limit",
  maxTurns: "hit the turn limit",
  refusal: "the model refused",
  cancelled: "stopped",
  error: "failed",
};

/** The agent process ended: how, what it last wrote to stderr, and a way back in. */
function Exit({ exited, onResume }: { exited: AgentExited; onResume: (() => void) | null }) {
  const how = exited.signal !== null ? `killed by signal ${exited.signal}` : `exit code ${exited.code ?? "unknown"}`;
  return (
    <div className={exited.expected ? "exit-card" : "exit-card crashed"} role={exited.expected ? undefined : "alert"} data-testid="agent-exited">
      <div className="exit-head">
        <strong>{exited.expected ? "Session stopped" : "The agent exited unexpectedly"}</strong>
        {!exited.expected && <span className="muted">({how})</span>}
        {onResume && (
          <button className="primary small" onClick={onResume} data-testid="resume">
            Resume
          </button>
        )}
      </div>
      {exited.stderrTail.trim() && (
        <pre className="stderr-tail" aria-label="The agent's last error output">
          {exited.stderrTail}
        </pre>
      )}
    </div>
  );
}

/** Output Warden could not read, kept and shown rather than dropped. */
function Raw({ raw, open, onToggle }: { raw: RawOutput; open: boolean; onToggle: () => void }) {
  return (
    <div className="raw-output" data-testid="raw-output">
      <button className="disclosure" aria-expanded={open} onClick={onToggle}>
        <span className="chevron" aria-hidden="true">{open ? "▾" : "▸"}</span> Unrecognised output from the agent: {raw.reason}
      </button>
      {open && (
        <pre>
          {raw.text}
          {raw.bytes > raw.text.length ? `\n… (${raw.bytes} bytes in all)` : ""}
        </pre>
      )}
    </div>
  );
}

function firstLine(text: string): string {
  const line = text.trim().split("\n")[0] ?? "";
  return line.length > 90 ? `${line.slice(0, 90)}…` : line;
}
