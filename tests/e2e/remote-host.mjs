// The "remote host" of the remote end-to-end test: a real OpenSSH server on 127.0.0.1 started
// for this test only (throwaway host and client keys, an authorized_keys of its own, no PAM), a
// HOME for the logged-in user that starts without Warden, and the client side a person would
// have: ~/.ssh/config with a Host alias, its key and a private known_hosts that learns the host
// key on first use (StrictHostKeyChecking accept-new).
import { execFileSync, spawn } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { AGENT_MS, waitForMatch } from "./agent.mjs";
import { waitFor } from "./webdriver.mjs";

/** The folders of one remote test under a new scratch folder named for `name`: the app's
 * HOME and data folder on this side, and on the host its HOME, its data folder and the project
 * `project` (not created). */
export function remotePlaces(name, project) {
  const scratch = mkdtempSync(path.join(tmpdir(), `warden-e2e-${name}-`));
  return {
    scratch,
    appHome: path.join(scratch, "home"),
    appData: path.join(scratch, "data"),
    hostHome: path.join(scratch, "host", "home"),
    hostData: path.join(scratch, "host", "data"),
    hostProject: path.join(scratch, "host", "projects", project),
  };
}

/** The Host alias of the app's ~/.ssh/config. */
export const ALIAS = "warden-e2e-host";

async function freePort() {
  const server = net.createServer().listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  const { port } = server.address();
  await new Promise((r) => server.close(r));
  return port;
}

function canConnect(port) {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/**
 * Starts sshd under `dir`. `hostEnv` is the environment of every login (sshd's SetEnv): the
 * host's HOME and PATH, and what its agent needs (the mock model). `appHome` gets the client
 * side: ~/.ssh/config, the key, known_hosts. Returns the server and `binDir`, a folder to put
 * first on the app's PATH (see `sshShim`).
 */
export async function startSshd(dir, appHome, hostEnv) {
  mkdirSync(dir, { recursive: true });
  for (const key of ["host_key", "client_key"]) {
    execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", path.join(dir, key)]);
  }
  copyFileSync(path.join(dir, "client_key.pub"), path.join(dir, "authorized_keys"));
  chmodSync(path.join(dir, "authorized_keys"), 0o600);
  const port = await freePort();
  const user = execFileSync("id", ["-un"]).toString().trim();
  const setEnv = Object.entries(hostEnv)
    .map(([k, v]) => {
      if (/[\s"]/.test(v)) throw new Error(`sshd's SetEnv cannot carry ${k}=${v} (spaces or quotes)`);
      return `${k}=${v}`;
    })
    .join(" ");
  // As root in CI: no PAM, no strict modes over the temporary folder, keys only.
  writeFileSync(
    path.join(dir, "sshd_config"),
    [
      `Port ${port}`,
      "ListenAddress 127.0.0.1",
      `HostKey ${dir}/host_key`,
      `PidFile ${dir}/sshd.pid`,
      `AuthorizedKeysFile ${dir}/authorized_keys`,
      "StrictModes no",
      "UsePAM no",
      "PasswordAuthentication no",
      "KbdInteractiveAuthentication no",
      "PubkeyAuthentication yes",
      "PermitRootLogin prohibit-password",
      `AllowUsers ${user}`,
      "LogLevel ERROR",
      `SetEnv ${setEnv}`,
      "",
    ].join("\n"),
  );
  // sshd's privilege separation folder (made by the package's service, which CI does not run).
  mkdirSync("/run/sshd", { recursive: true });
  let child = null;
  const serve = async () => {
    const server = spawn("/usr/sbin/sshd", ["-D", "-e", "-f", path.join(dir, "sshd_config")], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    server.stderr.on("data", (d) => (stderr = (stderr + d).slice(-8192)));
    await waitFor("sshd to listen", async () => {
      if (server.exitCode !== null) throw new Error(`sshd exited (${server.exitCode}): ${stderr}`);
      return canConnect(port);
    }, 10_000);
    child = server;
  };
  const halt = async () => {
    if (!child || child.exitCode !== null) return;
    const server = child;
    server.kill("SIGTERM");
    await waitFor("sshd to end", () => server.exitCode !== null || server.signalCode !== null, 10_000);
  };
  await serve();

  // The person's side: an alias with the port, user and key; the host key is learnt on first use.
  const ssh = path.join(appHome, ".ssh");
  mkdirSync(ssh, { recursive: true, mode: 0o700 });
  copyFileSync(path.join(dir, "client_key"), path.join(ssh, "id_e2e"));
  chmodSync(path.join(ssh, "id_e2e"), 0o600);
  writeFileSync(
    path.join(ssh, "config"),
    [
      `Host ${ALIAS}`,
      "  HostName 127.0.0.1",
      `  Port ${port}`,
      `  User ${user}`,
      `  IdentityFile ${ssh}/id_e2e`,
      "  IdentitiesOnly yes",
      `  UserKnownHostsFile ${ssh}/known_hosts`,
      "  StrictHostKeyChecking accept-new",
      "  LogLevel ERROR",
      "",
    ].join("\n"),
    { mode: 0o600 },
  );
  const binDir = path.join(dir, "bin");
  sshShim(binDir);
  return {
    port,
    binDir,
    /** Whether the host key was learnt into the app HOME's known_hosts. */
    knownHost: () => existsSync(path.join(ssh, "known_hosts")) && readFileSync(path.join(ssh, "known_hosts"), "utf8").includes(`[127.0.0.1]:${port}`),
    /** Ends the server (logged-in sessions keep their own sshd processes until their ssh ends). */
    stop: halt,
    /** Starts it again on the same port, keys and configuration. */
    restart: serve,
  };
}

/**
 * OpenSSH finds ~/.ssh in the home directory of the passwd entry, not in $HOME, so the app's
 * private HOME alone would not give it the config. This `ssh` first on the app's PATH runs the
 * real one with `-F $HOME/.ssh/config`: exactly what the real one does for a person whose home
 * that is. Everything else (the alias, the key, known_hosts) is OpenSSH's own.
 */
function sshShim(binDir) {
  mkdirSync(binDir, { recursive: true });
  const shim = path.join(binDir, "ssh");
  writeFileSync(shim, '#!/bin/sh\nexec /usr/bin/ssh -F "$HOME/.ssh/config" "$@"\n');
  chmodSync(shim, 0o755);
}

/** The pid of the host's engine (`warden serve` keeps one per data folder), if one runs. */
export function enginePid(hostData) {
  for (const name of ["serve.lock", "serve.pid"]) {
    try {
      const pid = Number(readFileSync(path.join(hostData, name), "utf8").trim());
      if (pid > 0) return pid;
    } catch {
      // not this name
    }
  }
  return null;
}

/**
 * The environment of every ssh login of a host whose agent is Claude Code (sshd's SetEnv): its
 * own HOME (with no Warden in it), ~/.local/bin first on PATH (where the install puts Warden),
 * its data folder, and what its Claude Code (`claude`) needs to talk to the mock model at
 * `mockUrl`.
 */
export function claudeHostEnv({ hostHome, hostData, claude, mockUrl }) {
  const nodeDir = path.dirname(execFileSync("sh", ["-c", "command -v node"]).toString().trim());
  return {
    HOME: hostHome,
    PATH: `${hostHome}/.local/bin:${nodeDir}:/usr/local/bin:/usr/bin:/bin`,
    WARDEN_DATA_DIR: hostData,
    WARDEN_CLAUDE: claude,
    ANTHROPIC_BASE_URL: mockUrl,
    ANTHROPIC_API_KEY: "dummy",
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
    DISABLE_TELEMETRY: "1",
    DISABLE_AUTOUPDATER: "1",
    DISABLE_ERROR_REPORTING: "1",
  };
}

/** Ends the host's engine (found by its data folder), then the sshd, if they run. */
export async function stopHost(hostData, sshd) {
  const pid = enginePid(hostData);
  if (pid) {
    try {
      process.kill(pid, "SIGTERM");
    } catch {
      // already gone
    }
  }
  await sshd?.stop();
}

/**
 * Fills the Open Remote Project dialog's inputs, by test id, as typing would (React sees an
 * input event for each).
 */
export async function fillRemoteDialog(app, fields) {
  await app.execute(
    `const set = (id, v) => { const el = document.querySelector('[data-testid=' + id + ']'); const proto = Object.getPrototypeOf(el);
     Object.getOwnPropertyDescriptor(proto, 'value').set.call(el, v); el.dispatchEvent(new Event('input', { bubbles: true })); };
     for (const [id, v] of Object.entries(arguments[0])) set(id, v);`,
    [fields],
  );
}

/** From the start screen, opens `folder` on the test host (Warden already there) and waits for its host chip. */
export async function openRemoteProject(app, folder) {
  await app.waitForText("[data-testid=start-screen]");
  await app.click("[data-testid=open-remote]");
  await app.waitForText("[data-testid=remote-dialog]");
  await fillRemoteDialog(app, { "remote-destination": ALIAS, "remote-folder": folder });
  await app.click("[data-testid=remote-connect]");
  await waitFor("the remote project to open", async () => !(await app.exists("[data-testid=remote-dialog]")), AGENT_MS * 2);
  await waitForMatch(app, "[data-testid=project-view] [data-testid=host-chip]", new RegExp(`ssh: ${ALIAS}`), "the remote project's host chip");
}
