#!/usr/bin/env bash
# Starts a chat server, runs one attack on it beside three honest clients, stops the server by
# its PID with SIGTERM and reports whether it exited 0 within 8 s. Prints one table and one JSON
# line on stdout, progress on stderr. Everything talks to loopback only, and every run ends by
# itself (the runner's watchdog, and a 30-minute limit here). Builds nothing.
#
#   chat-bench/attack.sh ATTACK [AttackRunner flags...]
#
# ATTACK (full scale by default; validate with the small sizes first):
#   chatters        --clients 2000 chat at --rate 20 lines/s for --duration 15s in #lobby
#                   (small: --clients 200)
#   renamers        --clients 2000 send /nick to a new name at --rate 16/s for --duration 15s
#                   (small: --clients 200)
#   join-who-leave  --clients 5000 join, then each sends /who, then all leave; per-phase figures
#                   (small: --clients 200)
#   metrics-flood   --conns 20000 idle connections to the metrics port, held --hold 10s, from
#                   --sources 200 addresses 127.0.0.2 and up, in worker processes of at most
#                   ulimit -n connections each (small: --conns 2000)
# Other flags: --size, --connect-time, --host; see AttackRunner's usage (run it without flags).
#
# Every attack runs three honest clients (10 numbered, time-stamped lines a second each, reading
# everything) and reports their worst and p99 delay, lines lost or out of order, the server's RSS
# before, at its peak and 5 s after the attackers stopped or left (/proc, every 100 ms), its CPU
# seconds, its log lines, and whether a fresh client still joins at the end.
#
# The server is `java $SERVER_JVM -jar chat-server/target/chat-server.jar` with its default
# options except --host 127.0.0.1 --port 0 (loopback only, a free port) and what the attack
# needs: the chat attacks add --max-connections-per-ip 100000 (all their clients come from
# 127.0.0.1); metrics-flood adds --metrics-port 0, and --metrics-host 127.0.0.1 when the jar's
# --help lists that option (otherwise the metrics port binds to --host, 127.0.0.1).
# SERVER_JVM: the server's JVM flags, none by default. ulimit -n is raised to its hard limit for
# the server and the runner. The server's log is kept when the run fails or KEEP_LOGS=1.
# Needs both jars: (cd REPO && mvn -B -q package -DskipTests)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SERVER_JAR=$ROOT/chat-server/target/chat-server.jar
BENCH_JAR=$ROOT/chat-bench/target/benchmarks.jar
STOP_SECONDS=8
RUN_LIMIT=1800

usage() {
  sed -n '2,/^set -euo/{/^#/p}' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}
[ $# -ge 1 ] || usage
ATTACK=$1
shift
case "$ATTACK" in
  chatters | renamers | join-who-leave) EXTRA=(--max-connections-per-ip 100000) ;;
  metrics-flood) EXTRA=(--metrics-port 0) ;;
  *) usage ;;
esac
for jar in "$SERVER_JAR" "$BENCH_JAR"; do
  [ -f "$jar" ] || { echo "attack.sh: $jar missing; build it first: (cd $ROOT && mvn -B -q package -DskipTests)" >&2; exit 2; }
done
if [ "$ATTACK" = metrics-flood ] && java -jar "$SERVER_JAR" --help 2>&1 | grep -q -- '--metrics-host'; then
  EXTRA+=(--metrics-host 127.0.0.1)
fi

# One descriptor per connection, in the server and here; children inherit the limit.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

LOG=$(mktemp "${TMPDIR:-/tmp}/chat-attack-server.XXXXXX.log")
OUT=$(mktemp "${TMPDIR:-/tmp}/chat-attack-report.XXXXXX")
# shellcheck disable=SC2086 # SERVER_JVM holds several words on purpose
java ${SERVER_JVM:-} -jar "$SERVER_JAR" --host 127.0.0.1 --port 0 "${EXTRA[@]}" >"$LOG" 2>&1 </dev/null &
SPID=$!
RC=1
finish() {
  if kill -0 "$SPID" 2>/dev/null; then
    kill -KILL "$SPID" 2>/dev/null || true
  fi
  wait "$SPID" 2>/dev/null || true
  rm -f "$OUT"
  if [ "$RC" -eq 0 ] && [ "${KEEP_LOGS:-0}" != 1 ]; then
    rm -f "$LOG"
  else
    echo "attack.sh: server log kept in $LOG" >&2
  fi
}
trap finish EXIT
trap 'exit 130' INT TERM

# The server logs "listening on HOST:PORT", and "metrics on http://HOST:PORT/metrics", once bound.
PORT=
MPORT=
for _ in $(seq 300); do
  PORT=$(sed -n 's/.*listening on .*:\([0-9][0-9]*\)$/\1/p' "$LOG" | head -n 1)
  MPORT=$(sed -n 's|.*metrics on http://.*:\([0-9][0-9]*\)/metrics.*|\1|p' "$LOG" | head -n 1)
  [ -n "$PORT" ] && { [ "$ATTACK" != metrics-flood ] || [ -n "$MPORT" ]; } && break
  kill -0 "$SPID" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$PORT" ] || { [ "$ATTACK" = metrics-flood ] && [ -z "$MPORT" ]; }; then
  echo "attack.sh: the server did not start (or bind its metrics port); its log:" >&2
  tail -n 20 "$LOG" >&2 || true
  exit 1
fi
echo "attack.sh: server PID $SPID on 127.0.0.1:$PORT${MPORT:+, metrics on port $MPORT}" >&2
RUNNER=(--attack "$ATTACK" --port "$PORT" --pid "$SPID" --server-log "$LOG")
[ -n "$MPORT" ] && RUNNER+=(--metrics-port "$MPORT")

set +e
timeout -k 10 "$RUN_LIMIT" java -cp "$BENCH_JAR" chat.bench.attack.AttackRunner "${RUNNER[@]}" "$@" >"$OUT"
RC=$?
set -e

# Stop the server as an operator would, and time it.
EXIT=none
STOP_S=
if kill -0 "$SPID" 2>/dev/null; then
  T0=$(date +%s%N)
  kill -TERM "$SPID"
  for _ in $(seq $((STOP_SECONDS * 10))); do
    kill -0 "$SPID" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$SPID" 2>/dev/null; then
    EXIT=timeout
  else
    set +e
    wait "$SPID"
    EXIT=$?
    set -e
    STOP_S=$(awk -v ns=$(($(date +%s%N) - T0)) 'BEGIN { printf "%.2f", ns / 1e9 }')
  fi
else
  set +e
  wait "$SPID"
  EXIT="died-during-run-$?"
  set -e
  echo "attack.sh: the server exited during the run ($EXIT); its log's end:" >&2
  tail -n 20 "$LOG" >&2 || true
fi
CLEAN=false
[ "$EXIT" = 0 ] && CLEAN=true

# The runner's table, the stop's rows, and its JSON line with the stop's fields added.
JSON=$(grep '^{' "$OUT" | tail -n 1 || true)
grep -v '^{' "$OUT" || true
printf '%-34s %s\n' server_exit "$EXIT" server_stop_s "${STOP_S:--}" server_exit_0_within_8s "$CLEAN"
STOP_FIELDS="\"server_exit\":\"$EXIT\",${STOP_S:+\"server_stop_s\":$STOP_S,}\"server_exit_0_within_8s\":$CLEAN"
if [ -n "$JSON" ]; then
  echo "${JSON%\}},$STOP_FIELDS}"
else
  echo "{\"ok\":false,\"error\":\"the runner printed no report (exit $RC)\",\"scenario\":\"$ATTACK\",$STOP_FIELDS}"
  [ "$RC" -eq 0 ] && RC=1
fi
exit $RC
