# libtorrent (Debian's python3-libtorrent, under /usr/bin/python3) as a stock desktop client for
# test/node/libtorrentInterop.test.ts. It listens on 127.0.0.1 only, prints {"port": N} (its TCP port,
# also its DHT's UDP port), then reads one JSON line on stdin: {"magnet": "...", "dhtNodes": [[host, port]],
# "seconds": N}. It downloads the magnet into a temporary folder and prints {"ok": true, "hex": <the bytes
# of tx/tx.json in hex>, "seconds": <time taken>}, or {"ok": false, "error": "..."} after the time limit.
# Settings for loopback, where every node shares 127.0.0.1 (issue 8's probe): several connections per IP
# (the tracker also hands libtorrent its own address), no outgoing uTP (the node has none), and the DHT
# keeping more than one node per IP. No public bootstrap nodes, no LSD, UPnP or NAT-PMP.
import json
import os
import sys
import tempfile
import time

try:
    import libtorrent as lt
except ImportError as err:
    sys.stderr.write(f"cannot import libtorrent with {sys.executable} ({err}); apt-get install -y python3-libtorrent\n")
    sys.exit(3)


def say(value):
    sys.stdout.write(json.dumps(value) + "\n")
    sys.stdout.flush()


def main():
    dht = "--dht" in sys.argv
    session = lt.session(
        {
            "listen_interfaces": "127.0.0.1:0",
            "enable_dht": dht,
            "dht_bootstrap_nodes": "",
            "dht_restrict_routing_ips": False,
            "dht_restrict_search_ips": False,
            "enable_lsd": False,
            "enable_upnp": False,
            "enable_natpmp": False,
            "allow_multiple_connections_per_ip": True,
            "enable_outgoing_utp": False,
            "enable_incoming_utp": False,
            "alert_mask": 0,
        }
    )
    say({"port": session.listen_port()})
    request = json.loads(sys.stdin.readline())
    for host, port in request.get("dhtNodes", []):
        session.add_dht_node((host, port))
    folder = tempfile.mkdtemp(prefix="torrenttx-libtorrent-")
    params = lt.parse_magnet_uri(request["magnet"])
    params.save_path = folder
    handle = session.add_torrent(params)
    started = time.monotonic()
    deadline = started + request.get("seconds", 60)
    while time.monotonic() < deadline:
        status = handle.status()
        if status.is_seeding:
            with open(os.path.join(folder, "tx", "tx.json"), "rb") as f:
                say({"ok": True, "hex": f.read().hex(), "seconds": round(time.monotonic() - started, 2)})
            return
        time.sleep(0.05)
    say({"ok": False, "error": f"not downloaded in {request.get('seconds', 60)} s: state {handle.status().state}, peers {handle.status().num_peers}"})


main()
