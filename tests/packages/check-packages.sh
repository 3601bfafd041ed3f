#!/usr/bin/env bash
# Packs the two executables `make test` already built (`warden`, headless, and `warden-window`, the
# window) into a .deb and an .rpm (`tauri bundle`, no second compile) and checks them the way a user
# meets them: the .deb installs with dpkg, its desktop entry and icons are in place, the desktop
# entry's command opens the window, /usr/bin/warden runs headless commands with no display and
# links no GTK, and dpkg removes it again; the .rpm lists the same files, and installs into a
# scratch root (rpm --root) where its executables run. One PASS/FAIL/SKIP line per check; exit 1
# on a FAIL.
#
# Needs a display (make runs it under xvfb-run), root for dpkg (CI runs as root; otherwise the
# .deb's install checks are skipped, saying so) and rpm, desktop-file-validate (make installs them).
# Usage: WARDEN_BIN=path/to/debug/warden tests/packages/check-packages.sh (warden-window is taken
# from beside it).
set -uo pipefail # no -e: every check reports its own line and the next one still runs

root="$(cd "$(dirname "$0")/../.." && pwd)"
bin="${WARDEN_BIN:-${CARGO_TARGET_DIR:-$root/target}/debug/warden}"
window_bin="$(dirname "$bin")/warden-window"
# What a headless executable must not link (ldd: also what its libraries pull in).
GUI_LIBS='gtk|gdk|webkit|javascriptcore|soup'
artifacts="$root/tests/artifacts/packages"
# Bounds: bundling a debug binary takes ~10 s here (5 s unloaded); the window of a debug build
# appears within ~5 s unloaded, much later on a loaded 2-core machine.
BUNDLE_SECS=300
WINDOW_SECS=90

fails=0
pass() { echo "PASS $*"; }
fail() { echo "FAIL $*"; fails=$((fails + 1)); }
skip() { echo "SKIP $*"; }
# Prints the last lines of a log, indented, under a FAIL line.
show() { [ -s "$1" ] && tail -n "${2:-20}" "$1" | sed 's/^/    | /'; }

work="$(mktemp -d /tmp/warden-packages.XXXXXX)"
installed_deb=""
app_pid=""
cleanup() {
  [ -n "$app_pid" ] && kill -KILL -- "-$app_pid" 2>/dev/null
  # Leave the machine as it was found: our .deb goes, whatever failed before.
  [ -n "$installed_deb" ] && dpkg-query -W -f='${Status}' warden 2>/dev/null | grep -qv not-installed &&
    timeout 120 dpkg --purge warden >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM # so a stopped run still removes what it installed

version="$(node -p 'require(process.argv[1]).version' "$root/tauri.conf.json")"
mkdir -p "$artifacts"

# --- bundle -----------------------------------------------------------------------------------
for b in "$bin" "$window_bin"; do
  if [ ! -x "$b" ]; then
    fail "the executable to package exists: $b is missing (make test builds both in test-rust;" \
      "alone: cargo build --features custom-protocol --bins)"
    exit 1
  fi
done
# Bundle a copy in a scratch target folder: tauri bundle rewrites the binary it packs (it marks it
# with the package type for the updater), and the shared one may be running in another test.
mkdir -p "$work/target/debug"
cp --reflink=auto "$bin" "$work/target/debug/warden"
cp --reflink=auto "$window_bin" "$work/target/debug/warden-window"
started=$(date +%s%N)
if (cd "$root" && CARGO_TARGET_DIR="$work/target" timeout "$BUNDLE_SECS" \
  ui/node_modules/.bin/tauri bundle --debug --bundles deb,rpm --no-sign --ci) >"$work/bundle.log" 2>&1; then
  secs=$(awk -v ns=$(($(date +%s%N) - started)) 'BEGIN { printf "%.1f", ns / 1e9 }')
  pass "tauri bundle packs the built binary into a .deb and an .rpm (${secs} s, bound ${BUNDLE_SECS} s)"
else
  fail "tauri bundle packs the built binary into a .deb and an .rpm (exit $?; 124 = over ${BUNDLE_SECS} s):"
  show "$work/bundle.log"
  exit 1
fi
deb="$(ls "$work"/target/debug/bundle/deb/*.deb 2>/dev/null | head -n1)"
rpm_file="$(ls "$work"/target/debug/bundle/rpm/*.rpm 2>/dev/null | head -n1)"
[ -n "$deb" ] && [ -n "$rpm_file" ] || { fail "the bundle folder holds a .deb and an .rpm"; exit 1; }
# Disk is scarce on CI: drop the binary's copy and the bundler's staging folders (~250 MB).
rm -rf "$work/target/debug/warden" "$work/target/debug/warden-window" "${deb%.deb}" "$(dirname "$rpm_file")/$(basename "$rpm_file" .rpm)"
ls -l "$deb" "$rpm_file" | awk '{ printf "    %s  %.1f MiB (debug binary)\n", $NF, $5 / 1048576 }'
# make bundle and the release workflow recompress the .deb with xz (Tauri writes gzip): the same
# script here, at xz's fastest level for the debug executables (make bundle uses -9), so that
# the install and removal checks below are of an xz package.
if (cd "$root" && timeout "$BUNDLE_SECS" src-tauri/packaging/repack-deb.sh -l 1 "$deb") >"$work/repack.log" 2>&1 &&
  [ "$(ar t "$deb" | grep '^data\.tar')" = data.tar.xz ]; then
  pass ".deb: repack-deb.sh recompresses it with xz (data.tar.xz), control fields and file list unchanged"
  # An amd64 package's data goes through xz's x86 filter first (smaller executables); dpkg
  # installs it below.
  ar p "$deb" data.tar.xz >"$work/data.tar.xz"
  if [ "$(dpkg-deb -f "$deb" Architecture)" != amd64 ] || xz --robot --list -vv "$work/data.tar.xz" | grep -q -- '--x86'; then
    pass ".deb: an amd64 package's data is compressed with xz's x86 filter"
  else
    fail ".deb: an amd64 package's data is compressed with xz's x86 filter:"; xz --robot --list -vv "$work/data.tar.xz" | sed 's/^/    | /'
  fi
  rm -f "$work/data.tar.xz"
else
  fail ".deb: repack-deb.sh recompresses it with xz (data.tar.xz):"; show "$work/repack.log"; ar t "$deb" | sed 's/^/    | /'
fi

# The files both packages must install (icon sizes from tauri.conf.json's bundle.icon; the bundler
# names the icons after the main executable, the window's).
expected=(/usr/bin/warden /usr/bin/warden-window /usr/share/applications/Warden.desktop
  /usr/share/icons/hicolor/32x32/apps/warden-window.png /usr/share/icons/hicolor/128x128/apps/warden-window.png
  /usr/share/icons/hicolor/512x512/apps/warden-window.png)

# Checks the headless executable installed at $2: it runs with no display at all, and neither it
# nor any library it loads is GTK, GDK, WebKitGTK, JavaScriptCore or libsoup.
check_headless() {
  local what="$1" exe="$2" out gui
  out="$(env -u DISPLAY -u WAYLAND_DISPLAY timeout 30 "$exe" --version 2>&1)"
  [ "$out" = "warden $version" ] && pass "$what: $exe --version prints 'warden $version' with no display" ||
    fail "$what: $exe --version prints 'warden $version' with no display, not: $out"
  gui="$(readelf -d "$exe" 2>&1 | grep NEEDED | grep -iE "$GUI_LIBS")"
  if ! readelf -d "$exe" >/dev/null 2>&1; then
    fail "$what: readelf -d $exe reads its dynamic section"
  elif [ -n "$gui" ]; then
    fail "$what: $exe needs no GTK or WebKitGTK library (readelf -d):"; echo "$gui" | sed 's/^/    | /'
  else
    pass "$what: $exe needs no GTK or WebKitGTK library ($(readelf -d "$exe" | grep -c NEEDED) NEEDED entries)"
  fi
  gui="$(ldd "$exe" 2>&1 | grep -iE "$GUI_LIBS")"
  [ -z "$gui" ] && pass "$what: nor does any library it loads ($(ldd "$exe" | wc -l) in ldd)" ||
    { fail "$what: nor does any library it loads (ldd):"; echo "$gui" | sed 's/^/    | /'; }
}

# Checks a desktop entry as installed under $2 (/ or a scratch root): valid, in the Development
# menu, and its Exec and Icon found under that root.
check_desktop_entry() {
  local entry="$2/usr/share/applications/Warden.desktop" what="$1" exec icon
  if out="$(desktop-file-validate "$entry" 2>&1)" && [ -z "$out" ]; then
    pass "$what: desktop-file-validate accepts Warden.desktop"
  else
    fail "$what: desktop-file-validate accepts Warden.desktop:"; echo "$out" | sed 's/^/    | /'
  fi
  grep -qx 'Categories=Development;' "$entry" && grep -qx 'Name=Warden' "$entry" &&
    pass "$what: the desktop entry is named Warden, in the Development menu" ||
    { fail "$what: the desktop entry is named Warden, in the Development menu:"; show "$entry"; }
  exec="$(sed -n 's/^Exec=\([^ ]*\).*/\1/p' "$entry")"
  icon="$(sed -n 's/^Icon=//p' "$entry")"
  [ "$exec" = warden-window ] && [ -x "$2/usr/bin/warden-window" ] &&
    pass "$what: the desktop entry starts the window, installed as /usr/bin/warden-window" ||
    fail "$what: the desktop entry starts the window, installed as /usr/bin/warden-window (Exec=$exec)"
  local found
  found="$(cd "$2/usr/share/icons/hicolor" 2>/dev/null && ls -d */apps/"$icon".png 2>/dev/null | tr '\n' ' ')"
  [ -n "$icon" ] && [ -n "$found" ] &&
    pass "$what: the desktop entry's icon '$icon' is installed ($found)" ||
    fail "$what: the desktop entry's icon '$icon' is installed in the hicolor theme"
}

# --- .deb ---------------------------------------------------------------------------------------
deb_fields="$(dpkg-deb -f "$deb" Package Version Depends)"
if grep -qx "Package: warden" <<<"$deb_fields" && grep -qx "Version: $version" <<<"$deb_fields" &&
  grep -q '^Depends: .*libwebkit2gtk-4.1-0' <<<"$deb_fields"; then
  pass ".deb: package warden $version, depending on libwebkit2gtk-4.1-0"
else
  fail ".deb: package warden $version, depending on libwebkit2gtk-4.1-0:"; echo "$deb_fields" | sed 's/^/    | /'
fi
deb_files="$(dpkg-deb -c "$deb" | awk '{ sub(/^\.?\/?/, "/", $NF); print $NF }')"
missing=(); for f in "${expected[@]}"; do grep -qx "$f" <<<"$deb_files" || missing+=("$f"); done
[ ${#missing[@]} -eq 0 ] && pass ".deb: holds both executables, the desktop entry and the 32, 128 and 512 px icons" ||
  fail ".deb: holds both executables, the desktop entry and the icons; missing: ${missing[*]}"

if [ "$(id -u)" -ne 0 ]; then
  skip ".deb: dpkg -i, start the installed app, dpkg -r: not root (CI runs as root; sudo make test-packages here)"
elif dpkg-query -W -f='${Status}' warden 2>/dev/null | grep -q 'install ok installed'; then
  skip ".deb: dpkg -i, start the installed app, dpkg -r: a warden package is installed on this" \
    "machine already and is left alone (dpkg -r warden, then rerun, to include these checks)"
else
  # dpkg does not wait for its lock (an apt run beside this one holds it): retry for up to 2 min.
  for _ in $(seq 60); do
    timeout 120 dpkg -i "$deb" >"$work/dpkg.log" 2>&1 && { installed_deb=1; break; }
    grep -q 'lock' "$work/dpkg.log" || break
    sleep 2
  done
  if [ -n "$installed_deb" ]; then
    pass ".deb: dpkg -i installs it"
  else
    # A failed dpkg -i can leave the package half-configured: the cleanup removes it.
    installed_deb=failed
    fail ".deb: dpkg -i installs it:"; show "$work/dpkg.log"
  fi
fi

if [ "$installed_deb" = 1 ]; then
  missing=(); for f in "${expected[@]}"; do [ -f "$f" ] || missing+=("$f"); done
  [ ${#missing[@]} -eq 0 ] && pass ".deb: dpkg put both executables, the desktop entry and the icons in place" ||
    fail ".deb: dpkg put both executables, the desktop entry and the icons in place; missing: ${missing[*]}"
  check_desktop_entry ".deb installed" ""

  # Start it as the desktop entry would, with a home of its own (nothing of this machine's user's
  # data is read or written) and a D-Bus session of its own (a Warden already running on this
  # desktop must not receive it as a second instance). Its own process group, so one kill ends it
  # and the WebKit processes it started.
  home="$work/home"; mkdir -p "$home"
  (cd "$home" && exec env HOME="$home" XDG_CONFIG_HOME="$home/.config" XDG_DATA_HOME="$home/.local/share" \
    XDG_CACHE_HOME="$home/.cache" WARDEN_DATA_DIR="$home/warden-data" \
    setsid dbus-run-session -- "/usr/bin/$(sed -n 's/^Exec=\([^ ]*\).*/\1/p' /usr/share/applications/Warden.desktop)") \
    >"$work/app.log" 2>&1 &
  app_pid=$!
  window=""
  for _ in $(seq $((WINDOW_SECS * 2))); do
    window="$(xwininfo -root -tree 2>/dev/null | grep -oE '0x[0-9a-f]+ "Warden[^"]*"' | head -n1)"
    [ -n "$window" ] && break
    kill -0 "$app_pid" 2>/dev/null || break
    sleep 0.5
  done
  if [ -n "$window" ]; then
    pass ".deb: the desktop entry's command opens the window ($window)"
    # The desktop groups the window under the launcher's icon by WM_CLASS = StartupWMClass.
    wm_class="$(xprop -id "${window%% *}" WM_CLASS 2>/dev/null)"
    wm_want="$(sed -n 's/^StartupWMClass=//p' /usr/share/applications/Warden.desktop)"
    [ -n "$wm_want" ] && grep -q "\"$wm_want\"" <<<"$wm_class" &&
      pass ".deb: the window's WM_CLASS matches the desktop entry's StartupWMClass ($wm_want)" ||
      fail ".deb: the window's WM_CLASS matches the desktop entry's StartupWMClass '$wm_want': $wm_class"
    # Then the page: an empty window is its menu bar on white (~150 colours); the first screen's
    # text and panels make it ~1,000. The picture stays in tests/artifacts/packages/.
    colours=0
    for _ in $(seq "$WINDOW_SECS"); do
      import -window root "$artifacts/installed-window.png" 2>/dev/null &&
        colours="$(identify -format '%k' "$artifacts/installed-window.png" 2>/dev/null || echo 0)"
      [ "$colours" -gt 400 ] && break
      kill -0 "$app_pid" 2>/dev/null || break
      sleep 1
    done
    [ "$colours" -gt 400 ] && pass ".deb: the installed app paints its page ($colours colours; installed-window.png)" ||
      { fail ".deb: the installed app paints its page: still blank ($colours colours) after ${WINDOW_SECS} s"; show "$work/app.log"; }
  elif kill -0 "$app_pid" 2>/dev/null; then
    fail ".deb: the desktop entry's command opens the window: none within ${WINDOW_SECS} s; its output:"; show "$work/app.log"
  else
    fail ".deb: the desktop entry's command opens the window: it exited first; its output:"; show "$work/app.log"
  fi
  kill -TERM -- "-$app_pid" 2>/dev/null
  for _ in $(seq 20); do kill -0 "$app_pid" 2>/dev/null || break; sleep 0.25; done
  kill -KILL -- "-$app_pid" 2>/dev/null
  wait "$app_pid" 2>/dev/null
  app_pid=""
  cp "$work/app.log" "$artifacts/installed-app.log" 2>/dev/null

  check_headless ".deb installed" /usr/bin/warden
  mkdir -p "$work/project"
  out="$(env -u DISPLAY -u WAYLAND_DISPLAY WARDEN_DATA_DIR="$work/cli-data" timeout 30 /usr/bin/warden sessions --project "$work/project" 2>&1)"
  rc=$?
  [ $rc -eq 0 ] && grep -q '^No sessions in' <<<"$out" &&
    pass ".deb: the headless 'warden sessions' runs from /usr/bin/warden with no display" ||
    fail ".deb: the headless 'warden sessions' runs from /usr/bin/warden with no display (exit $rc): $out"

  if timeout 120 dpkg --purge warden >"$work/dpkg-r.log" 2>&1 && [ ! -e /usr/bin/warden ] && [ ! -e /usr/bin/warden-window ] &&
    [ ! -e /usr/share/applications/Warden.desktop ] &&
    ! dpkg-query -W -f='${Status}' warden 2>/dev/null | grep -q installed; then
    installed_deb=""
    pass ".deb: dpkg --purge removes it and its files"
  else
    fail ".deb: dpkg --purge removes it and its files:"; show "$work/dpkg-r.log"
  fi
fi

# --- .rpm ---------------------------------------------------------------------------------------
if ! command -v rpm >/dev/null; then
  skip ".rpm: the rpm tool is not installed (make test-packages installs Debian's rpm package)"
else
  nv="$(rpm -qp --qf '%{NAME} %{VERSION}' "$rpm_file" 2>/dev/null)"
  [ "$nv" = "warden $version" ] && pass ".rpm: package warden $version" || fail ".rpm: package warden $version, not '$nv'"
  rpm_files="$(rpm -qpl "$rpm_file" 2>/dev/null)"
  missing=(); for f in "${expected[@]}"; do grep -qx "$f" <<<"$rpm_files" || missing+=("$f"); done
  [ ${#missing[@]} -eq 0 ] && pass ".rpm: rpm -qpl lists both executables, the desktop entry and the 32, 128 and 512 px icons" ||
    fail ".rpm: rpm -qpl lists both executables, the desktop entry and the icons; missing: ${missing[*]}"
  requires="$(rpm -qpR "$rpm_file" 2>/dev/null)"
  grep -q '^libwebkit2gtk-4.1.so.0' <<<"$requires" && grep -q '^libgtk-3.so.0' <<<"$requires" &&
    pass ".rpm: requires the WebKitGTK 4.1 and GTK 3 libraries" ||
    { fail ".rpm: requires the WebKitGTK 4.1 and GTK 3 libraries:"; echo "$requires" | sed 's/^/    | /'; }

  # Install into a scratch root: its own rpm database, no dependency resolution (Debian's
  # libraries are not in an rpm database) and no scripts, so nothing outside $rr changes.
  rr="$work/rpm-root"
  mkdir -p "$rr"
  if rpm --root "$rr" --dbpath /var/lib/rpm --initdb >"$work/rpm.log" 2>&1 &&
    timeout 120 rpm --root "$rr" --dbpath /var/lib/rpm -i --nodeps --noscripts "$rpm_file" >>"$work/rpm.log" 2>&1; then
    missing=(); for f in "${expected[@]}"; do [ -f "$rr$f" ] || missing+=("$f"); done
    [ ${#missing[@]} -eq 0 ] && pass ".rpm: rpm -i --root installs both executables, the desktop entry and the icons" ||
      fail ".rpm: rpm -i --root installs both executables, the desktop entry and the icons; missing: ${missing[*]}"
    check_desktop_entry ".rpm installed" "$rr"
    check_headless ".rpm installed" "$rr/usr/bin/warden"
    out="$(timeout 30 "$rr/usr/bin/warden-window" --version 2>&1)"
    [ "$out" = "warden $version" ] && pass ".rpm: the installed window executable runs ('warden-window --version')" ||
      fail ".rpm: the installed window executable runs ('warden-window --version'), printed: $out"
    rpm --root "$rr" --dbpath /var/lib/rpm -e --noscripts warden >>"$work/rpm.log" 2>&1 && [ ! -e "$rr/usr/bin/warden" ] &&
      [ ! -e "$rr/usr/bin/warden-window" ] &&
      pass ".rpm: rpm -e removes it again" || { fail ".rpm: rpm -e removes it again:"; show "$work/rpm.log"; }
  else
    fail ".rpm: rpm -i --root installs it:"; show "$work/rpm.log"
  fi
fi

exit $((fails > 0))
