// What the agent says about its own call: its title for the question, the description it gave
// the command, its reason for asking. The model writes these, so they can say anything ("Run
// the tests" over a command that deletes the project): they are shown after what would
// happen, smaller, quoted and labelled as the agent's, never in Warden's voice.
import "./permissions.css";

interface Props {
  agentName: string;
  /** The agent's sentences, in order; empty and repeated ones are left out. */
  words: readonly (string | null | undefined)[];
}

/** The agent's own words about the call, labelled as such; nothing when it said nothing. */
export function AgentWords({ agentName, words }: Props) {
  const said = distinct(words);
  if (said.length === 0) return null;
  return (
    <div className="pm-agent-words" data-testid="permission-agent-words">
      <span className="pm-agent-label">{agentName} says (its own words, not checked by Warden):</span>
      {said.map((text) => (
        <q key={text} className="pm-agent-quote">
          {text}
        </q>
      ))}
    </div>
  );
}

function distinct(words: readonly (string | null | undefined)[]): string[] {
  const out: string[] = [];
  for (const word of words) {
    const text = word?.trim();
    if (text && !out.includes(text)) out.push(text);
  }
  return out;
}
