// One terminal tab's live parts: the xterm.js terminal drawing into an element of its own, the
// backend PTY it talks to, its typed input in order, its size and colours. The element outlives
// the panel's React tree, so hiding the panel or switching projects keeps the screen and its
// scrollback; it is moved into whatever container shows it.
import "@xterm/xterm/css/xterm.css";
import type { FitAddon } from "@xterm/addon-fit";
import type { Terminal } from "@xterm/xterm";
import { terminals, type IpcError, type TerminalCommand, type TerminalEvent, type TerminalExit, type TerminalId } from "../../ipc";
import { mirrorStyles } from "./cspStyles";
import { InputQueue } from "./inputQueue";
import { keyAction } from "./keys";
import { documentVar, onThemeChange, prefersDark, terminalTheme } from "./theme";

/** What a tab's session tells the panel. */
export interface SessionEvents {
  opened: (id: TerminalId, title: string) => void;
  failed: (error: IpcError) => void;
  exited: (exit: TerminalExit) => void;
}

/** Opens the backend terminal at a size, sending its events to `onEvent` (the default opens a shell or agent in the project). */
export type TerminalOpener = (
  cols: number,
  rows: number,
  onEvent: (event: TerminalEvent) => void,
) => ReturnType<typeof terminals.open>;

/** A tab's terminal. */
export class TermSession {
  /** The element xterm.js draws in; moved into the container that shows it. */
  readonly host: HTMLDivElement;
  private term: Terminal | null = null;
  private fit: FitAddon | null = null;
  private readonly input: InputQueue;
  private id: TerminalId | null = null;
  private started = false;
  private disposed = false;
  private readonly cleanups: (() => void)[] = [];
  private size = { cols: 0, rows: 0 };

  constructor(
    private readonly project: string,
    private readonly command: TerminalCommand | null,
    private readonly events: SessionEvents,
    private readonly onToggle: () => void,
    private readonly opener: TerminalOpener | null = null,
  ) {
    this.host = document.createElement("div");
    this.host.className = "terminal-host";
    this.input = new InputQueue(async (data) => {
      if (this.id === null) return;
      await terminals.write(this.id, data);
    });
  }

  /** Shows the terminal in `container`; the first time, also starts its process. */
  attach(container: HTMLElement): void {
    if (this.disposed) return;
    container.appendChild(this.host);
    if (!this.started) {
      this.started = true;
      void this.boot();
    } else {
      this.fitNow();
    }
  }

  /** Takes the terminal out of the page (the panel hid); it keeps running. */
  detach(): void {
    this.host.remove();
  }

  /** Fits the terminal to its element; a new size goes to the PTY. */
  fitNow(): void {
    if (this.disposed || !this.fit || !this.host.isConnected) return;
    const proposed = this.fit.proposeDimensions();
    // A hidden element measures as nothing: keep the last size rather than shrink to zero.
    if (!proposed || !(proposed.cols > 0) || !(proposed.rows > 0)) return;
    this.fit.fit();
  }

  focus(): void {
    this.term?.focus();
  }

  /** Kills the process and frees the terminal. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.input.close();
    if (this.id !== null) void terminals.close(this.id);
    this.cleanups.forEach((cleanup) => cleanup());
    this.term?.dispose();
    this.host.remove();
  }

  /** Loads xterm.js, draws the terminal in its element, and opens the PTY at the size it fits. */
  private async boot(): Promise<void> {
    const [{ Terminal }, { FitAddon }] = await Promise.all([import("@xterm/xterm"), import("@xterm/addon-fit")]);
    if (this.disposed) return;
    const term = new Terminal({
      fontFamily: documentVar("--mono") || "monospace",
      fontSize: 13,
      cursorBlink: true,
      scrollback: 5000,
      theme: terminalTheme(prefersDark(), documentVar),
    });
    const fit = new FitAddon();
    term.loadAddon(fit);
    this.term = term;
    this.fit = fit;
    term.onData((data) => this.input.push(data));
    term.onResize(({ cols, rows }) => this.sendSize(cols, rows));
    term.onSelectionChange(() => {
      // Copy on select, as terminals on Linux do (into the clipboard: the webview has no
      // access to the primary selection).
      const selected = term.getSelection();
      if (selected) void copyText(selected);
    });
    term.attachCustomKeyEventHandler((e) => this.onKey(e));
    this.cleanups.push(onThemeChange(() => (term.options.theme = terminalTheme(prefersDark(), documentVar))));
    this.cleanups.push(mirrorStyles(this.host));
    term.open(this.host);
    this.fitNow();
    term.focus();
    await this.start(term);
  }

  private async start(term: Terminal): Promise<void> {
    const { cols, rows } = term;
    this.size = { cols, rows };
    const onEvent = (event: TerminalEvent) => this.onEvent(event);
    const opened = this.opener ? await this.opener(cols, rows, onEvent) : await terminals.open(this.project, cols, rows, this.command, onEvent);
    if (!opened.ok) {
      term.write(`\x1b[31m${opened.error.message}\x1b[0m\r\n`);
      this.events.failed(opened.error);
      return;
    }
    if (this.disposed) {
      // The tab closed while the terminal was opening.
      void terminals.close(opened.value.id);
      return;
    }
    this.id = opened.value.id;
    this.events.opened(opened.value.id, opened.value.title);
    // The panel may have changed size while the terminal opened.
    if (term.cols !== cols || term.rows !== rows) this.sendSize(term.cols, term.rows);
  }

  private onEvent(event: TerminalEvent): void {
    if (this.disposed) return;
    if (event.type === "output") {
      this.term?.write(event.data);
    } else {
      this.input.close();
      this.events.exited(event.data);
    }
  }

  private sendSize(cols: number, rows: number): void {
    if (this.id === null || (cols === this.size.cols && rows === this.size.rows)) return;
    this.size = { cols, rows };
    void terminals.resize(this.id, cols, rows);
  }

  /** What a key does before xterm.js sees it; `false` keeps it from the PTY. */
  private onKey(e: KeyboardEvent): boolean {
    const action = keyAction(e);
    if (action === null) {
      // Keys typed here are the terminal's: Esc must not stop the agent's turn, Ctrl+W must
      // not close a session tab.
      e.stopPropagation();
      return true;
    }
    e.preventDefault();
    e.stopPropagation();
    if (action === "toggle") this.onToggle();
    else if (action === "copy") void copyText(this.term?.getSelection() ?? "");
    else if (this.term) void pasteInto(this.term);
    return false;
  }
}

async function copyText(text: string): Promise<void> {
  if (!text) return;
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // Without clipboard access the selection stays selected; nothing else to do.
  }
}

async function pasteInto(term: Terminal): Promise<void> {
  try {
    const text = await navigator.clipboard.readText();
    // `paste` wraps it in bracketed-paste marks when the program asked for them.
    if (text) term.paste(text);
  } catch {
    // The webview may refuse to read the clipboard; Shift+Insert still pastes natively.
  }
}
