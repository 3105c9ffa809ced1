"""The customer form keeps to the limits PortOne puts on a charge's buyer fields."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from pos_app.ui.customer_form import CustomerForm


def test_phone_and_email_stop_at_the_charge_limits(qtbot: QtBot) -> None:
    # buyer_tel ≤ 16 and buyer_email ≤ 64 on onetime/again (v1 schema); the form allowed 20
    # and 200, so PortOne refused the charge after the cashier had keyed the card.
    form = CustomerForm()
    qtbot.addWidget(form)
    qtbot.keyClicks(form.phone, "0" * 20)
    qtbot.keyClicks(form.email, "a" * 70)
    buyer = form.buyer()
    assert (len(buyer.tel), len(buyer.email)) == (16, 64)
