// Agents as the backend lists them, for the tests of the screens that show or pick agents (the
// Agents screen, the New Session dialog).
import type { AgentView, CustomAgent } from "../ipc";

/** A ready Claude Code, changed by `over`. */
export function view(over: Partial<AgentView>): AgentView {
  return {
    kind: "claude",
    name: "Claude Code",
    protocol: "claudeStream",
    program: "/bin/claude",
    version: "2.1.329",
    status: { state: "ready" },
    login: { state: "loggedIn", detail: "ANTHROPIC_API_KEY is set" },
    loginHelp: "Run `claude`",
    install: { command: "npm install -g @anthropic-ai/claude-code", npmPackage: "@anthropic-ai/claude-code" },
    minVersion: "2.0.0",
    custom: null,
    ...over,
  };
}

/** A custom ACP agent. */
export const mine: CustomAgent = { name: "Mine", command: "my-acp", args: ["--acp"], env: [] };
/** One agent in each state the pickers show differently. */
export const VIEWS: AgentView[] = [
  view({}),
  view({ kind: "codex", name: "Codex", protocol: "codexAppServer", program: "/bin/codex", version: "0.169.0" }),
  view({ kind: "gemini", name: "Gemini CLI", protocol: "acp", status: { state: "notLoggedIn" }, login: { state: "notLoggedIn", detail: "no key" } }),
  view({
    kind: "goose",
    name: "goose",
    protocol: "acp",
    program: null,
    version: null,
    status: { state: "notInstalled" },
    install: { command: "curl -fsSL https://example/download_cli.sh | bash", npmPackage: null },
    minVersion: null,
  }),
  view({ kind: "custom", name: "Mine", protocol: "acp", program: "/bin/my-acp", version: null, status: { state: "loginUnknown" }, install: null, loginHelp: null, custom: mine }),
];
