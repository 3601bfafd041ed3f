import { describe, expect, it } from "vitest";
import { agentLabel } from "./agentNames";

describe("agent names", () => {
  it("names every kind of session's agent", () => {
    expect(agentLabel("gemini")).toBe("Gemini CLI");
    expect(agentLabel("custom", "Local Llama")).toBe("Local Llama");
    expect(agentLabel(undefined)).toBe("Claude Code");
  });
});
