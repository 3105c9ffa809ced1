"""`pos-app reconcile`: settle every charge and refund left pending, sent or unknown by asking
PortOne, and look again at charges settled "never happened" in case PortOne finished them late.

Exit 0 when everything is settled, 3 when some outcome is still unknown (PortOne unreachable, or
a charge that may still be in flight: `next_check_at` says when to run it again), 1 on error.
Prints one JSON object.
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
    from pos_app.services.opening import open_till
    from pos_app.services.outcome import EXIT_OK, EXIT_UNKNOWN

    lang = language(getattr(args, "lang", None))
    setup_logging()
    # Storage, settings and PortOne failures are reported by commands.run_command.
    till = open_till()
    try:
        outcomes, refunds = till.reconcile_all()
        still_open = till.unsettled()
        next_check = till.next_check_at()
    finally:
        close_quietly(till)
    from pos_app.services import audit

    for outcome in outcomes:
        audit.record_from_cli(
            audit.CHARGE_SETTLED, {"merchant_uid": outcome.merchant_uid, "outcome": outcome.kind}
        )
    for refund in refunds:
        audit.record_from_cli(
            audit.REFUND, {"imp_uid": refund.imp_uid, "outcome": refund.kind, "settled": True}
        )
    counts = Counter(o.kind for o in outcomes)
    refund_counts = Counter(r.kind for r in refunds)
    orders = []
    for outcome in outcomes:
        order = outcome.to_json()
        order["message"] = outcome_message(outcome.message, outcome.kind, lang)
        orders.append(order)
    emit(
        {
            "checked": len(outcomes) + len(refunds),
            "paid": counts["paid"],
            "declined": counts["declined"],
            "not_charged": counts["refused"],
            "refunded": refund_counts["refunded"],
            "not_refunded": refund_counts["not_refunded"],
            "unknown": len(still_open),
            "next_check_at": round(next_check) if next_check is not None else None,
            "orders": orders,
            "refunds": [
                {
                    "outcome": r.kind,
                    "merchant_uid": r.merchant_uid,
                    "imp_uid": r.imp_uid,
                    "amount": r.amount,
                }
                for r in refunds
            ],
        }
    )
    return EXIT_UNKNOWN if still_open else EXIT_OK
