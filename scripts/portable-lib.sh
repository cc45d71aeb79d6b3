# Sourced by scripts/portable-*.sh: Debian root filesystems made with debootstrap under
# target/portable/roots/ (cached: a root is remade only when its recipe changes), entered with
# chroot, and the host packages and binfmt registration that needs. No Docker.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

PORTABLE="$ROOT/target/portable"
ROOTS="$PORTABLE/roots"
DIST="$ROOT/target/dist"
DEBIAN_MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
DEBIAN_SECURITY_MIRROR="${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}"
# The PATH inside every root; nothing of the host's environment goes in.
ROOT_PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# host_packages PKG...: installs the Debian packages of the host that are missing.
host_packages() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
  done
  ((${#missing[@]})) || return 0
  log "installing on the host: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get install -y -o DPkg::Lock::Timeout=600 "${missing[@]}" || {
    as_root apt-get update -o DPkg::Lock::Timeout=600
    as_root apt-get install -y -o DPkg::Lock::Timeout=600 "${missing[@]}"
  }
}

# One portable script at a time: they share the roots and their mounts. A portable script run
# by another one (EUID_PORTABLE_LOCKED set) shares its caller's lock and leaves the mounts to it.
PORTABLE_LOCK_OWNER=0
portable_lock() {
  [ -z "${EUID_PORTABLE_LOCKED:-}" ] || return 0
  mkdir -p "$PORTABLE"
  exec 9>"$PORTABLE/.lock"
  if ! flock -n 9; then
    log "waiting for another portable script (lock $PORTABLE/.lock)"
    flock 9
  fi
  PORTABLE_LOCK_OWNER=1
  export EUID_PORTABLE_LOCKED=1
  # Mounts left by a killed run; safe to drop while we hold the lock.
  unmount_all
}

# Cleanup functions run at exit, last registered first.
CLEANUPS=()
on_exit() { CLEANUPS+=("$1"); }
run_cleanups() {
  local i
  for ((i = ${#CLEANUPS[@]} - 1; i >= 0; i--)); do "${CLEANUPS[$i]}" || true; done
}
trap run_cleanups EXIT

# unmount_under DIR: every mount at or below DIR, deepest first.
mounts_under() { awk -v r="$1/" 'index($2 "/", r) == 1 { print $2 }' /proc/mounts | sort -r; }
unmount_under() {
  local m
  mounts_under "$1" | while read -r m; do
    as_root umount "$m" 2>/dev/null || as_root umount -l "$m" || true
  done
}
# Every mount under target/portable/roots/ (only by the lock's owner, at its start and exit).
unmount_all() {
  [ "$PORTABLE_LOCK_OWNER" = 1 ] && [ -d "$ROOTS" ] || return 0
  unmount_under "$ROOTS"
}
on_exit unmount_all

# enter_root DIR: /proc and a private /dev (a tmpfs with the usual nodes, never the host's /dev,
# so that deleting target/ can never reach the host's devices), and the host's DNS settings.
enter_root() {
  local r=$1
  mountpoint -q "$r/proc" || as_root mount -t proc proc "$r/proc"
  if ! mountpoint -q "$r/dev"; then
    as_root mount -t tmpfs -o mode=755,size=256m devtmp "$r/dev"
    as_root mknod -m 666 "$r/dev/null" c 1 3
    as_root mknod -m 666 "$r/dev/zero" c 1 5
    as_root mknod -m 666 "$r/dev/full" c 1 7
    as_root mknod -m 666 "$r/dev/random" c 1 8
    as_root mknod -m 666 "$r/dev/urandom" c 1 9
    as_root mknod -m 666 "$r/dev/tty" c 5 0
    as_root mkdir -m 1777 "$r/dev/shm"
    as_root mkdir -m 755 "$r/dev/pts"
    as_root ln -s /proc/self/fd "$r/dev/fd"
    as_root ln -s /proc/self/fd/0 "$r/dev/stdin"
    as_root ln -s /proc/self/fd/1 "$r/dev/stdout"
    as_root ln -s /proc/self/fd/2 "$r/dev/stderr"
  fi
  as_root rm -f "$r/etc/resolv.conf"
  as_root cp -L /etc/resolv.conf "$r/etc/resolv.conf"
  # debootstrap writes no /etc/hosts, so `localhost` would not resolve (every installed system
  # has these two lines).
  [ -f "$r/etc/hosts" ] || printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' |
    as_root tee "$r/etc/hosts" >/dev/null
  # The host's CA bundle: it may trust a TLS proxy that the root's own bundle does not know.
  as_root mkdir -p "$r/etc/ssl"
  as_root cp -L "${SSL_CERT_FILE:-/etc/ssl/certs/ca-certificates.crt}" "$r/etc/ssl/host-ca-bundle.crt"
}

# in_root DIR CMD...: runs CMD inside DIR with a clean environment (plus the VAR=value words
# given before CMD), as root.
in_root() {
  local r=$1
  shift
  local ca=/etc/ssl/host-ca-bundle.crt
  as_root chroot "$r" /usr/bin/env -i PATH="$ROOT_PATH" HOME=/root LANG=C.UTF-8 \
    DEBIAN_FRONTEND=noninteractive SSL_CERT_FILE=$ca PIP_CERT=$ca CARGO_HTTP_CAINFO=$ca \
    REQUESTS_CA_BUNDLE=$ca PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_DEFAULT_TIMEOUT=180 "$@"
}

# binfmt_aarch64: lets the kernel run aarch64 programs through qemu-aarch64-static (flag F: the
# interpreter is opened once here, so chroots need no copy of it).
binfmt_aarch64() {
  host_packages qemu-user-static binfmt-support
  if [ ! -e /proc/sys/fs/binfmt_misc/register ]; then
    as_root mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
  fi
  if ! grep -q '^enabled' /proc/sys/fs/binfmt_misc/qemu-aarch64 2>/dev/null; then
    as_root update-binfmts --enable qemu-aarch64 || as_root update-binfmts --import qemu-aarch64
  fi
  grep -q '^flags: .*F' /proc/sys/fs/binfmt_misc/qemu-aarch64 || {
    echo "qemu-aarch64 is registered without the F flag; chroots would need their own copy" >&2
    return 1
  }
}

# make_root NAME SUITE ARCH RECIPE_ID PROVISION_FN INCLUDE: a debootstrap root at
# $ROOTS/NAME, provisioned by PROVISION_FN (called with the root's path, the root entered).
# Reused as long as its marker holds the same recipe id; remade from scratch otherwise.
make_root() {
  local name=$1 suite=$2 arch=$3 recipe=$4 provision=$5 include=$6
  local r="$ROOTS/$name" marker="$ROOTS/$name/.euid-root"
  if [ -f "$marker" ] && [ "$(cat "$marker")" = "$recipe" ]; then
    enter_root "$r"
    return 0
  fi
  host_packages debootstrap
  [ "$arch" = amd64 ] || binfmt_aarch64
  log "creating the $suite/$arch root $r (debootstrap; cached afterwards)"
  df -h "$ROOT" | tail -1 >&2
  unmount_under "$r"
  if [ -n "$(mounts_under "$r")" ]; then
    echo "cannot unmount everything under $r; not deleting it" >&2
    return 1
  fi
  as_root rm -rf "$r"
  mkdir -p "$ROOTS"
  local started=$SECONDS
  if [ "$arch" = amd64 ]; then
    as_root debootstrap --variant=minbase --arch="$arch" --include="$include" \
      "$suite" "$r" "$DEBIAN_MIRROR"
  else
    as_root debootstrap --variant=minbase --arch="$arch" --foreign --include="$include" \
      "$suite" "$r" "$DEBIAN_MIRROR"
    # Second stage: the root's own (aarch64) dpkg and maintainer scripts, under qemu-user.
    as_root chroot "$r" /usr/bin/env -i PATH="$ROOT_PATH" /debootstrap/debootstrap --second-stage
  fi
  as_root tee "$r/etc/apt/sources.list" >/dev/null <<EOF
deb $DEBIAN_MIRROR $suite main
deb $DEBIAN_MIRROR $suite-updates main
deb $DEBIAN_SECURITY_MIRROR $suite-security main
EOF
  # No service may start inside the root.
  printf '#!/bin/sh\nexit 101\n' | as_root tee "$r/usr/sbin/policy-rc.d" >/dev/null
  as_root chmod 755 "$r/usr/sbin/policy-rc.d"
  enter_root "$r"
  in_root "$r" apt-get update -q
  "$provision" "$r"
  in_root "$r" apt-get clean
  echo "$recipe" | as_root tee "$marker" >/dev/null
  log "root $name ready in $((SECONDS - started)) s ($(du -sh "$r" 2>/dev/null | cut -f1))"
}

# start_emulator: the test emulator ($EMULATOR_BIN, scripts/portable-build.sh's) on the host's
# 127.0.0.1; its address and credentials, as JSON, in $EMU_DIR/out. stop_emulator ends it (also
# at exit).
EMU_DIR=""
EMU_PID=""
start_emulator() {
  EMU_DIR=$(mktemp -d)
  mkfifo "$EMU_DIR/in"
  "$EMULATOR_BIN" --port 0 <"$EMU_DIR/in" >"$EMU_DIR/out" &
  EMU_PID=$!
  exec 8>"$EMU_DIR/in" # the emulator runs until its stdin closes
  for _ in $(seq 300); do
    [ -s "$EMU_DIR/out" ] && break
    sleep 0.1
  done
  [ -s "$EMU_DIR/out" ] || { echo "the emulator printed no address" >&2; return 1; }
}
stop_emulator() {
  [ -n "$EMU_PID" ] || return 0
  exec 8>&-
  for _ in $(seq 100); do
    kill -0 "$EMU_PID" 2>/dev/null || break
    sleep 0.1
  done
  kill -TERM "$EMU_PID" 2>/dev/null || true
  wait "$EMU_PID" 2>/dev/null || true
  rm -rf "$EMU_DIR"
  EMU_PID=""
}
on_exit stop_emulator
