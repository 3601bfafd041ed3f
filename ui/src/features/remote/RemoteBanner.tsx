// Over a remote project while its host is away: "reconnecting… (attempt N of M)" with a
// countdown, or "host gone: why" with Reconnect. What the host runs goes on there meanwhile:
// its sessions keep working and its questions wait (nothing is allowed by a timeout).
import "./remote.css";
import { useEffect, useState } from "react";
import { stateWords } from "./HostChip";
import type { RemoteProject } from "./store";

interface Props {
  host: RemoteProject;
  /** Connects again with the same target. */
  onReconnect: () => void;
  reconnecting?: boolean;
}

/** Nothing while connected. */
export function RemoteBanner({ host, onReconnect, reconnecting = false }: Props) {
  const state = host.state;
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (state.type !== "reconnecting") return;
    const timer = window.setInterval(() => setNow(Date.now()), 500);
    return () => window.clearInterval(timer);
  }, [state.type]);
  if (state.type === "connected") return null;
  if (state.type === "reconnecting") {
    const wait = Math.max(0, Math.ceil((state.data.nextTryMs - now) / 1000));
    return (
      <div className="remote-banner" role="status" data-testid="remote-banner" data-state="reconnecting">
        <strong>{stateWords(state)}</strong>
        {wait > 0 ? ` — next try in ${wait} s` : " — trying now"}. Lost: {state.data.reason}. The sessions on {host.place.replace(/^\w+: /, "")} keep running;
        their questions wait for you, and nothing is allowed meanwhile.
      </div>
    );
  }
  return (
    <div className="remote-banner gone" role="alert" data-testid="remote-banner" data-state={state.type}>
      <strong>{stateWords(state)}</strong>. What runs there goes on there; reconnect to see it again.{" "}
      <button className="small" onClick={onReconnect} disabled={reconnecting} data-testid="remote-reconnect">
        {reconnecting ? "Reconnecting…" : "Reconnect"}
      </button>
    </div>
  );
}
