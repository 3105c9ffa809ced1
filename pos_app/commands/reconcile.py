"""`pos-app reconcile`: settle every charge left pending, sent or unknown by asking PortOne.

Exit 0 when everything is settled, 3 when some outcome is still unknown (PortOne unreachable),
1 on error. Prints one JSON object.
"""

from __future__ import annotations

import argparse

HELP = "settle charges whose outcome is not known yet by asking PortOne (never by resending)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    del parser  # no options


def run(args: argparse.Namespace) -> int:
    from collections import Counter

    from pos_app.commands import close_quietly, emit
    from pos_app.commands.messages import language, outcome_message
    from pos_app.logs import setup_logging
    from pos_app.services.outcome import EXIT_OK, EXIT_UNKNOWN
    from pos_app.services.till import open_till

    lang = language(getattr(args, "lang", None))
    setup_logging()
    # Storage, settings and PortOne failures are reported by commands.run_command.
    till = open_till()
    try:
        outcomes = till.reconcile()
        still_open = till.journal.open_rows(till.origin)
    finally:
        close_quietly(till)
    counts = Counter(o.kind for o in outcomes)
    orders = []
    for outcome in outcomes:
        order = outcome.to_json()
        order["message"] = outcome_message(outcome.message, outcome.kind, lang)
        orders.append(order)
    emit(
        {
            "checked": len(outcomes),
            "paid": counts["paid"],
            "declined": counts["declined"],
            "not_charged": counts["refused"],
            "unknown": len(still_open),
            "orders": orders,
        }
    )
    return EXIT_UNKNOWN if still_open else EXIT_OK
