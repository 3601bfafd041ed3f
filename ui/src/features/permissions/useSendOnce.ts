// Sending the answer to a waiting question exactly once, from any key, button or field: both
// the permission dialog and the question dialog go through here. The state update is not seen
// until the next render, so a ref stops a second key press in between from sending again; a
// failed send frees the dialog for another try and says why.
import { useRef, useState } from "react";

/** Where an answer stands. */
export type SendPhase = "idle" | "sending" | "sent";

/** One answer's sending: `send(go)` runs `go` (which returns an error message or null) once at a time. */
export function useSendOnce(answered: boolean, armed: () => boolean) {
  const [phase, setPhase] = useState<SendPhase>(answered ? "sent" : "idle");
  const [error, setError] = useState<string | null>(null);
  const inFlight = useRef(answered);

  const send = async (go: () => Promise<string | null>) => {
    if (inFlight.current || !armed()) return;
    inFlight.current = true;
    setPhase("sending");
    setError(null);
    let failed: string | null;
    try {
      failed = await go();
    } catch (e) {
      failed = e instanceof Error ? e.message : String(e);
    }
    if (failed === null) {
      setPhase("sent");
      return;
    }
    inFlight.current = false;
    setPhase("idle");
    setError(failed);
  };

  /** Whether an answer is on its way or sent (nothing else may be sent). */
  const sending = () => inFlight.current;
  return { phase, error, send, sending };
}
