"""`pos-app charge`: charge a saved card (billing key) once and print one JSON object.

Card data is never taken on the command line; only customers whose card is already saved can
be charged here. Exit 0 paid, 2 declined or refused, 3 outcome unknown, 1 error.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pos_app.services.guard import ChargeBlocked

HELP = "charge a saved card once; prints JSON (exit 0 paid, 2 declined/refused, 3 unknown, 1 error)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--customer-uid", required=True, help="the saved card (billing key) to charge"
    )
    parser.add_argument("--amount", required=True, help="amount in won, e.g. 12000 or 12,000")
    parser.add_argument("--name", required=True, help="order name shown on the receipt")
    parser.add_argument("--tax-free", default="0", help="tax-free part of the amount (default 0)")
    parser.add_argument(
        "--merchant-uid",
        help="order id; give the same one again to retry safely (default: a new one)",
    )
    parser.add_argument(
        "--allow-duplicate",
        action="store_true",
        help="charge even if the same amount was charged to this customer in the last 5 minutes",
    )


def _print(payload: dict[str, object]) -> None:
    print(json.dumps(payload, ensure_ascii=False), flush=True)


def blocked_json(blocked: ChargeBlocked, merchant_uid: str) -> dict[str, object]:
    """What `charge` prints when the guard stopped it (nothing was written or sent)."""
    from pos_app.services.outcome import blocked_message

    result: dict[str, object] = {
        "outcome": "refused",
        "reason": blocked.reason,
        "merchant_uid": merchant_uid,
        "customer_uid": blocked.customer_uid,
        "message": blocked_message(blocked, cli=True),
    }
    if blocked.blocking:
        result["blocked_by"] = [r.merchant_uid for r in blocked.blocking]
    if blocked.duplicate is not None:
        result["duplicate_of"] = blocked.duplicate.merchant_uid
    return result


def run(args: argparse.Namespace) -> int:
    from pos_app.core.errors import InvalidInput
    from pos_app.core.money import parse_amount, parse_tax_free
    from pos_app.core.order import Order, check_customer_uid
    from pos_app.gateway.errors import PortOneError
    from pos_app.logs import setup_logging
    from pos_app.services.guard import Answers, ChargeBlocked
    from pos_app.services.opening import open_till
    from pos_app.services.outcome import EXIT_DECLINED, EXIT_ERROR

    setup_logging()
    try:
        customer_uid = check_customer_uid(args.customer_uid)
        amount = parse_amount(args.amount)
        tax_free = parse_tax_free(args.tax_free, amount)
    except InvalidInput as exc:
        _print({"outcome": "error", "field": exc.field, "message": exc.message()})
        return EXIT_ERROR
    try:
        till = open_till()
    except (PortOneError, OSError, ValueError) as exc:
        _print({"outcome": "error", "message": str(exc)})
        return EXIT_ERROR
    try:
        try:
            order = Order(args.merchant_uid or till.new_merchant_uid(), amount, args.name, tax_free)
        except InvalidInput as exc:
            _print({"outcome": "error", "field": exc.field, "message": exc.message()})
            return EXIT_ERROR
        answers = Answers(allow_duplicate=args.allow_duplicate)
        try:
            # The till settles this customer's earlier unsettled charges first (never by
            # sending them again), then checks the guard and writes the intent atomically.
            outcome = till.charge_again(customer_uid, order, answers=answers)
        except ChargeBlocked as blocked:
            _print(blocked_json(blocked, order.merchant_uid))
            return EXIT_DECLINED
        except PortOneError as exc:
            _print({"outcome": "error", "merchant_uid": order.merchant_uid, "message": str(exc)})
            return EXIT_ERROR
        _print(outcome.to_json())
        return outcome.exit_code
    finally:
        till.close()
        sys.stdout.flush()
