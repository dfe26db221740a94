#!/bin/bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# The Debian package, built and looked at as an administrator would meet it.
#
# Builds aula_VERSION_amd64.deb with dpkg-buildpackage from a fresh clone of
# HEAD in a temporary directory (dpkg-buildpackage writes beside the source
# tree, so the working tree is never touched), unpacks it with dpkg-deb -x,
# and checks: the files it ships, the packaged binary's --version, a serve
# smoke test with the packaged settings file, the daily backup script and its
# retention, the man pages, the systemd units (systemd-analyze verify, when
# it can run here) and lintian.  The last line is "N passed, N failed".
set -u
cd "$(dirname "$0")/.." || exit 1
SRC=$PWD

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok   $1"; }
bad() { failed=$((failed + 1)); echo "FAIL $1"; [ $# -gt 1 ] && printf '%s\n' "$2" | head -30 | sed 's/^/     /'; }
finish() {
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
    exit $?
}

tmp=$(mktemp -d)
server=""
cleanup() {
    if [ -n "$server" ]; then
        kill -TERM "$server" 2>/dev/null
        for _ in $(seq 50); do kill -0 "$server" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$server" 2>/dev/null
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT

for tool in dpkg-buildpackage dh lintian man git; do
    command -v "$tool" >/dev/null || { bad "$tool is not installed (scripts/deps.sh --test)"; finish; }
done

# ---- build ----
git clone -q "$SRC" "$tmp/src/aula" || { bad "git clone"; finish; }
version=$(cd "$tmp/src/aula" && dpkg-parsechangelog -S Version)
arch=$(dpkg --print-architecture)
deb="$tmp/src/aula_${version}_${arch}.deb"
if (cd "$tmp/src/aula" && dpkg-buildpackage -us -uc -b) >"$tmp/build.log" 2>&1 && [ -f "$deb" ]; then
    ok "dpkg-buildpackage -us -uc -b builds aula_${version}_${arch}.deb"
else
    bad "dpkg-buildpackage" "$(tail -30 "$tmp/build.log")"
    finish
fi
# debian/rules clean must take away everything the build made.
(cd "$tmp/src/aula" && debian/rules clean) >"$tmp/clean.log" 2>&1
left=$(cd "$tmp/src/aula" && git status --porcelain --ignored)
if [ -z "$left" ]; then ok "debian/rules clean leaves the source tree as it was"
else bad "debian/rules clean leaves files behind" "$left"; fi

root="$tmp/root"
dpkg-deb -x "$deb" "$root" || { bad "dpkg-deb -x"; finish; }
aula="$root/usr/bin/aula"
# Debian 12 keeps units in /lib, later releases in /usr/lib.
units=lib/systemd/system
[ -d "$root/$units" ] || units=usr/lib/systemd/system

# ---- contents ----
missing=""
for f in usr/bin/aula usr/share/man/man1/aula.1.gz usr/share/man/man5/aula.ini.5.gz \
    etc/aula/aula.ini $units/aula.service $units/aula-backup.service \
    $units/aula-backup.timer usr/libexec/aula/aula-backup usr/share/doc/aula/copyright; do
    [ -e "$root/$f" ] || missing="$missing /$f"
done
if [ -z "$missing" ]; then ok "the package ships the binary, man pages, settings, units and backup script"
else bad "missing from the package:$missing"; fi
if dpkg-deb -f "$deb" Depends | grep -q 'adduser' &&
    dpkg-deb -I "$deb" conffiles 2>/dev/null | grep -qx '/etc/aula/aula.ini'; then
    ok "/etc/aula/aula.ini is a conffile and the package depends on adduser"
else
    bad "conffile or Depends" "$(dpkg-deb -I "$deb" 2>&1 | tail -20)"
fi
if grep -q 'GNU AFFERO GENERAL PUBLIC LICENSE' "$root/usr/share/doc/aula/copyright"; then
    ok "the copyright file carries the AGPL text"
else
    bad "the copyright file has no AGPL text"
fi

# ---- the binary ----
upstream=${version%%-*}
out=$("$aula" --version 2>&1)
if [ "$out" = "aula $upstream" ]; then ok "packaged aula --version says $out"
else bad "packaged aula --version" "said: $out (changelog: $version)"; fi

data="$tmp/data"
ini="$tmp/aula.ini"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# The packaged settings file, with the listen line set as an admin would.
sed "s|^;listen = .*|listen = 127.0.0.1:$port|" "$root/etc/aula/aula.ini" >"$ini"
if "$aula" init --data "$data" --config "$ini" >"$tmp/init.log" 2>&1 &&
    "$aula" import --data "$data" --config "$ini" examples/sela-2022/programme.json >>"$tmp/init.log" 2>&1; then
    ok "packaged aula init and import with the packaged settings file"
else
    bad "packaged aula init/import" "$(cat "$tmp/init.log")"
fi
"$aula" serve --data "$data" --config "$ini" >"$tmp/serve.log" 2>&1 &
server=$!
code=""
for _ in $(seq 60); do
    code=$(curl -s -o "$tmp/healthz" -w '%{http_code}' --max-time 2 "http://127.0.0.1:$port/healthz")
    [ "$code" = 200 ] && break
    kill -0 "$server" 2>/dev/null || break
    sleep 0.5
done
if [ "$code" = 200 ]; then
    ok "packaged aula serve answers /healthz on the port from --config"
else
    bad "packaged aula serve: /healthz gave '$code'" "$(tail -20 "$tmp/serve.log")"
fi
page=$(curl -s --max-time 5 "http://127.0.0.1:$port/events/sela-2022?lang=en" | grep -c 'Cyberdiplomacy')
if [ "${page:-0}" -ge 1 ]; then ok "packaged aula serves the imported programme"
else bad "packaged aula does not serve the imported programme"; fi

# A named settings file that does not exist is refused, not ignored.
if "$aula" export --data "$data" --config "$tmp/nonexistent.ini" sela-2022 >/dev/null 2>"$tmp/err.log"; then
    bad "a missing --config file was ignored"
elif grep -q 'nonexistent.ini' "$tmp/err.log"; then
    ok "a missing --config file is refused with its name"
else
    bad "a missing --config file: unclear message" "$(cat "$tmp/err.log")"
fi

# ---- the daily backup and its retention ----
backups="$tmp/backups"
mkdir -p "$backups"
for d in $(seq -w 1 20); do
    : >"$backups/aula-202601${d}T030000Z.db"
done
: >"$backups/keep-me.db"
if AULA_BIN="$aula" AULA_DATA="$data" AULA_CONFIG="$ini" AULA_BACKUP_DIR="$backups" \
    AULA_BACKUP_KEEP=14 "$root/usr/libexec/aula/aula-backup" >"$tmp/backup.log" 2>&1; then
    ok "aula-backup runs while aula serves"
else
    bad "aula-backup" "$(cat "$tmp/backup.log")"
fi
copies=$(cd "$backups" && printf '%s\n' aula-*.db | grep -E '^aula-[0-9]{8}T[0-9]{6}Z\.db$' | sort)
kept=$(grep -c . <<<"$copies")
newest=$(tail -1 <<<"$copies")
if [ "$kept" -eq 14 ] && [ ! -e "$backups/aula-20260107T030000Z.db" ] &&
    [ -e "$backups/aula-20260108T030000Z.db" ] && [ -e "$backups/keep-me.db" ]; then
    ok "aula-backup keeps the newest 14 copies and only removes its own"
else
    bad "aula-backup retention: $kept kept" "$(ls "$backups")"
fi
editions=$(sqlite3 "$backups/$newest" 'SELECT count(*) FROM edition' 2>&1)
if [ "$editions" = 1 ]; then ok "the new backup $newest is a database with the edition"
else bad "the new backup $newest" "$editions"; fi
if AULA_BIN="$aula" AULA_DATA="$data" AULA_BACKUP_DIR="$backups" AULA_BACKUP_KEEP=0 \
    "$root/usr/libexec/aula/aula-backup" >/dev/null 2>&1; then
    bad "aula-backup accepted AULA_BACKUP_KEEP=0 (would remove every copy)"
else
    ok "aula-backup refuses AULA_BACKUP_KEEP=0"
fi

kill -TERM "$server" 2>/dev/null
wait "$server" 2>/dev/null
server=""

# ---- man pages ----
for page in man1/aula.1.gz man5/aula.ini.5.gz; do
    f="$root/usr/share/man/$page"
    warn=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l -Tutf8 -Z "$f" 2>&1 >/dev/null)
    text=$(LC_ALL=C.UTF-8 MANWIDTH=80 man -l "$f" 2>/dev/null)
    if [ -n "$text" ] && [ -z "$warn" ]; then ok "man -l renders $page without warnings"
    else bad "man -l $page" "$warn"; fi
done
# Every command and every setting is documented.
text=$(LC_ALL=C.UTF-8 MANWIDTH=200 man -l "$root/usr/share/man/man1/aula.1.gz" 2>/dev/null)
undoc=""
for cmd in $("$aula" --help | sed -n 's/^  aula \([a-z]*\).*/\1/p'); do
    grep -q "aula $cmd" <<<"$text" || undoc="$undoc $cmd"
done
for opt in --data --config --listen --role --event --course --date --tz --help --version; do
    grep -q -- "$opt" <<<"$text" || undoc="$undoc $opt"
done
if [ -z "$undoc" ]; then ok "aula(1) describes every command and option"
else bad "aula(1) does not describe:$undoc"; fi
text=$(LC_ALL=C.UTF-8 MANWIDTH=200 man -l "$root/usr/share/man/man5/aula.ini.5.gz" 2>/dev/null)
undoc=""
# The settings config.c knows, and those the example file shows.
keys=$( (grep -oE 'strcmp\(name, "[a-z_]+"\)' src/cli/config.c | grep -oE '[a-z_]+"' | tr -d '"'
    sed -n 's/^;*\([a-z_]*\) =.*/\1/p' "$root/etc/aula/aula.ini") | sort -u)
unshown=""
for key in $keys; do
    grep -qE "^ *$key = " <<<"$text" || undoc="$undoc $key"
    grep -qE "^;?$key =" "$root/etc/aula/aula.ini" || unshown="$unshown $key"
done
for var in $(grep -ohE 'getenv\("AULA_[A-Z_]+"\)' src/cli/*.c | grep -oE 'AULA_[A-Z_]+' | sort -u); do
    grep -q -- "$var" <<<"$text" || undoc="$undoc $var"
done
if [ -n "$keys" ] && [ -z "$undoc" ]; then ok "aula.ini(5) describes every setting and variable"
else bad "aula.ini(5) does not describe:$undoc"; fi
if [ -z "$unshown" ]; then ok "/etc/aula/aula.ini shows every setting"
else bad "/etc/aula/aula.ini does not show:$unshown"; fi

# ---- systemd units ----
unit="$root/$units/aula.service"
missing=""
for line in User=aula ProtectSystem=strict ProtectHome=yes PrivateTmp=yes NoNewPrivileges=yes \
    ReadWritePaths=/var/lib/aula SystemCallFilter=@system-service CapabilityBoundingSet= \
    Environment=AULA_DATA=/var/lib/aula\ AULA_CONFIG=/etc/aula/aula.ini; do
    grep -qx -- "$line" "$unit" || missing="$missing $line"
done
if [ -z "$missing" ]; then ok "aula.service runs as aula, hardened, with /etc/aula/aula.ini"
else bad "aula.service lacks:$missing"; fi
if grep -qx 'OnCalendar=daily' "$root/$units/aula-backup.timer" &&
    grep -qx 'Environment=AULA_BACKUP_DIR=/var/lib/aula/backups AULA_BACKUP_KEEP=14' \
        "$root/$units/aula-backup.service"; then
    ok "aula-backup.timer runs daily into /var/lib/aula/backups keeping 14"
else
    bad "aula-backup.timer/service settings"
fi
if command -v systemd-analyze >/dev/null && [ -d /usr/lib/systemd/system ]; then
    # verify needs the targets the units hang from: the host's, beside the
    # package's own in a scratch root.
    vroot="$tmp/vroot"
    cp -a "$root" "$vroot"
    mkdir -p "$vroot/$units"
    cp -an /usr/lib/systemd/system/. "$vroot/$units/" 2>/dev/null
    # It prints, and does not fail on, unknown or malformed settings.
    out=$(MANPATH="$vroot/usr/share/man" systemd-analyze verify --root="$vroot" \
        aula.service aula-backup.service aula-backup.timer 2>&1)
    rc=$?
    if [ "$rc" -eq 0 ] && [ -z "$out" ]; then ok "systemd-analyze verify accepts the units"
    else bad "systemd-analyze verify" "$out"; fi
else
    echo "note: systemd-analyze cannot run here; the units were not verified"
fi

# ---- lintian ----
changes="$tmp/src/aula_${version}_${arch}.changes"
lintian "$changes" >"$tmp/lintian.log" 2>&1
errors=$(grep -E '^E: ' "$tmp/lintian.log")
if [ -z "$errors" ]; then ok "lintian reports no errors ($(grep -c '^W: ' "$tmp/lintian.log") warnings)"
else bad "lintian errors" "$errors"; fi
grep -E '^W: ' "$tmp/lintian.log" | sed 's/^/     /'

finish
