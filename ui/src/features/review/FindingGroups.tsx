// The findings of the reviews shown, by file: the task's files first (worst first), each with
// the reviewers that flagged it and those that did not, then the findings outside the task's
// changes, then those about the change as a whole. Each can be picked for the agent or marked
// as a false positive; its place opens the Files panel at its hunk.
import type { FilesTarget } from "../files/opener";
import { findingPlace, reviewerLabel, type FileFindings, type GroupedFindings, type PlacedFinding } from "../../model/reviews";

interface Props {
  grouped: GroupedFindings;
  picked: ReadonlySet<string>;
  onToggle: (f: PlacedFinding) => void;
  /** Opens the Files panel at a file (at a finding's hunk and lines); null where there is no panel. */
  onOpenFile: ((file: string, at?: FilesTarget) => void) | null;
  /** Marks a finding as a false positive; null where marks are not kept (not a task). */
  onFalsePositive: ((f: PlacedFinding) => void) | null;
}

export function FindingGroups({ grouped, picked, onToggle, onOpenFile, onFalsePositive }: Props) {
  const row = (f: PlacedFinding) => <FindingRow key={f.id} f={f} picked={picked.has(f.id)} onToggle={onToggle} onOpenFile={onOpenFile} onFalsePositive={onFalsePositive} />;
  const file = (group: FileFindings) => (
    <li key={group.file} className="review-file" data-testid="review-file" data-file={group.file}>
      <div className="review-file-head">
        {onOpenFile ? (
          <button type="button" className="link" onClick={() => onOpenFile(group.file)} data-testid="review-file-open">
            {group.file}
          </button>
        ) : (
          <span>{group.file}</span>
        )}
        <span className="muted review-flagged" data-testid="review-flagged">
          flagged by {group.flaggedBy.join(", ")}
          {group.notFlaggedBy.length > 0 ? ` · not by ${group.notFlaggedBy.join(", ")}` : ""}
        </span>
      </div>
      <ul className="review-findings">{group.findings.map(row)}</ul>
    </li>
  );
  const none = grouped.files.length + grouped.outside.length + grouped.general.length === 0;
  if (none) return null;
  return (
    <div className="review-groups">
      {grouped.files.length > 0 && <ul className="review-files" data-testid="review-inside">{grouped.files.map(file)}</ul>}
      {grouped.general.length > 0 && (
        <section data-testid="review-general">
          <h4>About the change as a whole</h4>
          <ul className="review-findings">{grouped.general.map(row)}</ul>
        </section>
      )}
      {grouped.outside.length > 0 && (
        <section data-testid="review-outside">
          <h4>Outside this task's changes</h4>
          <ul className="review-files">{grouped.outside.map(file)}</ul>
        </section>
      )}
    </div>
  );
}

interface RowProps {
  f: PlacedFinding;
  picked: boolean;
  onToggle: (f: PlacedFinding) => void;
  onOpenFile: ((file: string, at?: FilesTarget) => void) | null;
  onFalsePositive: ((f: PlacedFinding) => void) | null;
}

function FindingRow({ f, picked, onToggle, onOpenFile, onFalsePositive }: RowProps) {
  const place = findingPlace(f.finding);
  const file = f.finding.file;
  return (
    <li className="review-finding" data-testid="review-finding" data-severity={f.finding.severity}>
      <label className="review-finding-head">
        <input type="checkbox" checked={picked} onChange={() => onToggle(f)} data-testid="review-pick" />
        <span className={`severity-badge ${f.finding.severity}`} data-testid="severity-badge">
          {f.finding.severity}
        </span>
        <span className="review-finding-title">{f.finding.title}</span>
      </label>
      <div className="review-finding-meta muted">
        {place &&
          (onOpenFile && file ? (
            <button
              type="button"
              className="link"
              onClick={() => onOpenFile(file, { hunk: f.finding.hunk, lineStart: f.finding.lineStart, lineEnd: f.finding.lineEnd })}
              title="Open the Files panel at this place"
              data-testid="review-place"
            >
              {place}
            </button>
          ) : (
            <span data-testid="review-place">{place}</span>
          ))}
        {f.finding.hunk && <span> · hunk {f.finding.hunk.split("#")[1]}</span>}
        <span> · {reviewerLabel(f.reviewer)}</span>
        {f.finding.confidence !== null && <span> · {Math.round(f.finding.confidence * 100)}% sure</span>}
        {onFalsePositive && (
          <button type="button" className="small" onClick={() => onFalsePositive(f)} data-testid="review-false-positive">
            Mark false positive
          </button>
        )}
      </div>
      {f.finding.body && <p className="review-finding-body">{f.finding.body}</p>}
      {f.finding.recommendation && <p className="review-finding-body muted">Recommendation: {f.finding.recommendation}</p>}
    </li>
  );
}
