// A modal dialog: the rest of the window is covered, Esc cancels, focus starts on the first
// field (or the default button) and Tab stays inside.
import { useEffect, useRef, type KeyboardEvent, type ReactNode } from "react";

interface Props {
  title: string;
  onCancel: () => void;
  children: ReactNode;
  testId?: string;
  /** Extra class of the dialog box (a wider or taller dialog). */
  className?: string;
  /**
   * Whether a click on the dimmed window around the dialog cancels it (the default). Off where
   * cancelling means something, such as denying a permission: a stray click must not answer.
   */
  cancelOnBackdrop?: boolean;
  /** `data-*` attributes for the dialog box, for tests and styles that tell dialogs apart. */
  data?: Record<string, string>;
}

const FOCUSABLE = "button:not(:disabled), input:not(:disabled), select:not(:disabled), textarea:not(:disabled), [tabindex='0']";

/** A modal with a title; the children hold its content and buttons. */
export function Dialog({ title, onCancel, children, testId, className, cancelOnBackdrop = true, data }: Props) {
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
    <div className="dialog-backdrop" onMouseDown={(e) => cancelOnBackdrop && e.target === e.currentTarget && onCancel()}>
      <div
        {...dataAttributes(data)}
        className={className ? `dialog ${className}` : "dialog"}
        role="dialog"
        aria-modal="true"
        aria-label={title}
        ref={box}
        onKeyDown={onKeyDown}
        data-testid={testId}
      >
        <h2 className="dialog-title">{title}</h2>
        {children}
      </div>
    </div>
  );
}

function dataAttributes(data: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(data ?? {}).map(([key, value]) => [`data-${key}`, value]));
}
