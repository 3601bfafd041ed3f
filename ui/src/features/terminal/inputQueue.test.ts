import { describe, expect, it } from "vitest";
import { InputQueue } from "./inputQueue";

/** A send whose calls resolve only when the test says so. */
function controlledSend() {
  const sent: string[] = [];
  const waiting: (() => void)[] = [];
  const send = (data: string) =>
    new Promise<void>((resolve) => {
      sent.push(data);
      waiting.push(resolve);
    });
  const finishOne = async () => {
    waiting.shift()?.();
    // Lets the queue's loop take its next turn.
    await new Promise((r) => setTimeout(r, 0));
  };
  return { sent, send, finishOne, inFlight: () => waiting.length };
}

describe("typed input", () => {
  it("sends one write at a time and joins what was typed meanwhile, in order", async () => {
    const c = controlledSend();
    const queue = new InputQueue(c.send);
    queue.push("e");
    queue.push("c");
    queue.push("ho\r");
    expect(c.sent).toEqual(["e"]);
    expect(c.inFlight()).toBe(1);
    await c.finishOne();
    expect(c.sent).toEqual(["e", "cho\r"]);
    await c.finishOne();
    expect(c.inFlight()).toBe(0);
    queue.push("x");
    expect(c.sent).toEqual(["e", "cho\r", "x"]);
  });

  it("a closed queue drops what waits and takes nothing more", async () => {
    const c = controlledSend();
    const queue = new InputQueue(c.send);
    queue.push("a");
    queue.push("b");
    queue.close();
    await c.finishOne();
    queue.push("c");
    expect(c.sent).toEqual(["a"]);
  });

  it("a failed send does not stop later input", async () => {
    const sent: string[] = [];
    let fail = true;
    const queue = new InputQueue(async (data) => {
      sent.push(data);
      if (fail) {
        fail = false;
        throw new Error("gone");
      }
    });
    queue.push("a");
    await new Promise((r) => setTimeout(r, 0));
    queue.push("b");
    await new Promise((r) => setTimeout(r, 0));
    expect(sent).toEqual(["a", "b"]);
  });
});
