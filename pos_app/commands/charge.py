"""`pos-app charge`: charge a saved card (billing key) once and print one JSON object.

Card data is never taken on the command line; only customers whose card is already saved can
be charged here. Exit 0 paid, 2 declined or refused, 3 outcome unknown, 1 error.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pos_app.services.guard import ChargeBlocked
    from pos_app.services.till import Till

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


def run(args: argparse.Namespace) -> int:
    from pos_app.commands import close_quietly, emit
    from pos_app.commands.messages import language
    from pos_app.core.errors import InvalidInput
    from pos_app.core.money import parse_amount, parse_tax_free
    from pos_app.core.order import check_customer_uid
    from pos_app.logs import setup_logging
    from pos_app.services.opening import open_till
    from pos_app.services.outcome import EXIT_ERROR

    lang = language(getattr(args, "lang", None))
    setup_logging()
    try:
        customer_uid = check_customer_uid(args.customer_uid)
        amount = parse_amount(args.amount)
        tax_free = parse_tax_free(args.tax_free, amount)
    except InvalidInput as exc:
        emit({"outcome": "error", "field": exc.field, "message": exc.message(lang)})
        return EXIT_ERROR
    # Storage, settings and PortOne failures here are reported by commands.run_command.
    till = open_till()
    try:
        return _charge(till, args, customer_uid, amount, tax_free, lang)
    finally:
        close_quietly(till)


def _charge(
    till: Till, args: argparse.Namespace, customer_uid: str, amount: int, tax_free: int, lang: str
) -> int:
    from pos_app.commands import emit
    from pos_app.commands.messages import outcome_message
    from pos_app.core.errors import InvalidInput
    from pos_app.core.order import Order
    from pos_app.gateway.errors import PortOneError
    from pos_app.services.guard import Answers, ChargeBlocked
    from pos_app.services.outcome import EXIT_DECLINED, EXIT_ERROR

    try:
        order = Order(args.merchant_uid or till.new_merchant_uid(), amount, args.name, tax_free)
    except InvalidInput as exc:
        emit({"outcome": "error", "field": exc.field, "message": exc.message(lang)})
        return EXIT_ERROR
    answers = Answers(allow_duplicate=args.allow_duplicate)
    try:
        # The till settles this customer's earlier unsettled charges first (never by sending
        # them again), then checks the guard and writes the intent in one transaction.
        outcome = till.charge_again(customer_uid, order, answers=answers)
    except ChargeBlocked as blocked:
        emit(blocked_json(blocked, order.merchant_uid, lang))
        return EXIT_DECLINED
    except PortOneError as exc:
        emit({"outcome": "error", "merchant_uid": order.merchant_uid, "message": exc.message})
        return EXIT_ERROR
    except Exception as exc:
        return _storage_failed(till, order.merchant_uid, customer_uid, amount, exc, lang)
    payload = outcome.to_json()
    payload["message"] = outcome_message(outcome.message, outcome.kind, lang)
    # The exit status says what happened to the money, printed or not.
    emit(payload)
    from pos_app.services import audit

    audit.record_from_cli(
        audit.CHARGE,
        {
            "merchant_uid": outcome.merchant_uid,
            "outcome": outcome.kind,
            "amount": amount,
            "customer_uid": customer_uid,
            "via": "cli",
            "mode": till.mode,
        },
    )
    return outcome.exit_code


def blocked_json(blocked: ChargeBlocked, merchant_uid: str, lang: str) -> dict[str, object]:
    """What `charge` prints when the guard stopped it (nothing was written or sent)."""
    from pos_app.commands.messages import text

    result: dict[str, object] = {
        "outcome": "refused",
        "reason": blocked.reason,
        "merchant_uid": merchant_uid,
        "customer_uid": blocked.customer_uid,
        "message": text(f"charge.{blocked.reason}", lang),
    }
    if blocked.blocking:
        result["blocked_by"] = [r.merchant_uid for r in blocked.blocking]
    if blocked.duplicate is not None:
        result["duplicate_of"] = blocked.duplicate.merchant_uid
        # Which counter charged it (on a shared store, maybe another one).
        result["duplicate_terminal"] = blocked.duplicate.terminal
    return result


def _storage_failed(
    till: Till, merchant_uid: str, customer_uid: str, amount: int, exc: Exception, lang: str
) -> int:
    """The journal failed during the charge. Before the request left (no row, or a row still
    pending) nothing was charged: exit 1. After it left the charge may have gone through: exit 3,
    outcome unknown, settled later by `pos-app reconcile`, never by charging again."""
    from pos_app.commands import emit
    from pos_app.commands.messages import text
    from pos_app.services.outcome import EXIT_ERROR, EXIT_UNKNOWN
    from pos_app.store.errors import classify

    problem = classify(exc, till.journal_path)
    if problem is None:
        raise exc
    try:
        row = till.journal_row(merchant_uid)
    except Exception:  # the journal cannot even be read: assume the worst
        row = None
        sent = True
    else:
        sent = row is not None and row.state != "pending"
    if not sent:
        emit(
            {
                "outcome": "error",
                "merchant_uid": merchant_uid,
                "message": text("charge.not_sent", lang, problem=problem.message(lang)),
            }
        )
        return EXIT_ERROR
    emit(
        {
            "outcome": "unknown",
            "merchant_uid": merchant_uid,
            "customer_uid": customer_uid,
            "amount": amount,
            "message": text("charge.sent_not_recorded", lang, problem=problem.message(lang)),
        }
    )
    return EXIT_UNKNOWN
