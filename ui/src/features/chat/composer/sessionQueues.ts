// The window's prompt queues, one per session, each following its session in the hub so it
// keeps sending while another tab is in front. A closed tab's queue goes (see `closeComposer`).
import { sessions } from "../../../ipc";
import type { OpenSession } from "../../../model/hub";
import { hub } from "../../../model/useSession";
import type { Transcript } from "../../../model/transcript";
import { toPromptInput, type ComposedPrompt } from "./composed";
import { forgetDraft } from "./drafts";
import { PromptQueue, type SessionSnapshot } from "./promptQueue";

const queues = new Map<string, { queue: PromptQueue; stop: () => void }>();

/** Sends a queued prompt of session `id`: null when it went out, or the reason it did not. */
async function send(id: string, prompt: ComposedPrompt): Promise<string | null> {
  const sent = await sessions.prompt(id, toPromptInput(prompt));
  return sent.ok ? null : sent.error.message;
}

/** What the queue reads of a transcript. */
export function snapshotOf(t: Transcript): SessionSnapshot {
  return {
    status: t.status,
    busy: t.busy,
    turns: t.usage.turns,
    lastTurn: t.lastTurn ? { turn: t.lastTurn.turn, stopReason: t.lastTurn.stopReason } : null,
  };
}

/** The queue of session `id`, made (and set to follow the session) on first use. */
export function queueOf(id: string): PromptQueue {
  const known = queues.get(id);
  if (known) return known.queue;
  const queue = new PromptQueue((prompt) => send(id, prompt));
  const stop = hub.onChange((session: OpenSession) => {
    if (session.id === id) queue.pump(snapshotOf(session.transcript));
  });
  queues.set(id, { queue, stop });
  return queue;
}

/** Forgets session `id`'s queue; returns what was still queued. */
export function dropQueue(id: string): ComposedPrompt[] {
  const known = queues.get(id);
  if (!known) return [];
  known.stop();
  queues.delete(id);
  return known.queue.takeAll().map((q) => q.prompt);
}

/** The person closed session `id` for good (its tab, stopping it, or an ended session's): its queue and draft go. */
export function closeComposer(id: string): void {
  dropQueue(id);
  forgetDraft(id);
}
