"""The question asked when the till cannot open its journal or customer list.

Nothing is charged until the person decides. A damaged or missing file offers to start a new one
(the old file stays where it is, moved aside) or to quit; any other storage failure (read-only,
full disk, locked) offers to try again once it is fixed, or to quit. The window is never left
half-open with a file it cannot write.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Literal

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QAbstractButton, QMessageBox, QWidget

if TYPE_CHECKING:
    from pos_app.store.errors import StorageError
    from pos_app.ui.main_window import MainWindow
    from pos_app.ui.till_requests import OpenFailure
    from pos_app.ui.worker import TillThread

Choice = Literal["start_new", "retry", "quit"]


def _what(error: StorageError) -> str:
    stem = error.path.stem if error.path is not None else ""
    if stem == "customers":
        return QCoreApplication.translate("storage", "고객 목록")
    return QCoreApplication.translate("storage", "거래 기록")


def problem_text(error: StorageError) -> str:
    """What is wrong, in the window's language (the banner says it too)."""
    if error.server:  # the shop's store server (docs/counters.md), not a file
        if error.reason == "unreachable":
            text = QCoreApplication.translate(
                "storage",
                "매장 서버에 연결할 수 없습니다(%1). 결제 기록을 먼저 남길 수 없어 결제하지 "
                "않습니다. 서버와 네트워크를 확인한 뒤 다시 시도하세요.",
            )
        else:
            text = QCoreApplication.translate(
                "storage", "매장 서버가 요청을 거부했습니다(%1): %2"
            ).replace("%2", error.detail or "-")
        return text.replace("%1", error.server)
    where = str(error.path) if error.path is not None else "-"
    texts = {
        "damaged": QCoreApplication.translate("storage", "%1 파일이 손상되어 열 수 없습니다(%2)."),
        "missing": QCoreApplication.translate(
            "storage",
            "%1 파일이 없어졌습니다(%2). 이 폴더에 기록이 있었으므로 빈 기록을 새로 만들지 "
            "않았습니다.",
        ),
        "read_only": QCoreApplication.translate(
            "storage", "%1 파일에 쓸 수 없습니다(%2): 파일이나 폴더가 읽기 전용입니다."
        ),
        "disk_full": QCoreApplication.translate(
            "storage", "디스크 공간이 모자라 %1 파일에 쓸 수 없습니다(%2)."
        ),
        "locked": QCoreApplication.translate(
            "storage", "다른 프로그램이 %1 파일을 잠그고 있습니다(%2)."
        ),
        "io": QCoreApplication.translate("storage", "%1 파일을 읽거나 쓰지 못했습니다(%2)."),
    }
    return texts[error.reason].replace("%1", _what(error)).replace("%2", where)


def _question(error: StorageError) -> str:
    if error.can_start_new:
        kept = ""
        if error.moved_to is not None:
            kept = QCoreApplication.translate(
                "storage", "손상된 파일은 지우지 않고 %1 로 옮겨 두었습니다."
            ).replace("%1", str(error.moved_to))
        ask = QCoreApplication.translate(
            "storage",
            "결제는 하지 않았습니다. 백업에서 되살리려면 프로그램을 닫으세요. 새 기록으로 "
            "시작할까요? 옛 파일은 그대로 남습니다.",
        )
        return f"{kept}\n\n{ask}" if kept else ask
    return QCoreApplication.translate(
        "storage", "결제는 하지 않았습니다. 문제를 해결한 뒤 다시 시도하거나 프로그램을 닫으세요."
    )


def ask_storage_decision(
    parent: QWidget, error: StorageError, decided: Callable[[Choice], None]
) -> QMessageBox:
    """Open the question (window-modal, not blocking the event loop); `decided` gets the answer.
    Esc and closing mean quit: nothing happens without an explicit choice."""
    box = QMessageBox(
        QMessageBox.Icon.Critical,
        QCoreApplication.translate("storage", "거래 기록 문제"),
        problem_text(error),
        parent=parent,
    )
    box.setObjectName("storageDialog")
    box.setInformativeText(_question(error))
    choices: dict[QAbstractButton, Choice] = {}
    if error.can_start_new:
        go = box.addButton(
            QCoreApplication.translate("storage", "새 기록으로 시작"),
            QMessageBox.ButtonRole.DestructiveRole,
        )
        go.setObjectName("storageStartNewButton")
        choices[go] = "start_new"
    else:
        go = box.addButton(
            QCoreApplication.translate("storage", "다시 시도"), QMessageBox.ButtonRole.AcceptRole
        )
        go.setObjectName("storageRetryButton")
        choices[go] = "retry"
    quit_button = box.addButton(
        QCoreApplication.translate("storage", "종료"), QMessageBox.ButtonRole.RejectRole
    )
    quit_button.setObjectName("storageQuitButton")
    choices[quit_button] = "quit"
    box.setDefaultButton(quit_button)
    box.setEscapeButton(quit_button)

    def answered() -> None:
        decided(choices.get(box.clickedButton(), "quit"))

    box.finished.connect(answered)
    box.open()
    return box


def show_open_failure(
    window: MainWindow, till: TillThread, failure: OpenFailure
) -> QMessageBox | None:
    """Say why the till did not open, blaming the right thing: storage (and ask what to do),
    the settings file, or PortOne. Returns the open question, if one was asked."""
    message = failure.detail if window.lang == "en" and failure.detail else failure.message
    banner = window.banner
    if failure.storage is None:
        if failure.kind == "settings":
            stopped = QCoreApplication.translate("MainWindow", "설정 문제로 결제를 멈췄습니다: %1")
            banner.show_stopped(stopped.replace("%1", message))
        else:
            banner.show_failure(message)
        return None
    stopped = QCoreApplication.translate("MainWindow", "결제를 멈췄습니다: %1")
    banner.show_stopped(stopped.replace("%1", problem_text(failure.storage)))
    path = str(failure.storage.path or "")

    def decided(choice: Choice) -> None:
        if choice == "start_new" and path:
            till.start_new(path)
        elif choice == "retry":
            till.reopen()
        else:
            window.close()

    return ask_storage_decision(window, failure.storage, decided)
