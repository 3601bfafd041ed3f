// A modal dialog: the rest of the window is covered, Esc cancels, focus starts on the first
// field (or the default button) and Tab stays inside.
import { useEffect, useRef, type KeyboardEvent, type ReactNode } from "react";

interface Props {
  title: string;
  onCancel: () => void;
  children: ReactNode;
  testId?: string;
}

const FOCUSABLE = "button:not(:disabled), input:not(:disabled), select:not(:disabled), textarea:not(:disabled), [tabindex='0']";

/** A modal with a title; the children hold its content and buttons. */
export function Dialog({ title, onCancel, children, testId }: Props) {
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    const first = box.current?.querySelector<HTMLElement>("[data-autofocus]") ?? box.current?.querySelector<HTMLElement>(FOCUSABLE);
    first?.focus();
    // Focus goes back where it was, so the keyboard user is not lost after the dialog.
    return () => previous?.focus?.();
  }, []);

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === "Escape") {
      e.preventDefault();
      e.stopPropagation();
      onCancel();
    } else if (e.key === "Tab") {
      const items = Array.from(box.current?.querySelectorAll<HTMLElement>(FOCUSABLE) ?? []);
      const first = items[0];
      const last = items[items.length - 1];
      if (!first || !last) return;
      if (e.shiftKey && document.activeElement === first) {
        e.preventDefault();
        last.focus();
      } else if (!e.shiftKey && document.activeElement === last) {
        e.preventDefault();
        first.focus();
      }
    }
  };

  return (
    <div className="dialog-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onCancel()}>
      <div className="dialog" role="dialog" aria-modal="true" aria-label={title} ref={box} onKeyDown={onKeyDown} data-testid={testId}>
        <h2 className="dialog-title">{title}</h2>
        {children}
      </div>
    </div>
  );
}
