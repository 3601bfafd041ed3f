// A project's rules as Warden stores them, and the one way the panel changes them: read the
// file again, apply the change, write it back, one change at a time.
import { useCallback, useEffect, useRef, useState } from "react";
import { permissions, type IpcError, type RuleSet } from "../../../ipc";
import { complete } from "./ruleSets";

export interface ProjectRules {
  /** The rules, once read. */
  rules: Required<RuleSet> | null;
  /** Why they could not be read; the panel then edits nothing, so the file is not overwritten. */
  loadError: IpcError | null;
  reload: () => void;
  /** Applies `edit` to the rules as stored now and writes the result; resolves to the error, if any. */
  change: (edit: (stored: RuleSet) => RuleSet) => Promise<IpcError | null>;
}

export function useProjectRules(project: string): ProjectRules {
  const [rules, setRules] = useState<Required<RuleSet> | null>(null);
  const [loadError, setLoadError] = useState<IpcError | null>(null);
  // Changes run one after another: two quick edits must not both start from the same old file.
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const current = useRef(project);
  current.current = project;

  const reload = useCallback(() => {
    void permissions.projectRules(project).then((read) => {
      if (current.current !== project) return;
      setRules(read.ok ? complete(read.value) : null);
      setLoadError(read.ok ? null : read.error);
    });
  }, [project]);

  useEffect(reload, [reload]);

  const change = useCallback(
    (edit: (stored: RuleSet) => RuleSet) => {
      const run = async (): Promise<IpcError | null> => {
        // Re-read first: "Always allow" in a question may have added a rule since the panel read.
        const stored = await permissions.projectRules(project);
        if (!stored.ok) return stored.error;
        const next = complete(edit(stored.value));
        const written = await permissions.setProjectRules(project, next);
        if (!written.ok) return written.error;
        if (current.current === project) setRules(next);
        return null;
      };
      const result = queue.current.then(run);
      queue.current = result.catch(() => null);
      return result;
    },
    [project],
  );

  return { rules, loadError, reload, change };
}
