// How a tool row asks for an output the transcript let go of: the session view provides the
// loader, rows deep in the chat or the timeline use it without threading it through props.
import { createContext, useContext } from "react";

/** Reads a tool call's output back from the store into the transcript. */
export type OutputLoader = (toolId: string) => Promise<void>;

/** The loader of the session in view; null outside a session (e.g. in tests). */
export const OutputLoaderContext = createContext<OutputLoader | null>(null);

/** The loader of the session in view, if any. */
export function useOutputLoader(): OutputLoader | null {
  return useContext(OutputLoaderContext);
}
