// Which calls go to a host: a session of a remote project is known by its id (learnt from the
// host's answers and from the backend's list), a project by its folder while that remote
// project is the one in front. Everything else is local, so a window without remote projects
// behaves exactly as before.
//
// Why the front project and not every open remote folder: a host's folder can have the same
// path as a local project (/home/dev/app on both). The screens that call with a project folder
// (the session list, Files, the finder, terminals) belong to the project in front; a local
// project in front keeps its calls local even when a host has the same path.
import type { RemoteConnectionId, SessionId, TerminalId } from "../bindings";

/** The remote project in front: its connection and its folder as the host resolved it. */
export interface RemoteFront {
  connection: RemoteConnectionId;
  project: string;
}

/** Where a terminal of a host lives: the window gives it an id of its own (see `terminal`). */
interface RemoteTerminal {
  connection: RemoteConnectionId;
  id: TerminalId;
}

/**
 * Window terminal ids for host terminals start here: a host numbers its terminals from 1 as
 * the local backend does, so its ids would meet the local ones.
 */
const REMOTE_TERMINAL_BASE = 1_000_000_000;

/** The routing table. One per window (`routes`); tests make their own. */
export class RemoteRoutes {
  private readonly sessions = new Map<SessionId, RemoteConnectionId>();
  private readonly terminals = new Map<TerminalId, RemoteTerminal>();
  private nextTerminal = REMOTE_TERMINAL_BASE;
  private frontProject: RemoteFront | null = null;

  /** Says which remote project is in front (null: a local one, or none). */
  setFront(front: RemoteFront | null): void {
    this.frontProject = front;
  }

  /** The remote project in front, if any. */
  front(): RemoteFront | null {
    return this.frontProject;
  }

  /** The connection a call about folder `project` goes through, or null for a local call. */
  ofProject(project: string): RemoteConnectionId | null {
    const front = this.frontProject;
    return front && front.project === project ? front.connection : null;
  }

  /** The connection a call about session `id` goes through, or null for a local session. */
  ofSession(id: SessionId): RemoteConnectionId | null {
    return this.sessions.get(id) ?? null;
  }

  /** Records that these sessions are reached through `connection`. */
  rememberSessions(connection: RemoteConnectionId, ids: Iterable<SessionId>): void {
    for (const id of ids) this.sessions.set(id, connection);
  }

  /** Forgets every session and terminal of a connection that was closed. */
  forgetConnection(connection: RemoteConnectionId): void {
    for (const [id, c] of this.sessions) if (c === connection) this.sessions.delete(id);
    for (const [id, t] of this.terminals) if (t.connection === connection) this.terminals.delete(id);
    if (this.frontProject?.connection === connection) this.frontProject = null;
  }

  /** A window id for the host's terminal `id`. */
  addTerminal(connection: RemoteConnectionId, id: TerminalId): TerminalId {
    const mine = this.nextTerminal++;
    this.terminals.set(mine, { connection, id });
    return mine;
  }

  /** The host's terminal behind a window id, or null for a local terminal. */
  terminal(id: TerminalId): RemoteTerminal | null {
    return this.terminals.get(id) ?? null;
  }

  /** Forgets a closed terminal. */
  dropTerminal(id: TerminalId): void {
    this.terminals.delete(id);
  }
}

/** The window's routing table. */
export const routes = new RemoteRoutes();
