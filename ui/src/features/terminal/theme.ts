// The terminal's colours follow the app's theme: background, text and accent from the CSS
// variables of styles.css (which follow the system's light or dark mode), and an ANSI palette
// picked to read well on each.
import type { ITheme } from "@xterm/xterm";

/** The sixteen ANSI colours, normal then bright, for a light background. */
const LIGHT_ANSI = [
  "#1f2328", "#cf222e", "#116329", "#8a5a00", "#0550ae", "#8250df", "#1b7c83", "#6e7781",
  "#57606a", "#a40e26", "#1a7f37", "#9a6700", "#218bff", "#a475f9", "#3192aa", "#8c959f",
];

/** The sixteen ANSI colours for a dark background. */
const DARK_ANSI = [
  "#484f58", "#ff7b72", "#3fb950", "#d29922", "#58a6ff", "#bc8cff", "#39c5cf", "#b1bac4",
  "#6e7681", "#ffa198", "#56d364", "#e3b341", "#79c0ff", "#d2a8ff", "#56d4dd", "#f0f6fc",
];

const NAMES = [
  "black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
  "brightBlack", "brightRed", "brightGreen", "brightYellow", "brightBlue", "brightMagenta", "brightCyan", "brightWhite",
] as const;

/** Reads a CSS variable of the document (empty when it is not set). */
export type ReadVar = (name: string) => string;

/** The theme for the current look: `dark` picks the palette, `read` the app's own colours. */
export function terminalTheme(dark: boolean, read: ReadVar): ITheme {
  const ansi = dark ? DARK_ANSI : LIGHT_ANSI;
  const background = read("--bg") || (dark ? "#1e1f22" : "#ffffff");
  const foreground = read("--fg") || (dark ? "#e6e6e6" : "#1f2328");
  const accent = read("--accent") || "#2563eb";
  const theme: ITheme = {
    background,
    foreground,
    cursor: accent,
    cursorAccent: background,
    selectionBackground: dark ? "#3b82f666" : "#2563eb40",
  };
  NAMES.forEach((name, i) => {
    theme[name] = ansi[i];
  });
  return theme;
}

/** Whether the system asks for dark mode (as styles.css follows it). */
export function prefersDark(): boolean {
  return typeof window.matchMedia === "function" && window.matchMedia("(prefers-color-scheme: dark)").matches;
}

/** The document's CSS variables. */
export function documentVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

/** Calls `onChange` when the system switches between light and dark; returns the unsubscribe. */
export function onThemeChange(onChange: () => void): () => void {
  if (typeof window.matchMedia !== "function") return () => {};
  const query = window.matchMedia("(prefers-color-scheme: dark)");
  query.addEventListener("change", onChange);
  return () => query.removeEventListener("change", onChange);
}
