"""The log filter blanks card numbers in any grouping and fragments of them, and keeps the ids a
log exists for readable: imp_uids, our merchant_uids and bill row ids. Checked in a real log
file written by a separate process, and on the function the journal also uses."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pos_app.logs import redact

# Real test card numbers (Visa, Mastercard, Amex, Diners, JCB, UnionPay 19) in the groupings
# people and systems write them in.
CARDS = [
    "4242424242424242",
    "4242 4242 4242 4242",
    "4242-4242-4242-4242",
    "4242.4242.4242.4242",
    "4242 - 4242 - 4242 - 4242",
    "5555 5555 5555 4444",
    "3782 822463 10005",
    "378282246310005",
    "3056 9309 0259 04",
    "3566-0020-2036-0505",
    "6212345678901265",
    "6250941006528599123",
    "4242/4242/4242/4242",
]
# Pieces of a card number that must not survive either.
FRAGMENTS = ["42424242", "53651019****3392", "card 424242424242"]

IMP_UIDS = ["imp_123456789012", "imp_000000000001"]
MERCHANT_UIDS = [
    "20261123T125501123-T1-9f3a01bc",
    "20260101T000000000-COUNTER2-12345678",
    "20291231T235959999-T9-00000000",
]
BILL_IDS = ["B2026-11-0123456789abcdef0123", "Bspring-98765432109876543210", "B0a1b2c3d4e5f-17"]
IDS = IMP_UIDS + MERCHANT_UIDS + BILL_IDS


@pytest.mark.parametrize("card", CARDS + FRAGMENTS)
def test_card_shapes_are_blanked_next_to_ids(card: str) -> None:
    for uid in IDS:
        for text in (f"{uid} {card}", f"{card} {uid}", f"{uid}: card={card}, again {uid}"):
            cleaned = redact(text)
            digits = card.replace(" ", "").replace("-", "").replace(".", "").replace("/", "")
            assert "[redacted]" in cleaned, text
            assert digits[:8] not in cleaned.replace(uid, ""), text
            assert uid in cleaned, text


def test_ids_stay_readable_on_their_own() -> None:
    for uid in IDS:
        assert redact(f"charge {uid} paid") == f"charge {uid} paid"


def test_look_alikes_of_ids_do_not_smuggle_a_card_number() -> None:
    for text in (
        "imp_4242424242424242",  # too many digits for an imp_uid
        "42424242T424242424-T1-9f3a01bc",  # not a real timestamp
        "B4242424242424242-0123456789abcdef0123",  # a card number as the bill's period
    ):
        assert "4242424242" not in redact(text).replace("[redacted]", ""), text


def test_a_real_log_file_keeps_ids_and_loses_cards(tmp_path: Path) -> None:
    home = tmp_path / "home"
    lines = [f"{uid} card {card}" for uid, card in zip(IDS * 2, CARDS, strict=False)]
    script = (
        "import logging, sys\n"
        "from pos_app.logs import setup_logging\n"
        "setup_logging()\n"
        "for line in sys.argv[1:]:\n"
        "    logging.getLogger('pos_app.test').warning('%s', line)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, *lines],
        env={**os.environ, "POS_APP_HOME": str(home)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    for output in (home / "logs" / "pos-app.log").read_text("utf-8"), result.stderr:
        for uid, card in zip(IDS * 2, CARDS, strict=False):
            assert uid in output
            assert card not in output
        assert output.count("[redacted]") == len(lines)
