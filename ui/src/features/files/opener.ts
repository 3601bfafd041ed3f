// How a tool row, a turn line, the session header or a finding opens the Files panel of their
// session (a finding at its hunk): the session view provides the opener; outside one (a lone
// row in a test) there is none, and the links show as plain text.
import { createContext, useContext } from "react";
import type { FileScope } from "./scope";

/**
 * A place in a file to show: a review finding's hunk (`path#index`, as the review anchored it)
 * and lines, or a check finding's line. Lines are in the file after the change (1-based).
 */
export interface FilesTarget {
  hunk?: string | null;
  lineStart?: number | null;
  lineEnd?: number | null;
}

/**
 * Opens the panel on `scope`, with `path` (relative to the project) selected when given, and
 * the hunk `at` names (or covering its lines) scrolled to and marked once the hunks are read.
 */
export type FilesOpener = (scope: FileScope, path?: string, at?: FilesTarget) => void;

export const FilesOpenerContext = createContext<FilesOpener | null>(null);

/** The opener of the session around, if any. */
export function useFilesOpener(): FilesOpener | null {
  return useContext(FilesOpenerContext);
}
