// Where a call reaches beyond what the agent may touch without asking: configuration that
// steers an agent or a tool (which no mode and no broad rule ever allows), paths outside the
// project (which no project rule ever allows) and the path the agent itself says is blocked.
import "./permissions.css";

interface Props {
  outside: readonly string[];
  /** Agent or tool configuration the call changes (`request.protectedPaths`). */
  protectedPaths?: readonly string[];
  blockedPath: string | null;
}

/** Red warnings naming each protected path and each path outside the project, and the blocked path if it is another. */
export function ReachNotes({ outside, protectedPaths = [], blockedPath }: Props) {
  return (
    <>
      {protectedPaths.length > 0 && (
        <div className="pm-outside pm-protected" role="alert" data-testid="permission-protected">
          <strong>Changes configuration that can run code later</strong>
          <p className="pm-warning-text">
            This call changes configuration that steers an agent or a tool (its hooks, permissions, servers, git hooks or
            shell environment): what is written there can run commands later without anyone being asked. Warden never
            allows this by a mode or a broad rule, and keeps no project rule for it.
          </p>
          <ul>
            {protectedPaths.map((path) => (
              <li key={path}>
                <code>{path}</code>
              </li>
            ))}
          </ul>
        </div>
      )}
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
