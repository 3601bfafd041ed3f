// The keys the Terminal panel takes for itself rather than passing on to the program.

/** A key the terminal leaves to the window, or handles itself instead of sending it on. */
export type KeyAction = "toggle" | "copy" | "paste" | null;

/** Ctrl+` toggles the panel; Ctrl+Shift+C and Ctrl+Shift+V copy and paste (Ctrl+C stays ^C). */
export function keyAction(e: Pick<KeyboardEvent, "type" | "ctrlKey" | "shiftKey" | "altKey" | "metaKey" | "key" | "code">): KeyAction {
  if (e.type !== "keydown" || !e.ctrlKey || e.altKey || e.metaKey) return null;
  if (e.code === "Backquote" || e.key === "`") return "toggle";
  if (!e.shiftKey) return null;
  const key = e.key.toLowerCase();
  if (key === "c") return "copy";
  if (key === "v") return "paste";
  return null;
}
