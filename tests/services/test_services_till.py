"""The till's verbs over real HTTP against the sandbox: outcomes, journal, guards, refunds."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from movable_clock import MovableClock
from sandbox_audit import SandboxAudit
from till_parts import client_of, index_of, journal_of

from pos_app.core.card import KeyInCard
from pos_app.core.order import Order
from pos_app.gateway.errors import NotFound, OutcomeUnknown, Refused
from pos_app.services.opening import open_till
from pos_app.services.refunds import RefundBlocked, RefundUnknown
from pos_app.services.till import Till
from pos_app.store.journal import Journal

# Every test here runs against PortOne V1 and V2 (tests/services/conftest.py).
pytestmark = pytest.mark.parametrize("api_version", ["v1", "v2"], indirect=True)

APPROVED = ("4242424242424242", "12/39", "880101", "12")
DECLINING = ("4000000000000341", "12/39", "880101", "12")


def _order(till: Till, amount: int = 12000) -> Order:
    return Order(till.new_merchant_uid(), amount, "1월 회비")


def test_charge_again_paid_updates_journal_and_index(till: Till, sandbox: SandboxAudit) -> None:
    key = till.issue_key("gildong_4242", KeyInCard.parse(*APPROVED))
    assert key.customer_uid == "gildong_4242"
    order = _order(till)
    outcome = till.charge_again("gildong_4242", order)
    assert outcome.kind == "paid" and outcome.payment is not None
    row = till.journal_row(order.merchant_uid)
    assert row is not None and row.state == "paid" and row.card_number == "**** 4242"
    assert row.sent_at is not None and row.answered_at is not None
    (customer,) = till.customers()
    assert customer.customer_uid == "gildong_4242" and customer.last_charge_at
    assert len(sandbox.paid(order.merchant_uid)) == 1


def test_decline_is_an_outcome_not_an_error(till: Till) -> None:
    till.issue_key("limit_0341", KeyInCard.parse(*DECLINING))
    order = _order(till)
    outcome = till.charge_again("limit_0341", order)
    assert outcome.kind == "declined" and "한도" in outcome.message
    row = till.journal_row(order.merchant_uid)
    assert row is not None and row.state == "declined" and row.reason == outcome.message
    assert till.customers()[0].last_charge_at is None


def test_refused_for_unknown_customer(till: Till) -> None:
    order = _order(till)
    outcome = till.charge_again("nobody_0000", order)
    assert outcome.kind == "refused" and outcome.message
    assert till.journal_row(order.merchant_uid).state == "refused"  # type: ignore[union-attr]


def test_card_is_wiped_whatever_happens(till: Till, api_version: str) -> None:
    card = KeyInCard.parse("4242424242424242", "12/39", "880101", "99")  # PIN 99: auth fails
    outcome = till.charge_once(card, _order(till))
    # V2 answers every card company refusal as PG_PROVIDER, which the till records declined.
    assert outcome.kind == ("declined" if api_version == "v2" else "refused") and card.is_wiped
    card = KeyInCard.parse(*APPROVED)
    with pytest.raises(Refused):
        till.issue_key("x" * 201, card)  # longer than either API takes
    assert card.is_wiped


def test_issue_and_charge_saves_the_card(till: Till) -> None:
    order = _order(till)
    outcome = till.charge_once(KeyInCard.parse(*APPROVED), order, save_as="new_4242")
    assert outcome.kind == "paid"
    assert till.journal_row(order.merchant_uid).kind == "issue_and_charge"  # type: ignore[union-attr]
    assert [c.customer_uid for c in till.customers()] == ["new_4242"]
    assert till.customers()[0].last_charge_at is not None


def test_same_merchant_uid_twice_charges_once(till: Till, sandbox: SandboxAudit) -> None:
    till.issue_key("gildong_4242", KeyInCard.parse(*APPROVED))
    order = _order(till)
    assert till.charge_again("gildong_4242", order).kind == "paid"
    again = till.charge_again("gildong_4242", order)
    assert again.kind == "paid" and "이미" in again.message
    assert len(sandbox.paid(order.merchant_uid)) == 1
    other = till.charge_again("someone_else", Order(order.merchant_uid, 999, "다른 주문"))
    assert other.kind == "refused"


def test_void_order_is_sent_again_with_the_same_id(
    till: Till, sandbox: SandboxAudit, clock: MovableClock
) -> None:
    till.issue_key("gildong_4242", KeyInCard.parse(*APPROVED))
    sandbox.fault("/subscribe/payments/again", "drop_before")
    order = _order(till)
    first = till.charge_again("gildong_4242", order)
    assert first.kind == "unknown"  # a dropped connection proves nothing by itself
    till.reconcile()
    assert till.journal_row(order.merchant_uid).state == "unknown"  # type: ignore[union-attr]
    clock.advance(till.settler.timing.max_wait_s + till.settler.timing.grace_s)
    till.reconcile()
    assert till.journal_row(order.merchant_uid).state == "void"  # type: ignore[union-attr]
    assert till.charge_again("gildong_4242", order).kind == "paid"
    assert len(sandbox.paid(order.merchant_uid)) == 1


def test_unknown_blocks_customer_until_settled_or_overridden(
    till: Till, sandbox: SandboxAudit, clock: MovableClock
) -> None:
    till.issue_key("gildong_4242", KeyInCard.parse(*APPROVED))
    # The charge's answer is lost and every lookup fails: the outcome stays unknown.
    sandbox.fault("/subscribe/payments/again", "drop_after")
    sandbox.fault("/payments/find", "error_500", times=50)
    order = _order(till)
    assert till.charge_again("gildong_4242", order).kind == "unknown"
    assert [r.merchant_uid for r in till.pending_for("gildong_4242")] == [order.merchant_uid]
    assert till.reconcile()[0].kind == "unknown"
    with pytest.raises(ValueError):
        till.override_block("gildong_4242", "  ")
    # While PortOne may still be working on it, no override lets a charge past it.
    rows = till.override_block("gildong_4242", "고객이 영수증 확인")
    assert rows[0].override_reason is None
    assert [r.merchant_uid for r in till.pending_for("gildong_4242")] == [order.merchant_uid]
    clock.advance(till.settler.timing.max_wait_s + till.settler.timing.grace_s)
    rows = till.override_block("gildong_4242", "고객이 영수증 확인")
    assert rows[0].override_reason == "고객이 영수증 확인"
    assert till.pending_for("gildong_4242") == []
    sandbox.clear_faults()
    (settled,) = till.reconcile()
    assert settled.kind == "paid"
    assert till.journal_row(order.merchant_uid).state == "paid"  # type: ignore[union-attr]
    assert till.journal_row(order.merchant_uid).resolved_at is not None  # type: ignore[union-attr]


def test_recent_duplicate_same_amount_within_window(till: Till) -> None:
    till.issue_key("gildong_4242", KeyInCard.parse(*APPROVED))
    order = _order(till, 30000)
    till.charge_again("gildong_4242", order)
    seen = till.recent_duplicate("gildong_4242", 30000)
    assert seen is not None and seen.merchant_uid == order.merchant_uid
    assert till.recent_duplicate("gildong_4242", 30001) is None
    assert till.recent_duplicate("gildong_4242", 30000, within_s=-1) is None


def test_refunds_are_journaled_and_not_repeated(till: Till, sandbox: SandboxAudit) -> None:
    till.issue_key("gildong_4242", KeyInCard.parse(*APPROVED))
    outcome = till.charge_again("gildong_4242", _order(till, 10000))
    assert outcome.payment is not None
    imp_uid = outcome.payment.imp_uid
    part = till.refund(imp_uid, 3000, "부분 환불")
    assert part.cancel_amount == 3000
    # The answer to the next refund is lost: it is settled from the refundable amount.
    sandbox.fault("/payments/cancel", "drop_after")
    try:
        till.refund(imp_uid, None, "전액 환불")
    except Exception as exc:  # an unknown refund is reported, never resent
        assert type(exc).__name__ == "RefundUnknown"
    till.reconcile()
    rows = journal_of(till).refunds_of(imp_uid)
    assert [(r.amount, r.state) for r in rows] == [(3000, "refunded"), (7000, "refunded")]
    with pytest.raises(Refused):
        till.refund(imp_uid, None, "again")
    assert journal_of(till).refunds_of(imp_uid)[-1].state == "refused"


def test_delete_and_refresh_keep_the_index_in_step(till: Till) -> None:
    till.issue_key("gildong_4242", KeyInCard.parse(*APPROVED))
    assert till.refresh_customer("gildong_4242").customer_uid == "gildong_4242"
    till.delete_key("gildong_4242", "해지")
    assert till.customers() == []
    with pytest.raises(NotFound):
        till.refresh_customer("gildong_4242")


def test_import_customers_in_batches(till: Till) -> None:
    for uid in ("a_4242", "b_4242", "c_4242"):
        till.issue_key(uid, KeyInCard.parse(*APPROVED))
    index_of(till).remove("a_4242")
    index_of(till).remove("b_4242")
    found, missing = till.import_customers(["a_4242", "zz_0000", "b_4242"], batch=2)
    assert sorted(k.customer_uid for k in found) == ["a_4242", "b_4242"]
    assert missing == ["zz_0000"]
    assert [c.customer_uid for c in till.customers()] == ["a_4242", "b_4242", "c_4242"]


def test_open_till_places(
    sandbox_url: str, monkeypatch: pytest.MonkeyPatch, pos_app_home: Path, api_version: str
) -> None:
    with pytest.raises(ValueError, match="loopback"):
        open_till("http://example.com:8000")
    monkeypatch.setenv("POS_APP_API_BASE", sandbox_url)
    with open_till() as till:
        assert (till.mode, till.api_base) == ("sandbox", sandbox_url)
        assert till.journal_path == pos_app_home / "sandbox" / "journal.sqlite3"
    monkeypatch.delenv("POS_APP_API_BASE")
    monkeypatch.setattr("pos_app.services.places.load_credentials", lambda: None)
    with open_till() as till:  # embedded sandbox, its state in the data folder
        assert till.mode == "sandbox" and till.api_base != sandbox_url
        till.issue_key("kept_4242", KeyInCard.parse(*APPROVED))
    assert (pos_app_home / "sandbox-state.json").exists()
    with open_till() as till:
        assert till.refresh_customer("kept_4242").customer_uid == "kept_4242"


def test_resend_refused_as_duplicate_finds_the_late_payment(
    till: Till, sandbox: SandboxAudit
) -> None:
    till.issue_key("gildong_4242", KeyInCard.parse(*APPROVED))
    order = _order(till)
    assert till.charge_again("gildong_4242", order).kind == "paid"
    # As if a reconciliation had looked while the charge was still in flight at PortOne.
    row = till.journal_row(order.merchant_uid)
    assert row is not None
    journal_of(till).settle(row.id, "void", resolved=True)
    again = till.charge_again("gildong_4242", order)
    assert again.kind == "paid" and again.payment is not None
    assert till.journal_row(order.merchant_uid).state == "paid"  # type: ignore[union-attr]
    assert len(sandbox.paid(order.merchant_uid)) == 1


def test_intent_is_committed_while_the_request_is_in_flight(
    till: Till, sandbox: SandboxAudit
) -> None:
    till.issue_key("gildong_4242", KeyInCard.parse(*APPROVED))
    sandbox.fault("/subscribe/payments/again", "delay", delay_ms=1500)
    order = _order(till)
    outcomes = []
    worker = threading.Thread(
        target=lambda: outcomes.append(till.charge_again("gildong_4242", order))
    )
    worker.start()
    states = set()
    assert till.journal_path is not None
    with Journal(till.journal_path) as reader:  # another connection: only committed rows
        while worker.is_alive():
            row = reader.get(order.merchant_uid)
            if row is not None:
                states.add(row.state)
            threading.Event().wait(0.01)
    worker.join()
    assert "sent" in states and outcomes[0].kind == "paid"


def test_reconciliation_says_what_lost_refunds_came_to(
    till: Till, sandbox: SandboxAudit, clock: MovableClock
) -> None:
    """Two refunds whose answers were lost: one PortOne carried out (the cancel reached it), one
    it never saw. Reconciliation settles both from PortOne's cancel_history and reports each;
    the one it never saw only once it can no longer be in flight."""
    till.issue_key("gildong_4242", KeyInCard.parse(*APPROVED))
    outcome = till.charge_again("gildong_4242", _order(till, 10000))
    assert outcome.payment is not None
    imp_uid, merchant_uid = outcome.payment.imp_uid, outcome.payment.merchant_uid
    sandbox.fault("/payments/cancel", "drop_before")  # never reaches PortOne
    with pytest.raises(RefundUnknown):
        till.refund(imp_uid, 4000, "잃어버린 환불")
    charges, refunds = till.reconcile_all()
    assert charges == [] and [r.kind for r in refunds] == ["unknown"]  # may still be in flight
    clock.advance(till.settler.timing.max_wait_s + till.settler.timing.grace_s)
    charges, refunds = till.reconcile_all()
    assert charges == []
    (not_done,) = refunds
    assert (not_done.kind, not_done.imp_uid, not_done.amount) == ("not_refunded", imp_uid, 4000)
    assert not_done.merchant_uid == merchant_uid and not_done.payment is None
    # A refund journaled as sent whose cancel PortOne did carry out (journal begun and sent
    # here, the cancel itself made as the lost request would have made it).
    row = journal_of(till).begin(
        merchant_uid, "refund", origin=till.origin, amount=3000, imp_uid=imp_uid, checksum=10000
    )
    journal_of(till).mark_sent(row.id)
    client_of(till).cancel_payment(imp_uid=imp_uid, amount=3000, checksum=10000, reason=None)
    charges, refunds = till.reconcile_all()
    (done,) = refunds
    assert (done.kind, done.amount) == ("refunded", 3000)
    assert done.payment is not None and done.payment.cancel_amount == 3000
    assert journal_of(till).by_id(row.id).state == "refunded"  # type: ignore[union-attr]
    assert till.reconcile_all() == ([], [])  # nothing left open


def test_one_portone_refund_settles_one_refund_row_only(
    till: Till, sandbox: SandboxAudit, clock: MovableClock
) -> None:
    """Issue 11, reproduction 5: PortOne refunded 10,000 once, but two open refund rows of
    10,000 (as an earlier version could leave) both counted it: 2 refunds, 20,000, net sales
    -10,000. Matching cancel_history entries lets one PortOne refund settle one row."""
    till.issue_key("gildong_4242", KeyInCard.parse(*APPROVED))
    outcome = till.charge_again("gildong_4242", _order(till, 30000))
    assert outcome.payment is not None
    imp_uid, merchant_uid = outcome.payment.imp_uid, outcome.payment.merchant_uid
    rows = []
    for _ in range(2):
        row = journal_of(till).begin(
            merchant_uid,
            "refund",
            origin=till.origin,
            amount=10000,
            imp_uid=imp_uid,
            checksum=30000,
        )
        journal_of(till).mark_sent(row.id)
        rows.append(row)
    client_of(till).cancel_payment(imp_uid=imp_uid, amount=10000, checksum=30000, reason=None)
    clock.advance(till.settler.timing.max_wait_s + till.settler.timing.grace_s)
    _, refunds = till.reconcile_all()
    assert sorted(r.kind for r in refunds) == ["not_refunded", "refunded"]
    states = sorted(journal_of(till).by_id(r.id).state for r in rows)  # type: ignore[union-attr]
    assert states == ["refunded", "void"]


def test_a_second_refund_is_refused_while_one_is_unsettled(
    till: Till, sandbox: SandboxAudit
) -> None:
    till.issue_key("gildong_4242", KeyInCard.parse(*APPROVED))
    outcome = till.charge_again("gildong_4242", _order(till, 30000))
    assert outcome.payment is not None
    imp_uid = outcome.payment.imp_uid
    sandbox.fault("/payments/cancel", "drop_before")  # the cancel's fate is unknown
    with pytest.raises(RefundUnknown):
        till.refund(imp_uid, 10000, "첫 환불")
    with pytest.raises(RefundBlocked):
        till.refund(imp_uid, 5000, "두 번째")
    assert sandbox.cancels() == 1  # the second was never sent


def test_a_billing_key_whose_answer_was_lost_is_found_not_refused(
    till: Till, sandbox: SandboxAudit
) -> None:
    """Issue 11, item 9: an issue whose answer was lost showed "refused" though the key existed.
    The till looks the key up: one PortOne registered just now is this issue's."""
    sandbox.fault("/subscribe/customers", "drop_after")  # PortOne saves the card, answer lost
    key = till.issue_key("lost_4242", KeyInCard.parse(*APPROVED))
    assert key.customer_uid == "lost_4242"
    assert till.customer("lost_4242") is not None
    # Lost, and PortOne has no such key: still unknown (never "refused").
    sandbox.fault("/subscribe/customers", "drop_before")
    with pytest.raises(OutcomeUnknown):
        till.issue_key("never_4242", KeyInCard.parse(*APPROVED))
