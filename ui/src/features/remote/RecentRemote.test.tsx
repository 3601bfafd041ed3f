import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { RecentRemote } from "./RecentRemote";

afterEach(cleanup);

const none = { port: null, identityFile: null, jump: null, options: [] };

describe("recent remote projects", () => {
  it("lists each with its host, and an ssh project's options beside it, so a click runs nothing unseen", () => {
    const recent = [
      { target: { kind: "ssh" as const, destination: "dev@box", folder: "/srv/app", ssh: { ...none, port: 2222, options: [{ key: "ConnectTimeout", value: "5" }] } }, label: "dev@box:/srv/app", lastOpenedMs: 2 },
      { target: { kind: "container" as const, destination: "web", folder: "/w", ssh: none, containerEngine: "podman" }, label: "container web:/w", lastOpenedMs: 1 },
    ];
    render(<RecentRemote recent={recent} when={() => "now"} onOpen={vi.fn()} onForget={vi.fn()} />);
    const rows = screen.getAllByTestId("recent-remote-open").map((r) => r.textContent);
    expect(rows[0]).toMatch(/app.*ssh: dev@box.*\/srv\/app.*-p 2222 -o ConnectTimeout=5/);
    expect(rows[1]).toMatch(/podman: web/);
    expect(screen.getAllByTestId("recent-remote-ssh-options")).toHaveLength(1);
  });
});
