import { describe, expect, it } from "vitest";
import type { InstallEvent } from "../../ipc";
import { agentOf, draftOf, joinArgs, splitArgs } from "./customDraft";
import { foldInstall, IDLE, LINES_KEPT } from "./installLog";

describe("install log", () => {
  const output = (line: string): InstallEvent => ({ type: "output", data: { stream: "stderr", line } });

  it("runs, keeps the output in order, and ends with how it exited", () => {
    let log = foldInstall(IDLE, { type: "started", data: { command: "npm install -g @openai/codex" } });
    expect(log.phase).toBe("running");
    log = foldInstall(foldInstall(log, output("npm http fetch")), { type: "output", data: { stream: "stdout", line: "added 1 package" } });
    expect(log.lines.map((l) => l.text)).toEqual(["npm http fetch", "added 1 package"]);
    const failed = foldInstall(log, { type: "finished", data: { success: false, code: 1, signal: null, cancelled: false, error: null } });
    expect([failed.phase, failed.ending, failed.error]).toEqual(["failed", "exit code 1", null]);
    const offline = foldInstall(log, { type: "finished", data: { success: false, code: 1, signal: null, cancelled: false, error: "npm could not reach the package registry" } });
    expect(offline.error).toBe("npm could not reach the package registry");
    const cancelled = foldInstall(log, { type: "finished", data: { success: false, code: null, signal: 9, cancelled: true, error: null } });
    expect(cancelled.phase).toBe("cancelled");
    const ok = foldInstall(log, { type: "finished", data: { success: true, code: 0, signal: null, cancelled: false, error: null } });
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
