"""What the billing run's dialog and the plan editor say when a request fails, in the window's
language: the cause a person can act on, never a traceback."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def failure_text(exc: Exception, lang: str) -> str:
    from pos_app.core.errors import InvalidInput
    from pos_app.gateway.errors import PortOneError
    from pos_app.services.member_plans import PlanAtPortOne
    from pos_app.services.run_resume import ResumeRefused
    from pos_app.services.schedules import SchedulesUnavailable
    from pos_app.store.errors import classify
    from pos_app.ui.billing_controller import TillNotOpen

    if isinstance(exc, TillNotOpen):
        return QCoreApplication.translate(
            "BillingTexts", "계산대가 아직 열리지 않았습니다. 잠시 후 다시 시도하세요."
        )
    if isinstance(exc, PlanAtPortOne):
        return QCoreApplication.translate(
            "BillingTexts", "PortOne 예약으로 결제하는 계획입니다. 바꾸려면 먼저 예약을 취소하세요."
        )
    if isinstance(exc, SchedulesUnavailable):
        return QCoreApplication.translate(
            "BillingTexts", "PortOne V2에는 예약 결제가 없습니다. 이 프로그램의 정기 결제를 쓰세요."
        )
    if isinstance(exc, ResumeRefused):
        return QCoreApplication.translate(
            "BillingTexts", "다른 창이나 명령이 이 정기 결제를 이어서 하고 있습니다."
        )
    storage = classify(exc)
    if storage is not None:
        return storage.message(lang)
    if isinstance(exc, InvalidInput):
        return exc.message(lang)
    if isinstance(exc, PortOneError):
        return QCoreApplication.translate(
            "BillingTexts", "PortOne에 물어볼 수 없어 아무것도 결제하지 않았습니다: %1"
        ).replace("%1", exc.message)
    if isinstance(exc, OSError):
        return QCoreApplication.translate(
            "BillingTexts", "파일을 읽거나 쓸 수 없습니다: %1"
        ).replace("%1", exc.strerror or type(exc).__name__)
    return QCoreApplication.translate(
        "BillingTexts", "처리하지 못했습니다 (%1). 자세한 내용은 로그에 있습니다."
    ).replace("%1", type(exc).__name__)
