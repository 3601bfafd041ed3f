import { useId, useState } from "react";
import { ToolFilesBadge } from "../files/ToolFilesBadge";
import type { ToolView } from "../../model/transcript";
import { DecisionBadge } from "./DecisionBadge";
import { useRowExpansion, type RowExpansion } from "./expansion";
import { formatDuration } from "../../shared/formatDuration";
import { StatusBadge } from "./StatusBadge";
import { ToolDetails } from "./ToolDetails";
import { ToolIcon } from "./ToolIcon";
import "./timeline.css";

/** A subagent can make hundreds of calls; past this many, the rest wait behind a button. */
const CHILDREN_SHOWN = 100;

/** Props of {@link ToolRow}. */
export interface ToolRowProps {
  view: ToolView;
  /** Every tool call of the session, to look up `view.children`. */
  tools: ReadonlyMap<string, ToolView>;
  /** Whether this row is the selected one (highlighted). */
  selected: boolean;
  /** Called with the call's id when its title is clicked. */
  onSelect: (id: string) => void;
  /** Nesting level: 0 for a top-level call, one more per subagent. */
  depth?: number;
  /** The selected call's id, so a nested call can be highlighted too. */
  selectedId?: string | null;
  /** Shared open/closed state; without it the row keeps its own. */
  expansion?: RowExpansion;
}

/**
 * One tool call on one line (icon, title, files it changed, how it was allowed, status, duration) with a chevron
 * that opens its details; the calls of a subagent it started are nested beneath it and can be folded.
 */
export function ToolRow({ view, tools, selected, onSelect, depth = 0, selectedId = null, expansion }: ToolRowProps) {
  const own = useRowExpansion();
  const state = expansion ?? own;
  const { call } = view;
  const detailsOpen = state.detailsOpen(call.id);
  const childrenOpen = state.childrenOpen(call.id);
  const children = view.children;
  const detailsId = useId();
  const duration = view.durationMs === null ? "" : formatDuration(view.durationMs);
  return (
    <div
      className={`tl-row${selected ? " tl-selected" : ""}`}
      data-testid="tool-row"
      data-tool-id={call.id}
      data-depth={depth}
    >
      <div className="tl-line" style={{ paddingLeft: 4 + depth * 16 }}>
        <button
          type="button"
          className="tl-chevron"
          aria-expanded={detailsOpen}
          aria-controls={detailsOpen ? detailsId : undefined}
          aria-label={`${detailsOpen ? "Hide" : "Show"} details of ${call.title}`}
          onClick={() => state.toggleDetails(call.id)}
        >
          <Chevron open={detailsOpen} />
        </button>
        <ToolIcon kind={call.kind} />
        <button
          type="button"
          className="tl-title"
          title={call.title}
          aria-current={selected ? "true" : undefined}
          onClick={() => onSelect(call.id)}
        >
          {call.title}
        </button>
        {children.length > 0 && (
          <button
            type="button"
            className="tl-children-toggle"
            aria-expanded={childrenOpen}
            aria-label={`${childrenOpen ? "Hide" : "Show"} ${children.length === 1 ? "the call" : `the ${children.length} calls`} made by ${call.title}`}
            onClick={() => state.toggleChildren(call.id)}
          >
            <Chevron open={childrenOpen} />
            {children.length} {children.length === 1 ? "call" : "calls"}
          </button>
        )}
        <ToolFilesBadge view={view} />
        <DecisionBadge view={view} />
        <StatusBadge status={call.status} />
        <span className="tl-duration">{duration}</span>
      </div>
      {detailsOpen && (
        <div id={detailsId} style={{ paddingLeft: 26 + depth * 16 }}>
          <ToolDetails view={view} />
        </div>
      )}
      {children.length > 0 && childrenOpen && (
        <Children
          ids={children}
          tools={tools}
          onSelect={onSelect}
          depth={depth + 1}
          selectedId={selectedId}
          expansion={state}
        />
      )}
    </div>
  );
}

function Children({
  ids,
  tools,
  onSelect,
  depth,
  selectedId,
  expansion,
}: {
  ids: string[];
  tools: ReadonlyMap<string, ToolView>;
  onSelect: (id: string) => void;
  depth: number;
  selectedId: string | null;
  expansion: RowExpansion;
}) {
  const [showAll, setShowAll] = useState(false);
  // The selected call must stay visible even when it is past the cut.
  const selectedAt = selectedId === null ? -1 : ids.indexOf(selectedId);
  const limit = showAll ? ids.length : Math.max(CHILDREN_SHOWN, selectedAt + 1);
  const shown = ids.slice(0, limit);
  return (
    // The guide line runs down from the parent's chevron (rows are indented by padding, not
    // margins, so hover and selection colour the full width).
    <div className="tl-children" role="group" style={{ backgroundPositionX: 4 + (depth - 1) * 16 + 9 }}>
      {shown.map((id) => {
        const child = tools.get(id);
        if (!child) return null;
        return (
          <ToolRow
            key={id}
            view={child}
            tools={tools}
            selected={id === selectedId}
            onSelect={onSelect}
            depth={depth}
            selectedId={selectedId}
            expansion={expansion}
          />
        );
      })}
      {ids.length > limit && (
        <button
          type="button"
          className="tl-link-button"
          style={{ marginLeft: 26 + depth * 16 }}
          onClick={() => setShowAll(true)}
        >
          Show all ({ids.length} calls)
        </button>
      )}
    </div>
  );
}

function Chevron({ open }: { open: boolean }) {
  return (
    <svg className={`tl-chevron-icon${open ? " tl-open" : ""}`} viewBox="0 0 16 16" width="10" height="10" aria-hidden="true" focusable="false">
      <path d="M6 3.5L10.5 8 6 12.5" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
