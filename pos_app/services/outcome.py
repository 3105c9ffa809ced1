"""What a charge came to, in the four words the window and the command line act on."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from pos_app.store.journal import JournalRow, State

if TYPE_CHECKING:
    from pos_app.gateway.models import Payment
    from pos_app.services.guard import ChargeBlocked

OutcomeKind = Literal["paid", "declined", "refused", "unknown"]
# What a charge's own answer, or asking PortOne afterwards, settled: the journal state, the
# payment PortOne holds (None when it has none), and the reason to show.
Settled = tuple[State, "Payment | None", str]

MSG_UNKNOWN = "결제 결과를 확인하지 못했습니다. 다시 결제하지 말고 '결과 확인'으로 조회하세요."
MSG_NEVER_HAPPENED = "PortOne에 결제 기록이 없습니다. 결제되지 않았습니다."
MSG_ALREADY_PAID = "이미 결제된 주문입니다 (같은 주문번호)."
MSG_UID_REUSED = "이 주문번호는 다른 결제에 이미 쓰였습니다."
MSG_IN_FLIGHT = (
    "결제가 아직 처리 중일 수 있습니다 (PortOne 또는 다른 창·프로그램). 다시 결제하지 말고 "
    "잠시 후 결과를 확인하세요."
)


MSG_ALREADY_PAID_UNSEEN = (
    "PortOne이 이 주문은 이미 결제되었다고 답했지만 결제 내역을 아직 보여주지 않습니다. 다시 "
    "결제하지 말고 잠시 후 결과를 확인하세요."
)
MSG_NEVER_SEEN = "이 주문번호의 결제 기록이 없습니다 (이 계산대의 기록에도, PortOne에도)."

# Our own words for an outcome, by reason code. The window and the command line say them in the
# person's language and their own terms (ui/result_panel.py, commands/messages.py); the Korean
# text here is for logs and the journal. A message with no code is PortOne's, shown verbatim.
REASON_OF_MESSAGE: dict[str, str] = {
    MSG_UNKNOWN: "unknown",
    MSG_IN_FLIGHT: "in_flight",
    MSG_NEVER_HAPPENED: "never_happened",
    MSG_ALREADY_PAID: "already_paid",
    MSG_ALREADY_PAID_UNSEEN: "already_paid_unseen",
    MSG_UID_REUSED: "uid_reused",
    MSG_NEVER_SEEN: "never_seen",
}

MSG_BLOCKED_IN_FLIGHT = (
    "이 고객의 결제가 지금 처리 중입니다 (다른 창·계산대·명령). 결과가 나온 뒤 다시 확인하세요."
)
MSG_BLOCKED_UNSETTLED = "이 고객의 이전 결제 결과가 아직 확인되지 않았습니다."
MSG_BLOCKED_UNSETTLED_CLI = (
    MSG_BLOCKED_UNSETTLED + " `pos-app reconcile`로 확인한 뒤 다시 시도하세요."
)
MSG_BLOCKED_DUPLICATE = "5분 안에 같은 고객에게 같은 금액을 결제했습니다."
MSG_BLOCKED_DUPLICATE_CLI = (
    MSG_BLOCKED_DUPLICATE + " 정말 다시 결제하려면 --allow-duplicate 를 붙이세요."
)
MSG_BLOCKED_REPEAT = (
    "이번 청구 기간에 같은 고객에게 같은 금액을 이미 청구했습니다 (다른 청구 파일)."
)


def blocked_message(blocked: ChargeBlocked, *, cli: bool = False) -> str:
    """Why the guard stopped a charge, in the words the command line or a report shows."""
    reason = blocked.reason
    if reason == "in_flight":
        return MSG_BLOCKED_IN_FLIGHT
    if reason == "unsettled":
        return MSG_BLOCKED_UNSETTLED_CLI if cli else MSG_BLOCKED_UNSETTLED
    if reason == "repeat":
        return MSG_BLOCKED_REPEAT
    return MSG_BLOCKED_DUPLICATE_CLI if cli else MSG_BLOCKED_DUPLICATE


def state_of(payment: Payment) -> State:
    """The journal state a payment PortOne holds stands for."""
    if payment.status in ("paid", "cancelled"):
        return "paid"  # a later refund does not undo the charge; it has its own row
    if payment.status == "failed":
        return "declined"
    return "unknown"  # "ready": PortOne has it but no result yet


KIND_OF_STATE: dict[State, OutcomeKind] = {
    "paid": "paid",
    "declined": "declined",
    "refused": "refused",
    "void": "refused",
}


def settled_by(payment: Payment) -> Settled:
    """What a payment PortOne holds settles; only a declined one carries a reason."""
    state = state_of(payment)
    return state, payment, payment.fail_reason if state == "declined" else ""


# Exit codes of `pos-app charge` / `bill` / `reconcile` (docs/journal.md).
EXIT_OK = 0
EXIT_ERROR = 1
EXIT_DECLINED = 2
EXIT_UNKNOWN = 3


@dataclass(frozen=True)
class ChargeOutcome:
    """paid: approved. declined: the card company said no (a failed payment exists).
    refused: nothing was charged (PortOne refused, or it never saw the request).
    unknown: it may or may not have gone through; settle it with check_outcome/reconcile,
    never by charging again.
    """

    kind: OutcomeKind
    merchant_uid: str
    payment: Payment | None
    message: str
    customer_uid: str | None = None
    amount: int = 0

    @property
    def reason(self) -> str:
        """The code of our own words in `message` (REASON_OF_MESSAGE); "" for PortOne's."""
        return REASON_OF_MESSAGE.get(self.message, "")

    @property
    def exit_code(self) -> int:
        return {"paid": EXIT_OK, "declined": EXIT_DECLINED, "refused": EXIT_DECLINED}.get(
            self.kind, EXIT_UNKNOWN
        )

    def to_json(self) -> dict[str, object]:
        """A flat, card-free summary for the command line (masked card, last four only)."""
        p = self.payment
        card = ""
        if p is not None and p.card_number:
            from pos_app.core.card_mask import card_tail

            card = card_tail(p.card_number)
        return {
            "outcome": self.kind,
            "merchant_uid": self.merchant_uid,
            "customer_uid": self.customer_uid
            if p is None
            else (p.customer_uid or self.customer_uid),
            "amount": self.amount if p is None else p.amount,
            "imp_uid": None if p is None else p.imp_uid,
            "status": None if p is None else p.status,
            "apply_num": None if p is None else (p.apply_num or None),
            "card": card or None,
            "card_name": None if p is None else (p.card_name or None),
            "message": self.message,
        }


def outcome_of(
    settled: Settled,
    row: JournalRow | None,
    merchant_uid: str,
    fallback: str = MSG_UNKNOWN,
) -> ChargeOutcome:
    """The outcome to show for a settled charge; an unknown one always says what to do next."""
    state, payment, message = settled
    kind: OutcomeKind = KIND_OF_STATE.get(state, "unknown")
    if kind == "unknown":
        message = message or fallback
    customer = row.customer_uid if row is not None else None
    amount = row.amount if row is not None else (payment.amount if payment else 0)
    return ChargeOutcome(kind, merchant_uid, payment, message, customer, amount)
