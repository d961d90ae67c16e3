#!/bin/sh
# Runs a command in a network namespace of its own, with no way off this machine, where the system
# allows it (root, or unprivileged user namespaces). Inside: loopback, plus a veth pair whose two ends
# both stay in the namespace (198.51.100.1/24, a documentation range, as the default route). The pair is
# only there so that Chromium sees a network and reports navigator.onLine = true, as on a real machine;
# whatever is sent to it stays in the namespace. WebRTC gathers candidates on every interface it sees,
# so this keeps every packet a test sends on this machine.
# Where no namespace can be made, the command runs as it is, and says so.
if [ -z "$TTX_IN_NETNS" ] && unshare -rn true 2>/dev/null; then
  exec unshare -rn env TTX_IN_NETNS=1 sh -c '
    ip link set lo up 2>/dev/null || true
    if ip link add ttx0 type veth peer name ttx1 2>/dev/null; then
      ip link set ttx0 up && ip link set ttx1 up &&
        ip addr add 198.51.100.1/24 dev ttx0 && ip route add default dev ttx0
    fi
    exec "$@"' sh "$@"
fi
[ -n "$TTX_IN_NETNS" ] || echo "note: no private network namespace here; tests use 127.0.0.1 and the host's interfaces" >&2
exec "$@"
