// Under the mode picker: what Warden cannot enforce with the chosen agent, whatever the mode.
// A promise the agent's protocol makes impossible is said where the person makes the choice.
import type { AgentKind } from "../../../ipc";
import { modeLimits } from "./modes";

/** The chosen agent's limits as a note, or nothing when every mode and rule holds. */
export function ModeLimits({ agent }: { agent: AgentKind }) {
  const text = modeLimits(agent);
  if (text === null) return null;
  return (
    <p className="hint mode-limits" role="note" data-testid="mode-limits">
      {text}
    </p>
  );
}
