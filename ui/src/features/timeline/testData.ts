// Builders for tool calls in tests: only what a test cares about needs spelling out.
import type { ToolCall } from "../../ipc";
import type { ToolView } from "../../model/transcript";

/** A completed Bash-like call with `overrides` applied. */
export function call(overrides: Partial<ToolCall> & { id: string }): ToolCall {
  return {
    parent: null,
    name: "Bash",
    kind: "execute",
    title: `Run ${overrides.id}`,
    input: { type: "other", raw: {} },
    rawInput: {},
    locations: [],
    status: "completed",
    ...overrides,
  };
}

/** A tool view around `call(overrides)`. */
export function view(overrides: Partial<ToolCall> & { id: string }, extra: Partial<Omit<ToolView, "call">> = {}): ToolView {
  return { call: call(overrides), output: null, outputSeq: null, outputDropped: false, durationMs: null, children: [], decision: null, decisionMode: null, fileOps: [], ...extra };
}

/** A map of views by id, the shape `Transcript.tools` has. */
export function toolMap(...views: ToolView[]): Map<string, ToolView> {
  return new Map(views.map((v) => [v.call.id, v]));
}

