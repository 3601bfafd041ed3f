import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { TerminalCommand } from "../../ipc";
import { DockStore, type SessionFactory } from "./store";
import { TerminalButtons } from "./TerminalButtons";
import { TerminalDock } from "./TerminalDock";

// The terminals themselves (xterm.js and the PTY) are played by fakes: these tests are about the
// panel's tabs, buttons and keys.
vi.mock("../../ipc", () => ({ terminals: {} }));

afterEach(cleanup);

interface Fake {
  project: string;
  command: TerminalCommand | null;
  events: Parameters<SessionFactory>[2];
  host: HTMLDivElement;
  attached: HTMLElement | null;
  disposed: boolean;
}

function fakeStore() {
  const made: Fake[] = [];
  const store = new DockStore((project, command, events) => {
    const fake: Fake = { project, command, events, host: document.createElement("div"), attached: null, disposed: false };
    made.push(fake);
    return {
      host: fake.host as HTMLDivElement,
      attach: (container: HTMLElement) => {
        container.appendChild(fake.host);
        fake.attached = container;
      },
      detach: () => {
        fake.host.remove();
        fake.attached = null;
      },
      fitNow: () => {},
      focus: () => {},
      dispose: () => {
        fake.disposed = true;
      },
    } as unknown as ReturnType<SessionFactory>;
  });
  /** The `i`th terminal the panel started. */
  const nth = (i: number): Fake => {
    const fake = made[i];
    if (!fake) throw new Error(`only ${made.length} terminals were started`);
    return fake;
  };
  return { store, made, nth };
}

const tabs = () => screen.queryAllByTestId("terminal-tab");
const ctrlBackquote = () => fireEvent.keyDown(window, { key: "`", code: "Backquote", ctrlKey: true });

describe("the terminal panel", () => {
  it("Ctrl+` shows it with a shell in the project, and hides it again keeping the shell", () => {
    const { store, made, nth } = fakeStore();
    render(<TerminalDock project="/code/shop" store={store} />);
    expect(screen.queryByTestId("terminal-panel")).toBeNull();
    act(() => void ctrlBackquote());
    expect(screen.getByTestId("terminal-panel")).toBeTruthy();
    expect(made).toHaveLength(1);
    expect(nth(0)).toMatchObject({ project: "/code/shop", command: null });
    expect(screen.getByTestId("terminal-view").contains(nth(0).host)).toBe(true);
    act(() => void ctrlBackquote());
    expect(screen.queryByTestId("terminal-panel")).toBeNull();
    expect(nth(0).disposed).toBe(false);
    expect(nth(0).attached).toBeNull();
    act(() => void ctrlBackquote());
    expect(made).toHaveLength(1);
    expect(nth(0).attached).not.toBeNull();
  });

  it("a tab takes the terminal's title and shows how its process ended", () => {
    const { store, nth } = fakeStore();
    render(<TerminalDock project="/p" store={store} />);
    act(() => store.toggle("/p"));
    act(() => nth(0).events.opened(4, "bash"));
    expect(tabs()[0]?.textContent).toContain("bash");
    expect(tabs()[0]?.dataset.state).toBe("running");
    act(() => nth(0).events.exited({ code: 130, signal: null }));
    expect(tabs()[0]?.dataset.state).toBe("exited");
    expect(screen.getByTestId("terminal-exit").textContent).toBe("exited with code 130");
  });

  it("new tabs come to the front; closing one kills its terminal and brings back the other", () => {
    const { store, nth } = fakeStore();
    render(<TerminalDock project="/p" store={store} />);
    act(() => store.toggle("/p"));
    fireEvent.click(screen.getByTestId("terminal-new"));
    expect(tabs()).toHaveLength(2);
    expect(nth(0).attached).toBeNull();
    expect(nth(1).attached).not.toBeNull();
    fireEvent.click(screen.getAllByRole("button", { name: "Close Shell" })[1] as HTMLElement);
    expect(nth(1).disposed).toBe(true);
    expect(tabs()).toHaveLength(1);
    expect(nth(0).attached).not.toBeNull();
    fireEvent.click(screen.getByRole("button", { name: "Close Shell" }));
    expect(nth(0).disposed).toBe(true);
    expect(screen.queryByTestId("terminal-panel")).toBeNull();
  });

  it("a terminal that could not open says so in its tab", () => {
    const { store, nth } = fakeStore();
    render(<TerminalDock project="/p" store={store} />);
    act(() => store.toggle("/p"));
    act(() => nth(0).events.failed({ code: "internal", message: "could not start zsh" }));
    expect(tabs()[0]?.dataset.state).toBe("failed");
    expect(screen.getByRole("tab").getAttribute("title")).toBe("could not start zsh");
  });

  it("each project has its own tabs", () => {
    const { store } = fakeStore();
    const view = render(<TerminalDock project="/a" store={store} />);
    act(() => store.toggle("/a"));
    view.rerender(<TerminalDock project="/b" store={store} />);
    expect(screen.queryByTestId("terminal-panel")).toBeNull();
    view.rerender(<TerminalDock project="/a" store={store} />);
    expect(tabs()).toHaveLength(1);
  });
});

describe("the session header's terminal buttons", () => {
  it("toggle the panel and open the session's agent, resuming it, in a new tab", () => {
    const { store, made } = fakeStore();
    render(
      <>
        <TerminalButtons agent="codex" sessionId="s1" live={false} store={store} />
        <TerminalDock project="/p" store={store} />
      </>,
    );
    fireEvent.click(screen.getByTestId("terminal-toggle"));
    expect(screen.getByTestId("terminal-toggle").getAttribute("aria-pressed")).toBe("true");
    fireEvent.click(screen.getByTestId("terminal-open-agent"));
    expect(made.map((m) => m.command)).toEqual([null, { agent: "codex", resume: "s1" }]);
    expect(tabs()).toHaveLength(2);
  });

  it("will not open an agent whose own process still runs the session, nor a custom agent", () => {
    const { store } = fakeStore();
    const view = render(
      <>
        <TerminalButtons agent="claude" sessionId="s1" live={true} store={store} />
        <TerminalDock project="/p" store={store} />
      </>,
    );
    expect((screen.getByTestId("terminal-open-agent") as HTMLButtonElement).disabled).toBe(true);
    view.rerender(
      <>
        <TerminalButtons agent="custom" sessionId="s1" live={false} store={store} />
        <TerminalDock project="/p" store={store} />
      </>,
    );
    expect(screen.queryByTestId("terminal-open-agent")).toBeNull();
  });

  it("show nothing where no panel is mounted", () => {
    const { store } = fakeStore();
    render(<TerminalButtons agent="claude" sessionId="s1" live={false} store={store} />);
    expect(screen.queryByTestId("terminal-toggle")).toBeNull();
  });
});
