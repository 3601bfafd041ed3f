// Which changes the Files panel lists: the whole session, one turn that changed files, the tool
// call the panel was opened from, or the changes made outside any turn.
import type { FileOp } from "../../ipc";
import { filesWord, isOutsideTurn, opsInScope, OUTSIDE_WORDS, scopeKey, turnOptions, type FileScope } from "./scope";

interface Props {
  scope: FileScope;
  /** The session's log, for the turns and their counts (null while it is read). */
  log: readonly FileOp[] | null;
  /** The tool call the panel was opened on, offered alongside the session and its turns. */
  toolScope: Extract<FileScope, { type: "toolCall" }> | null;
  onChange: (scope: FileScope) => void;
}

export function ScopeSelect({ scope, log, toolScope, onChange }: Props) {
  const turns = log ? turnOptions(log) : [];
  const files = (s: FileScope) => (log ? ` · ${filesWord(new Set(opsInScope(log, s).filter((op) => !op.ignored).map((op) => op.path)).size)}` : "");
  const outside: FileScope[] = log?.some((op) => op.rollbackId === null && isOutsideTurn(op)) ? [{ type: "outside" }] : [];
  const choices: FileScope[] = [
    { type: "session" },
    ...turns.map(({ turn }) => ({ type: "turn" as const, turn })),
    ...outside,
    ...(toolScope ? [toolScope] : []),
  ];
  // A turn asked for before the log says it changed anything still has its own entry.
  if (!choices.some((c) => scopeKey(c) === scopeKey(scope))) choices.push(scope);
  return (
    <select
      className="files-scope"
      value={scopeKey(scope)}
      onChange={(e) => {
        const picked = choices.find((c) => scopeKey(c) === e.target.value);
        if (picked) onChange(picked);
      }}
      aria-label="Which changes"
      data-testid="files-scope"
    >
      {choices.map((choice) => (
        <option key={scopeKey(choice)} value={scopeKey(choice)}>
          {label(choice)}
          {files(choice)}
        </option>
      ))}
    </select>
  );
}

function label(scope: FileScope): string {
  switch (scope.type) {
    case "session":
      return "Whole session";
    case "turn":
      return `Turn ${scope.turn}`;
    case "toolCall":
      return `Tool call: ${scope.title}`;
    case "outside":
      return OUTSIDE_WORDS[0]!.toUpperCase() + OUTSIDE_WORDS.slice(1);
  }
}
