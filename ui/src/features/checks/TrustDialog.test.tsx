import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ChecksTrustRequest } from "../../ipc";
import { TrustDialog } from "./TrustDialog";

const trust = vi.fn();
vi.mock("../../ipc", () => ({ checks: { trust: (...args: unknown[]) => trust(...args) } }));

const request: ChecksTrustRequest = {
  file: "/p/.warden/checks.toml",
  sha256: "5e".repeat(32),
  commands: [
    { id: "tests", command: "cargo test --quiet", shell: false, cwd: ".", env: ["RUST_BACKTRACE"], disabled: false },
    { id: "lint", command: 'sh -c "cargo clippy -- -D warnings"', shell: true, cwd: "crates", env: [], disabled: true },
  ],
  urls: [{ id: "chat", url: "https://hooks.example.com/warden", events: ["task.finished"], allowPrivate: false }],
  reviews: [],
};

afterEach(() => {
  cleanup();
  vi.clearAllMocks();
});

describe("the trust dialog", () => {
  it("shows every command and URL before the person decides", () => {
    render(<TrustDialog project="/p" request={request} trust="notTrusted" onDecided={() => {}} onStale={() => {}} onClose={() => {}} />);
    const commands = screen.getAllByTestId("trust-command").map((c) => c.textContent);
    expect(commands[0]).toContain("cargo test --quiet");
    expect(commands[0]).toContain("sets RUST_BACKTRACE");
    expect(commands[1]).toContain('sh -c "cargo clippy -- -D warnings"');
    expect(commands[1]).toContain("in crates");
    expect(commands[1]).toContain("disabled in the file");
    expect(screen.getByTestId("trust-url").textContent).toContain("https://hooks.example.com/warden");
    expect(screen.getByTestId("trust-url").textContent).toContain("task.finished");
    expect(screen.queryByTestId("trust-changed")).toBeNull();
    expect(trust).not.toHaveBeenCalled();
  });

  it("sends back the hash of the content it showed, for each decision", async () => {
    const decided = vi.fn();
    trust.mockResolvedValue({ ok: true, value: { trust: "trusted" } });
    render(<TrustDialog project="/p" request={request} trust="changed" onDecided={decided} onStale={() => {}} onClose={() => {}} />);
    expect(screen.getByTestId("trust-changed")).toBeTruthy();
    fireEvent.click(screen.getByTestId("trust-accept"));
    await waitFor(() => expect(decided).toHaveBeenCalledWith({ trust: "trusted" }));
    expect(trust).toHaveBeenLastCalledWith("/p", "trust", request.sha256);
    fireEvent.click(screen.getByTestId("trust-once"));
    await waitFor(() => expect(trust).toHaveBeenLastCalledWith("/p", "runOnce", request.sha256));
    fireEvent.click(screen.getByTestId("trust-dont-run"));
    await waitFor(() => expect(trust).toHaveBeenLastCalledWith("/p", "dontRun", request.sha256));
  });

  it("when the file changed meanwhile, says so and offers to show it again", async () => {
    const stale = vi.fn();
    const decided = vi.fn();
    trust.mockResolvedValue({ ok: false, error: { code: "internal", message: "the checks file changed since it was shown: nothing was decided; review it again" } });
    render(<TrustDialog project="/p" request={request} trust="notTrusted" onDecided={decided} onStale={stale} onClose={() => {}} />);
    fireEvent.click(screen.getByTestId("trust-accept"));
    expect((await screen.findByTestId("trust-error")).textContent).toContain("changed since it was shown");
    expect(decided).not.toHaveBeenCalled();
    fireEvent.click(screen.getByText("Show the file as it is now"));
    expect(stale).toHaveBeenCalled();
  });
});
