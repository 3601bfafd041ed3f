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

/** How a session is reached: its connection, and the project listing it was learnt from. */
interface RemoteSession {
  connection: RemoteConnectionId;
  /** The folder whose session list named it, if it came from one (see `learnListing`). */
  listedIn: string | null;
}

/**
 * The routing table. One per window (`routes`); tests make their own.
 *
 * A host's answers are untrusted input: a session is reached through the first connection
 * that named it until that connection is forgotten, so a host naming another host's session
 * cannot draw its prompts and answers to itself. The table is pruned: a closed connection takes
 * everything of it along, and a session its project's listing no longer names (gone from the
 * host) is forgotten.
 */
export class RemoteRoutes {
  private readonly sessions = new Map<SessionId, RemoteSession>();
  /** A host's worktree folders (its sessions' own folders) and best-of-N groups, learnt from its answers. */
  private readonly worktrees = new Map<string, RemoteConnectionId>();
  private readonly groups = new Map<string, RemoteConnectionId>();
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
    // A worktree of the host in front is the front project's too (its sessions' folder).
    return front && (front.project === project || this.worktrees.get(project) === front.connection) ? front.connection : null;
  }

  /** Records that these worktree folders are the host's behind `connection`. */
  rememberWorktrees(connection: RemoteConnectionId, folders: Iterable<string>): void {
    // First come, as for sessions: another host naming the same folder does not take it.
    for (const folder of folders) if (!this.worktrees.has(folder)) this.worktrees.set(folder, connection);
  }

  /** Records that best-of-N group `group` lives on the host behind `connection`. */
  rememberGroup(connection: RemoteConnectionId, group: string): void {
    // First come, as for sessions: another host naming the same group does not draw its calls.
    if (!this.groups.has(group)) this.groups.set(group, connection);
  }

  /** The connection a call about best-of-N group `group` goes through, or null for a local group. */
  ofGroup(group: string): RemoteConnectionId | null {
    return this.groups.get(group) ?? null;
  }

  /** The connection a call about session `id` goes through, or null for a local session. */
  ofSession(id: SessionId): RemoteConnectionId | null {
    return this.sessions.get(id)?.connection ?? null;
  }

  /**
   * Records that these sessions are reached through `connection`; one already reached through
   * another connection stays with it (first come, until that connection is forgotten).
   */
  rememberSessions(connection: RemoteConnectionId, ids: Iterable<SessionId>, listedIn: string | null = null): void {
    for (const id of ids) {
      const known = this.sessions.get(id);
      if (known && known.connection !== connection) {
        console.warn(`a host named session ${id}, which is reached through ${known.connection}: not taken`);
        continue;
      }
      this.sessions.set(id, { connection, listedIn: listedIn ?? known?.listedIn ?? null });
    }
  }

  /**
   * `connection`'s whole session list of folder `project`: sessions it named before in that
   * list and no longer does (removed on the host, its store reset) are forgotten; the rest
   * are remembered.
   */
  learnListing(connection: RemoteConnectionId, project: string, ids: SessionId[]): void {
    const now = new Set(ids);
    for (const [id, s] of this.sessions) {
      if (s.connection === connection && s.listedIn === project && !now.has(id)) this.sessions.delete(id);
    }
    this.rememberSessions(connection, ids, project);
  }

  /** Forgets every session and terminal of a connection that was closed. */
  forgetConnection(connection: RemoteConnectionId): void {
    for (const [id, s] of this.sessions) if (s.connection === connection) this.sessions.delete(id);
    for (const [id, t] of this.terminals) if (t.connection === connection) this.terminals.delete(id);
    for (const [folder, c] of this.worktrees) if (c === connection) this.worktrees.delete(folder);
    for (const [group, c] of this.groups) if (c === connection) this.groups.delete(group);
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
