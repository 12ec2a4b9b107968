#!/usr/bin/env bash
# Builds a local Java 17 image for Podman on a machine that has no image
# registry: a Debian bookworm minbase root filesystem made by debootstrap from
# the machine's own apt mirror, with openjdk-17-jdk-headless and openjdk-17-jmods
# (jlink and the modules it links), imported as an image. The Dockerfile takes it
# through --build-arg JDK_IMAGE=... (and BASE_IMAGE=..., as a Debian base).
#
#   usage: docker/make-local-base.sh [IMAGE]   (default localhost/chat-jre-base:17)
#
# Needs root, debootstrap and podman (or docker: ENGINE=docker). Takes a minute
# or two; run once, the image stays in the engine's storage
# (podman image exists IMAGE).
set -euo pipefail

IMAGE="${1:-localhost/chat-jre-base:17}"
SUITE="${DEBIAN_SUITE:-bookworm}"
ENGINE="${ENGINE:-$(command -v podman >/dev/null 2>&1 && echo podman || echo docker)}"

# The apt mirror this machine already uses (deb822 "URIs:" or one-line "deb URI ...").
mirror_uri() {
  local uri=""
  if compgen -G '/etc/apt/sources.list.d/*.sources' >/dev/null; then
    uri=$(awk '/^URIs:/ {print $2}' /etc/apt/sources.list.d/*.sources \
          | grep -E '/debian/?$' | head -n1 || true)
  fi
  if [[ -z "$uri" ]]; then
    uri=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
          | awk '$1=="deb" {for (i=2;i<=NF;i++) if ($i ~ /^(https?|file):/) {print $i; break}}' \
          | grep -E '/debian/?$' | head -n1 || true)
  fi
  echo "${uri:-http://deb.debian.org/debian}"
}

MIRROR="${DEBIAN_MIRROR:-$(mirror_uri)}"
ROOTFS=$(mktemp -d /tmp/chat-jre-rootfs.XXXXXX)
trap 'rm -rf "$ROOTFS" "$ROOTFS.log"' EXIT

echo "make-local-base: debootstrap $SUITE from $MIRROR into $ROOTFS" >&2
debootstrap --variant=minbase --include=openjdk-17-jdk-headless,openjdk-17-jmods \
  "$SUITE" "$ROOTFS" "$MIRROR" >"$ROOTFS.log" 2>&1 \
  || { tail -n 30 "$ROOTFS.log" >&2; exit 1; }
rm -f "$ROOTFS.log"

# Trim what a runtime image never uses.
rm -rf "$ROOTFS"/var/cache/apt/archives/*.deb "$ROOTFS"/var/lib/apt/lists/* \
       "$ROOTFS"/usr/share/doc/* "$ROOTFS"/usr/share/man/* "$ROOTFS"/usr/share/info/* \
       "$ROOTFS"/var/log/*.log "$ROOTFS"/tmp/* 2>/dev/null || true
test -x "$ROOTFS/usr/bin/java" || { echo "make-local-base: no java in rootfs" >&2; exit 1; }

QUIET=(); [[ $ENGINE == podman ]] && QUIET=(--quiet)
tar -C "$ROOTFS" -c . | "$ENGINE" import "${QUIET[@]}" \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV LANG=C.UTF-8' \
  --change 'CMD ["/bin/bash"]' \
  - "$IMAGE" >/dev/null
echo "make-local-base: imported $IMAGE" >&2
