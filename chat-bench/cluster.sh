#!/usr/bin/env bash
# Measures a cluster against one node under the same load: for each scenario and configuration it
# starts fresh servers (and a fresh redis-server, persistence off) on free loopback ports, runs the
# load generator with receivers and publishers spread round-robin over the nodes, and stops what
# it started by PID. Configurations:
#   single        one node, no --redis
#   single-redis  one node with --redis
#   cluster       NODES nodes (default 3) with --redis
# Prints a table per scenario (the median run, the range over runs) and writes
#   chat-bench/results/DATE-cluster.jsonl   one JSON line per run
#   chat-bench/results/DATE-cluster.md      the tables, with date, machine, command and commit
#
#   chat-bench/cluster.sh [--configs "..."] [--scenarios "..."] [--repeat N] [--nodes N] [-- load generator flags...]
#   SCENARIOS=latency REPEAT=5 chat-bench/cluster.sh -- --duration 20s
#   chat-bench/cluster.sh --report chat-bench/results/DATE-cluster.jsonl   (only rewrites the .md)
#
# SCENARIOS  fanout latency (default); REPEAT runs each (default 3); OUT where results go.
# QUIET_WAIT seconds to wait before a run for the machine to be idle (default 60): the cores are
# shared, so each run also reports the CPU that other processes took meanwhile (other_cpu_s). A run
# where that exceeds MAX_OTHER CPU seconds (default 1) is kept but marked noisy and run again, at
# most RETRIES times per configuration and scenario (default REPEAT); tables prefer quiet runs.
# Needs redis-server, redis-cli, jq, chat-server/target/chat-server.jar and
# chat-bench/target/benchmarks.jar (mvn -B package -DskipTests). Builds nothing.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH_JAR=$ROOT/chat-bench/target/benchmarks.jar
SERVER_JAR=$ROOT/chat-server/target/chat-server.jar
CONFIGS=${CONFIGS:-single single-redis cluster}
SCENARIOS=${SCENARIOS:-fanout latency}
REPEAT=${REPEAT:-3}
NODES=${NODES:-3}
QUIET_WAIT=${QUIET_WAIT:-60}
REPORT=
MAX_OTHER=${MAX_OTHER:-1}
while [ $# -gt 0 ]; do
  case $1 in
    --configs) CONFIGS=$2; shift 2;;
    --scenarios) SCENARIOS=$2; shift 2;;
    --repeat) REPEAT=$2; shift 2;;
    --nodes) NODES=$2; shift 2;;
    --report) REPORT=$2; shift 2;;
    --) shift; break;;
    -h|--help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0;;
    *) echo "cluster.sh: unknown argument $1 (load generator flags go after --)" >&2; exit 2;;
  esac
done
LOADGEN_FLAGS=("$@")
[[ $REPEAT =~ ^[1-9][0-9]*$ ]] || { echo "cluster.sh: REPEAT must be a positive whole number, got $REPEAT" >&2; exit 2; }
[[ $NODES =~ ^[1-9][0-9]*$ ]] || { echo "cluster.sh: NODES must be a positive whole number, got $NODES" >&2; exit 2; }
RETRIES=${RETRIES:-$REPEAT}
[[ $RETRIES =~ ^[0-9]+$ ]] || { echo "cluster.sh: RETRIES must be a whole number, got $RETRIES" >&2; exit 2; }
for c in $CONFIGS; do
  case $c in single|single-redis|cluster) ;; *) echo "cluster.sh: unknown configuration $c" >&2; exit 2;; esac
done
for s in $SCENARIOS; do
  case $s in fanout|latency) ;; *) echo "cluster.sh: unknown scenario $s (fanout, latency)" >&2; exit 2;; esac
done
for jar in "$SERVER_JAR" "$BENCH_JAR"; do
  [ -f "$jar" ] || { echo "cluster.sh: $jar missing; build it first: (cd $ROOT && mvn -B package -DskipTests)" >&2; exit 2; }
done
for tool in redis-server redis-cli jq; do
  command -v $tool >/dev/null || { echo "cluster.sh: $tool missing" >&2; exit 2; }
done

# The servers, Redis and the load generator need one descriptor per connection.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

# ---------------------------------------------------------------- processes

WORK=$(mktemp -d "${TMPDIR:-/tmp}/chat-cluster.XXXXXX")
PIDS=()   # the nodes started for the current run
RPID=     # its redis-server
KEEP_WORK=

alive() {
  kill -0 "$1" 2>/dev/null && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]
}
# SIGTERM, up to 7 s to exit (our server takes at most 5), then SIGKILL; only PIDs started here.
stop() {
  local pid
  for pid in "$@"; do alive "$pid" && kill -TERM "$pid" 2>/dev/null; done
  for _ in $(seq 70); do
    local any=
    for pid in "$@"; do alive "$pid" && any=1; done
    [ -n "$any" ] || break
    sleep 0.1
  done
  for pid in "$@"; do alive "$pid" && kill -KILL "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
}
stop_all() {
  # Nodes first, so that none of them sees Redis go away.
  [ ${#PIDS[@]} -eq 0 ] || stop "${PIDS[@]}"
  [ -z "$RPID" ] || stop "$RPID"
  PIDS=()
  RPID=
}
finish() {
  stop_all
  if [ -z "$KEEP_WORK" ]; then rm -rf "$WORK"; else echo "cluster.sh: failed runs' logs kept in $WORK" >&2; fi
}
trap finish EXIT
trap 'exit 130' INT TERM

# $! names the process started in the background; wait until it is the program meant ($2), since
# it may still be about to exec it, or a wrapper may stand between: then find the program by its
# exact arguments ($3).
started() {
  local pid=$1 program=$2 args=$3
  for _ in $(seq 50); do
    if tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$program"; then
      echo "$pid"
      return 0
    fi
    sleep 0.1
  done
  pgrep -n -f -- "$args"
}

# A port below the ephemeral range that no socket uses now, nor one handed out in this run.
TAKEN=" "
free_port() {
  local port hex
  for _ in $(seq 200); do
    port=$((20000 + RANDOM % 12000))
    hex=$(printf '%04X' "$port")
    [[ $TAKEN == *" $port "* ]] && continue
    grep -q ":$hex " /proc/net/tcp /proc/net/tcp6 2>/dev/null && continue
    TAKEN+="$port "
    echo "$port"
    return 0
  done
  return 1
}

# Waits until 127.0.0.1:$1 accepts connections, at most 90 s, giving up when process $2 exits.
wait_port() {
  for _ in $(seq 900); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    alive "$2" || return 1
    sleep 0.1
  done
  return 1
}

# Busy and total jiffies of the whole machine (all cores), from /proc/stat.
machine_jiffies() {
  awk '/^cpu / {busy = $2 + $3 + $4 + $7 + $8 + $9; print busy, busy + $5 + $6; exit}' /proc/stat
}
# Busy fraction of the machine over one second, in percent.
busy_pct() {
  local b0 t0 b1 t1
  read -r b0 t0 < <(machine_jiffies)
  sleep 1
  read -r b1 t1 < <(machine_jiffies)
  echo $(( (b1 - b0) * 100 / (t1 - t0 > 0 ? t1 - t0 : 1) ))
}
# Waits up to QUIET_WAIT s until the machine is less than 15% busy; prints the seconds waited.
wait_quiet() {
  local waited=0
  while [ "$waited" -lt "$QUIET_WAIT" ] && [ "$(busy_pct)" -ge 15 ]; do
    waited=$((waited + 1))
  done
  echo "$waited"
}
# utime + stime in jiffies of the given PIDs, summed.
jiffies_of() {
  local pid
  for pid in "$@"; do cat "/proc/$pid/stat" 2>/dev/null; echo; done \
    | awk '{sub(/.*\) /, ""); s += $12 + $13} END {print s + 0}'
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

# Starts Redis when $1 says so and $2 nodes; sets RPID, PIDS and PORTS. Fails when one does not start.
start_servers() {
  local with_redis=$1 n=$2 rp k port log redis_flags=()
  PORTS=()
  if [ "$with_redis" = 1 ]; then
    rp=$(free_port) || return 1
    redis-server --bind 127.0.0.1 --port "$rp" --save '' --appendonly no --daemonize no --dir "$WORK" \
      --maxclients 10000 --loglevel warning >"$WORK/redis-$RUN.log" 2>&1 </dev/null &
    RPID=$(started $! redis-server "redis-server 127.0.0.1:$rp")
    wait_port "$rp" "$RPID" || { echo "cluster.sh: redis-server did not start" >&2; tail -n 5 "$WORK/redis-$RUN.log" >&2; return 1; }
    redis_flags=(--redis "redis://127.0.0.1:$rp")
    REDIS_PORT=$rp
  fi
  for k in $(seq "$n"); do
    port=$(free_port) || return 1
    log=$WORK/node-$RUN-$k.log
    "${CHAT_SERVER[@]}" --port "$port" "${CHAT_FLAGS[@]}" "${redis_flags[@]}" >"$log" 2>&1 </dev/null &
    PIDS+=("$(started $! chat-server.jar "--port $port ")")
    PORTS+=("$port")
  done
  for k in $(seq "$n"); do
    wait_port "${PORTS[$((k - 1))]}" "${PIDS[$((k - 1))]}" \
      || { echo "cluster.sh: node $k did not start; its log:" >&2; tail -n 20 "$WORK/node-$RUN-$k.log" >&2; return 1; }
  done
}

# ---------------------------------------------------------------- runs

join() { local IFS=,; echo "$*"; }

if [ -n "$REPORT" ]; then
  # Only the tables again, from runs made before (with the command they were made with).
  JSONL=$REPORT
  MD=${REPORT%.jsonl}.md
  DAY=$(basename "$JSONL" -cluster.jsonl)
  [ -f "$JSONL" ] || { echo "cluster.sh: $JSONL missing" >&2; exit 2; }
  COMMAND=$(sed -n 's/^Command: `\(.*\)` (raw.*/\1/p' "$MD" 2>/dev/null)
else
  DAY=$(date -u +%F)
  OUT=${OUT:-$ROOT/chat-bench/results}
  mkdir -p "$OUT"
  JSONL=$OUT/$DAY-cluster.jsonl
  MD=$OUT/$DAY-cluster.md
  : >"$JSONL.tmp"
  HZ=$(getconf CLK_TCK)

  for scenario in $SCENARIOS; do
    for config in $CONFIGS; do
      case $config in
        single) n=1; redis=0; peer=single;;
        single-redis) n=1; redis=1; peer=single-redis;;
        cluster) n=$NODES; redis=1; peer=cluster-$NODES;;
      esac
      i=1
      retries=$RETRIES
      while [ "$i" -le "$REPEAT" ]; do
        RUN=$scenario-$peer-$i-$retries
        quiet=$(wait_quiet)
        echo "cluster.sh: $peer $scenario ($i/$REPEAT), after ${quiet}s waiting for a quiet machine ..." >&2
        start=$(date +%s)
        REDIS_PORT=
        if ! start_servers "$redis" "$n"; then
          printf '{"ok":false,"error":"servers did not start","peer":"%s","scenario":"%s","nodes":%d}\n' \
            "$peer" "$scenario" "$n" >>"$JSONL.tmp"
          KEEP_WORK=1
          stop_all
          i=$((i + 1))
          continue
        fi
        redis_pid_flag=()
        [ -z "$RPID" ] || redis_pid_flag=(--redis-pid "$RPID")
        ours=("${PIDS[@]}" $RPID)
        read -r busy0 total0 < <(machine_jiffies)
        ours0=$(jiffies_of "${ours[@]}")
        out=$WORK/$RUN.out
        TIMEFORMAT='%U %S'
        # The load generator has its own watchdog; timeout is the last resort.
        { time timeout 900 java -cp "$BENCH_JAR" chat.bench.load.LoadGenerator --peer "$peer" --scenario "$scenario" \
            --host 127.0.0.1 --port "$(join "${PORTS[@]}")" --server-pid "$(join "${PIDS[@]}")" \
            "${redis_pid_flag[@]}" "${LOADGEN_FLAGS[@]}" >"$out" 2>"$WORK/$RUN.err"; } 2>"$WORK/$RUN.time"
        rc=$?
        read -r busy1 total1 < <(machine_jiffies)
        ours1=$(jiffies_of "${ours[@]}")
        loadgen=$(tail -n 1 "$WORK/$RUN.time" | awk '{print $1 + $2}')
        line=$(grep '^{' "$out" | tail -n 1)
        for k in "${!PIDS[@]}"; do
          alive "${PIDS[$k]}" && continue
          echo "cluster.sh: node $((k + 1)) exited during the run; its log:" >&2
          tail -n 20 "$WORK/node-$RUN-$((k + 1)).log" >&2
          rc=1
        done
        [ -z "$line" ] && line=$(printf '{"ok":false,"error":"load generator printed no result (exit %d)","peer":"%s","scenario":"%s"}' \
          "$rc" "$peer" "$scenario")
        # What the whole run cost the machine (setup included), and what of it was not ours.
        other=$(awk -v b="$((busy1 - busy0))" -v o="$((ours1 - ours0))" -v l="$loadgen" -v hz="$HZ" \
          'BEGIN {v = (b - o) / hz - l; printf "%.2f", v < 0 ? 0 : v}')
        busy=$(( (busy1 - busy0) * 100 / (total1 - total0 > 0 ? total1 - total0 : 1) ))
        noisy=$(awk -v o="$other" -v m="$MAX_OTHER" 'BEGIN {print (o > m ? "true" : "false")}')
        extra=$(jq -n --argjson n "$n" --argjson q "$quiet" --argjson other "$other" --argjson busy "$busy" \
          --argjson noisy "$noisy" '{nodes: $n, quiet_wait_s: $q, other_cpu_s: $other, machine_busy_pct: $busy, noisy: $noisy}')
        if [ -n "$REDIS_PORT" ]; then
          redis-cli -p "$REDIS_PORT" info commandstats 2>/dev/null | tr -d '\r' >"$WORK/$RUN.commandstats"
          # Every script call (joins and heartbeats too, but mostly lines) and the PUBLISHes they make.
          extra=$(awk -F'[:=,]' -v base="$extra" '
            /^cmdstat_evalsha:/ {c = $3; u = $7}
            /^cmdstat_publish:/ {p = $3}
            END {printf "%s", base; if (c != "") printf "\n{\"redis_evalsha_calls\":%d,\"redis_evalsha_usec_per_call\":%s,\"redis_publish_calls\":%d}", c, u, p}
          ' "$WORK/$RUN.commandstats" | jq -s -c 'add')
        fi
        line=$(jq -c --argjson extra "$extra" '. + $extra' <<<"$line")
        stop_all
        [ "$rc" -eq 0 ] || KEEP_WORK=1
        echo "$line" >>"$JSONL.tmp"
        echo "cluster.sh: $peer $scenario took $(( $(date +%s) - start ))s: $line" >&2
        if [ "$noisy" = true ] && [ "$retries" -gt 0 ]; then
          retries=$((retries - 1))
          echo "cluster.sh: other processes took ${other} CPU s meanwhile: run $i again" >&2
        else
          i=$((i + 1))
        fi
        sleep 1
      done
    done
  done
  mv "$JSONL.tmp" "$JSONL"
fi

# ---------------------------------------------------------------- report

if [ -z "$REPORT" ]; then
  COMMAND="CONFIGS=\"$CONFIGS\" SCENARIOS=\"$SCENARIOS\" REPEAT=$REPEAT NODES=$NODES chat-bench/cluster.sh"
  [ ${#LOADGEN_FLAGS[@]} -eq 0 ] || COMMAND+=" -- ${LOADGEN_FLAGS[*]}"
fi
{
  echo "# Cluster against one node, $DAY"
  echo
  echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'))," \
    "$(awk '/^MemTotal:/ {printf "%.1f", $2 / 1048576}' /proc/meminfo) GiB memory," \
    "$(sed -n 's/^PRETTY_NAME=//p' /etc/os-release | tr -d '"'), kernel $(uname -r)."
  echo "Nodes, Redis and the load generator share the cores; $(java -version 2>&1 | head -n 1);" \
    "$(redis-server --version | awk '{print $1, $2, $3}'); repository at commit" \
    "$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)."
  echo
  echo "Command: \`$COMMAND\` (raw results: \`$(basename "$JSONL")\`)."
  echo "Each run starts fresh nodes (\`$CHAT_SERVER_SHOWN --port {port} ${CHAT_FLAGS[*]} [--redis redis://127.0.0.1:{redis port}]\`)"
  echo "and a fresh \`redis-server --save '' --appendonly no\` on free loopback ports, and stops them by PID."
  echo "Receivers and publishers are spread round-robin over the nodes (\`--port P1,P2,P3\`): publisher i"
  echo "on node i mod n. A row is the run with the median main figure; ranges are over all runs, and"
  echo "lost, reorders and duplicates are listed for every run. CPU figures cover the measured phase;"
  echo "other CPU s is what processes not started here took over the whole run (setup included); runs"
  echo "where that exceeded $MAX_OTHER s are marked noisy, and medians and ranges are over the quiet runs"
  echo "when there are any (\"runs\" says how many of each)."
  echo
  jq -s -r -f /dev/fd/3 "$JSONL" 3<<'JQ'
def f(d): if . == null then "–" else (. * pow(10; d) | round / pow(10; d) | tostring) end;
def median(k): sort_by(k) | .[(length - 1) / 2 | floor];
def range(k; d): (map(k) | map(select(. != null)) | sort) as $v
  | if ($v | length) == 0 then "–" else "\($v[0] | f(d))–\($v[-1] | f(d))" end;
def each(k): map(k | tostring) | join(" / ");
def quiet: (map(select(.noisy | not))) as $q | if ($q | length) > 0 then $q else . end;
def runs: (map(select(.noisy | not)) | length) as $q | (map(select(.noisy)) | length) as $n
  | if $q == 0 then "\($n) noisy" elif $n > 0 then "\($q) (+\($n) noisy)" else "\($q)" end;
def status: if .ok | not then "error: \(.error)" elif .complete then "complete"
  elif .server_stalled then "server stalled" elif .timed_out then "timed out" else "drained, with loss" end;
. as $all
| ($all | map(select(.scenario == "fanout" and .peer == "single" and .ok)) | quiet | median(.deliveries_per_s)
  | .deliveries_per_s) as $single
| [$all[] | .scenario] | unique | .[] as $s
| ($all | map(select(.scenario == $s)) | group_by(.peer) | sort_by(.[0].nodes, (.[0].redis_cpu_s != null))) as $groups
| ($groups | map(.[]) | (map(select(.ok)) + .) | .[0]) as $r0
| if $s == "fanout" then
    "### fanout (\($r0.receivers) receivers, \($r0.publishers) publishers × \($r0.messages_per_publisher) messages, as fast as possible)\n",
    "| config | nodes | deliveries/s | runs (range) | per node | per node ÷ single | lost (each run) | reorders (each run) | dups (each run) | p50 ms | p99 ms | elapsed s | server CPU s | Redis CPU s | loadgen CPU s | other CPU s | EVALSHA µs/call | status |",
    "|---|---:|---:|---|---:|---:|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ($groups[] | runs as $count | quiet | . as $runs | median(.deliveries_per_s) as $r
      | "| \($r.peer) | \($r.nodes) | \($r.deliveries_per_s | f(0)) | \($count): \($runs | range(.deliveries_per_s; 0)) | \(($r.deliveries_per_s // 0) / $r.nodes | f(0)) | \(if $single then (($r.deliveries_per_s // 0) / $r.nodes / $single | f(2)) else "–" end) | \($runs | each(.lost)) | \($runs | each(.reorders)) | \($runs | each(.duplicates)) | \($r.lat_p50_ms | f(1)) | \($r.lat_p99_ms | f(1)) | \($r.elapsed_s | f(2)) | \($r.server_cpu_s | f(2)) | \($r.redis_cpu_s | f(2)) | \($r.loadgen_cpu_s | f(2)) | \($r.other_cpu_s | f(2)) | \($r.redis_evalsha_usec_per_call | f(1)) | \($r | status) |"),
    ""
  else
    "### latency (\($r0.receivers) receivers, \($r0.rate_msgs_per_s) msg/s total from \($r0.publishers) publishers = \($r0.rate_msgs_per_s * $r0.receivers | f(0)) deliveries/s offered)\n",
    "| config | nodes | runs | p50 ms | p50 range | p99 ms | p99 range | p99.9 ms | max ms | lost (each run) | reorders (each run) | deliveries/s | server CPU s | Redis CPU s | loadgen CPU s | other CPU s | EVALSHA µs/call | status |",
    "|---|---:|---|---:|---|---:|---|---:|---:|---|---|---:|---:|---:|---:|---:|---:|---|",
    ($groups[] | runs as $count | quiet | . as $runs | median(.lat_p99_ms) as $r
      | "| \($r.peer) | \($r.nodes) | \($count) | \($r.lat_p50_ms | f(2)) | \($runs | range(.lat_p50_ms; 2)) | \($r.lat_p99_ms | f(2)) | \($runs | range(.lat_p99_ms; 2)) | \($r.lat_p999_ms | f(2)) | \($r.lat_max_ms | f(2)) | \($runs | each(.lost)) | \($runs | each(.reorders)) | \($r.deliveries_per_s | f(0)) | \($r.server_cpu_s | f(2)) | \($r.redis_cpu_s | f(2)) | \($r.loadgen_cpu_s | f(2)) | \($r.other_cpu_s | f(2)) | \($r.redis_evalsha_usec_per_call | f(1)) | \($r | status) |"),
    ""
  end
JQ
} >"$MD"
echo "cluster.sh: wrote $JSONL and $MD" >&2
cat "$MD"
