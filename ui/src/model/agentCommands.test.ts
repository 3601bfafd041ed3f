import { describe, expect, it } from "vitest";
import type { AgentCommand, SessionEvent } from "../ipc";
import { Transcript } from "./transcript";

const command = (name: string): AgentCommand => ({ name, description: `${name} it`, argumentHint: null, aliases: [] });
const listed = (seq: number, names: string[]): SessionEvent => ({
  sessionId: "s1",
  seq,
  atMs: 0,
  kind: { type: "agentCommands", data: { commands: names.map(command) } },
});

describe("the agent's commands in the transcript", () => {
  it("are unknown until listed, and each list replaces the last", () => {
    const t = new Transcript();
    expect(t.commands).toBeNull();
    t.apply([listed(1, ["memory", "compact"])]);
    expect(t.commands?.map((c) => c.name)).toEqual(["memory", "compact"]);
    t.apply([listed(2, ["compact"])]);
    expect(t.commands?.map((c) => c.name)).toEqual(["compact"]);
  });
});
