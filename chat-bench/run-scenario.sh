#!/usr/bin/env bash
# Starts a fresh chat server on a free loopback port, runs one load generator scenario against
# it, stops the server by the PID started here (SIGTERM) and exits with the load generator's
# status. Builds nothing.
#
#   chat-bench/run-scenario.sh SCENARIO [load generator flags...]
#
# SCENARIO: fanout | latency | idle | slow (e.g. idle --conns 2000)
# Needs chat-server/target/chat-server.jar and chat-bench/target/benchmarks.jar: mvn -B package
# The server's log is kept in a temporary file when the run fails or KEEP_LOGS=1.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SERVER_JAR=$ROOT/chat-server/target/chat-server.jar
BENCH_JAR=$ROOT/chat-bench/target/benchmarks.jar

if [ $# -lt 1 ]; then
  sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
SCENARIO=$1
shift
for jar in "$SERVER_JAR" "$BENCH_JAR"; do
  [ -f "$jar" ] || { echo "run-scenario.sh: $jar missing; build it first: (cd $ROOT && mvn -B package -DskipTests)" >&2; exit 2; }
done

# Both processes need one descriptor per connection.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

LOG=$(mktemp "${TMPDIR:-/tmp}/chat-server.XXXXXX.log")
# shellcheck disable=SC2046 # the JVM flags are words on purpose
java $(cat "$ROOT/chat-bench/jvm.options") -jar "$SERVER_JAR" --host 127.0.0.1 --port 0 --rate 0 \
  --max-connections-per-ip 100000 --max-connections 100000 >"$LOG" 2>&1 </dev/null &
SPID=$!
RC=1
finish() {
  if kill -0 "$SPID" 2>/dev/null; then
    kill -TERM "$SPID" 2>/dev/null || true
    for _ in $(seq 50); do
      kill -0 "$SPID" 2>/dev/null || break
      sleep 0.1
    done
    kill -0 "$SPID" 2>/dev/null && kill -KILL "$SPID" 2>/dev/null || true
  fi
  wait "$SPID" 2>/dev/null || true
  if [ "$RC" -eq 0 ] && [ "${KEEP_LOGS:-0}" != 1 ]; then
    rm -f "$LOG"
  else
    echo "run-scenario.sh: server log kept in $LOG" >&2
  fi
}
trap finish EXIT
trap 'exit 130' INT TERM

# The server logs "listening on HOST:PORT" once bound.
PORT=
for _ in $(seq 300); do
  PORT=$(sed -n 's/.*listening on .*:\([0-9][0-9]*\)$/\1/p' "$LOG" | head -n 1)
  [ -n "$PORT" ] && break
  kill -0 "$SPID" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$PORT" ]; then
  echo "run-scenario.sh: the server did not start; its log:" >&2
  tail -n 20 "$LOG" >&2 || true
  exit 1
fi
echo "run-scenario.sh: server PID $SPID on 127.0.0.1:$PORT" >&2

set +e
java -cp "$BENCH_JAR" chat.bench.load.LoadGenerator --scenario "$SCENARIO" --host 127.0.0.1 \
  --port "$PORT" --server-pid "$SPID" "$@"
RC=$?
set -e
kill -0 "$SPID" 2>/dev/null || { echo "run-scenario.sh: the server exited during the run" >&2; tail -n 20 "$LOG" >&2; }
exit $RC
