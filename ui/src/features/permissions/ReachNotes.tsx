// Where a call reaches beyond what the agent may touch without asking: paths outside the
// project (which no project rule ever allows) and the path the agent itself says is blocked.
import "./permissions.css";

interface Props {
  outside: readonly string[];
  blockedPath: string | null;
}

/** A red warning listing the paths outside the project, and the blocked path if it is another. */
export function ReachNotes({ outside, blockedPath }: Props) {
  return (
    <>
      {outside.length > 0 && (
        <div className="pm-outside" role="alert" data-testid="permission-outside">
          <strong>Outside the project — project rules never allow this</strong>
          <ul>
            {outside.map((path) => (
              <li key={path}>
                <code>{path}</code>
              </li>
            ))}
          </ul>
        </div>
      )}
      {blockedPath && !outside.includes(blockedPath) && (
        <p className="pm-reason">
          Blocked path: <code>{blockedPath}</code>
        </p>
      )}
    </>
  );
}
