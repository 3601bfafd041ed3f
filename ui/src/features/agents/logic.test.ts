import { describe, expect, it } from "vitest";
import type { AgentView, InstallEvent } from "../../ipc";
import { agentOf, draftOf, joinArgs, splitArgs } from "./customDraft";
import { foldInstall, IDLE, LINES_KEPT } from "./installLog";
import { agentLabel } from "./names";
import { agentKey, agentOfKey, statusBadge, unusableReason, usable } from "./status";

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

  it("names every kind of session's agent", () => {
    expect(agentLabel("gemini")).toBe("Gemini CLI");
    expect(agentLabel("custom", "Local Llama")).toBe("Local Llama");
    expect(agentLabel(undefined)).toBe("Claude Code");
  });
});

describe("install log", () => {
  const output = (line: string): InstallEvent => ({ type: "output", data: { stream: "stderr", line } });

  it("runs, keeps the output in order, and ends with how it exited", () => {
    let log = foldInstall(IDLE, { type: "started", data: { command: "npm install -g @openai/codex" } });
    expect(log.phase).toBe("running");
    log = foldInstall(foldInstall(log, output("npm http fetch")), { type: "output", data: { stream: "stdout", line: "added 1 package" } });
    expect(log.lines.map((l) => l.text)).toEqual(["npm http fetch", "added 1 package"]);
    const failed = foldInstall(log, { type: "finished", data: { success: false, code: 1, signal: null, cancelled: false } });
    expect([failed.phase, failed.ending]).toEqual(["failed", "exit code 1"]);
    const cancelled = foldInstall(log, { type: "finished", data: { success: false, code: null, signal: 9, cancelled: true } });
    expect(cancelled.phase).toBe("cancelled");
    const ok = foldInstall(log, { type: "finished", data: { success: true, code: 0, signal: null, cancelled: false } });
    expect(ok.phase).toBe("succeeded");
  });

  it("keeps only the last lines and counts the dropped ones", () => {
    let log = foldInstall(IDLE, { type: "started", data: { command: "x" } });
    for (let i = 0; i < LINES_KEPT + 5; i++) log = foldInstall(log, output(`line ${i}`));
    expect(log.lines.length).toBe(LINES_KEPT);
    expect(log.dropped).toBe(5);
    expect(log.lines[0]?.text).toBe("line 5");
  });
});

describe("custom agent form", () => {
  it("splits arguments like a shell line and joins them back", () => {
    expect(splitArgs(`--acp "a b" 'c d' e\\ f ""`)).toEqual({ ok: true, args: ["--acp", "a b", "c d", "e f", ""] });
    expect(splitArgs(`"open`).ok).toBe(false);
    const args = ["--flag", "with space", 'say "hi"', ""];
    const joined = joinArgs(args);
    expect(splitArgs(joined)).toEqual({ ok: true, args });
  });

  it("makes a definition from the fields, or says what is missing", () => {
    const made = agentOf({ name: " Mine ", command: " my-acp ", args: "--acp", env: "API_KEY=a=b\n\n  MODE = fast" });
    expect(made).toEqual({
      ok: true,
      agent: { name: "Mine", command: "my-acp", args: ["--acp"], env: [{ name: "API_KEY", value: "a=b" }, { name: "MODE", value: " fast" }] },
    });
    expect(agentOf({ name: "", command: "x", args: "", env: "" })).toEqual({ ok: false, error: "Give the agent a name." });
    expect(agentOf({ name: "a", command: "x", args: "", env: "novalue" })).toEqual({ ok: false, error: '"novalue" is not NAME=value.' });
    const round = draftOf({ name: "Mine", command: "my-acp", args: ["a b"], env: [{ name: "K", value: "v" }] });
    expect(round).toEqual({ name: "Mine", command: "my-acp", args: '"a b"', env: "K=v" });
  });
});
