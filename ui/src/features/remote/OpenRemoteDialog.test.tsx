import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ConnectAnswer, Progress } from "./flow";
import { OpenRemoteDialog } from "./OpenRemoteDialog";

afterEach(cleanup);

function type(testId: string, value: string) {
  fireEvent.change(screen.getByTestId(testId), { target: { value } });
}

function deferred<T>() {
  let resolve: (value: T) => void = () => {};
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe("Open Remote Project", () => {
  it("names bad input at Connect and connects nothing", () => {
    const connect = vi.fn();
    render(<OpenRemoteDialog connect={connect} install={vi.fn()} onOpened={vi.fn()} onCancel={vi.fn()} />);
    fireEvent.click(screen.getByTestId("remote-connect"));
    expect(screen.getAllByTestId("remote-problem").map((p) => p.textContent)).toEqual([
      expect.stringMatching(/user@host/),
      expect.stringMatching(/project folder on the host/),
    ]);
    type("remote-destination", "-oProxyCommand=touch /tmp/x");
    type("remote-folder", "code/app");
    expect(screen.getAllByTestId("remote-problem").map((p) => p.textContent)).toEqual([expect.stringMatching(/option/), expect.stringMatching(/relative/)]);
    expect((screen.getByTestId("remote-connect") as HTMLButtonElement).disabled).toBe(true);
    expect(connect).not.toHaveBeenCalled();
    // A container has its own field and rule.
    fireEvent.click(screen.getByTestId("remote-kind-container"));
    type("remote-container", "--privileged");
    expect(screen.getAllByTestId("remote-problem")[0]?.textContent).toMatch(/option/);
  });

  it("shows progress, offers the install when Warden is missing, installs, connects again and opens", async () => {
    const first = deferred<ConnectAnswer>();
    const install = deferred<string | null>();
    const connect = vi
      .fn<(d: unknown, p: (p: Progress) => void) => Promise<ConnectAnswer>>()
      .mockImplementationOnce((_d, progress) => {
        progress({ text: "Starting ssh", done: null, total: null });
        return first.promise;
      })
      .mockImplementationOnce(() => Promise.resolve({ ok: true }));
    const installer = vi.fn((_d: unknown, progress: (p: Progress) => void) => {
      progress({ text: "Copying Warden", done: 5_000_000, total: 100_000_000 });
      return install.promise;
    });
    const onOpened = vi.fn();
    render(<OpenRemoteDialog connect={connect} install={installer} onOpened={onOpened} onCancel={vi.fn()} />);
    type("remote-destination", "dev@box");
    type("remote-folder", "~/app");
    fireEvent.click(screen.getByTestId("remote-connect"));
    expect(screen.getByTestId("remote-progress").textContent).toMatch(/Connecting to ssh: dev@box…[\s\S]*Starting ssh/);
    expect(connect.mock.calls[0]?.[0]).toMatchObject({ kind: "ssh", destination: "dev@box", folder: "~/app" });

    await act(async () => first.resolve({ ok: false, message: "Warden is not installed on dev@box", offer: { why: "missing", message: "Warden is not installed on dev@box", hostVersion: null, hostPlatform: "linux x86_64" } }));
    expect(screen.getByTestId("remote-install-offer").textContent).toMatch(/Warden is not installed on ssh: dev@box[\s\S]*linux x86_64/);

    fireEvent.click(screen.getByTestId("remote-install"));
    expect(screen.getByTestId("remote-progress").textContent).toMatch(/Installing Warden[\s\S]*Copying Warden · 5\.0 of 100 MB/);
    await act(async () => install.resolve(null));
    expect(connect).toHaveBeenCalledTimes(2);
    expect(onOpened).toHaveBeenCalledTimes(1);
  });

  it("keeps the form as typed after a failure, with the host's words", async () => {
    const connect = vi.fn(() => Promise.resolve<ConnectAnswer>({ ok: false, message: "ssh: Could not resolve hostname box", offer: null }));
    render(<OpenRemoteDialog connect={connect} install={vi.fn()} onOpened={vi.fn()} onCancel={vi.fn()} />);
    type("remote-destination", "dev@box");
    type("remote-folder", "/srv/app");
    await act(async () => fireEvent.click(screen.getByTestId("remote-connect")));
    expect(screen.getByTestId("remote-error").textContent).toMatch(/Could not resolve hostname/);
    expect((screen.getByTestId("remote-destination") as HTMLInputElement).value).toBe("dev@box");
    expect((screen.getByTestId("remote-folder") as HTMLInputElement).value).toBe("/srv/app");
  });

  it("does not offer a second install when the host still differs after one", async () => {
    const offer = { why: "mismatch" as const, message: "another version", hostVersion: null, hostPlatform: null };
    const connect = vi.fn(() => Promise.resolve<ConnectAnswer>({ ok: false, message: "another version", offer }));
    render(<OpenRemoteDialog connect={connect} install={() => Promise.resolve(null)} onOpened={vi.fn()} onCancel={vi.fn()} />);
    type("remote-destination", "dev@box");
    type("remote-folder", "/srv/app");
    await act(async () => fireEvent.click(screen.getByTestId("remote-connect")));
    await act(async () => fireEvent.click(screen.getByTestId("remote-install")));
    expect(screen.queryByTestId("remote-install-offer")).toBeNull();
    expect(screen.getByTestId("remote-error").textContent).toMatch(/another version/);
  });

  it("connects at once when opened from a recent remote project", async () => {
    const connect = vi.fn(() => Promise.resolve<ConnectAnswer>({ ok: true }));
    const onOpened = vi.fn();
    await act(async () => {
      render(
        <OpenRemoteDialog
          connect={connect}
          install={vi.fn()}
          onOpened={onOpened}
          onCancel={vi.fn()}
          autoConnect
          initial={{ kind: "ssh", destination: "dev@box", container: "", engine: "docker", command: "", folder: "/srv/app", sshOptions: "" }}
        />,
      );
    });
    expect(connect).toHaveBeenCalledTimes(1);
    expect(onOpened).toHaveBeenCalled();
  });

  it("takes ssh options, refuses one that runs a command, and sends them typed", async () => {
    const connect = vi.fn((_d: unknown) => Promise.resolve<ConnectAnswer>({ ok: true }));
    render(<OpenRemoteDialog connect={connect} install={vi.fn()} onOpened={vi.fn()} onCancel={vi.fn()} />);
    type("remote-destination", "dev@box");
    type("remote-folder", "~/app");
    type("remote-ssh-options", "-p 2222 -o ProxyCommand=touch");
    fireEvent.click(screen.getByTestId("remote-connect"));
    expect(screen.getAllByTestId("remote-problem").map((p) => p.textContent)).toEqual([expect.stringMatching(/ProxyCommand is refused: it runs a command on this machine/)]);
    expect(connect).not.toHaveBeenCalled();
    type("remote-ssh-options", "-p 2222 -o ConnectTimeout=5");
    await act(async () => fireEvent.click(screen.getByTestId("remote-connect")));
    expect(connect.mock.calls[0]?.[0]).toMatchObject({ kind: "ssh", destination: "dev@box", folder: "~/app", sshOptions: "-p 2222 -o ConnectTimeout=5" });
  });

  it("does not run a recent custom command without the person pressing Connect", async () => {
    const connect = vi.fn(() => Promise.resolve<ConnectAnswer>({ ok: true }));
    await act(async () => {
      render(
        <OpenRemoteDialog
          connect={connect}
          install={vi.fn()}
          onOpened={vi.fn()}
          onCancel={vi.fn()}
          autoConnect
          initial={{ kind: "command", destination: "", container: "", engine: "docker", command: "sh -c 'warden serve --stdio'", folder: "/srv/app", sshOptions: "" }}
        />,
      );
    });
    expect(connect).not.toHaveBeenCalled();
    expect((screen.getByTestId("remote-command") as HTMLInputElement).value).toBe("sh -c 'warden serve --stdio'");
    await act(async () => fireEvent.click(screen.getByTestId("remote-connect")));
    expect(connect).toHaveBeenCalledTimes(1);
  });
});
