import type { ReactNode } from "react";
import type { ToolKind } from "../../ipc";
import "./timeline.css";

// 16×16 line drawings in `currentColor`, so they follow the row's text colour and the theme.
const PATHS: Record<ToolKind, ReactNode> = {
  // A page with a folded corner.
  read: (
    <>
      <path d="M4 1.5h5.5L12.5 4.5V14.5H4z" />
      <path d="M9.5 1.5v3h3M6 8h4.5M6 10.5h4.5" />
    </>
  ),
  // A pencil.
  edit: (
    <>
      <path d="M10.5 2.5l3 3-8 8H2.5v-3z" />
      <path d="M9 4l3 3" />
    </>
  ),
  // A bin.
  delete: (
    <>
      <path d="M2.5 4h11M6 4V2.5h4V4M4 4l.8 10h6.4L12 4" />
      <path d="M6.8 6.5v5M9.2 6.5v5" />
    </>
  ),
  // An arrow going over to a new place.
  move: (
    <>
      <path d="M2 8h9M8 5l3 3-3 3" />
      <path d="M13.5 3v10" />
    </>
  ),
  // A magnifying glass.
  search: (
    <>
      <circle cx="7" cy="7" r="4.5" />
      <path d="M10.3 10.3l3.7 3.7" />
    </>
  ),
  // A terminal prompt.
  execute: (
    <>
      <rect x="1.5" y="2.5" width="13" height="11" rx="1.5" />
      <path d="M4.5 6l2.5 2-2.5 2M8.5 10.5h3" />
    </>
  ),
  // A light bulb.
  think: (
    <>
      <path d="M5.5 11C4.3 10 3.5 8.7 3.5 7a4.5 4.5 0 0 1 9 0c0 1.7-.8 3-2 4z" />
      <path d="M6 13.5h4" />
    </>
  ),
  // A globe.
  fetch: (
    <>
      <circle cx="8" cy="8" r="6" />
      <path d="M2 8h12M8 2c-2.2 2.2-2.2 9.8 0 12M8 2c2.2 2.2 2.2 9.8 0 12" />
    </>
  ),
  // Anything else: three dots in a circle.
  other: (
    <>
      <circle cx="8" cy="8" r="6" />
      <path d="M5.2 8h.1M8 8h.1M10.8 8h.1" strokeWidth="2" />
    </>
  ),
};

/** A small icon for what kind of work a tool call does (decorative: the row says it in words). */
export function ToolIcon({ kind }: { kind: ToolKind }) {
  return (
    <svg
      className={`tl-icon tl-icon-${kind}`}
      data-kind={kind}
      viewBox="0 0 16 16"
      width="14"
      height="14"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.3"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {PATHS[kind] ?? PATHS.other}
    </svg>
  );
}
