#!/usr/bin/env bash
# Compares our chat server with nats-server, redis-server and ngIRCd under the same load: for each
# peer and scenario it starts a fresh server on a free loopback port, runs the load generator
# (chat.bench.load.LoadGenerator) with that peer's --proto, and stops the server by the PID started
# here. Prints one markdown table per scenario (the median run and the range over runs) and writes
#   chat-bench/results/DATE-compare.jsonl   one JSON line per run
#   chat-bench/results/DATE-compare.md      the tables, with date, machine and command
#
#   chat-bench/compare.sh [--peers "..."] [--scenarios "..."] [--repeat N] [-- load generator flags...]
#   PEERS="netty-chat nats" SCENARIOS="fanout latency" REPEAT=5 chat-bench/compare.sh
#   chat-bench/compare.sh --peers netty-chat-ws -- --receivers 50 --messages 200 --conns 200
#
# PEERS      netty-chat nats redis ngircd (default), netty-chat-ws, netty-chat-tls
# SCENARIOS  fanout latency slow idle (default)
# REPEAT     runs of fanout, latency and slow (default 3); idle runs once
# OUT        where the results go (default chat-bench/results)
# Installs nats-server, redis-server and ngircd with apt-get when a chosen peer lacks them (root or
# sudo), keeping their services from starting. Needs chat-server/target/chat-server.jar and
# chat-bench/target/benchmarks.jar: mvn -B package -DskipTests. Server logs of failed runs are kept.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH_JAR=$ROOT/chat-bench/target/benchmarks.jar
SERVER_JAR=$ROOT/chat-server/target/chat-server.jar
PEERS=${PEERS:-netty-chat nats redis ngircd}
SCENARIOS=${SCENARIOS:-fanout latency slow idle}
REPEAT=${REPEAT:-3}
while [ $# -gt 0 ]; do
  case $1 in
    --peers) PEERS=$2; shift 2;;
    --scenarios) SCENARIOS=$2; shift 2;;
    --repeat) REPEAT=$2; shift 2;;
    --) shift; break;;
    -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0;;
    *) echo "compare.sh: unknown argument $1 (load generator flags go after --)" >&2; exit 2;;
  esac
done
LOADGEN_FLAGS=("$@")
[[ $REPEAT =~ ^[1-9][0-9]*$ ]] || { echo "compare.sh: REPEAT must be a positive whole number, got $REPEAT" >&2; exit 2; }
for p in $PEERS; do
  case $p in netty-chat|netty-chat-ws|netty-chat-tls|nats|redis|ngircd) ;;
    *) echo "compare.sh: unknown peer $p (netty-chat, netty-chat-ws, netty-chat-tls, nats, redis, ngircd)" >&2; exit 2;;
  esac
done
for s in $SCENARIOS; do
  case $s in fanout|latency|slow|idle) ;;
    *) echo "compare.sh: unknown scenario $s (fanout, latency, slow, idle)" >&2; exit 2;;
  esac
done
for jar in "$SERVER_JAR" "$BENCH_JAR"; do
  [ -f "$jar" ] || { echo "compare.sh: $jar missing; build it first: (cd $ROOT && mvn -B package -DskipTests)" >&2; exit 2; }
done

# Both the servers and the load generator need one descriptor per connection.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

# ---------------------------------------------------------------- peers' packages

package_of() {
  case $1 in nats) echo nats-server;; redis) echo redis-server;; ngircd) echo ngircd;; esac
}
binary_of() {
  case $1 in
    nats) command -v nats-server || ls /usr/sbin/nats-server 2>/dev/null;;
    redis) command -v redis-server;;
    ngircd) command -v ngircd || ls /usr/sbin/ngircd 2>/dev/null;;
  esac
}

POLICY=/usr/sbin/policy-rc.d
POLICY_CREATED=
SUDO=
install_missing() {
  local missing=() p
  for p in $PEERS; do
    case $p in nats|redis|ngircd) [ -n "$(binary_of "$p")" ] || missing+=("$(package_of "$p")");; esac
  done
  [ ${#missing[@]} -gt 0 ] || return 0
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "compare.sh: ${missing[*]} missing and not root: those peers are skipped" >&2; return 0; }
    SUDO=sudo
  fi
  echo "compare.sh: installing ${missing[*]}" >&2
  # policy-rc.d answering 101 keeps the packages' services from starting (we start our own servers).
  if [ ! -e $POLICY ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee $POLICY >/dev/null && $SUDO chmod +x $POLICY && POLICY_CREATED=1
  fi
  $SUDO apt-get update -qq
  for p in "${missing[@]}"; do
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$p" >/dev/null \
      || echo "compare.sh: could not install $p: that peer is skipped" >&2
  done
  remove_policy
}
remove_policy() {
  [ -z "$POLICY_CREATED" ] || $SUDO rm -f $POLICY
  POLICY_CREATED=
}

# ---------------------------------------------------------------- servers

WORK=$(mktemp -d "${TMPDIR:-/tmp}/chat-compare.XXXXXX")
SPID=
# Whether the server started here still runs (an exited child stays a zombie until waited for).
server_alive() {
  kill -0 "$SPID" 2>/dev/null && [ "$(awk '{print $3}' "/proc/$SPID/stat" 2>/dev/null)" != Z ]
}
# SIGTERM, up to 7 s to exit (our server takes at most 5), then SIGKILL; only the PID started here.
stop_server() {
  [ -n "$SPID" ] || return 0
  if server_alive; then
    kill -TERM "$SPID" 2>/dev/null
    for _ in $(seq 70); do
      server_alive || break
      sleep 0.1
    done
    server_alive && kill -KILL "$SPID" 2>/dev/null
  fi
  wait "$SPID" 2>/dev/null
  SPID=
}
KEEP_WORK=
finish() {
  stop_server
  remove_policy
  if [ -z "$KEEP_WORK" ]; then rm -rf "$WORK"; else echo "compare.sh: failed runs' logs kept in $WORK" >&2; fi
}
trap finish EXIT
trap 'exit 130' INT TERM

# A port below the ephemeral range that no socket uses now (listening or connected).
free_port() {
  local port hex
  for _ in $(seq 200); do
    port=$((20000 + RANDOM % 12000))
    hex=$(printf '%04X' "$port")
    grep -q ":$hex " /proc/net/tcp /proc/net/tcp6 2>/dev/null || { echo "$port"; return 0; }
  done
  return 1
}

# Waits until 127.0.0.1:$1 accepts connections, at most 60 s, giving up when the server exits.
wait_port() {
  for _ in $(seq 600); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    server_alive || return 1
    sleep 0.1
  done
  return 1
}

TLS_DIR=
make_certificate() {
  [ -z "$TLS_DIR" ] || return 0
  TLS_DIR=$WORK/tls
  mkdir -p "$TLS_DIR"
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$TLS_DIR/key.pem" -out "$TLS_DIR/cert.pem" \
    -days 1 -subj /CN=localhost 2>/dev/null || { echo "compare.sh: openssl could not make a certificate" >&2; return 1; }
  # The server reads PKCS#8 keys only; OpenSSL 3 writes them, older versions write PKCS#1.
  if ! head -n 1 "$TLS_DIR/key.pem" | grep -q -- '-----BEGIN PRIVATE KEY-----'; then
    openssl pkcs8 -topk8 -nocrypt -in "$TLS_DIR/key.pem" -out "$TLS_DIR/key8.pem" && mv "$TLS_DIR/key8.pem" "$TLS_DIR/key.pem"
  fi
}

if [ -x "$ROOT/bin/chat-server" ]; then
  CHAT_SERVER=("$ROOT/bin/chat-server")
  CHAT_SERVER_SHOWN=bin/chat-server
else
  CHAT_SERVER=(java -jar "$SERVER_JAR")
  CHAT_SERVER_SHOWN="java -jar chat-server/target/chat-server.jar"
fi
# All clients come from one address: flood control off, connection limits up.
CHAT_FLAGS=(--host 127.0.0.1 --rate 0 --max-connections-per-ip 100000 --max-connections 100000)

write_ngircd_conf() {
  # No connection or join limits, no penalty delays, no DNS, ident or PAM lookups, pings rarer than
  # any run; an operator the publishers use for user mode +F (relaxed flood protection).
  cat >"$1" <<EOF
[Global]
	Name = bench.localhost
	Info = chat-bench comparison
	AdminInfo1 = chat-bench
	AdminInfo2 = loopback only
	AdminEMail = nobody@localhost
	Listen = 127.0.0.1
	Ports = $2
	MotdPhrase = bench
	PidFile = $WORK/ngircd.pid
[Limits]
	MaxConnections = 0
	MaxConnectionsIP = 0
	MaxJoins = 0
	MaxNickLength = 30
	MaxPenaltyTime = 0
	PingTimeout = 3600
	PongTimeout = 3600
[Options]
	DNS = no
	Ident = no
	PAM = no
[Operator]
	Name = bench
	Password = bench
EOF
}

# Sets PROTO, CMD (the start command) and SHOWN (the same for people, {port} for the port, with a
# NOTE on what it does not show) for peer $1 on port $2.
server_command() {
  local peer=$1 port=$2
  NOTE=
  case $peer in
    netty-chat)
      PROTO="line-named"
      CMD=("${CHAT_SERVER[@]}" --port "$port" "${CHAT_FLAGS[@]}")
      SHOWN="$CHAT_SERVER_SHOWN --port {port} ${CHAT_FLAGS[*]}";;
    netty-chat-ws)
      PROTO=ws
      CMD=("${CHAT_SERVER[@]}" --port off --web-port "$port" "${CHAT_FLAGS[@]}")
      SHOWN="$CHAT_SERVER_SHOWN --port off --web-port {port} ${CHAT_FLAGS[*]}";;
    netty-chat-tls)
      PROTO=tls
      make_certificate || return 1
      CMD=("${CHAT_SERVER[@]}" --port off --tls-port "$port" --tls-cert "$TLS_DIR/cert.pem"
           --tls-key "$TLS_DIR/key.pem" "${CHAT_FLAGS[@]}")
      SHOWN="$CHAT_SERVER_SHOWN --port off --tls-port {port} --tls-cert cert.pem --tls-key key.pem ${CHAT_FLAGS[*]}"
      NOTE="a self-signed RSA 2048 certificate made at run time";;
    nats)
      PROTO=nats
      CMD=("$(binary_of nats)" -a 127.0.0.1 -p "$port")
      SHOWN="nats-server -a 127.0.0.1 -p {port}";;
    redis)
      PROTO=redis
      # No persistence; maxclients below the descriptor limit.
      local maxclients=$(( $(ulimit -n) - 1000 ))
      CMD=("$(binary_of redis)" --bind 127.0.0.1 --port "$port" --save '' --appendonly no --daemonize no
           --dir "$WORK" --maxclients "$maxclients" --loglevel warning)
      SHOWN="redis-server --bind 127.0.0.1 --port {port} --save '' --appendonly no --maxclients $maxclients";;
    ngircd)
      PROTO=irc
      write_ngircd_conf "$WORK/ngircd.conf" "$port"
      CMD=("$(binary_of ngircd)" -n -f "$WORK/ngircd.conf")
      SHOWN="ngircd -n -f ngircd.conf"
      NOTE="written by compare.sh: no connection or join limits, no DNS, ident or PAM, an operator for +F";;
  esac
}

version_of() {
  case $1 in
    netty-chat*) "${CHAT_SERVER[@]}" --version 2>/dev/null | tail -n 1;;
    nats) "$(binary_of nats)" --version 2>/dev/null | head -n 1;;
    redis) "$(binary_of redis)" --version 2>/dev/null | awk '{print $1, $2, $3}';;
    ngircd) "$(binary_of ngircd)" --version 2>/dev/null | head -n 1 | cut -d- -f1;;
  esac
}

available() {
  case $1 in
    netty-chat|netty-chat-ws) return 0;;
    netty-chat-tls) command -v openssl >/dev/null;;
    *) [ -n "$(binary_of "$1")" ];;
  esac
}

# ---------------------------------------------------------------- runs

install_missing
DAY=$(date -u +%F)
OUT=${OUT:-$ROOT/chat-bench/results}
mkdir -p "$OUT"
JSONL=$OUT/$DAY-compare.jsonl
MD=$OUT/$DAY-compare.md
: >"$JSONL.tmp"

declare -A SHOWN_BY_PEER PROTO_BY_PEER NOTE_BY_PEER
skipped=()
for peer in $PEERS; do
  if ! available "$peer"; then
    skipped+=("$peer")
    echo "compare.sh: $peer is not installed: skipped" >&2
    continue
  fi
  for scenario in $SCENARIOS; do
    n=$REPEAT
    [ "$scenario" = idle ] && n=1
    for i in $(seq "$n"); do
      port=$(free_port) || { echo "compare.sh: no free port" >&2; exit 1; }
      server_command "$peer" "$port" || { skipped+=("$peer"); continue 3; }
      SHOWN_BY_PEER[$peer]=$SHOWN
      PROTO_BY_PEER[$peer]=$PROTO
      NOTE_BY_PEER[$peer]=$NOTE
      log=$WORK/$peer-$scenario-$i.log
      echo "compare.sh: $peer $scenario ($i/$n) on 127.0.0.1:$port ..." >&2
      "${CMD[@]}" >"$log" 2>&1 </dev/null &
      SPID=$!
      start=$(date +%s)
      if ! wait_port "$port"; then
        echo "compare.sh: $peer did not start; last lines of its log:" >&2
        tail -n 20 "$log" >&2
        printf '{"ok":false,"error":"server did not start","peer":"%s","proto":"%s","scenario":"%s"}\n' \
          "$peer" "$PROTO" "$scenario" >>"$JSONL.tmp"
        KEEP_WORK=1
        stop_server
        continue
      fi
      out=$WORK/$peer-$scenario-$i.out
      # The load generator has its own watchdog; timeout is the last resort.
      timeout 900 java -cp "$BENCH_JAR" chat.bench.load.LoadGenerator --proto "$PROTO" --peer "$peer" \
        --scenario "$scenario" --host 127.0.0.1 --port "$port" --server-pid "$SPID" "${LOADGEN_FLAGS[@]}" >"$out"
      rc=$?
      line=$(grep '^{' "$out" | tail -n 1)
      if ! server_alive; then
        echo "compare.sh: $peer exited during the run; last lines of its log:" >&2
        tail -n 20 "$log" >&2
        rc=1
      fi
      stop_server
      if [ -z "$line" ]; then
        line=$(printf '{"ok":false,"error":"load generator printed no result (exit %d)","peer":"%s","proto":"%s","scenario":"%s"}' \
          "$rc" "$peer" "$PROTO" "$scenario")
      fi
      [ "$rc" -eq 0 ] || KEEP_WORK=1
      echo "$line" >>"$JSONL.tmp"
      echo "compare.sh: $peer $scenario took $(( $(date +%s) - start ))s: $line" >&2
      sleep 1
    done
  done
done
mv "$JSONL.tmp" "$JSONL"

# ---------------------------------------------------------------- report

# The command with every setting spelled out, so that it repeats this comparison as it was.
COMMAND="PEERS=\"$PEERS\" SCENARIOS=\"$SCENARIOS\" REPEAT=$REPEAT chat-bench/compare.sh"
[ ${#LOADGEN_FLAGS[@]} -eq 0 ] || COMMAND+=" -- ${LOADGEN_FLAGS[*]}"
{
  echo "# Comparison with peers, $DAY"
  echo
  echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'))," \
    "$(awk '/^MemTotal:/ {printf "%.1f", $2 / 1048576}' /proc/meminfo) GiB memory," \
    "$(sed -n 's/^PRETTY_NAME=//p' /etc/os-release | tr -d '"'), kernel $(uname -r)."
  echo "Servers and the load generator share the cores; $(java -version 2>&1 | head -n 1);" \
    "repository at commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)."
  echo
  echo "Command: \`$COMMAND\` (raw results: \`$(basename "$JSONL")\`)."
  echo "Each run starts a fresh server on a free loopback port and stops it by its PID; fanout, latency"
  echo "and slow ran $REPEAT time(s) per peer and a row is the run with the median main figure, with the"
  echo "range over runs; idle ran once. Same payloads, timing and counting for every peer: only the"
  echo "protocol (\`--proto\`) differs."
  echo
  echo "| peer | protocol | version | started as | notes |"
  echo "|---|---|---|---|---|"
  for peer in $PEERS; do
    [ -n "${SHOWN_BY_PEER[$peer]:-}" ] || continue
    echo "| $peer | ${PROTO_BY_PEER[$peer]} | $(version_of "$peer") | \`${SHOWN_BY_PEER[$peer]}\` | ${NOTE_BY_PEER[$peer]} |"
  done
  [ ${#skipped[@]} -eq 0 ] || { echo; echo "Skipped (not available): ${skipped[*]}."; }
  echo
  java -cp "$BENCH_JAR" chat.bench.load.CompareReport "$JSONL"
} >"$MD"
echo "compare.sh: wrote $JSONL and $MD" >&2
cat "$MD"
