// How a tool row, a turn line or the session header opens the Files panel of their session:
// the session view provides the opener; outside one (a lone row in a test) there is none, and
// the links show as plain text.
import { createContext, useContext } from "react";
import type { FileScope } from "./scope";

/** Opens the panel on `scope`, with `path` (relative to the project) selected when given. */
export type FilesOpener = (scope: FileScope, path?: string) => void;

export const FilesOpenerContext = createContext<FilesOpener | null>(null);

/** The opener of the session around, if any. */
export function useFilesOpener(): FilesOpener | null {
  return useContext(FilesOpenerContext);
}
