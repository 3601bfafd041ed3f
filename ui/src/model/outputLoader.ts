// How a tool row asks for an output the transcript let go of, and a chat row for a text a history
// sends later: the session view provides the loaders, rows deep in the chat or the timeline use
// them without threading them through props.
import { createContext, useContext } from "react";

/** Reads a tool call's output back from the store into the transcript. */
export type OutputLoader = (toolId: string) => Promise<void>;

/** The loader of the session in view; null outside a session (e.g. in tests). */
export const OutputLoaderContext = createContext<OutputLoader | null>(null);

/** The loader of the session in view, if any. */
export function useOutputLoader(): OutputLoader | null {
  return useContext(OutputLoaderContext);
}

/**
 * Reads the text of a chat row a read-only history sent later (by the `seq` of its event); the
 * session view provides it, the row asks when it is drawn without its text.
 */
export type TextLoader = (seq: number) => void;

/** The text loader of the session in view; null outside a history view (e.g. in tests). */
export const TextLoaderContext = createContext<TextLoader | null>(null);

/** The text loader of the session in view, if any. */
export function useTextLoader(): TextLoader | null {
  return useContext(TextLoaderContext);
}
