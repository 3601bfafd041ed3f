import { useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import type { ToolView } from "../../model/transcript";
import { useOutputLoader } from "../../model/outputLoader";
import { DecisionLine } from "./DecisionBadge";
import { DiffView } from "../../shared/DiffView";
import { formatDuration } from "../../shared/formatDuration";
import { TextOutput } from "../../shared/TextOutput";
import { describeInput, type InputView } from "./toolInput";
import "./timeline.css";

/**
 * How the call was allowed or refused; its input, shown the way that tool reads best (a shell
 * command, a path and range, a diff for file edits, pretty JSON for anything else); and its
 * output (terminal colours for commands), long texts cut with a "Show all" button.
 */
export function ToolDetails({ view }: { view: ToolView }) {
  const { input: typed, rawInput } = view.call;
  const input = useMemo(() => describeInput({ input: typed, rawInput }), [typed, rawInput]);
  return (
    <div className="tl-details" data-testid="tool-details">
      <DecisionLine view={view} />
      <InputSection input={input} />
      <OutputSection view={view} />
    </div>
  );
}

function OutputSection({ view }: { view: ToolView }) {
  const { kind, status } = view.call;
  if (view.output === null && view.outputDropped) return <DroppedOutput id={view.call.id} />;
  if (view.output === null) {
    const waiting = status === "pending" || status === "running" || status === "awaitingPermission";
    return waiting ? <p className="tl-note">Waiting for output…</p> : null;
  }
  return (
    <section className="tl-section" aria-label="Output">
      <h4 className="tl-section-title">Output</h4>
      {view.output === "" ? (
        <p className="tl-note">(no output)</p>
      ) : (
        <TextOutput text={view.output} ansi={kind === "execute"} className={status === "failed" ? "tl-output-failed" : undefined} />
      )}
    </section>
  );
}

/**
 * An output the window does not hold (left out of a long stored transcript, or let go to keep
 * memory bounded): read back from the store as soon as the row is opened.
 */
function DroppedOutput({ id }: { id: string }) {
  const load = useOutputLoader();
  const [state, setState] = useState<"loading" | "failed">("loading");
  const tried = useRef(false);
  useEffect(() => {
    if (!load || tried.current) return;
    tried.current = true;
    load(id).catch(() => setState("failed"));
  }, [id, load]);
  return (
    <section className="tl-section" aria-label="Output">
      <h4 className="tl-section-title">Output</h4>
      <p className="tl-note">
        {!load ? "Not kept in memory." : state === "loading" ? "Loading output…" : "The output could not be read."}{" "}
        {load && state === "failed" && (
          <button className="small" onClick={() => void load(id)} data-testid="load-output">
            Try again
          </button>
        )}
      </p>
    </section>
  );
}

function InputSection({ input }: { input: InputView }) {
  const body = renderInput(input);
  if (body === null) return null;
  return (
    <section className="tl-section" aria-label="Input">
      {body}
    </section>
  );
}

function renderInput(input: InputView): ReactNode {
  switch (input.type) {
    case "none":
      return null;
    case "shell":
      return (
        <>
          {input.description && <p className="tl-note">{input.description}</p>}
          <pre className="tl-pre tl-command">
            <span className="tl-prompt" aria-hidden="true">
              ${" "}
            </span>
            {input.command}
          </pre>
          {input.timeoutMs !== null && <Field label="timeout">{formatDuration(input.timeoutMs)}</Field>}
        </>
      );
    case "read":
      return (
        <>
          <Field label="file">
            <code>{input.path}</code>
          </Field>
          {input.range && <Field label="range">{input.range}</Field>}
        </>
      );
    case "search":
      return (
        <>
          <Field label="pattern">
            <code>{input.pattern}</code>
          </Field>
          {input.path && (
            <Field label="in">
              <code>{input.path}</code>
            </Field>
          )}
          {input.glob && (
            <Field label="glob">
              <code>{input.glob}</code>
            </Field>
          )}
          {input.options.length > 0 && (
            <Field label="options">{input.options.map(([key, value]) => `${key}: ${value}`).join(", ")}</Field>
          )}
        </>
      );
    case "fetch":
      // Plain text, not a link: following it would navigate the app's own window away.
      return (
        <>
          <Field label="url">
            <code className="tl-break">{input.url}</code>
          </Field>
          {input.prompt && <Field label="prompt">{input.prompt}</Field>}
        </>
      );
    case "webSearch":
      return <Field label="query">{input.query}</Field>;
    case "edit":
      return (
        <>
          <Field label="file">
            <code>{input.path}</code>
            {input.replaceAll && <span className="tl-note"> (every occurrence)</span>}
            {input.newFile && <span className="tl-note"> (whole file written; earlier content not shown)</span>}
          </Field>
          <DiffView changes={input.changes} label={`Changes to ${input.path}`} />
        </>
      );
    case "patch":
      return (
        <>
          {input.files.map((file, i) => (
            <div key={i}>
              <Field label={file.action === "add" ? "new file" : file.action === "delete" ? "delete" : "file"}>
                <code>{file.path}</code>
                {file.moveTo && (
                  <>
                    {" → "}
                    <code>{file.moveTo}</code>
                  </>
                )}
              </Field>
              {file.diff && <TextOutput text={file.diff} />}
            </div>
          ))}
        </>
      );
    case "todos":
      return (
        <ul className="tl-todos">
          {input.items.map((item, i) => (
            <li key={i} data-status={item.status}>
              <span className="tl-todo-mark" aria-hidden="true">
                {item.status === "completed" ? "✓" : item.status === "in_progress" || item.status === "inProgress" ? "◐" : "○"}
              </span>{" "}
              {item.content}
            </li>
          ))}
        </ul>
      );
    case "task":
      return (
        <>
          {input.agent && <Field label="agent">{input.agent}</Field>}
          {input.description && <Field label="task">{input.description}</Field>}
          <TextOutput text={input.prompt} className="tl-wrap" />
        </>
      );
    case "json":
      return <TextOutput text={input.text} />;
  }
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="tl-field">
      <span className="tl-field-label">{label}</span>
      <span className="tl-field-value">{children}</span>
    </div>
  );
}
