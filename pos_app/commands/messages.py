"""What the command line says, in Korean (the default) or English (`pos-app --lang en COMMAND`, or
LC_ALL / LC_MESSAGES / LANG starting with `en`), in the style of core/errors.py: a fixed catalogue
of (Korean, English) by key; the values formatted into a message are counts, amounts, paths and
order ids, never card data. JSON keys never change with the language, only `message` texts do.

The services word their outcomes for the window (a message may name a window button); the ones
the command line shows are reworded here, in the command line's terms.
"""

from __future__ import annotations

import os
from typing import Any

_CATALOG: dict[str, tuple[str, str]] = {
    "db.sqlite": (
        "이 계산대는 자체 SQLite 파일에 기록합니다 (매장 서버가 설정되지 않음).",
        "This counter keeps its own SQLite files (no store server is set).",
    ),
    "db.no_server": (
        "매장 서버가 설정되지 않았습니다. POS_APP_DATABASE_URL 이나 설정 → 매장 서버를 먼저 "
        "정하세요.",
        "No store server is set. Set POS_APP_DATABASE_URL or Settings → Store server first.",
    ),
    "db.nothing_to_import": (
        "{folder} 에 옮길 거래 기록이나 고객 목록이 없습니다.",
        "There is no journal or customer list to copy in {folder}.",
    ),
    "db.imported": (
        "결제 기록 {charges}건, 고객 {customers}명, 직원 {staff}명을 매장 서버로 옮겼습니다 "
        "(이미 있던 기록 {there}건은 건너뜀).",
        "Copied {charges} journal rows, {customers} customers and {staff} staff to the store "
        "server ({there} rows were already there).",
    ),
    "charge.unsettled": (
        "이전 결제의 결과가 확인되지 않았습니다. `pos-app reconcile` 후 다시 시도하세요.",
        "An earlier charge to this customer has no settled outcome yet. Run "
        "`pos-app reconcile`, then try again.",
    ),
    "charge.in_flight": (
        "이 고객의 결제가 지금 처리 중입니다 (다른 창·계산대·명령, 또는 PortOne이 아직 처리 중). "
        "다시 결제하지 말고 결과가 나온 뒤 `pos-app reconcile` 로 확인하세요.",
        "A charge to this customer is being processed right now (another window, counter or "
        "command, or PortOne is still working on it). Do not charge again; once it is done, "
        "run `pos-app reconcile`.",
    ),
    "charge.repeat": (
        "이번 청구 기간에 같은 고객에게 같은 금액을 이미 청구했습니다. 정말 다시 청구하려면 "
        "--allow-repeat 사유 를 붙이세요.",
        "This customer was already billed the same amount in this billing period. Add "
        "--allow-repeat REASON to bill again anyway.",
    ),
    "charge.duplicate": (
        "5분 안에 같은 고객에게 같은 금액을 결제했습니다. 정말 다시 결제하려면 "
        "--allow-duplicate 를 붙이세요.",
        "This customer was charged the same amount in the last five minutes. Add "
        "--allow-duplicate to charge again anyway.",
    ),
    "charge.not_sent": (
        "{problem} 이 결제는 보내지 않았습니다.",
        "{problem} This charge was not sent.",
    ),
    "charge.sent_not_recorded": (
        "결제를 보낸 뒤 결과를 거래 기록에 쓰지 못했습니다. 결제되었을 수 있으니 다시 결제하지 "
        "마세요. 문제를 해결한 뒤 `pos-app reconcile` 로 확인하세요. {problem}",
        "The charge was sent but its answer could not be written to the journal. It may have "
        "gone through: do not charge again. Fix the problem, then run `pos-app reconcile`. "
        "{problem}",
    ),
    "outcome.unknown": (
        "결제 결과를 확인하지 못했습니다. 다시 결제하지 말고 `pos-app reconcile` 로 확인하세요.",
        "The outcome of this charge is not known. Do not charge again; run `pos-app reconcile` "
        "to settle it.",
    ),
    "outcome.unknown_because": (
        "결제 결과를 확인하지 못했습니다({detail}). 다시 결제하지 말고 `pos-app reconcile` 로 "
        "확인하세요.",
        "The outcome of this charge is not known ({detail}). Do not charge again; run "
        "`pos-app reconcile` to settle it.",
    ),
    "outcome.never_happened": (
        "PortOne에 결제 기록이 없습니다. 결제되지 않았습니다.",
        "PortOne has no payment for this order: nothing was charged.",
    ),
    "outcome.already_paid": (
        "이미 결제된 주문입니다 (같은 주문번호).",
        "This order was already paid (same order id).",
    ),
    "outcome.in_flight": (
        "결제가 아직 처리 중일 수 있습니다 (PortOne 또는 다른 창·계산대·명령). 다시 결제하지 말고 "
        "잠시 후 `pos-app reconcile` 로 확인하세요.",
        "The charge may still be in progress (at PortOne, or in another window, counter or "
        "command). Do not charge again; run `pos-app reconcile` in a moment.",
    ),
    "outcome.already_paid_unseen": (
        "PortOne이 이 주문은 이미 결제되었다고 답했지만 결제 내역을 아직 보여주지 않습니다. 다시 "
        "결제하지 말고 잠시 후 `pos-app reconcile` 로 확인하세요.",
        "PortOne says this order is already paid but does not show the payment yet. Do not "
        "charge again; run `pos-app reconcile` in a moment.",
    ),
    "outcome.never_seen": (
        "이 주문번호의 결제 기록이 없습니다 (이 계산대의 기록에도, PortOne에도).",
        "There is no payment with this order id (neither in this counter's journal nor at "
        "PortOne).",
    ),
    "outcome.uid_reused": (
        "이 주문번호는 다른 결제에 이미 쓰였습니다.",
        "This order id was already used for a different charge.",
    ),
    "file.unreadable": (
        "{file} 파일을 읽을 수 없습니다: {why}",
        "Cannot read {file}: {why}",
    ),
    "os_error": (
        "입출력 오류로 명령을 마치지 못했습니다: {why}",
        "The command stopped on an input/output error: {why}",
    ),
    "internal": (
        "내부 오류로 명령을 마치지 못했습니다({kind}). 자세한 내용은 로그 폴더({logs})의 "
        "pos-app.log 에 있습니다.",
        "The command stopped on an internal error ({kind}). Details are in pos-app.log in the "
        "log folder ({logs}).",
    ),
    "bill.progress": ("청구", "Billing"),
    "run_due.progress": ("정기 결제", "Members due"),
    "run_due.date": (
        "--date 는 2026-03-05 같은 날짜(YYYY-MM-DD)입니다.",
        "--date is a date such as 2026-03-05 (YYYY-MM-DD).",
    ),
    "run_due.charged_in_period": (
        "{period} 정기 결제를 이미 했습니다 ({uid}). 금액이나 주문명이 그 뒤에 바뀌어 다시 "
        "결제하지 않습니다.",
        "The plan was already charged for {period} ({uid}); its amount or name changed since, "
        "so it is not charged again.",
    ),
    "plans.imported": (
        "회원 {saved}명의 정기 결제 계획을 저장했습니다. 찾지 못한 고객 {missing}명.",
        "Saved the plans of {saved} members; {missing} customers not found.",
    ),
    "journal.totals": (
        "[{mode}] {span}  결제 {paid_count}건 {paid_amount:,}원 · 환불 {refunded_count}건 "
        "{refunded_amount:,}원 · 순매출 {net_amount:,}원 · 거절 {declined_count}건 · 미결제 "
        "{not_charged_count}건 · 확인 필요 {unknown_count}건",
        "[{mode}] {span}  paid {paid_count} ({paid_amount:,} won) · refunded {refunded_count} "
        "({refunded_amount:,} won) · net {net_amount:,} won · declined {declined_count} · "
        "not charged {not_charged_count} · to check {unknown_count}",
    ),
    "journal.won": ("{amount:,}원", "{amount:,} won"),
    "journal.started_new": (
        "새 기록을 시작합니다. 옛 파일은 지우지 않았습니다: {kept}",
        "A new file will be started. The old files were kept: {kept}",
    ),
    "journal.nothing_to_start": (
        "거래 기록과 고객 목록이 정상이라 새로 시작하지 않았습니다.",
        "The journal and the customer list are healthy: nothing was started anew.",
    ),
}

KEYS = frozenset(_CATALOG)


def text(key: str, lang: str, **params: Any) -> str:
    """The message `key` in `lang` ("en…" English, anything else Korean)."""
    korean, english = _CATALOG[key]
    return (english if lang.startswith("en") else korean).format(**params)


def language(requested: str | None) -> str:
    """`--lang` wins; then the first of LC_ALL, LC_MESSAGES, LANG that is set (POSIX order):
    English when it starts with "en"; otherwise Korean."""
    if requested in ("ko", "en"):
        return requested
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:
            return "en" if value.lower().startswith("en") else "ko"
    return "ko"


def outcome_message(message: str, kind: str, lang: str) -> str:
    """An outcome's message from the services, said the command line's way (no window
    buttons) and in `lang` where the catalogue knows it; PortOne's own words pass as they are."""
    from pos_app.services.outcome import REASON_OF_MESSAGE

    reason = REASON_OF_MESSAGE.get(message)
    if reason is not None:
        return text(f"outcome.{reason}", lang)
    if kind == "unknown":
        # Whatever the cause, the next step is the same, and it is the command line's.
        if not message:
            return text("outcome.unknown", lang)
        return text("outcome.unknown_because", lang, detail=message)
    return message
