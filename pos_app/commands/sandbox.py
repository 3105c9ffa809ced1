"""`pos-app sandbox`: serve the local PortOne sandbox (V1; V2 under /v2) until Ctrl+C / SIGTERM.

The first line printed stays "PortOne V1 sandbox listening on URL": scripts read it.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path
from types import FrameType

HELP = "run the local PortOne sandbox (V1, and V2 under /v2; loopback only) until interrupted"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="loopback address (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port; 0 picks a free one (default)")
    parser.add_argument(
        "--state",
        type=Path,
        metavar="FILE",
        help="keep customers, payments and schedules in this JSON file across restarts",
    )
    parser.add_argument(
        "--variant",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="serve a real PortOne answer variant, e.g. decline=refusal (repeatable; the list "
        "is in docs/sandbox.md and at GET /__sandbox__/variants)",
    )


def run(args: argparse.Namespace) -> int:
    from pos_app.core.loopback import is_loopback_host
    from pos_app.sandbox import SandboxServer
    from pos_app.sandbox.variants import UnknownVariant, parse_assignments

    try:
        variants = parse_assignments(args.variant)
    except UnknownVariant as exc:
        print(f"pos-app sandbox: {exc}", file=sys.stderr)
        return 2
    if not is_loopback_host(args.host):
        print(
            f"pos-app sandbox: refusing to listen on {args.host}: the sandbox listens only on "
            "loopback, for this computer alone (use 127.0.0.1, ::1 or localhost)",
            file=sys.stderr,
        )
        return 2
    stop = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    server = SandboxServer(args.host, args.port, state_path=args.state, variants=variants)
    try:
        try:
            server.start()
        except OSError as exc:
            print(
                f"pos-app sandbox: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr
            )
            return 1
        print(f"PortOne V1 sandbox listening on {server.base_url}", flush=True)
        while not stop.wait(0.5):
            pass
    finally:
        server.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0
