// Small line icons for buttons that are too many for a line of words (the session header's):
// drawn in the text colour, so hover, disabled and the themes need nothing of their own. A
// button with one carries its words as `aria-label` and tooltip.

/** The icons there are. */
export type IconName = "permissions" | "files" | "folder" | "checks" | "terminal" | "openTerminal";

const PATHS: Record<IconName, string[]> = {
  // A shield: what the agent may do.
  permissions: ["M8 1.5 13.5 3.5V7.5C13.5 11 11 13.4 8 14.5 5 13.4 2.5 11 2.5 7.5V3.5Z"],
  // A page with a folded corner.
  files: ["M3.5 1.5H9.5L12.5 4.5V14.5H3.5Z", "M9.5 1.5V4.5H12.5"],
  // A folder with a tab.
  folder: ["M1.5 3.5H6L7.5 5H14.5V13.5H1.5Z"],
  // Two ticked lines: a list of checks.
  checks: ["M1.5 4 3.2 5.7 6 2.8", "M8 4.5H14.5", "M1.5 10.5 3.2 12.2 6 9.3", "M8 11H14.5"],
  // A terminal window with a prompt.
  terminal: ["M1.5 2.5H14.5V13.5H1.5Z", "M4 6 6.5 8 4 10", "M8 10.5H12"],
  // A box with an arrow leaving it: opens elsewhere.
  openTerminal: ["M12.5 9V13.5H2.5V3.5H7", "M9.5 2.5H13.5V6.5", "M13.5 2.5 7.5 8.5"],
};

/** An icon as inline SVG, hidden from assistive technology (its button has the words). */
export function Icon({ name, size = 14 }: { name: IconName; size?: number }) {
  return (
    <svg
      className="icon"
      width={size}
      height={size}
      viewBox="0 0 16 16"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.4}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {PATHS[name].map((d) => (
        <path key={d} d={d} />
      ))}
    </svg>
  );
}
