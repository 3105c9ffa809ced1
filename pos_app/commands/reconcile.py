"""`pos-app reconcile`: settle every charge left pending, sent or unknown by asking PortOne.

Exit 0 when everything is settled, 3 when some outcome is still unknown (PortOne unreachable),
1 on error. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json

from pos_app.commands import print_error

HELP = "settle charges whose outcome is not known yet by asking PortOne (never by resending)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    del parser  # no options


def run(args: argparse.Namespace) -> int:
    from collections import Counter

    from pos_app.gateway.errors import PortOneError
    from pos_app.logs import setup_logging
    from pos_app.services.outcome import EXIT_ERROR, EXIT_OK, EXIT_UNKNOWN
    from pos_app.services.till import open_till

    setup_logging()
    try:
        till = open_till()
    except (PortOneError, OSError, ValueError) as exc:
        print_error(str(exc))
        return EXIT_ERROR
    try:
        outcomes = till.reconcile()
        still_open = till.journal.open_rows(till.origin)
    except PortOneError as exc:
        print_error(str(exc))
        return EXIT_ERROR
    finally:
        till.close()
    counts = Counter(o.kind for o in outcomes)
    print(
        json.dumps(
            {
                "checked": len(outcomes),
                "paid": counts["paid"],
                "declined": counts["declined"],
                "not_charged": counts["refused"],
                "unknown": len(still_open),
                "orders": [o.to_json() for o in outcomes],
            },
            ensure_ascii=False,
        )
    )
    return EXIT_UNKNOWN if still_open else EXIT_OK
