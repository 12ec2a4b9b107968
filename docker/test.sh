#!/usr/bin/env bash
# Builds the chat server's container image and proves it works:
#   1. builds the jar if missing (mvn -q package -DskipTests at the repository root),
#   2. builds the image from docker/Dockerfile (context: the repository root),
#   3. starts it with the chat and metrics ports published on 127.0.0.1 only,
#   4. two real TCP clients join and chat,
#   5. /metrics answers and counts them,
#   6. stops the container (SIGTERM) and checks exit code 0 and that a connected
#      client's last line was "Disconnected: server shutting down".
#
# Uses Docker when `docker info` works, otherwise Podman (installed with apt-get
# if missing), with a local Debian JRE base image (docker/make-local-base.sh) when
# no registry can be reached. The container is removed on any exit.
#
#   usage: bash docker/test.sh
#
# Environment knobs:
#   ENGINE=docker|podman   force an engine
#   BASE_IMAGE=...         base image (Docker: the Dockerfile's default; Podman: localhost/chat-jre-base:17,
#                          which is also the JDK that links the runtime)
#   IMAGE=...              tag to build (default chat-server:test)
#   REBUILD_JAR=1          run mvn even when the jar exists
#   METRIC_NAME=...        metric that must count the joined clients (regex, see below)
#   PODMAN_ULIMITS=...     ulimit options for podman build/run (default: nofile 1024:20000, nproc 4096)
set -euo pipefail

# --- adjustable expectations -------------------------------------------------
# A /metrics sample line whose name matches this extended regex (anchored at the
# start of the line, labels allowed) must have a value >= METRIC_MIN after the
# two test clients joined.
METRIC_NAME="${METRIC_NAME:-chat_clients_joined(_total)?}"
METRIC_MIN="${METRIC_MIN:-2}"
SHUTDOWN_LINE="Disconnected: server shutting down"
CHAT_PORT_IN=8000       # the server's default port inside the container
METRICS_PORT_IN=9100    # set through CHAT_METRICS_PORT
STOP_TIMEOUT=10         # seconds before the engine sends SIGKILL
LOCAL_BASE=localhost/chat-jre-base:17
# ------------------------------------------------------------------------------

START=$SECONDS
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
JAR="$ROOT/chat-server/target/chat-server.jar"
IMAGE="${IMAGE:-chat-server:test}"
NAME="chat-test-$$"
TMP="$(mktemp -d /tmp/chat-docker-test.XXXXXX)"
PASSED=0
FAILED=0
CLIENT_PID=""
CONTAINER_STARTED=0

pass() { PASSED=$((PASSED + 1)); echo "PASS $*"; }
fail() { FAILED=$((FAILED + 1)); echo "FAIL $*"; }
info() { echo "---- $*"; }

cleanup() {
  local rc=$?
  if [[ -n "$CLIENT_PID" ]] && kill -0 "$CLIENT_PID" 2>/dev/null; then
    kill "$CLIENT_PID" 2>/dev/null || true
  fi
  if [[ $CONTAINER_STARTED == 1 ]]; then
    if [[ $FAILED -gt 0 || $rc -ne 0 ]]; then
      echo "---- container log (last 40 lines)"
      "${CE[@]}" logs "$NAME" 2>&1 | tail -n 40 || true
    fi
    "${CE[@]}" rm -f "$NAME" >/dev/null 2>&1 || true
  fi
  rm -rf "$TMP"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- engine -------------------------------------------------------------------
ENGINE="${ENGINE:-}"
if [[ -z "$ENGINE" ]]; then
  if command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
    ENGINE=docker
  else
    ENGINE=podman
  fi
fi

BUILD_OPTS=()
RUN_OPTS=()
if [[ $ENGINE == docker ]]; then
  CE=(docker)
  info "engine: ${CE[*]}"
  [[ -n "${BASE_IMAGE:-}" ]] && BUILD_OPTS+=(--build-arg "BASE_IMAGE=$BASE_IMAGE")
else
  if ! command -v podman >/dev/null 2>&1 || ! command -v runc >/dev/null 2>&1 \
     || { [[ -z "${BASE_IMAGE:-}" ]] && ! command -v debootstrap >/dev/null 2>&1; }; then
    info "installing podman, runc, debootstrap with apt-get"
    SUDO=(); [[ $(id -u) -ne 0 ]] && SUDO=(sudo)
    "${SUDO[@]}" apt-get update -qq >"$TMP/apt.log" 2>&1 || true
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman runc debootstrap \
      >>"$TMP/apt.log" 2>&1 || { tail -n 20 "$TMP/apt.log"; fail "apt-get install podman runc debootstrap"; exit 1; }
  fi
  # crun fails on hybrid cgroup hosts; runc works there and everywhere else.
  CE=(podman)
  command -v runc >/dev/null 2>&1 && CE+=(--runtime runc)
  # Podman's default ulimits (nproc 32768, nofile 1048576) are refused in some
  # sandboxes; ask for modest ones explicitly (PODMAN_ULIMITS overrides).
  read -ra ULIMITS <<<"${PODMAN_ULIMITS:---ulimit nofile=1024:20000 --ulimit nproc=4096:4096}"
  BUILD_OPTS+=("${ULIMITS[@]}" --ignorefile "$HERE/Dockerfile.dockerignore")
  RUN_OPTS+=("${ULIMITS[@]}")
  info "engine: ${CE[*]}"
  BASE="${BASE_IMAGE:-$LOCAL_BASE}"
  if [[ $BASE == "$LOCAL_BASE" ]] && ! podman image exists "$LOCAL_BASE"; then
    info "creating local base image $LOCAL_BASE with debootstrap (once, a minute or two)"
    bash "$HERE/make-local-base.sh" "$LOCAL_BASE"
  fi
  BUILD_OPTS+=(--build-arg "BASE_IMAGE=$BASE")
  # The local image has jlink and the jmods too: the build stage links the runtime from it.
  [[ $BASE == "$LOCAL_BASE" ]] && BUILD_OPTS+=(--build-arg "JDK_IMAGE=$LOCAL_BASE")
fi

# --- jar ----------------------------------------------------------------------
if [[ ! -f "$JAR" || "${REBUILD_JAR:-0}" == 1 ]]; then
  info "building the jar: mvn -q package -DskipTests"
  (cd "$ROOT" && mvn -B -q package -DskipTests) >"$TMP/mvn.log" 2>&1 \
    || { tail -n 40 "$TMP/mvn.log"; fail "mvn package"; exit 1; }
fi
[[ -f "$JAR" ]] || { fail "no jar at $JAR after the build"; exit 1; }

# --- image --------------------------------------------------------------------
t0=$SECONDS
if "${CE[@]}" build -f "$HERE/Dockerfile" -t "$IMAGE" "${BUILD_OPTS[@]}" "$ROOT" >"$TMP/build.log" 2>&1; then
  pass "image build: $IMAGE ($((SECONDS - t0)) s)"
else
  tail -n 30 "$TMP/build.log"
  fail "image build"
  exit 1
fi
SIZE_BYTES=$("${CE[@]}" image inspect -f '{{.Size}}' "$IMAGE")
SIZE_MB=$((SIZE_BYTES / 1000000))
USER_IN_IMAGE=$("${CE[@]}" image inspect -f '{{.Config.User}}' "$IMAGE")
if [[ -n "$USER_IN_IMAGE" && "$USER_IN_IMAGE" != root && "$USER_IN_IMAGE" != 0 && "$USER_IN_IMAGE" != 0:* ]]; then
  pass "image runs as non-root user $USER_IN_IMAGE"
else
  fail "image user is '${USER_IN_IMAGE:-root}'"
fi

# --- free loopback ports ------------------------------------------------------
read -r HOST_PORT METRICS_PORT < <(python3 - <<'EOF'
import socket
socks = [socket.socket() for _ in range(2)]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in socks))
EOF
)

# --- run ----------------------------------------------------------------------
"${CE[@]}" run -d --name "$NAME" "${RUN_OPTS[@]}" \
  -p "127.0.0.1:$HOST_PORT:$CHAT_PORT_IN" \
  -p "127.0.0.1:$METRICS_PORT:$METRICS_PORT_IN" \
  -e "CHAT_METRICS_PORT=$METRICS_PORT_IN" \
  "$IMAGE" >/dev/null
CONTAINER_STARTED=1
info "container $NAME: chat 127.0.0.1:$HOST_PORT, metrics 127.0.0.1:$METRICS_PORT"

# --- clients ------------------------------------------------------------------
# One Python process holds both clients: waits for the server, joins ann and
# bob, chats, writes "ready" to $TMP/chat.ok, then keeps both connections open
# until the server closes them and writes each client's last line.
cat >"$TMP/clients.py" <<'EOF'
import socket, sys, time

port, tmp = int(sys.argv[1]), sys.argv[2]
HOST = "127.0.0.1"

class Client:
    def __init__(self, sock):
        self.sock, self.buf, self.lines = sock, b"", []
    def readline(self, timeout):
        end = time.monotonic() + timeout
        while b"\n" not in self.buf:
            left = end - time.monotonic()
            if left <= 0:
                raise TimeoutError("no line within %.0f s" % timeout)
            self.sock.settimeout(left)
            data = self.sock.recv(4096)
            if not data:
                raise EOFError("connection closed")
            self.buf += data
        line, self.buf = self.buf.split(b"\n", 1)
        line = line.decode("utf-8", "replace").rstrip("\r")
        self.lines.append(line)
        return line
    def expect(self, what, pred, timeout=10):
        end = time.monotonic() + timeout
        while True:
            line = self.readline(max(0.1, end - time.monotonic()))
            if pred(line):
                return line
    def send(self, text):
        self.sock.sendall((text + "\n").encode())

def connect(deadline):
    """Connects and reads the name prompt; retries until the server answers."""
    last = None
    while time.monotonic() < deadline:
        try:
            s = socket.create_connection((HOST, port), timeout=2)
            c = Client(s)
            c.expect("prompt", lambda l: l.startswith("Enter your name"), timeout=3)
            return c
        except (OSError, EOFError, TimeoutError) as e:
            last = e
            try: s.close()
            except Exception: pass
            time.sleep(0.3)
    raise SystemExit("server never sent 'Enter your name:' (%s)" % last)

def step(msg):
    print("client: " + msg, flush=True)

ann = connect(time.monotonic() + 60)
step("ann connected, got the name prompt")
ann.send("ann")
ann.expect("welcome", lambda l: l == "You are ann")
ann.expect("also-here", lambda l: l.startswith("Also here"))
bob = connect(time.monotonic() + 10)
bob.send("bob")
bob.expect("welcome", lambda l: l == "You are bob")
here = bob.expect("also-here", lambda l: l.startswith("Also here"))
step("bob joined, server said: %r" % here)
ann.expect("arrival", lambda l: l == "bob has arrived")
step("ann saw 'bob has arrived'")
bob.send("hi")
ann.expect("chat", lambda l: l == "bob: hi")
bob.expect("echo", lambda l: l == "bob: hi")
ann.send("hello bob")
bob.expect("chat", lambda l: l == "ann: hello bob")
step("chat delivered both ways ('bob: hi', 'ann: hello bob')")
open(tmp + "/chat.ok", "w").write("ready\n")

# Wait for the server to go away; record the last line each client received.
for name, c in (("ann", ann), ("bob", bob)):
    try:
        while True:
            c.readline(60)
    except (EOFError, OSError, TimeoutError) as e:
        pass
    open("%s/last.%s" % (tmp, name), "w").write((c.lines[-1] if c.lines else "") + "\n")
EOF

python3 "$TMP/clients.py" "$HOST_PORT" "$TMP" >"$TMP/clients.log" 2>&1 &
CLIENT_PID=$!
for _ in $(seq 1 700); do   # up to ~70 s: server start plus the chat steps
  [[ -f "$TMP/chat.ok" ]] && break
  kill -0 "$CLIENT_PID" 2>/dev/null || break
  sleep 0.1
done
sed 's/^/    /' "$TMP/clients.log"
if [[ -f "$TMP/chat.ok" ]]; then
  pass "two TCP clients joined and chatted through 127.0.0.1:$HOST_PORT"
else
  fail "chat over 127.0.0.1:$HOST_PORT"
fi

# --- metrics ------------------------------------------------------------------
METRICS_URL="http://127.0.0.1:$METRICS_PORT/metrics"
if curl -fsS --max-time 5 --retry 5 --retry-delay 1 --retry-all-errors "$METRICS_URL" >"$TMP/metrics.txt" 2>"$TMP/curl.err"; then
  pass "/metrics answers at $METRICS_URL ($(grep -cv '^#' "$TMP/metrics.txt") samples)"
  SAMPLE=$(grep -E "^${METRIC_NAME}(\{[^}]*\})?[[:space:]]" "$TMP/metrics.txt" | head -n1 || true)
  VALUE=$(awk '{print $NF}' <<<"$SAMPLE")
  if [[ -n "$SAMPLE" ]] && awk -v v="$VALUE" -v m="$METRIC_MIN" 'BEGIN { exit !(v + 0 >= m + 0) }'; then
    pass "metric counts the clients: $SAMPLE"
  elif [[ -n "$SAMPLE" ]]; then
    fail "metric $METRIC_NAME is $VALUE, expected >= $METRIC_MIN"
  else
    fail "no sample named /^$METRIC_NAME/ in /metrics (adjust METRIC_NAME at the top of docker/test.sh); it has:"
    grep -v '^#' "$TMP/metrics.txt" | head -n 20 | sed 's/^/    /'
  fi
else
  fail "/metrics did not answer at $METRICS_URL with CHAT_METRICS_PORT=$METRICS_PORT_IN ($(tail -n 1 "$TMP/curl.err")) - does the server serve --metrics-port yet?"
fi

# --- graceful stop ------------------------------------------------------------
t0=$(date +%s.%N)
"${CE[@]}" stop -t "$STOP_TIMEOUT" "$NAME" >/dev/null
STOP_S=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
EXIT_CODE=$("${CE[@]}" inspect -f '{{.State.ExitCode}}' "$NAME")
if [[ "$EXIT_CODE" == 0 ]]; then
  pass "stop: exit code 0 after SIGTERM (${STOP_S} s)"
else
  hint=""
  [[ "$EXIT_CODE" == 143 ]] && hint=" (143 = died of SIGTERM: the JVM ran its shutdown hooks but nothing exited 0)"
  [[ "$EXIT_CODE" == 137 ]] && hint=" (137 = SIGKILL after ${STOP_TIMEOUT} s: the server did not exit on SIGTERM)"
  fail "stop: exit code $EXIT_CODE after ${STOP_S} s$hint"
fi

for _ in $(seq 1 50); do
  kill -0 "$CLIENT_PID" 2>/dev/null || break
  sleep 0.1
done
for who in ann bob; do
  LAST=$(cat "$TMP/last.$who" 2>/dev/null || echo "(client did not finish)")
  if [[ "$LAST" == "$SHUTDOWN_LINE" ]]; then
    pass "client $who's last line: '$LAST'"
  else
    fail "client $who's last line: '$LAST', expected '$SHUTDOWN_LINE'"
  fi
done

# --- summary ------------------------------------------------------------------
echo "image: $IMAGE, $SIZE_MB MB (${CE[0]} image inspect .Size)"
echo "elapsed: $((SECONDS - START)) s"
echo "docker-test: $PASSED passed, $FAILED failed"
[[ $FAILED -eq 0 ]]
