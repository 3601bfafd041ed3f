#!/usr/bin/env node
// Checks .github/scripts/update-manifest.mjs, which writes the release's latest.json: on a folder
// laid out like the release jobs' downloaded artifacts it gives each platform key the right bundle,
// URL and signature, and it refuses unsigned bundles, two bundles for one key and a bad version.
// Runs the script as the workflow does (a child process). PASS/FAIL lines; exit 1 on a FAIL.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const script = path.join(path.dirname(fileURLToPath(import.meta.url)), "../../.github/scripts/update-manifest.mjs");
const base = "https://github.com/warden-app/warden/releases/download/v1.2.3";
let fails = 0;
const check = (ok, what, detail = "") => {
  console.log(`${ok ? "PASS" : "FAIL"} update manifest: ${what}${ok || !detail ? "" : `: ${detail}`}`);
  if (!ok) fails += 1;
};

/** Lays out bundles (name → has a .sig) in subfolders as download-artifact leaves them. */
function layout(files) {
  const dir = mkdtempSync(path.join(tmpdir(), "warden-manifest-"));
  for (const [rel, sig] of Object.entries(files)) {
    mkdirSync(path.join(dir, path.dirname(rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), "bundle");
    if (sig) writeFileSync(path.join(dir, `${rel}.sig`), `${sig}\n`);
  }
  return dir;
}

/** Runs the script; returns { code, out, manifest }. */
function run(dir, ...extra) {
  const out = path.join(dir, "latest.json");
  try {
    execFileSync(process.execPath, [script, "--version", "1.2.3", "--base-url", base, "--notes", "Fixes",
      "--date", "2026-12-07T12:00:00Z", "--out", out, ...extra, dir], { stdio: "pipe" });
    return { code: 0, manifest: JSON.parse(readFileSync(out, "utf8")) };
  } catch (e) {
    return { code: e.status, out: String(e.stderr) };
  }
}

const full = layout({
  "bundle/appimage/Warden_1.2.3_amd64.AppImage": "sig-appimage",
  "bundle/deb/Warden_1.2.3_amd64.deb": "sig-deb",
  "bundle/rpm/Warden-1.2.3-1.x86_64.rpm": "sig-rpm",
  "bundle/macos/Warden.app.tar.gz": "sig-app",
  "bundle/dmg/Warden_1.2.3_universal.dmg": null,
  "bundle/msi/Warden_1.2.3_x64_en-US.msi": "sig-msi",
  "bundle/nsis/Warden_1.2.3_x64-setup.exe": "sig-nsis",
});
try {
  const { code, manifest, out } = run(full);
  check(code === 0, "the script writes latest.json for a full release", out);
  if (manifest) {
    const p = manifest.platforms;
    const expect = {
      "linux-x86_64": ["Warden_1.2.3_amd64.AppImage", "sig-appimage"],
      "linux-x86_64-appimage": ["Warden_1.2.3_amd64.AppImage", "sig-appimage"],
      "linux-x86_64-deb": ["Warden_1.2.3_amd64.deb", "sig-deb"],
      "linux-x86_64-rpm": ["Warden-1.2.3-1.x86_64.rpm", "sig-rpm"],
      "darwin-x86_64": ["Warden.app.tar.gz", "sig-app"],
      "darwin-aarch64": ["Warden.app.tar.gz", "sig-app"],
      "darwin-x86_64-app": ["Warden.app.tar.gz", "sig-app"],
      "darwin-aarch64-app": ["Warden.app.tar.gz", "sig-app"],
      "windows-x86_64": ["Warden_1.2.3_x64-setup.exe", "sig-nsis"],
      "windows-x86_64-nsis": ["Warden_1.2.3_x64-setup.exe", "sig-nsis"],
      "windows-x86_64-msi": ["Warden_1.2.3_x64_en-US.msi", "sig-msi"],
    };
    const wrong = Object.entries(expect).filter(([k, [file, sig]]) =>
      p[k]?.url !== `${base}/${file}` || p[k]?.signature !== sig).map(([k]) => k);
    const extra = Object.keys(p).filter((k) => !(k in expect));
    check(wrong.length === 0 && extra.length === 0,
      "every platform key points at its signed bundle (the updater's {os}-{arch}[-{bundle}] keys)",
      `wrong: ${wrong.join(", ") || "-"}; unexpected: ${extra.join(", ") || "-"}`);
    check(manifest.version === "1.2.3" && manifest.notes === "Fixes" && manifest.pub_date === "2026-12-07T12:00:00Z",
      "version, notes and pub_date are as given", JSON.stringify(manifest).slice(0, 200));
    check(!Object.values(p).some((e) => e.url.endsWith(".dmg")), "the unsigned .dmg is not an update");
  }

  const unsigned = layout({ "bundle/deb/Warden_1.2.3_amd64.deb": null });
  const r1 = run(unsigned);
  check(r1.code === 1 && /no signed bundle/.test(r1.out), "refuses a release with no signed bundle", r1.out);
  rmSync(unsigned, { recursive: true, force: true });

  const twice = layout({ "a/Warden_1.2.3_amd64.deb": "one", "b/Warden_1.2.4_amd64.deb": "two" });
  const r2 = run(twice);
  check(r2.code === 1 && /would be the update for linux-x86_64-deb/.test(r2.out),
    "refuses two bundles for one platform key", r2.out);
  rmSync(twice, { recursive: true, force: true });

  const r3 = run(full, "--version", "v1.2");
  check(r3.code === 1 && /semantic version/.test(r3.out), "refuses a version that is not semver", r3.out);
} finally {
  rmSync(full, { recursive: true, force: true });
}
process.exit(fails ? 1 : 0);
