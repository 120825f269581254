"""``python -m clicksend_sim [--host 127.0.0.1] [--port N] [--latency S]``: prints the base URL, serves until SIGTERM/SIGINT."""

from __future__ import annotations

import argparse
import signal
import sys
import threading

from .server import ClickSendSimulator


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="clicksend_sim", description="ClickSend REST v3 simulator (loopback only)")
    parser.add_argument("--host", default="127.0.0.1", help="loopback address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port (default: a free one)")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds every API request waits before its answer (default 0)")
    args = parser.parse_args(argv)
    sim = ClickSendSimulator(latency=args.latency)
    try:
        url = sim.start(args.host, args.port)
    except (ValueError, OSError) as exc:
        print(f"clicksend_sim: {exc}", file=sys.stderr)
        return 2
    stop = threading.Event()

    def _stop(signum: int, frame: object) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    print(url, flush=True)
    print(f"username={sim.username} api_key={sim.api_key} control={sim.root_url}/_sim/", file=sys.stderr, flush=True)
    while not stop.wait(0.5):
        pass
    sim.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
