#!/usr/bin/env node
// Writes the update manifest (latest.json) that Warden's updater reads, from the signed bundles the
// release jobs built. Every bundle that has a `.sig` beside it (tauri build writes one per updater
// artifact when TAURI_SIGNING_PRIVATE_KEY is set) becomes a platform entry: its download URL under
// --base-url and the signature's text. The updater looks up `{os}-{arch}-{bundle type}` first and
// `{os}-{arch}` second, so each bundle gets its typed key and the usual bundle of each OS (the
// AppImage, the .app, the NSIS installer) also the plain one.
//
// Usage: node update-manifest.mjs --version 1.2.3 --base-url URL [--notes TEXT] [--date ISO]
//          --out latest.json DIR...
// Fails (exit 1, with the reason) on no signed bundle, two bundles for one key, or a bad version.
import { readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

/** Reads `--name value` pairs and the remaining folder arguments. */
function parseArgs(argv) {
  const opts = { dirs: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith("--")) {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      opts[a.slice(2)] = argv[++i];
    } else opts.dirs.push(a);
  }
  return opts;
}

/** The updater's architecture name for a bundle file name (Tauri's naming: amd64, x64, x86_64, …). */
function archOf(name) {
  if (/(^|[_.-])(aarch64|arm64)([_.-]|$)/.test(name)) return "aarch64";
  if (/(^|[_.-])(amd64|x64|x86_64)([_.-]|$)/.test(name)) return "x86_64";
  if (/(^|[_.-])(i386|i686|x86)([_.-]|$)/.test(name)) return "i686";
  return undefined;
}

/**
 * The manifest keys a bundle file serves, or [] for files that are no updater artifact. macOS
 * bundles are universal here (release.yml builds universal-apple-darwin), so they serve both
 * architectures.
 */
export function keysFor(name) {
  const arch = archOf(name);
  if (/\.app\.tar\.gz$/.test(name)) {
    return ["x86_64", "aarch64"].flatMap((a) => [`darwin-${a}-app`, `darwin-${a}`]);
  }
  if (!arch) return [];
  if (/\.AppImage(\.tar\.gz)?$/.test(name)) return [`linux-${arch}-appimage`, `linux-${arch}`];
  if (/\.deb$/.test(name)) return [`linux-${arch}-deb`];
  if (/\.rpm$/.test(name)) return [`linux-${arch}-rpm`];
  if (/-setup\.exe$/.test(name)) return [`windows-${arch}-nsis`, `windows-${arch}`];
  if (/\.msi$/.test(name)) return [`windows-${arch}-msi`];
  return [];
}

/** Every file under the folders, recursively (artifact downloads keep their bundle/ subfolders). */
function filesUnder(dirs) {
  const out = [];
  const walk = (d) => {
    for (const entry of readdirSync(d)) {
      const p = path.join(d, entry);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(p);
    }
  };
  dirs.forEach(walk);
  return out;
}

/** Builds the manifest object from the bundles found in `dirs`. */
export function buildManifest({ version, baseUrl, notes = "", date = new Date().toISOString(), dirs }) {
  if (!/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/.test(version ?? "")) {
    throw new Error(`--version must be a semantic version like 1.2.3, not '${version}'`);
  }
  if (!/^https:\/\//.test(baseUrl ?? "")) throw new Error(`--base-url must be an https URL, not '${baseUrl}'`);
  const files = filesUnder(dirs);
  const signed = new Set(files.filter((f) => f.endsWith(".sig")).map((f) => f.slice(0, -4)));
  const platforms = {};
  const owner = {};
  for (const file of files.filter((f) => signed.has(f))) {
    const name = path.basename(file);
    const keys = keysFor(name);
    if (keys.length === 0) continue;
    const signature = readFileSync(`${file}.sig`, "utf8").trim();
    if (!signature) throw new Error(`${name}.sig is empty`);
    for (const key of keys) {
      if (owner[key]) throw new Error(`both ${owner[key]} and ${name} would be the update for ${key}`);
      owner[key] = name;
      platforms[key] = { signature, url: `${baseUrl.replace(/\/$/, "")}/${encodeURIComponent(name)}` };
    }
  }
  if (Object.keys(platforms).length === 0) {
    throw new Error(`no signed bundle (a file with a .sig beside it) under ${dirs.join(", ")}`);
  }
  const sorted = Object.fromEntries(Object.keys(platforms).sort().map((k) => [k, platforms[k]]));
  return { version, notes, pub_date: date, platforms: sorted };
}

// Run as a command (not when imported by the test).
if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  try {
    const opts = parseArgs(process.argv.slice(2));
    if (!opts.out) throw new Error("--out is required");
    if (opts.dirs.length === 0) throw new Error("name the folders that hold the bundles");
    const manifest = buildManifest({
      version: opts.version,
      baseUrl: opts["base-url"],
      notes: opts.notes,
      date: opts.date,
      dirs: opts.dirs,
    });
    writeFileSync(opts.out, `${JSON.stringify(manifest, null, 2)}\n`);
    for (const [key, p] of Object.entries(manifest.platforms)) console.log(`${key.padEnd(24)} ${p.url}`);
  } catch (e) {
    console.error(`update-manifest: ${e.message}`);
    process.exit(1);
  }
}
