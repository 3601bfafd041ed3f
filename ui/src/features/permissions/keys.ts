// What a key press lands on, for the permission shortcuts: a letter typed into a field is text,
// not an answer, and Enter on a focused button already clicks that button.

/** Whether the key goes into something the person types in (a field, a list box, an editor). */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) return !NOT_TEXT.has(target.type);
  return false;
}

/** Input types that take no typed text. */
const NOT_TEXT = new Set(["button", "checkbox", "radio", "submit", "reset", "image", "file", "range", "color"]);

/** Whether Enter already does something on the target (clicks a button, follows a link). */
export function enterActivates(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.closest("button, a[href], summary, [role=button]") !== null;
}
