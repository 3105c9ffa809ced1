"""`pos-app bill FILE.csv`: charge every row (customer_uid,amount,name) of a file, once.

Resumable: run the same file again after a crash, a kill or a network failure and each row is
charged at most once (see docs/journal.md). Progress on stderr, a JSON summary on stdout.
Exit 0 all paid, 2 some declined/refused/malformed, 3 some outcome unknown, 1 error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pos_app.commands import print_error

HELP = "charge saved cards listed in a CSV (customer_uid,amount,name); safe to run again"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, metavar="FILE.csv", help="customer_uid,amount,name rows")


class _ProgressBar:
    """A one-line bar on stderr, redrawn at most a hundred times."""

    def __init__(self, label: str, width: int = 30) -> None:
        self.label = label
        self.width = width
        self.shown = -1
        self.off = False

    def __call__(self, done: int, total: int) -> None:
        step = done * 100 // max(total, 1)
        if self.off or (step == self.shown and done != total):
            return
        self.shown = step
        filled = self.width * done // max(total, 1)
        bar = "#" * filled + "-" * (self.width - filled)
        end = "\n" if done == total else ""
        try:
            sys.stderr.write(f"\r{self.label} [{bar}] {done}/{total}{end}")
            sys.stderr.flush()
        except (OSError, ValueError):  # no console to draw on: the bill goes on without it
            self.off = True


def run(args: argparse.Namespace) -> int:
    from pos_app.commands import close_quietly, emit
    from pos_app.commands.messages import language, text
    from pos_app.logs import setup_logging
    from pos_app.services.billing import read_bill, run_bill
    from pos_app.services.outcome import EXIT_ERROR
    from pos_app.services.till import open_till

    lang = language(getattr(args, "lang", None))
    setup_logging()
    try:
        data = args.file.read_bytes()
    except OSError as exc:
        print_error(text("file.unreadable", lang, file=args.file, why=exc.strerror or exc))
        return EXIT_ERROR
    plan = read_bill(data)
    for problem in plan.problems:
        print(f"{args.file}:{problem.line}: {problem.message}", file=sys.stderr)
    # Storage, settings and PortOne failures are reported by commands.run_command; running the
    # same file again afterwards charges each row at most once.
    till = open_till()
    try:
        summary = run_bill(till, plan, _ProgressBar(text("bill.progress", lang)))
    finally:
        close_quietly(till)
    result = {"file": str(args.file), "bill_id": f"B{plan.digest}", **summary.to_json()}
    emit(result)
    return summary.exit_code
