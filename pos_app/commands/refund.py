"""`pos-app refund --merchant-uid M [--amount N] --reason R`: refund a payment, all or part.

The same code as the window's 환불 (Till.refund): the refund row is journaled before the cancel
leaves, only one refund of a payment may be open at a time, PortOne's checksum rejects a refund
built on a stale view, and a lost answer is settled from PortOne's cancel_history, never by
sending the cancel again. Prints one JSON object.
Exit 0 refunded, 2 refused (nothing refunded), 3 outcome unknown, 1 error.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from pos_app.commands import emit

if TYPE_CHECKING:
    from pos_app.services.till import Till
    from pos_app.store.audit import Detail

HELP = "refund a payment (all, or --amount); prints JSON (exit 0 refunded, 2 refused, 3 unknown)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--merchant-uid", required=True, help="the order id of the payment")
    parser.add_argument("--amount", help="amount to refund in won (default: all that is left)")
    parser.add_argument("--reason", required=True, help="why (kept with the refund at PortOne)")
    parser.add_argument(
        "--manager",
        metavar="NAME",
        help="once the shop has a manager: who approves (their PIN is asked, or read as one "
        "line of standard input)",
    )


def _print(payload: dict[str, object]) -> None:
    # Never raises (commands.emit): a pipe that closed or a console that cannot take the text
    # must not turn a refund that happened into exit 1.
    emit(payload)


def run(args: argparse.Namespace) -> int:
    from pos_app.core.errors import InvalidInput
    from pos_app.core.money import parse_amount
    from pos_app.core.order import check_merchant_uid, check_reason
    from pos_app.gateway.errors import PortOneError
    from pos_app.logs import setup_logging
    from pos_app.services.opening import open_till
    from pos_app.services.outcome import EXIT_ERROR

    setup_logging()
    try:
        merchant_uid = check_merchant_uid(args.merchant_uid)
        amount = parse_amount(args.amount) if args.amount else None
        reason = check_reason(args.reason)
    except InvalidInput as exc:
        _print({"outcome": "error", "field": exc.field, "message": exc.message()})
        return EXIT_ERROR
    from pos_app.commands.staff import approve_from_cli

    lang: str = getattr(args, "lang", None) or "ko"
    asked: dict[str, Detail] = {"merchant_uid": merchant_uid, "amount": amount}
    approved, approver = approve_from_cli(args.manager, "refund", {**asked, "reason": reason}, lang)
    if not approved:
        _print({"outcome": "error", "field": "manager", "message": approver})
        return EXIT_ERROR
    try:
        till = open_till()
    except (PortOneError, OSError, ValueError) as exc:
        _print({"outcome": "error", "message": str(exc)})
        return EXIT_ERROR
    base: dict[str, object] = {"merchant_uid": merchant_uid, "amount": amount}
    try:
        return _refund(till, merchant_uid, amount, reason, base, approver)
    finally:
        till.close()


def _refund(
    till: Till,
    merchant_uid: str,
    amount: int | None,
    reason: str,
    base: dict[str, object],
    approver: str,
) -> int:
    """The refund, printed, and its outcome recorded in the audit trail."""
    code = _send_refund(till, merchant_uid, amount, reason, base)
    from pos_app.services import audit

    outcome = {0: "refunded", 3: "unknown", 2: "refused"}.get(code, "error")
    details: dict[str, Detail] = {
        "merchant_uid": merchant_uid,
        "imp_uid": str(base.get("imp_uid") or ""),
        "outcome": outcome,
        "via": "cli",
        "mode": till.mode,
    }
    if amount is not None:
        details["amount"] = amount
    if approver:
        details["approved_by"] = approver
    audit.record_from_cli(audit.REFUND, details)
    return code


def _send_refund(
    till: Till, merchant_uid: str, amount: int | None, reason: str, base: dict[str, object]
) -> int:
    from pos_app.gateway.errors import NotFound, PortOneError, Refused
    from pos_app.services.outcome import EXIT_DECLINED, EXIT_ERROR, EXIT_OK, EXIT_UNKNOWN
    from pos_app.services.refunds import RefundUnknown

    try:
        payment = till.payment_of(merchant_uid)
    except NotFound as exc:
        _print({"outcome": "refused", **base, "message": exc.message})
        return EXIT_DECLINED
    base["imp_uid"] = payment.imp_uid
    try:
        after = till.refund(payment.imp_uid, amount, reason)
    except RefundUnknown as exc:
        _print({"outcome": "unknown", **base, "message": exc.message})
        return EXIT_UNKNOWN
    except Refused as exc:
        _print({"outcome": "refused", **base, "message": exc.message})
        return EXIT_DECLINED
    except PortOneError as exc:
        # Failed before the cancel left (the payment could not be read): nothing refunded.
        _print({"outcome": "error", **base, "message": exc.message})
        return EXIT_ERROR
    _print(
        {
            "outcome": "refunded",
            **base,
            "amount": amount if amount is not None else payment.refundable,
            "cancel_amount": after.cancel_amount,
            "refundable": after.refundable,
            "status": after.status,
            "message": "",
        }
    )
    return EXIT_OK
