"""Every sandbox fault on every charge path: at most one payment per intended charge, and the
journal agrees with the sandbox once reconciled. Real HTTP against the sandbox."""

from __future__ import annotations

import pytest
from movable_clock import MovableClock
from sandbox_audit import SandboxAudit

from pos_app.core.card import KeyInCard
from pos_app.core.order import Order
from pos_app.services.outcome import ChargeOutcome
from pos_app.services.till import Till

# Every fault on every flow, against PortOne V1 and V2 (tests/services/conftest.py).
pytestmark = pytest.mark.parametrize("api_version", ["v1", "v2"], indirect=True)

CARD = ("4242-4242-4242-4242", "12/39", "880101", "12")
FLOWS = ("charge_once", "issue_and_charge", "charge_again")
# Faults after which the sandbox has acted (the charge exists), and those before it acted.
ACTED = {"delay", "drop_after", "malformed", "expire_token"}
NOT_ACTED = {"error_500", "drop_before"}


def _charge(till: Till, flow: str, order: Order) -> ChargeOutcome:
    if flow == "charge_again":
        return till.charge_again("gildong_4242", order)
    save_as = "gildong_4242" if flow == "issue_and_charge" else None
    return till.charge_once(KeyInCard.parse(*CARD), order, save_as=save_as)


@pytest.mark.parametrize("flow", FLOWS)
@pytest.mark.parametrize("fault", sorted(ACTED | NOT_ACTED))
def test_fault_leaves_one_payment_and_an_agreeing_journal(
    till: Till, sandbox: SandboxAudit, clock: MovableClock, flow: str, fault: str
) -> None:
    if flow == "charge_again":
        till.issue_key("gildong_4242", KeyInCard.parse(*CARD))
    endpoint = (
        "/subscribe/payments/onetime" if flow == "charge_once" else "/subscribe/payments/again"
    )
    if sandbox.version == "v1" and flow == "issue_and_charge":
        endpoint = "/subscribe/payments/onetime"  # V1 charges and saves in one call
    # (V2 saves the card first, then charges its new billing key: the charge is what fails.)
    sandbox.fault(endpoint, fault, delay_ms=200 if fault == "delay" else 0)
    order = Order(till.new_merchant_uid(), 15000, "회비")

    outcome = _charge(till, flow, order)
    assert outcome.kind in {"paid", "unknown", "refused"}
    if fault in ("delay", "expire_token"):
        assert outcome.kind == "paid"  # answered (late, or after one token refresh)

    # Reconciled once the charge can no longer be in flight (a 404 proves nothing before).
    clock.advance(till.settler.timing.max_wait_s + till.settler.timing.grace_s)
    till.reconcile()
    paid = sandbox.paid(order.merchant_uid)
    assert len(paid) <= 1
    if fault in ACTED:
        assert len(paid) == 1
    row = till.journal_row(order.merchant_uid)
    assert row is not None
    assert row.state == ("paid" if paid else "void")
    if paid:
        assert row.imp_uid == paid[0]["imp_uid"] and row.amount == paid[0]["amount"] == 15000
    assert till.pending_for("gildong_4242") == []
    if flow == "issue_and_charge":  # the saved card is in the list exactly when it was charged
        assert (till.customer("gildong_4242") is not None) == bool(paid)
    # Whatever happened, checking again changes nothing and charges nothing.
    assert till.check_outcome(order.merchant_uid).kind == ("paid" if paid else "refused")
    assert len(sandbox.paid(order.merchant_uid)) == len(paid)
