// Rule fields with text nobody saved yet. The panel asks before closing while any exist, so an
// edit is never dropped without the person saying so.
import { createContext, useCallback, useContext, useEffect, useId, useState } from "react";

type Mark = (field: string, unsaved: boolean) => void;

/** How a field reports its state to the panel around it (nothing, outside a panel). */
export const UnsavedEditsContext = createContext<Mark>(() => {});

/** For the panel: whether any field holds unsaved text, and the function fields report with. */
export function useUnsavedEdits(): { unsaved: boolean; mark: Mark } {
  const [fields, setFields] = useState<ReadonlySet<string>>(() => new Set());
  const mark = useCallback<Mark>((field, unsaved) => {
    setFields((old) => {
      if (old.has(field) === unsaved) return old;
      const next = new Set(old);
      if (unsaved) next.add(field);
      else next.delete(field);
      return next;
    });
  }, []);
  return { unsaved: fields.size > 0, mark };
}

/** For a field: tells the panel whether it holds unsaved text (and that it has none once gone). */
export function useReportUnsaved(unsaved: boolean): void {
  const mark = useContext(UnsavedEditsContext);
  const field = useId();
  useEffect(() => {
    mark(field, unsaved);
    return () => mark(field, false);
  }, [mark, field, unsaved]);
}
