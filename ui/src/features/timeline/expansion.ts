import { useCallback, useMemo, useState } from "react";

/**
 * Which rows show their details and which hide their subagent calls. Held above the rows so
 * it survives a row being unmounted when the virtualised timeline scrolls it away.
 */
export interface RowExpansion {
  /** Whether the row shows its input and output. Closed by default. */
  detailsOpen(id: string): boolean;
  /** Whether the row shows the calls its subagent made. Open by default. */
  childrenOpen(id: string): boolean;
  toggleDetails(id: string): void;
  toggleChildren(id: string): void;
  /** Makes sure the calls of these rows are shown (to reveal a nested call). */
  showChildren(ids: string[]): void;
}

/** A `RowExpansion` kept in React state; a new object whenever it changes, so rows re-render. */
export function useRowExpansion(): RowExpansion {
  const [open, setOpen] = useState<ReadonlySet<string>>(() => new Set());
  const [folded, setFolded] = useState<ReadonlySet<string>>(() => new Set());
  const toggleDetails = useCallback((id: string) => setOpen((set) => toggled(set, id)), []);
  const toggleChildren = useCallback((id: string) => setFolded((set) => toggled(set, id)), []);
  const showChildren = useCallback(
    (ids: string[]) =>
      setFolded((set) => {
        if (!ids.some((id) => set.has(id))) return set;
        const next = new Set(set);
        for (const id of ids) next.delete(id);
        return next;
      }),
    [],
  );
  return useMemo(
    () => ({
      detailsOpen: (id: string) => open.has(id),
      childrenOpen: (id: string) => !folded.has(id),
      toggleDetails,
      toggleChildren,
      showChildren,
    }),
    [open, folded, toggleDetails, toggleChildren, showChildren],
  );
}

function toggled(set: ReadonlySet<string>, id: string): ReadonlySet<string> {
  const next = new Set(set);
  if (!next.delete(id)) next.add(id);
  return next;
}
