#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# bench/agenda.sh [AULA_BIN]: requests per second and latency of the public
# agenda page, Aula against nginx serving the very same bytes as a static
# file.  A benchmark to read, never a test: it fails only when it cannot run.
#
# AULA_BIN defaults to build/aula; the script builds nothing.  Tunables (env):
#   BENCH_THREADS=4      Aula worker threads = nginx worker_processes
#   BENCH_CONNECTIONS=64 BENCH_WRK_THREADS=2 BENCH_DURATION=10 BENCH_WARMUP=2
#   BENCH_NGINX_SENDFILE=off  on: nginx uses sendfile + tcp_nopush
#   BENCH_OUT=bench/out/agenda   where raw wrk output and the configs are kept
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${1:-$ROOT/build/aula}
THREADS=${BENCH_THREADS:-4}
CONNS=${BENCH_CONNECTIONS:-64}
WRK_THREADS=${BENCH_WRK_THREADS:-2}
DURATION=${BENCH_DURATION:-10}
WARMUP=${BENCH_WARMUP:-2}
OUT=${BENCH_OUT:-$ROOT/bench/out/agenda}
NGINX_SENDFILE=${BENCH_NGINX_SENDFILE:-off}
PROGRAMME=$ROOT/examples/sela-2022/programme.json
SLUG=sela-2022
URLPATH=/events/$SLUG/agenda

die() { echo "bench/agenda.sh: $*" >&2; exit 1; }
case $NGINX_SENDFILE in on | off) ;; *) die "BENCH_NGINX_SENDFILE must be on or off" ;; esac

# ---- prerequisites: say what is missing instead of failing half-way ----
[ -x "$BIN" ] || die "no Aula binary at $BIN (build it: meson setup build && ninja -C build)"
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
for tool in wrk curl gzip awk timeout pgrep getconf; do
    command -v "$tool" >/dev/null || die "$tool not found (scripts/deps.sh --test installs it)"
done
# nginx lives in /usr/sbin, which is not on an ordinary user's PATH.
NGINX=$(command -v nginx || true)
[ -n "$NGINX" ] || { [ -x /usr/sbin/nginx ] && NGINX=/usr/sbin/nginx; } ||
    die "nginx not found (scripts/deps.sh --test installs nginx-light)"
"$NGINX" -V 2>&1 | grep -q -- --with-http_gzip_static_module ||
    die "this nginx lacks gzip_static; the gzip comparison would not be like for like"

# ---- cleanup: both servers stopped and the temp dir removed, whatever happens ----
T=$(mktemp -d "${TMPDIR:-/tmp}/aula-bench.XXXXXX")
AULA_PID="" NGINX_PID=""

stop() { # pid: TERM, then KILL after 5 s; reaps it
    local pid=$1
    [ -n "$pid" ] || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 50); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        # nginx workers outlive a SIGKILLed master: take them along.
        pkill -KILL -P "$pid" 2>/dev/null || true
        kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
}
cleanup() {
    stop "$AULA_PID"
    stop "$NGINX_PID"
    rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# ---- Aula: fresh data dir with the SELA 2022 programme ----
D=$T/data
"$BIN" init --data "$D" >/dev/null
"$BIN" import --data "$D" "$PROGRAMME" >/dev/null
# Pin the thread count in the data dir so that nginx can be given the same.
# Every wrk connection comes from 127.0.0.1: no cap per client address.
printf '[server]\nthreads = %s\nconnections_per_address = 0\n' "$THREADS" >"$D/aula.ini"

# The access log (one unbuffered stderr line per request) cannot be turned
# off, so it goes to /dev/null: Aula still pays one write(2) per request.
"$BIN" serve --data "$D" --listen 127.0.0.1:0 >"$T/aula.out" 2>/dev/null &
AULA_PID=$!
AULA_PORT=""
for _ in $(seq 100); do
    AULA_PORT=$(sed -n 's|^aula: listening on http://[^:]*:\([0-9][0-9]*\).*|\1|p' "$T/aula.out")
    [ -n "$AULA_PORT" ] && break
    kill -0 "$AULA_PID" 2>/dev/null || die "aula serve exited: $(cat "$T/aula.out")"
    sleep 0.1
done
[ -n "$AULA_PORT" ] || die "aula serve did not report its port within 10 s"
AULA_URL=http://127.0.0.1:$AULA_PORT$URLPATH

# ---- the exact bytes Aula sends, plain and gzip ----
# These requests also fill Aula's page cache (both encodings at once).
W=$T/www$(dirname "$URLPATH")
mkdir -p "$W" "$OUT"
CURL=(curl -sS --fail --max-time 10)
"${CURL[@]}" -D "$OUT/aula-plain.headers" -o "$W/agenda" "$AULA_URL"
"${CURL[@]}" -D "$OUT/aula-gzip.headers" -H 'Accept-Encoding: gzip' -o "$T/agenda.gz" "$AULA_URL"
header() { tr -d '\r' <"$1" | sed -n "s/^$2: //Ip" | head -1; }
CTYPE=$(header "$OUT/aula-plain.headers" Content-Type)
[ -n "$CTYPE" ] || die "Aula sent no Content-Type for $URLPATH"
# gzip_static serves FILE.gz for FILE; only when Aula really gzipped.
GZIP_CASE=no
if [ "$(header "$OUT/aula-gzip.headers" Content-Encoding)" = gzip ] &&
    gzip -dc "$T/agenda.gz" | cmp -s - "$W/agenda"; then
    mv "$T/agenda.gz" "$W/agenda.gz"
    GZIP_CASE=yes
fi

# ---- nginx: the same bytes as static files, tuned as for static serving ----
VARY=$(header "$OUT/aula-plain.headers" Vary)
NGINX_USER=""
# As root, nginx would run its workers as nobody, who cannot enter the
# private temp dir; run them as the current user instead.
[ "$(id -u)" -eq 0 ] && NGINX_USER="user $(id -un) $(id -gn);"
mkdir -p "$T/nginx"
write_nginx_conf() { # port
    cat >"$T/nginx.conf" <<EOF
# Written by bench/agenda.sh.
daemon off;
$NGINX_USER
worker_processes $THREADS;   # = Aula's worker threads
pid $T/nginx.pid;
error_log $T/nginx-error.log warn;
events { worker_connections 1024; }
http {
    access_log off;          # Aula's goes to /dev/null (see the output)
    server_tokens off;
    # For an 8 KiB file from the page cache, pread + writev (4 syscalls a
    # request with recv and epoll_wait) beats sendfile + tcp_nopush (6: a
    # writev for the headers, sendfile, two setsockopt(TCP_CORK)); the CPU
    # per request measured the same or a little lower.
    # BENCH_NGINX_SENDFILE=on gives Debian's defaults instead.
    sendfile $NGINX_SENDFILE;
    tcp_nopush $NGINX_SENDFILE;
    tcp_nodelay on;
    # Aula answers from memory: let nginx keep the files open, not reopen
    # and stat them per request.
    open_file_cache max=16 inactive=1h;
    open_file_cache_valid 1h;
    open_file_cache_errors on;
    # Aula (libmicrohttpd) keeps a connection for any number of requests
    # and 60 s idle; nginx's default would close it every 1000 requests.
    keepalive_timeout 60s;
    keepalive_requests 100000000;
    client_body_temp_path $T/nginx/body;
    types { }
    default_type "$CTYPE";
    server {
        listen 127.0.0.1:$1;
        root $T/www;
        location = $URLPATH {
            gzip off;                    # nothing compressed on the fly
            gzip_static $( [ "$GZIP_CASE" = yes ] && echo on || echo off );
            # Aula's Vary and security headers, so both responses are about
            # as long and say the same.
            add_header Vary "$VARY";
            add_header Content-Security-Policy "$(header "$OUT/aula-plain.headers" Content-Security-Policy)";
            add_header X-Content-Type-Options nosniff;
            add_header Referrer-Policy same-origin;
            add_header X-Frame-Options DENY;
            add_header Cross-Origin-Opener-Policy same-origin;
        }
    }
}
EOF
}

# nginx cannot listen on port 0: try random ports of the ephemeral range.
read -r LO HI </proc/sys/net/ipv4/ip_local_port_range || { LO=32768; HI=60999; }
NGINX_PORT=""
for _ in 1 2 3 4 5; do
    port=$((LO + RANDOM % (HI - LO)))
    write_nginx_conf "$port"
    # A broken config would fail on every port: check it once, loudly.
    "$NGINX" -t -q -e "$T/nginx-error.log" -p "$T/nginx/" -c "$T/nginx.conf" ||
        die "nginx rejects $T/nginx.conf"
    "$NGINX" -e "$T/nginx-error.log" -p "$T/nginx/" -c "$T/nginx.conf" 2>>"$T/nginx.stderr" &
    NGINX_PID=$!
    for _ in $(seq 50); do
        kill -0 "$NGINX_PID" 2>/dev/null || break
        if curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/"; then
            NGINX_PORT=$port
            break
        fi
        sleep 0.1
    done
    [ -n "$NGINX_PORT" ] && break
    stop "$NGINX_PID"
    NGINX_PID=""
done
[ -n "$NGINX_PORT" ] || die "nginx did not start: $(tail -3 "$T/nginx.stderr")"
NGINX_URL=http://127.0.0.1:$NGINX_PORT$URLPATH
cp "$T/nginx.conf" "$OUT/nginx.conf"

# Both servers must hand out identical bodies, or the comparison is void.
"${CURL[@]}" -D "$OUT/nginx-plain.headers" -o "$T/n.plain" "$NGINX_URL"
cmp -s "$T/n.plain" "$W/agenda" || die "nginx's plain body differs from Aula's"
if [ "$GZIP_CASE" = yes ]; then
    "${CURL[@]}" -D "$OUT/nginx-gzip.headers" -H 'Accept-Encoding: gzip' -o "$T/n.gz" "$NGINX_URL"
    cmp -s "$T/n.gz" "$W/agenda.gz" || die "nginx's gzip body differs from Aula's"
fi

# ---- wrk runs ----
# CPU time (user + system, in clock ticks) used so far by the given pids.
# Field 14 and 15 of /proc/PID/stat, counted after the ")" ending the name.
cpu_ticks() {
    local p t=0
    for p in "$@"; do
        t=$((t + $(sed 's/.*) //' "/proc/$p/stat" | awk '{ print $12 + $13 }')))
    done
    echo "$t"
}
# run NAME URL PIDS [HEADER]: warm-up (discarded), then the measured run.
# The servers' CPU time per request is kept next to wrk's output: unlike
# req/s it hardly depends on who else is using the cores.
run() {
    local name=$1 url=$2 pids=$3 c0 c1 wrk_args=(-t"$WRK_THREADS" -c"$CONNS" --latency)
    [ $# -ge 4 ] && wrk_args+=(-H "$4")
    timeout $((WARMUP + 20)) wrk "${wrk_args[@]}" -d"${WARMUP}s" "$url" >/dev/null
    # shellcheck disable=SC2086 # pids is a list
    c0=$(cpu_ticks $pids)
    timeout $((DURATION + 20)) wrk "${wrk_args[@]}" -d"${DURATION}s" "$url" >"$OUT/$name.wrk"
    # shellcheck disable=SC2086
    c1=$(cpu_ticks $pids)
    echo "$((c1 - c0)) $(getconf CLK_TCK)" >"$OUT/$name.cpu"
}
# field NAME -> "rps avg p99 bytes-per-response cpu-us-per-request errors"
field() {
    read -r ticks hz <"$OUT/$1.cpu"
    awk -v ticks="$ticks" -v hz="$hz" '
        function bytes(s,  n, u) {
            n = s + 0; u = s; sub(/^[0-9.]+/, "", u)
            return n * (u == "KB" ? 1024 : u == "MB" ? 1048576 : u == "GB" ? 1073741824 : 1)
        }
        $1 == "Latency" && avg == "" { avg = $2 }
        $1 == "99%" { p99 = $2 }
        / requests in / { n = $1; rd = bytes($5) }
        /^Requests\/sec:/ { rps = $2 }
        /Socket errors|Non-2xx/ { err = err $0 ";" }
        END {
            printf "%.0f %s %s %.0f %.1f %s\n", rps, avg, p99, (n ? rd / n : 0),
                (n ? ticks / hz * 1e6 / n : 0), (err == "" ? "-" : err)
        }
    ' "$OUT/$1.wrk"
}
report() { # case
    local a_rps a_avg a_p99 a_size a_cpu a_err n_rps n_avg n_p99 n_size n_cpu n_err ratio
    read -r a_rps a_avg a_p99 a_size a_cpu a_err <<<"$(field "aula-$1")"
    read -r n_rps n_avg n_p99 n_size n_cpu n_err <<<"$(field "nginx-$1")"
    ratio=$(awk -v a="$a_rps" -v n="$n_rps" 'BEGIN { printf "%.2f", n ? a / n : 0 }')
    echo "agenda $1: aula $a_rps req/s, nginx $n_rps req/s, ratio $ratio"
    echo "  latency avg/p99: aula $a_avg/$a_p99, nginx $n_avg/$n_p99"
    echo "  server CPU per request: aula $a_cpu us, nginx $n_cpu us;" \
        "bytes per response (headers+body): aula $a_size, nginx $n_size"
    [ "$a_err" = - ] || echo "  aula errors: $a_err"
    [ "$n_err" = - ] || echo "  nginx errors: $n_err"
}
# Percentage of CPU time idle over one second.  Other processes competing
# for the 2 cores skew the numbers more than anything in either server.
idle() {
    local a b
    a=$(awk '/^cpu /{ print $5 + $6, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat)
    sleep 1
    b=$(awk '/^cpu /{ print $5 + $6, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat)
    echo "$a $b" | awk '{ printf "%.0f", ($4 - $2) ? 100 * ($3 - $1) / ($4 - $2) : 100 }'
}
idle_note() { # when
    local pct
    pct=$(idle)
    if [ "$pct" -lt 90 ]; then
        echo "  WARNING: CPUs only $pct% idle $1: other processes compete, the numbers are unreliable"
    else
        echo "  CPUs $pct% idle $1"
    fi
}

CORES=$(nproc)
echo "bench/agenda.sh: GET $URLPATH, Aula $("$BIN" --version | awk '{print $2}') vs $("$NGINX" -v 2>&1 | sed 's/.*: //')"
echo "  machine: $CORES cores, shared by wrk ($WRK_THREADS threads) and the server under test; the other server idles"
echo "  wrk -t$WRK_THREADS -c$CONNS -d${DURATION}s after a ${WARMUP}s warm-up, loopback only, keep-alive"
echo "  aula:  $THREADS threads, page from its in-memory cache, access log to /dev/null (one write per request)"
echo "  nginx: $THREADS workers, same bytes from a static file (open_file_cache, sendfile $NGINX_SENDFILE), gzip_static $GZIP_CASE, access log off"
echo "  body: $(wc -c <"$W/agenda") bytes plain$( [ "$GZIP_CASE" = yes ] && echo ", $(wc -c <"$W/agenda.gz") bytes gzip"), Content-Type: $CTYPE"

idle_note "before the runs"
# nginx's work is done by the workers, children of the master.
NGINX_PIDS="$NGINX_PID $(pgrep -P "$NGINX_PID" | tr '\n' ' ')"
run aula-plain "$AULA_URL" "$AULA_PID"
run nginx-plain "$NGINX_URL" "$NGINX_PIDS"
report plain
if [ "$GZIP_CASE" = yes ]; then
    run aula-gzip "$AULA_URL" "$AULA_PID" 'Accept-Encoding: gzip'
    run nginx-gzip "$NGINX_URL" "$NGINX_PIDS" 'Accept-Encoding: gzip'
    report gzip
else
    echo "agenda gzip: skipped, Aula did not answer with gzip"
fi
idle_note "after the runs"
echo "  raw wrk output, headers and nginx.conf: ${OUT#"$ROOT"/}/"
