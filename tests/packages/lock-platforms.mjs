#!/usr/bin/env node
// Checks that ui/package-lock.json holds every platform's binary packages, so `npm ci` installs the
// exact locked tree on each release runner (Linux x64/arm64, macOS x64/arm64, Windows x64).
//
// A "platform family" is a package whose optional dependencies carry `os`/`cpu` in the lock (the
// Tauri CLI, Rolldown's bindings, Lightning CSS, …). For each family and each platform below, one
// of its optional packages must be in the lock and match that platform. npm drops the packages of
// other platforms from a lock written by `npm install` over an existing node_modules; this catches
// it before a runner does. Prints one PASS/FAIL line per family and exits 1 on any failure.
//
// Usage: node tests/packages/lock-platforms.mjs [path/to/package-lock.json]
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

/** The platforms the release workflow builds on (and developers use), as npm names them. */
const PLATFORMS = [
  { os: "linux", cpu: "x64", libc: "glibc" },
  { os: "linux", cpu: "arm64", libc: "glibc" },
  { os: "darwin", cpu: "x64" },
  { os: "darwin", cpu: "arm64" },
  { os: "win32", cpu: "x64" },
];

const here = path.dirname(fileURLToPath(import.meta.url));
const lockPath = process.argv[2] ?? path.join(here, "../../ui/package-lock.json");

/** Whether an npm `os`/`cpu`/`libc` list (absent = any; "!x" = not x) admits `value`. */
function admits(list, value) {
  if (!list || list.length === 0 || value === undefined) return true;
  if (list.some((v) => v === `!${value}`)) return false;
  const positives = list.filter((v) => !v.startsWith("!"));
  return positives.length === 0 || positives.includes(value);
}

/** Whether a lock entry installs on the platform. */
function fits(entry, p) {
  return admits(entry.os, p.os) && admits(entry.cpu, p.cpu) && admits(entry.libc, p.libc);
}

/** The lock entry npm would use for dependency `name` of the package at `parent` (nested first). */
function resolve(packages, parent, name) {
  let dir = parent;
  for (;;) {
    const key = dir ? `${dir}/node_modules/${name}` : `node_modules/${name}`;
    if (packages[key]) return packages[key];
    if (!dir) return undefined;
    const cut = dir.lastIndexOf("/node_modules/");
    dir = cut < 0 ? "" : dir.slice(0, cut);
  }
}

let lock;
try {
  lock = JSON.parse(readFileSync(lockPath, "utf8"));
} catch (e) {
  console.log(`FAIL lock file: cannot read ${lockPath}: ${e.message}`);
  process.exit(1);
}
const packages = lock.packages ?? {};
let failures = 0;
let families = 0;
for (const [key, entry] of Object.entries(packages)) {
  const optional = Object.keys(entry.optionalDependencies ?? {});
  const present = optional.map((name) => [name, resolve(packages, key, name)]).filter(([, e]) => e);
  // A family: several optional dependencies, platform-specific ones among them. A single one for
  // one platform (vite's fsevents, macOS only) and optional packages that are not platform
  // binaries (no os/cpu anywhere) are not this check's business.
  if (optional.length < 2 || !present.some(([, e]) => e.os || e.cpu)) continue;
  families += 1;
  const name = key.replace(/^.*node_modules\//, "") || "(root)";
  const missingNames = optional.filter((n) => !resolve(packages, key, n));
  const uncovered = PLATFORMS.filter((p) => !present.some(([, e]) => fits(e, p)));
  if (uncovered.length > 0) {
    failures += 1;
    const list = uncovered.map((p) => `${p.os}-${p.cpu}`).join(", ");
    console.log(`FAIL lock has ${name}'s binaries for every platform: none for ${list}` +
      (missingNames.length ? ` (not in the lock: ${missingNames.join(", ")})` : ""));
  } else {
    console.log(`PASS lock has ${name}'s binaries for every platform (${present.length} of ${optional.length} optional packages locked)`);
  }
}
if (families === 0) {
  failures += 1;
  console.log("FAIL lock has platform binaries: no package with platform-specific optional dependencies found");
}
process.exit(failures ? 1 : 0);
