# Independent torrent ids for test/core/torrentIds.test.ts: reads a JSON list of folder paths on stdin and
# prints, as one JSON list, what libtorrent (Debian's python3-libtorrent, run with /usr/bin/python3) makes
# of each folder as a v1 torrent with 16 KiB pieces (PROTOCOL §1): the v1 infohash and the info dict's
# keys, so the test can say which key differs when an id does not match.
import json
import os
import sys

try:
    import libtorrent as lt
except ImportError as err:
    sys.stderr.write(
        f"cannot import libtorrent with {sys.executable} ({err}); "
        "install it with: apt-get install -y python3-libtorrent\n"
    )
    sys.exit(3)


def v1_torrent(folder):
    folder = os.path.abspath(folder)
    files = lt.file_storage()
    lt.add_files(files, folder)
    # v1_only: a plain BitTorrent v1 torrent, no v2 merkle trees or pad files (PROTOCOL §1).
    creator = lt.create_torrent(files, 16384, flags=lt.create_torrent.v1_only)
    lt.set_piece_hashes(creator, os.path.dirname(folder))
    entry = creator.generate()
    info = entry[b"info"]
    # The id as libtorrent itself computes it when it loads the torrent.
    loaded = lt.torrent_info(lt.bencode(entry))
    return {
        "infohash": str(loaded.info_hashes().v1),
        "infoKeys": sorted(key.decode() for key in info.keys()),
        "libtorrent": lt.__version__,
    }


def v1_torrent_or_error(folder):
    # A folder libtorrent refuses (an empty tx.json: "invalid length of torrent") gets its error instead.
    try:
        return v1_torrent(folder)
    except RuntimeError as err:
        return {"error": str(err)}


def main():
    folders = json.load(sys.stdin)
    json.dump([v1_torrent_or_error(folder) for folder in folders], sys.stdout)


main()
