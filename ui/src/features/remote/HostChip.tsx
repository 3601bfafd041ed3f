// Where a remote session runs, in its header ("ssh: dev@box"), and its connection's state:
// connected, reconnecting (attempt N of M), gone (why), or closed.
import "./remote.css";
import type { RemoteConnectionState } from "../../ipc";
import { useSessionHost, type RemoteProject } from "./store";

/** The state in words, for the chip and the banner. */
export function stateWords(state: RemoteConnectionState): string {
  switch (state.type) {
    case "connected":
      return `connected (Warden ${state.data.warden}, ${state.data.platform})`;
    case "reconnecting":
      return `reconnecting… (attempt ${state.data.attempt} of ${state.data.maxAttempts})`;
    case "gone":
      return `host gone: ${state.data.reason}`;
    case "closed":
      return "closed";
  }
}

/** The chip for a host, whatever the session. */
export function HostChipFor({ host }: { host: RemoteProject }) {
  const kind = host.state.type === "connected" ? "" : ` ${host.state.type}`;
  const short = host.state.type === "reconnecting" ? ` · reconnecting… (attempt ${host.state.data.attempt})` : host.state.type === "gone" ? " · host gone" : "";
  return (
    <span className={`host-chip${kind}`} title={`Runs on ${host.label} — ${stateWords(host.state)}`} data-testid="host-chip" data-state={host.state.type}>
      <span className="dot" aria-hidden="true" />
      {host.place}
      {short}
    </span>
  );
}

/** The header's chip for a session: nothing for a local one. */
export function HostChip({ sessionId }: { sessionId: string | null }) {
  const host = useSessionHost(sessionId);
  return host ? <HostChipFor host={host} /> : null;
}
