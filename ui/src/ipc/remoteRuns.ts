// The pipeline runs of remote projects. A host keeps its runs (their state, the plan decision,
// Stop) and answers for them when asked; it pushes no event for a run's change. So the window
// remembers which host each run is on (for the plan decision and Stop), and while a host has a
// run that is not finished it asks that host for the project's runs about once a second and
// hands every changed state to the same listeners the local `pipelineChanged` event reaches: the
// pipeline strip cannot tell a remote run from a local one.
import type { IpcError, PipelineState, RemoteConnectionId } from "../bindings";

type Outcome<T> = { ok: true; value: T } | { ok: false; error: IpcError };

/** How often a host is asked while one of its runs goes on. */
export const RUN_POLL_MS = 1000;
/** Failed asks in a row after which the window stops asking (the connection is gone; reopening asks again). */
export const RUN_POLL_FAILURES = 60;

/** Whether a run has ended (passed, failed, not accepted). */
export function finished(state: PipelineState): boolean {
  return state.status.kind !== "running" && state.status.kind !== "awaitingApproval";
}

export class RemoteRuns {
  private readonly hosts = new Map<string, RemoteConnectionId>();
  private readonly shown = new Map<string, string>();
  private readonly handlers = new Set<(state: PipelineState) => void>();
  private readonly following = new Set<string>();

  constructor(
    private readonly ask: (connection: RemoteConnectionId, project: string) => Promise<Outcome<PipelineState[]>>,
    private readonly pause: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {}

  /** The host of run `runId`, or null for a run of this window. */
  hostOf(runId: string): RemoteConnectionId | null {
    return this.hosts.get(runId) ?? null;
  }

  /** Calls `handler` with every new state of a remote run. Returns the unsubscribe. */
  listen(handler: (state: PipelineState) => void): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  /** Records runs `connection` reported for `project`, passes on the changed ones, and follows those not finished. */
  learnt(connection: RemoteConnectionId, project: string, states: PipelineState[]): void {
    if (this.record(connection, states)) void this.follow(connection, project);
  }

  /** Remembers the runs' host and passes on the states not passed on yet; whether one goes on. */
  private record(connection: RemoteConnectionId, states: PipelineState[]): boolean {
    for (const state of states) {
      this.hosts.set(state.runId, connection);
      const text = JSON.stringify(state);
      if (this.shown.get(state.runId) === text) continue;
      this.shown.set(state.runId, text);
      for (const handler of this.handlers) handler(state);
    }
    return states.some((s) => !finished(s));
  }

  /** Asks the host for the project's runs until none goes on (one follower per host and project). */
  private async follow(connection: RemoteConnectionId, project: string): Promise<void> {
    const key = `${connection}\n${project}`;
    if (this.following.has(key)) return;
    this.following.add(key);
    try {
      let failures = 0;
      while (failures < RUN_POLL_FAILURES) {
        await this.pause(RUN_POLL_MS);
        const got = await this.ask(connection, project);
        if (!got.ok) {
          failures += 1;
          continue;
        }
        failures = 0;
        if (!this.record(connection, got.value)) return;
      }
    } finally {
      this.following.delete(key);
    }
  }
}
