// What the Open Remote Project dialog accepts, checked before anything runs: an SSH destination,
// a container name or a command, and a folder on the host. The host checks the folder again
// (it is the one that knows); these checks are for the person, so a typo is named at once and
// nothing that looks like an option ever reaches `ssh` or `docker`.

/** How the window reaches the host. */
export type RemoteKind = "ssh" | "container" | "command";

/** The dialog's fields as typed. */
export interface RemoteDraft {
  kind: RemoteKind;
  /** `user@host`, a `~/.ssh/config` alias, or `ssh://user@host:port`. */
  destination: string;
  /** A running container's name or id. */
  container: string;
  /** docker or podman. */
  engine: "docker" | "podman";
  /** A shell command whose stdio reaches `warden serve --stdio` (kubectl exec, a wrapper). */
  command: string;
  /** The project folder on the host. */
  folder: string;
}

/** An empty dialog. */
export const emptyDraft: RemoteDraft = { kind: "ssh", destination: "", container: "", engine: "docker", command: "", folder: "" };

/** Why a field cannot be used, by field; empty when the draft can be connected. */
export type Problems = Partial<Record<"destination" | "container" | "command" | "folder", string>>;

// A user name as OpenSSH and the usual systems take it (no spaces, no @).
const USER = /^[A-Za-z0-9._][A-Za-z0-9._\\-]*$/;
// A host name, an alias, or an IPv4 address: letters, digits, dots, dashes and underscores
// (aliases may have them); not starting with a dash or dot.
const HOST = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;
// An IPv6 address in brackets, as ssh:// URIs write it.
const HOST6 = /^\[[0-9A-Fa-f:.]+\]$/;
// Docker's own rule for container names; ids are hex and pass it too.
const CONTAINER = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** Why `destination` is no SSH destination, or null when it is one. */
export function destinationProblem(destination: string): string | null {
  const d = destination.trim();
  if (!d) return "Type the host: user@host, or a Host alias from ~/.ssh/config.";
  if (d.startsWith("-")) return `"${d}" starts with a dash: ssh would read it as an option, not a host.`;
  if (/\s/.test(d)) return "A destination has no spaces (options go into ~/.ssh/config).";
  let rest = d;
  let port: string | null = null;
  if (rest.startsWith("ssh://")) {
    rest = rest.slice("ssh://".length).replace(/\/$/, "");
    // A port is the digits after the last colon, unless that colon is inside [an IPv6 address].
    const portMatch = /^(.*):(\d+)$/.exec(rest);
    if (portMatch && !(portMatch[1] ?? "").endsWith(":") && (!rest.includes("[") || (portMatch[1] ?? "").endsWith("]"))) {
      rest = portMatch[1] ?? "";
      port = portMatch[2] ?? null;
    }
  } else if (d.includes(":") && !HOST6.test(d.split("@").pop() ?? "")) {
    return `"${d}" has a colon: write ssh://user@host:port for a port, or set Port in ~/.ssh/config.`;
  }
  const at = rest.lastIndexOf("@");
  const user = at >= 0 ? rest.slice(0, at) : null;
  const host = at >= 0 ? rest.slice(at + 1) : rest;
  if (user !== null && !USER.test(user)) return `"${user}" is not a user name.`;
  if (!host) return "The host is missing after the @.";
  if (!HOST.test(host) && !HOST6.test(host)) return `"${host}" is not a host name or address.`;
  if (port !== null && (Number(port) < 1 || Number(port) > 65535)) return `Port ${port} is out of range (1–65535).`;
  return null;
}

/** Why `name` is no container name or id, or null when it is one. */
export function containerProblem(name: string): string | null {
  const n = name.trim();
  if (!n) return "Type the running container's name or id (docker ps lists them).";
  if (n.startsWith("-")) return `"${n}" starts with a dash: docker would read it as an option.`;
  if (!CONTAINER.test(n)) return `"${n}" is not a container name: letters, digits, and . _ - after the first character.`;
  return null;
}

/** Why `command` cannot be the custom transport, or null when it can. */
export function commandProblem(command: string): string | null {
  const c = command.trim();
  if (!c) return "Type the command that starts `warden serve --stdio` on the host (e.g. kubectl exec -i pod -- warden serve --stdio).";
  if (/[\r\n]/.test(c)) return "The command is one line.";
  if (c.includes("\0")) return "The command has a NUL character.";
  return null;
}

/** Why `folder` is no folder path on a Unix host, or null when it is one. */
export function folderProblem(folder: string): string | null {
  const f = folder.trim();
  if (!f) return "Type the project folder on the host, e.g. /home/you/code/app or ~/code/app.";
  if (/[\r\n\0]/.test(f)) return "A folder path is one line.";
  if (!(f.startsWith("/") || f === "~" || f.startsWith("~/"))) {
    return `"${f}" is relative: give the full path on the host (/home/you/app) or start it with ~/.`;
  }
  if (f.split("/").includes("..")) return "Write the folder without .. (the host resolves the path as given).";
  return null;
}

/** Every problem of the draft, by field (only the fields its kind uses). */
export function draftProblems(draft: RemoteDraft): Problems {
  const problems: Problems = {};
  const target =
    draft.kind === "ssh"
      ? ["destination", destinationProblem(draft.destination)]
      : draft.kind === "container"
        ? ["container", containerProblem(draft.container)]
        : ["command", commandProblem(draft.command)];
  if (target[1]) problems[target[0] as "destination" | "container" | "command"] = target[1];
  const folder = folderProblem(draft.folder);
  if (folder) problems.folder = folder;
  return problems;
}

/** Where the draft reaches, in the words the header chip uses: "ssh: user@host". */
export function placeLabel(draft: Pick<RemoteDraft, "kind" | "destination" | "container" | "engine" | "command">): string {
  switch (draft.kind) {
    case "ssh":
      return `ssh: ${draft.destination.trim()}`;
    case "container":
      return `${draft.engine}: ${draft.container.trim()}`;
    case "command":
      return `command: ${draft.command.trim()}`;
  }
}
