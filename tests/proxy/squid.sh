#!/usr/bin/env bash
# Runs Debian's squid as the tests' forward proxy, on loopback only:
#   tests/proxy/squid.sh OPEN_PORT AUTH_PORT USER PASSWORD
# OPEN_PORT needs no credentials, AUTH_PORT needs USER:PASSWORD (basic). Only squid resolves
# operator.euid.test and blocked.euid.test (both 127.0.0.1, from its own hosts file); CONNECTs to
# blocked.euid.test are refused (403). Prints `ready <access log>` once both ports accept
# connections; squid logs each request there when it ends ("... TCP_TUNNEL/200 ... CONNECT
# operator.euid.test:PORT user ..."). Stops squid when its standard input closes (the test
# process ended) or on SIGTERM, and removes its files.
set -euo pipefail
if [ $# -ne 4 ]; then
  echo "usage: $0 OPEN_PORT AUTH_PORT USER PASSWORD" >&2
  exit 2
fi
open_port="$1" auth_port="$2" user="$3" password="$4"

squid=$(command -v squid || echo /usr/sbin/squid)
helper=/usr/lib/squid/basic_ncsa_auth
for tool in "$squid" "$helper"; do
  [ -x "$tool" ] || { echo "$0: $tool is missing (scripts/common.sh: ensure_test_tools installs squid)" >&2; exit 1; }
done
command -v openssl >/dev/null || { echo "$0: openssl is missing" >&2; exit 1; }

# Its own directory: run as root, squid drops to its own user, which must reach and write it.
dir=$(mktemp -d /tmp/euid-squid.XXXXXX)
trap 'rm -rf "$dir"' EXIT
chmod 0777 "$dir"

printf '%s:%s\n' "$user" "$(openssl passwd -1 "$password")" >"$dir/passwd"
printf '127.0.0.1 operator.euid.test blocked.euid.test\n' >"$dir/hosts"
cat >"$dir/squid.conf" <<CONF
http_port 127.0.0.1:$open_port name=open
http_port 127.0.0.1:$auth_port name=auth
hosts_file $dir/hosts
auth_param basic program $helper $dir/passwd
auth_param basic children 1 startup=1
auth_param basic realm euid-test
acl auth_port myportname auth
acl authenticated proxy_auth REQUIRED
acl blocked dstdomain blocked.euid.test
http_access deny auth_port !authenticated
http_access deny blocked
http_access allow all
cache deny all
cache_mem 8 MB
access_log stdio:$dir/access.log
buffered_logs off
cache_log $dir/cache.log
pid_filename $dir/squid.pid
coredump_dir $dir
shutdown_lifetime 0 seconds
pinger_enable off
CONF
chmod 0644 "$dir/passwd" "$dir/hosts" "$dir/squid.conf"

"$squid" -N -f "$dir/squid.conf" &
squid_pid=$!
cat <&0 >/dev/null &
stdin_pid=$!
trap 'kill "$squid_pid" "$stdin_pid" 2>/dev/null; wait "$squid_pid" 2>/dev/null; rm -rf "$dir"' EXIT
trap 'exit 0' TERM INT

for _ in $(seq 200); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$open_port" && exec 4<>"/dev/tcp/127.0.0.1/$auth_port") 2>/dev/null; then
    echo "ready $dir/access.log"
    wait -n "$squid_pid" "$stdin_pid" || true
    exit 0
  fi
  kill -0 "$squid_pid" 2>/dev/null || { cat "$dir/cache.log" >&2; exit 1; }
  sleep 0.1
done
echo "$0: squid did not listen within 20 s" >&2
cat "$dir/cache.log" >&2
exit 1
