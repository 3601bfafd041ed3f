// The `/` popup in the prompt box: helper C's list of the agent's commands and Warden's own
// actions (marked), for a `/name` typed at the start of the box. Picking an agent command that
// takes arguments puts `/name ` in the box for them; one that takes none runs at once (it is
// sent as the prompt `/name`, as the agents expect); a Warden action runs in the window.
import { useEffect, useMemo, useState } from "react";
import type { AgentCommand } from "../../../ipc";
import { SlashCommandList } from "../../commands/SlashCommandList";
import { commandText, slashItems, slashQuery, type SlashItem } from "../../commands/slashItems";
import type { WardenActions } from "../../commands/wardenCommands";

/** What the `/` popup may do with the box: replace its text, or send a command at once. */
export interface SlashRun {
  replace: (text: string) => void;
  send: (text: string) => void;
}

interface Props {
  text: string;
  caret: number;
  run: SlashRun;
  /** The agent's commands as it last listed them (null: it never did). */
  agentCommands: readonly AgentCommand[] | null;
  /** Warden's actions available here. */
  actions: WardenActions;
}

/** The list for the `/name` being typed, or nothing. */
export function SlashPopup({ text, caret, run, agentCommands, actions }: Props) {
  const query = slashQuery(text, caret);
  const items = useMemo(() => slashItems(agentCommands, actions), [agentCommands, actions]);
  // Esc closes the list until the box no longer starts with a command being named.
  const [dismissed, setDismissed] = useState(false);
  const naming = query !== null;
  useEffect(() => {
    if (!naming) setDismissed(false);
  }, [naming]);
  if (query === null || dismissed) return null;

  const pick = (item: SlashItem) => {
    if (item.source === "warden") {
      run.replace("");
      if (item.action) actions[item.action]?.();
    } else if (item.argumentHint) run.replace(commandText(item));
    else run.send(`/${item.name}`);
  };

  return (
    <div className="slash-popup" data-testid="slash-popup">
      <SlashCommandList items={items} query={query} onPick={pick} onDismiss={() => setDismissed(true)} />
    </div>
  );
}
