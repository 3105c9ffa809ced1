"""`pos-app bill FILE.csv`: charge every row (customer_uid,amount,name) of a file, once.

Resumable: run the same file again after a crash, a kill or a network failure and each row is
charged at most once (see docs/journal.md). Progress on stderr, a JSON summary on stdout.
Exit 0 all paid, 2 some declined/refused/malformed, 3 some outcome unknown, 1 error.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from pos_app.commands import print_error

HELP = "charge saved cards listed in a CSV (customer_uid,amount,name); safe to run again"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, metavar="FILE.csv", help="customer_uid,amount,name rows")
    parser.add_argument(
        "--allow-repeat",
        metavar="REASON",
        default="",
        help="charge a member again although another bill already charged them the same "
        "amount in this period (the reason is kept with each such charge)",
    )


class _ProgressBar:
    """A one-line bar on stderr, redrawn at most a hundred times."""

    def __init__(self, width: int = 30) -> None:
        self.width = width
        self.shown = -1

    def __call__(self, done: int, total: int) -> None:
        step = done * 100 // max(total, 1)
        if step == self.shown and done != total:
            return
        self.shown = step
        filled = self.width * done // max(total, 1)
        bar = "#" * filled + "-" * (self.width - filled)
        end = "\n" if done == total else ""
        sys.stderr.write(f"\r청구 [{bar}] {done}/{total}{end}")
        sys.stderr.flush()


def run(args: argparse.Namespace) -> int:
    from pos_app.gateway.errors import PortOneError
    from pos_app.logs import setup_logging
    from pos_app.services.billing import read_bill, run_bill
    from pos_app.services.opening import open_till
    from pos_app.services.outcome import EXIT_ERROR

    setup_logging()
    try:
        data = args.file.read_bytes()
    except OSError as exc:
        print_error(f"cannot read {args.file}: {exc.strerror}")
        return EXIT_ERROR
    plan = read_bill(data)
    for problem in plan.problems:
        print(f"{args.file}:{problem.line}: {problem.message}", file=sys.stderr)
    try:
        till = open_till()
    except (PortOneError, OSError, ValueError) as exc:
        print_error(str(exc))
        return EXIT_ERROR
    try:
        summary = run_bill(till, plan, _ProgressBar(), repeat_reason=args.allow_repeat)
    except PortOneError as exc:
        print_error(str(exc))
        return EXIT_ERROR
    finally:
        till.close()
    result = {"file": str(args.file), "bill_id": f"B{plan.digest}", **summary.to_json()}
    print(json.dumps(result, ensure_ascii=False))
    return summary.exit_code
