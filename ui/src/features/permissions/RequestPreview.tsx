// The body of a permission question: what exactly would run or change if it is allowed.
import type { ReactNode } from "react";
import { Markdown } from "../../shared/Markdown";
import { DiffView } from "../../shared/DiffView";
import { TextOutput } from "../../shared/TextOutput";
import { CommandView } from "./CommandView";
import { ContentExtent } from "./ContentExtent";
import { lexicallyOutside } from "./folders";
import type { Preview } from "./preview";
import "./permissions.css";

interface Props {
  preview: Preview;
  /** The project folder: where a command runs unless it names another. */
  cwd: string;
  /** Paths outside the project the call touches (`request.outsideProject`). */
  outside?: readonly string[];
  /** Whether the person asked to see the whole of a long command. */
  wholeCommand?: boolean;
  onShowWholeCommand?: () => void;
}

/**
 * The call's preview, made for its tool. A command is shown whole (see `CommandView`); other
 * long content (diffs, file contents) scrolls inside its own box, with a note saying how long
 * it is (`ContentExtent`).
 */
export function RequestPreview({ preview, cwd, outside = [], wholeCommand = false, onShowWholeCommand = () => {} }: Props) {
  switch (preview.type) {
    case "shell": {
      const folder = preview.cwd ?? cwd;
      const away = preview.cwd !== null && (outside.includes(preview.cwd) || lexicallyOutside(preview.cwd, cwd));
      return (
        <div className="pm-preview" data-testid="permission-preview">
          <CommandView command={preview.command} whole={wholeCommand} onShowWhole={onShowWholeCommand} />
          <Field label="in">
            <code className={away ? "pm-break pm-away" : "pm-break"} data-testid="permission-cwd" data-outside={String(away)}>
              {folder}
            </code>
            {away ? (
              <strong className="pm-away-note"> — outside the project</strong>
            ) : (
              preview.cwd !== null && preview.cwd !== cwd && <span className="muted"> (inside the project)</span>
            )}
          </Field>
        </div>
      );
    }
    case "write":
      return (
        <div className="pm-preview" data-testid="permission-preview">
          <Field label="new file">
            <code>{preview.path}</code>
            <span className="muted"> (replaces the file if it exists)</span>
          </Field>
          <DiffView changes={[{ oldText: "", newText: preview.content }]} label={`Content of ${preview.path}`} />
          <ContentExtent text={preview.content} what="The new content" />
        </div>
      );
    case "edit":
      return (
        <div className="pm-preview" data-testid="permission-preview">
          <Field label="file">
            <code>{preview.path}</code>
            {preview.replaceAll && <span className="muted"> (every occurrence)</span>}
          </Field>
          {preview.changes.map((change, i) => (
            <div key={i}>
              <DiffView
                changes={[change]}
                label={preview.changes.length > 1 ? `Edit ${i + 1} of ${preview.changes.length} to ${preview.path}` : `Changes to ${preview.path}`}
              />
              <ContentExtent text={change.newText} what={preview.changes.length > 1 ? `Edit ${i + 1}'s new text` : "The new text"} />
            </div>
          ))}
        </div>
      );
    case "notebook":
      return (
        <div className="pm-preview" data-testid="permission-preview">
          <Field label="notebook">
            <code>{preview.path}</code>
          </Field>
          {(preview.editMode || preview.cell) && (
            <Field label="cell">{[preview.editMode, preview.cell].filter(Boolean).join(" · ")}</Field>
          )}
          <TextOutput text={preview.source} />
        </div>
      );
    case "patch":
      // Each file the patch changes, with what happens to it and Codex's diff of it.
      return (
        <div className="pm-preview" data-testid="permission-preview">
          {preview.files.map((file, i) => (
            <div key={i}>
              <Field label={file.action === "add" ? "new file" : file.action === "delete" ? "delete" : "file"}>
                <code className="pm-break">{file.path}</code>
                {file.moveTo && (
                  <>
                    <span className="muted"> moves to </span>
                    <code className="pm-break">{file.moveTo}</code>
                  </>
                )}
              </Field>
              {file.diff && <TextOutput text={file.diff} />}
              {file.diff && <ContentExtent text={file.diff} what={file.action === "add" ? "The new content" : "The diff"} />}
            </div>
          ))}
        </div>
      );
    case "fetch":
      return (
        <div className="pm-preview" data-testid="permission-preview">
          {/* Plain text, not a link: following it would navigate the app's own window away. */}
          <Field label="url">
            <code className="pm-break">{preview.url}</code>
          </Field>
          {preview.prompt && <Field label="prompt">{preview.prompt}</Field>}
        </div>
      );
    case "webSearch":
      return (
        <div className="pm-preview" data-testid="permission-preview">
          <Field label="query">{preview.query}</Field>
        </div>
      );
    case "fields":
      return (
        <div className="pm-preview" data-testid="permission-preview">
          {preview.fields.map(([label, value]) => (
            <Field key={label} label={label}>
              <code className="pm-break">{value}</code>
            </Field>
          ))}
        </div>
      );
    case "plan":
      return (
        <div className="pm-plan" data-testid="permission-plan">
          <Markdown text={preview.markdown} />
        </div>
      );
    case "json":
      return (
        <div className="pm-preview" data-testid="permission-preview">
          <TextOutput text={preview.text} />
        </div>
      );
  }
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="pm-field">
      <span className="pm-field-label">{label}</span>
      <span className="pm-field-value">{children}</span>
    </div>
  );
}
