// What the Open Remote Project dialog accepts, checked before anything runs: an SSH destination,
// a container name or a command, and a folder on the host. The host checks the folder again
// (it is the one that knows); these checks are for the person, so a typo is named at once and
// nothing that looks like an option ever reaches `ssh` or `docker`. The ssh options are parsed
// here into the typed fields the backend takes (it checks them again with the same rules:
// src-tauri/crates/warden-remote/src/ssh_extra.rs, whose test compares its allowed keys with
// these).
import { SSH_ALLOWED_OPTIONS, SSH_REFUSED_OPTIONS, type SshExtra, type SshOption } from "../../bindings";

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
  /** Extra ssh options as typed: `-p PORT -i FILE -J JUMP -o Key=Value …` (ssh only). */
  sshOptions: string;
}

/** An empty dialog. */
export const emptyDraft: RemoteDraft = { kind: "ssh", destination: "", container: "", engine: "docker", command: "", folder: "", sshOptions: "" };

/** Why a field cannot be used, by field; empty when the draft can be connected. */
export type Problems = Partial<Record<"destination" | "container" | "command" | "folder" | "sshOptions", string>>;

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
  if (/\s/.test(d)) return "A destination has no spaces (options go into the SSH options field or ~/.ssh/config).";
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
    return `"${d}" has a colon: write ssh://user@host:port or -p PORT in the SSH options for a port, or set Port in ~/.ssh/config.`;
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
  if (/^~[^/]/.test(f)) {
    return `"${f.split("/")[0]}" is another user's home: only your own (~ or ~/…) can be used. Write the folder's full path instead.`;
  }
  if (!(f.startsWith("/") || f === "~" || f.startsWith("~/"))) {
    return `"${f}" is relative: give the full path on the host (/home/you/app) or start it with ~/.`;
  }
  if (f.split("/").includes("..")) return "Write the folder without .. (the host resolves the path as given).";
  return null;
}

const NAME = /^[A-Za-z0-9._][A-Za-z0-9._-]*$/;
const JUMP_HOP = /^[A-Za-z0-9._@:[\]][A-Za-z0-9._@:[\]-]*$/;

function portOf(value: string): number | string {
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  return n >= 1 && n <= 65535 ? n : `"${value}" is not a port (1–65535).`;
}

/** The typed ssh settings of what was typed in the ssh options field, or why they cannot be used. */
export function parseSshOptions(text: string): { ok: true; value: SshExtra } | { ok: false; problem: string } {
  const fail = (problem: string) => ({ ok: false as const, problem });
  if (/[\r\n\0]/.test(text)) return fail("The ssh options are one line.");
  const words = text.trim().split(/\s+/).filter(Boolean);
  const options: SshOption[] = [];
  const value: SshExtra = { port: null, identityFile: null, jump: null, options };
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? "";
    const flag = word.startsWith("-") ? word.charAt(1) : "";
    if (!flag) return fail(`"${word}" is not an ssh option: write -o Key=Value, -p PORT, -i FILE or -J JUMP.`);
    if (!"opiJ".includes(flag)) return fail(`"${word}" is not taken: only -o Key=Value, -p PORT, -i FILE and -J JUMP are (put anything else in ~/.ssh/config).`);
    let arg = word.slice(2);
    if (!arg) {
      const next = words[++i];
      if (next === undefined) return fail(`-${flag} needs a value.`);
      arg = next;
    }
    let key: string;
    let val: string;
    if (flag === "o") {
      const eq = arg.indexOf("=");
      if (eq <= 0 || eq === arg.length - 1) return fail(`"-o ${arg}" has no value: write -o Key=Value.`);
      key = arg.slice(0, eq);
      val = arg.slice(eq + 1);
    } else {
      key = { p: "Port", i: "IdentityFile", J: "ProxyJump" }[flag] ?? "";
      val = arg;
    }
    const lower = key.toLowerCase();
    if (lower === "port") {
      const port = portOf(val);
      if (typeof port === "string") return fail(port);
      value.port = port;
    } else if (lower === "identityfile") {
      if (val.startsWith("-")) return fail(`The identity file "${val}" starts with a dash: ssh would read it as an option.`);
      value.identityFile = val;
    } else if (lower === "proxyjump") {
      const bad = val.split(",").find((hop) => !JUMP_HOP.test(hop.replace(/^ssh:\/\//, "")));
      if (bad !== undefined) return fail(`"${bad}" is not a jump host: write [user@]host[:port], comma-separated for more than one.`);
      value.jump = val;
    } else {
      // The lists are warden-remote's own (`ssh_extra.rs`), exported with the bindings: the
      // `-o` keys that choose how to connect, and those that run a command here, load code,
      // open a port, hand over the keys' agent, replace what runs on the host or read another
      // config file, each refused with its reason.
      const refused = (SSH_REFUSED_OPTIONS as Record<string, string>)[lower];
      if (refused) return fail(`The ssh option ${key} is refused: ${refused}. Set it in your own ~/.ssh/config if you mean it.`);
      const canonical = SSH_ALLOWED_OPTIONS.find((k) => k.toLowerCase() === lower);
      if (!canonical) return fail(`Warden does not pass the ssh option "${key}" on (it takes options that choose how to connect, like ConnectTimeout). Set it in ~/.ssh/config.`);
      if (canonical === "User" && !NAME.test(val)) return fail(`"${val}" is not a user name.`);
      if ((canonical === "HostName" || canonical === "HostKeyAlias") && !/^[A-Za-z0-9._:[\]][A-Za-z0-9._:[\]-]*$/.test(val)) return fail(`"${val}" is not a host name or address.`);
      if (canonical === "StrictHostKeyChecking" && !["yes", "ask", "accept-new"].includes(val.toLowerCase())) {
        return fail(`StrictHostKeyChecking=${val} is refused: it would connect to a host whose key changed. Use yes or accept-new.`);
      }
      options.push({ key: canonical, value: val });
    }
  }
  return { ok: true, value };
}

/** The ssh settings as the person would type them: "-p 2222 -J bastion -o ConnectTimeout=5". */
export function sshOptionsText(ssh: SshExtra | null | undefined): string {
  if (!ssh) return "";
  const parts: string[] = [];
  if (ssh.port != null) parts.push(`-p ${ssh.port}`);
  if (ssh.identityFile) parts.push(`-i ${ssh.identityFile}`);
  if (ssh.jump) parts.push(`-J ${ssh.jump}`);
  for (const o of ssh.options ?? []) parts.push(`-o ${o.key}=${o.value}`);
  return parts.join(" ");
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
  if (draft.kind === "ssh" && draft.sshOptions.trim()) {
    const parsed = parseSshOptions(draft.sshOptions);
    if (!parsed.ok) problems.sshOptions = parsed.problem;
  }
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
