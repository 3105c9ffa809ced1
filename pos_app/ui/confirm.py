"""Questions asked before an action that cannot be undone: charging a saved card again,
replacing or deleting one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from pos_app.ui.won import won

if TYPE_CHECKING:  # only named in annotations; rows arrive from the worker thread
    from pos_app.store.customers import CustomerRow
    from pos_app.ui.amount_form import Charge


def ask(parent: QWidget, title: str, text: str, yes: str, name: str = "confirm") -> bool:
    """True only when the person chose `yes`; Esc, closing and Enter (the default) say no.

    The box is `{name}Dialog` with `{name}YesButton` and `{name}NoButton`, for tests and
    accessibility tools."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    box.setObjectName(f"{name}Dialog")
    accept = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    accept.setObjectName(f"{name}YesButton")
    cancel = box.addButton(
        QCoreApplication.translate("confirm", "취소"), QMessageBox.ButtonRole.RejectRole
    )
    cancel.setObjectName(f"{name}NoButton")
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    return box.clickedButton() is accept


def confirm_charge_again(parent: QWidget, row: CustomerRow, charge: Charge) -> bool:
    """재결제 names who is charged, with which saved card, and how much, before anything is sent;
    취소 is the default, so an Enter meant for something else charges nobody."""
    if charge.card_quota >= 2:
        months = QCoreApplication.translate("confirm", "%1개월 할부").replace(
            "%1", str(charge.card_quota)
        )
    else:
        months = QCoreApplication.translate("confirm", "일시불")
    card = f"{row.card_name} {row.card_number}".strip() or "—"
    text = (
        QCoreApplication.translate("confirm", "이 고객의 저장된 카드로 결제합니다.")
        + "\n\n"
        + QCoreApplication.translate("confirm", "고객: %1 (고객 ID %2)")
        .replace("%1", row.name or "—")
        .replace("%2", row.customer_uid)
        + "\n"
        + QCoreApplication.translate("confirm", "카드: %1").replace("%1", card)
        + "\n"
        + QCoreApplication.translate("confirm", "금액: %1 (%2)")
        .replace("%1", won(charge.amount))
        .replace("%2", months)
        + "\n"
        + QCoreApplication.translate("confirm", "주문명: %1").replace("%1", charge.name)
    )
    return ask(
        parent,
        QCoreApplication.translate("confirm", "재결제 확인"),
        text,
        QCoreApplication.translate("confirm", "%1 결제").replace("%1", won(charge.amount)),
        name="chargeAgain",
    )


def ask_print_without_shop(parent: QWidget) -> bool:
    """A receipt without the shop's name and business number is not a proper 매출전표: say so
    before printing, and where to set them; 취소 is the default."""
    return ask(
        parent,
        QCoreApplication.translate("confirm", "상호·사업자등록번호 없음"),
        QCoreApplication.translate(
            "confirm",
            "상호 또는 사업자등록번호가 설정되지 않아 영수증에 나오지 않습니다. "
            "설정 → PortOne 연결 설정…에서 입력할 수 있습니다. 그래도 인쇄할까요?",
        ),
        QCoreApplication.translate("confirm", "그래도 인쇄"),
        name="receiptShop",
    )


def confirm_action(parent: QWidget, action: str, customer_uid: str, *, saved: bool) -> bool:
    """Replacing a saved card (`saved`: the customer_uid already has one) or deleting one asks
    first; every other action goes ahead."""
    if action in ("issue_key", "issue_and_charge") and saved:
        return ask(
            parent,
            QCoreApplication.translate("confirm", "저장된 카드 교체"),
            QCoreApplication.translate(
                "confirm", "고객 ID %1에 이미 저장된 카드가 있습니다. 새 카드로 교체할까요?"
            ).replace("%1", customer_uid),
            QCoreApplication.translate("confirm", "교체"),
        )
    if action == "delete_key":
        return ask(
            parent,
            QCoreApplication.translate("confirm", "등록 카드 삭제"),
            QCoreApplication.translate(
                "confirm", "고객 ID %1의 빌링키를 삭제합니다. 이후 재결제할 수 없습니다."
            ).replace("%1", customer_uid),
            QCoreApplication.translate("confirm", "삭제"),
        )
    return True


def running_text(action: str) -> str:
    """What the window says while `action` runs."""
    texts = {
        "issue_key": QCoreApplication.translate("confirm", "빌링키 발급 중"),
        "charge_once": QCoreApplication.translate("confirm", "결제 중"),
        "issue_and_charge": QCoreApplication.translate("confirm", "빌링키 발급 및 결제 중"),
        "charge_again": QCoreApplication.translate("confirm", "재결제 중"),
        "delete_key": QCoreApplication.translate("confirm", "빌링키 삭제 중"),
        "precheck": QCoreApplication.translate("confirm", "결제 전 확인 중"),
        "precheck_detail": QCoreApplication.translate(
            "confirm", "이 고객의 최근 결제를 확인하는 중입니다. 아직 아무것도 보내지 않았습니다."
        ),
        "check_outcome": QCoreApplication.translate("confirm", "PortOne에 결제 결과를 확인하는 중"),
        "reconcile": QCoreApplication.translate("confirm", "미확인 결제를 PortOne에 확인하는 중"),
        "refund": QCoreApplication.translate("confirm", "환불 중"),
        "day_report": QCoreApplication.translate("confirm", "매출 내역을 불러오는 중"),
        "export_day": QCoreApplication.translate("confirm", "매출 내역을 저장하는 중"),
        "receipt": QCoreApplication.translate("confirm", "영수증을 준비하는 중"),
    }
    return texts.get(action, "")
