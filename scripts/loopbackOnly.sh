#!/bin/sh
# Runs a command in a network namespace of its own whose only interface is loopback, where the system
# allows it (root, or unprivileged user namespaces). WebRTC gathers candidates on every interface it
# sees; inside this namespace the only one is 127.0.0.1, so every packet a test sends stays on loopback.
# Where no namespace can be made, the command runs as it is, and says so.
if [ -z "$TTX_IN_NETNS" ] && unshare -rn true 2>/dev/null; then
  exec unshare -rn env TTX_IN_NETNS=1 sh -c 'ip link set lo up 2>/dev/null || true; exec "$@"' sh "$@"
fi
[ -n "$TTX_IN_NETNS" ] || echo "note: no private network namespace here; tests use 127.0.0.1 and the host's interfaces" >&2
exec "$@"
