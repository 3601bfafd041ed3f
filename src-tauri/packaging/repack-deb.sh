#!/usr/bin/env bash
# Recompresses .deb packages with xz in place: Tauri's bundler (2.x) writes data.tar.gz and has no
# option for another compressor; xz makes Warden's .deb about 30 % smaller (its binary compresses
# far better with xz's large window), and dpkg has read xz since 1.15.6 (2010).
#
# Nothing but the compression changes, and the script proves it before replacing a package: the
# control fields and the file list (paths, modes, owners, sizes, dates) of the new package are
# compared with the old one's, and a difference leaves the original in place and fails.
#
# The updater: a .deb has a `<deb>.sig` beside it when tauri build signed it
# (createUpdaterArtifacts and TAURI_SIGNING_PRIVATE_KEY set). That signature covers the gzip
# file's bytes, so the repacked file is signed again (`tauri signer sign`, which reads the same
# TAURI_SIGNING_PRIVATE_KEY[_PASSWORD]); without the key a stale .sig would make every update fail
# its check, so the script then fails before touching the package.
#
# Usage: src-tauri/packaging/repack-deb.sh [-l LEVEL] DEB...   (LEVEL: xz preset, default 9)
# Needs dpkg-deb 1.19 or newer (--root-owner-group); for the .sig, ui/node_modules/.bin/tauri.
set -euo pipefail

level=9
if [ "${1:-}" = -l ]; then level="$2"; shift 2; fi
[ $# -gt 0 ] || { echo "usage: $0 [-l LEVEL] DEB..." >&2; exit 2; }
root="$(cd "$(dirname "$0")/../.." && pwd)"
tauri="$root/ui/node_modules/.bin/tauri"

# Builds $1/new.deb from the tree $1/root: dpkg-deb packs it uncompressed, then its control and
# data members are compressed with xz at the chosen level, extreme, the data through xz's x86
# filter first when $2 is "--x86" (dpkg-deb has no option for filters). The members stay in their
# order: dpkg requires debian-binary, then control, then data.
build_xz() {
  local dir="$1" filter="$2"
  dpkg-deb --root-owner-group -Znone --build "$dir/root" "$dir/plain.deb" >/dev/null
  mkdir "$dir/ar"
  (cd "$dir/ar" && ar x ../plain.deb)
  [ "$(ar t "$dir/plain.deb" | tr '\n' ' ')" = "debian-binary control.tar data.tar " ] ||
    { echo "dpkg-deb -Znone wrote other members: $(ar t "$dir/plain.deb" | tr '\n' ' ')" >&2; return 1; }
  xz "-${level}e" -T1 "$dir/ar/control.tar"
  # shellcheck disable=SC2086 # no filter is no argument
  xz $filter --lzma2="preset=${level}e" -T1 "$dir/ar/data.tar"
  (cd "$dir/ar" && ar rcD ../new.deb debian-binary control.tar.xz data.tar.xz)
  rm -f "$dir/plain.deb"
}

# A package's files as "mode uid/gid size date time path", sorted by path: what dpkg installs.
# dpkg-deb writes its tar differently from Tauri's (entries named ./usr/ rather than usr, sorted,
# owners with names, and a ./ entry of its own), none of which reaches the installed system.
files() {
  dpkg-deb --fsys-tarfile "$1" | tar -tv --numeric-owner |
    awk '{ p = $6; sub(/^\.\//, "", p); sub(/\/$/, "", p); if (p != "" && p != ".") print $1, $2, $3, $4, $5, p }' |
    sort -k6
}

for deb in "$@"; do
  members="$(ar t "$deb")"
  if grep -qx 'data.tar.xz' <<<"$members"; then
    echo "$deb: already xz"
    continue
  fi
  if [ -e "$deb.sig" ] && [ -z "${TAURI_SIGNING_PRIVATE_KEY:-}" ]; then
    echo "$deb.sig: the package is signed for the updater and TAURI_SIGNING_PRIVATE_KEY is not set" \
      "to sign it again after the repack; left as it was" >&2
    exit 1
  fi
  work="$(mktemp -d "${TMPDIR:-/tmp}/warden-repack.XXXXXX")"
  # One trap per package: the scratch folder goes whatever happens.
  trap 'rm -rf "$work"' EXIT
  # -R keeps the control files as DEBIAN/ and every file's mode and date; the owners are root in
  # the package (tauri packs as root:root) and are set back with --root-owner-group, so this runs
  # without root or fakeroot.
  dpkg-deb -R "$deb" "$work/root"
  # The unpacked bytes are the packed ones (the package's own md5sums), before anything is built.
  (cd "$work/root" && md5sum --quiet -c DEBIAN/md5sums) >&2
  # An x86 package's files go through xz's x86 filter before LZMA2: it turns the relative
  # addresses of calls and jumps into absolute ones, which repeat, and the executables compress
  # about 7 % smaller. Any liblzma decodes it (the filter is as old as the format), and the checks
  # below read the package through dpkg-deb.
  case "$(dpkg-deb -f "$deb" Architecture)" in
    amd64 | i386) build_xz "$work" --x86 ;;
    *) build_xz "$work" "" ;;
  esac
  # Same control fields, same files: anything else is a bug of this script, not a smaller package.
  if ! diff <(dpkg-deb -f "$deb") <(dpkg-deb -f "$work/new.deb") >"$work/control.diff" ||
    ! diff <(files "$deb") <(files "$work/new.deb") >"$work/files.diff"; then
    echo "$deb: the repacked package differs from the original; left as it was:" >&2
    cat "$work/control.diff" "$work/files.diff" >&2 2>/dev/null || true
    exit 1
  fi
  before=$(stat -c %s "$deb")
  mv "$work/new.deb" "$deb"
  after=$(stat -c %s "$deb")
  awk -v f="$deb" -v a="$before" -v b="$after" -v l="$level" \
    'BEGIN { printf "%s: gzip %.2f MiB -> xz -%s %.2f MiB\n", f, a / 1048576, l, b / 1048576 }'
  if [ -e "$deb.sig" ]; then
    rm -f "$deb.sig"
    # tauri signer reads TAURI_SIGNING_PRIVATE_KEY and TAURI_SIGNING_PRIVATE_KEY_PASSWORD itself.
    # The version goes into the signed comment as tauri build puts it there: the updater's
    # requireSignedVersion refuses an update whose signature does not name its version.
    version="$(node -p 'require(process.argv[1]).version' "$root/tauri.conf.json")"
    "$tauri" signer sign --app-version "$version" "$deb" >/dev/null
    [ -s "$deb.sig" ] || { echo "$deb.sig: tauri signer sign wrote no signature" >&2; exit 1; }
    echo "$deb.sig: signed again"
  fi
  rm -rf "$work"
  trap - EXIT
done
