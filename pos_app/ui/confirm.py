"""Questions asked before an action that cannot be undone (replacing or deleting a saved card)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget


def ask(parent: QWidget, title: str, text: str, yes: str) -> bool:
    """True only when the person chose `yes`; Esc, closing and Enter (the default) say no."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    box.setObjectName("confirmDialog")
    accept = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    accept.setObjectName("confirmYesButton")
    cancel = box.addButton(
        QCoreApplication.translate("confirm", "취소"), QMessageBox.ButtonRole.RejectRole
    )
    cancel.setObjectName("confirmNoButton")
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    return box.clickedButton() is accept


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
        "check_outcome": QCoreApplication.translate("confirm", "PortOne에 결제 결과를 확인하는 중"),
        "reconcile": QCoreApplication.translate("confirm", "미확인 결제를 PortOne에 확인하는 중"),
        "refund": QCoreApplication.translate("confirm", "환불 중"),
        "day_report": QCoreApplication.translate("confirm", "매출 내역을 불러오는 중"),
        "export_day": QCoreApplication.translate("confirm", "매출 내역을 저장하는 중"),
        "receipt": QCoreApplication.translate("confirm", "영수증을 준비하는 중"),
    }
    return texts.get(action, "")
