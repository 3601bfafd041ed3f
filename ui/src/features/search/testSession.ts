// A small session for the search tests: a prompt, a streamed answer, a command with its output,
// a subagent with a nested call, and an output the transcript let go of (its `seq` is 9).
import type { SessionEvent, SessionEventKind } from "../../ipc";
import { Transcript } from "../../model/transcript";

const call = (id: string, command: string, parent: string | null = null): SessionEventKind => ({
  type: "toolCall",
  data: {
    id,
    parent,
    name: "Bash",
    kind: "execute",
    title: `Run ${command}`,
    input: { type: "shell", command, cwd: null, description: null, timeoutMs: null },
    rawInput: { command },
    locations: [],
    status: "pending",
  },
});

const output = (id: string, text: string, elidedBytes: number | null = null): SessionEventKind => ({
  type: "toolCallUpdate",
  data: {
    id,
    status: "completed",
    title: null,
    rawInput: null,
    locations: null,
    output: elidedBytes === null ? { text, rawOutput: null } : { text: "", rawOutput: null, elidedBytes },
    durationMs: null,
  },
});

const chunk = (messageId: string, text: string, parent: string | null = null, thought = false): SessionEventKind => ({
  type: thought ? "agentThoughtChunk" : "agentMessageChunk",
  data: { messageId, part: 0, parent, text },
});

/** The events, in order (seq 1…). */
export function sessionEvents(): SessionEvent[] {
  const kinds: SessionEventKind[] = [
    { type: "userMessage", data: { turn: 1, text: "Make the Needle test pass" } }, // entry 0
    chunk("m1", "I will look at the nee", null, true), // entry 1 (thinking)
    chunk("m1", "dle first", null, true),
    call("t1", "cargo test needle"), // entry 2
    output("t1", "test needle ... FAILED\nneedle not found"),
    chunk("m2", "The needle test fails."), // entry 3
    call("task", "delegate"), // entry 4, with a nested call
    call("t2", "grep needle src", "task"),
    output("t2", "", 5_000_000), // seq 9: let go of
  ];
  return kinds.map((kind, i) => ({ sessionId: "s1", seq: i + 1, atMs: 1_000 + i, kind }));
}

/** The session folded into a transcript. */
export function sessionTranscript(): Transcript {
  const t = new Transcript();
  t.apply(sessionEvents());
  return t;
}
