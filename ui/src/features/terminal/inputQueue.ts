// Typed input in order. Each write is a separate IPC call, and calls in flight together may
// arrive in any order: keys typed while one is on its way are joined and sent after it returns.

/** Sends text; resolves when the backend has it (or failed to take it). */
export type SendInput = (data: string) => Promise<void>;

/** A queue of typed text with at most one send in flight. */
export class InputQueue {
  private pending = "";
  private sending = false;
  private closed = false;

  constructor(private readonly send: SendInput) {}

  /** Queues `data`; it goes out after everything queued before it. */
  push(data: string): void {
    if (this.closed || data === "") return;
    this.pending += data;
    if (!this.sending) void this.flush();
  }

  /** Drops what is queued and ignores later input (the terminal closed). */
  close(): void {
    this.closed = true;
    this.pending = "";
  }

  private async flush(): Promise<void> {
    this.sending = true;
    try {
      while (this.pending !== "" && !this.closed) {
        const data = this.pending;
        this.pending = "";
        try {
          await this.send(data);
        } catch {
          // A write that failed is lost (the terminal is going away); later input still goes.
        }
      }
    } finally {
      this.sending = false;
    }
  }
}
