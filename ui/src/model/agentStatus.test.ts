import { describe, expect, it } from "vitest";
import type { AgentView } from "../ipc";
import { agentKey, agentOfKey, statusBadge, unusableReason, usable } from "./agentStatus";

function view(over: Partial<AgentView>): AgentView {
  return {
    kind: "codex",
    name: "Codex",
    protocol: "codexAppServer",
    program: "/usr/bin/codex",
    version: "0.169.0",
    status: { state: "ready" },
    login: { state: "loggedIn", detail: "OPENAI_API_KEY is set" },
    loginHelp: "Run `codex login`",
    install: { command: "npm install -g @openai/codex", npmPackage: "@openai/codex" },
    minVersion: "0.169.0",
    custom: null,
    ...over,
  };
}

describe("agent status", () => {
  it("lets ready agents and agents with an unknown login start sessions, and says why the others cannot", () => {
    expect(usable({ state: "ready" })).toBe(true);
    expect(usable({ state: "loginUnknown" })).toBe(true);
    expect(unusableReason(view({ status: { state: "notLoggedIn" } }))).toBe("not logged in");
    expect(unusableReason(view({ version: "0.100.0", status: { state: "tooOld", minimum: "0.169.0" } }))).toBe(
      "version 0.100.0 is too old (needs 0.169.0)",
    );
    const missing = view({ kind: "custom", name: "Mine", program: null, status: { state: "notInstalled" }, custom: { name: "Mine", command: "my-acp" } });
    expect(unusableReason(missing)).toBe("my-acp was not found");
    expect(statusBadge({ state: "tooOld", minimum: "2.0.0" })).toEqual({ text: "Too old · needs 2.0.0+", tone: "warn" });
    expect(statusBadge({ state: "broken", detail: "x" }).tone).toBe("error");
  });

  it("keys agents so that custom ones come back with their name", () => {
    expect(agentKey(view({}))).toBe("codex");
    expect(agentKey(view({ kind: "custom", name: "My: agent" }))).toBe("custom:My: agent");
    expect(agentOfKey("custom:My: agent")).toEqual({ agent: "custom", agentName: "My: agent" });
    expect(agentOfKey("gemini")).toEqual({ agent: "gemini", agentName: null });
  });
});
