"""Card-data canary: every service flow (successes, refusals, faults, a process killed in the
middle of a charge) runs with one distinctive card; afterwards no file in the data folder (journal
with its WAL/SHM, logs, sandbox state) and no captured output holds the number in any grouping,
any 8 consecutive digits of it, the birth date or the expiry."""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sandbox_audit import SandboxAudit
from till_parts import journal_of

from pos_app.core.card import KeyInCard
from pos_app.core.errors import InvalidInput
from pos_app.core.order import Order
from pos_app.gateway.errors import PortOneError
from pos_app.services.opening import open_till
from pos_app.services.places import journal_path
from pos_app.services.till import Till
from pos_app.store.journal import Journal


def _luhn_complete(prefix: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(prefix)):
        d = int(ch)
        if i % 2 == 0:  # these get doubled once the check digit is appended
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return prefix + str((10 - total % 10) % 10)


NUMBER = _luhn_complete("453298716043557")
BIRTH = "731129"
EXPIRY = ("08/37", "2037-08")
PIN = "47"


def _canary_patterns() -> list[re.Pattern[bytes]]:
    sep = rb"[\s\-._/]*"
    windows = {NUMBER} | {NUMBER[i : i + 8] for i in range(len(NUMBER) - 7)}
    patterns = [re.compile(sep.join(re.escape(d.encode()) for d in w)) for w in windows]
    patterns.append(re.compile(rb"(?<!\d)" + BIRTH.encode() + rb"(?!\d)"))
    patterns += [re.compile(re.escape(e.encode())) for e in EXPIRY]
    patterns.append(re.compile(rb"pwd_2digit"))
    return patterns


def _leaks(blob: bytes) -> list[str]:
    return [p.pattern.decode(errors="replace") for p in _canary_patterns() if p.search(blob)]


def _scan_home(home: Path) -> dict[str, list[str]]:
    found = {}
    for path in home.rglob("*"):
        if path.is_file():
            leaks = _leaks(path.read_bytes())
            if leaks:
                found[str(path.relative_to(home))] = leaks
    return found


def _card(pin: str = PIN) -> KeyInCard:
    assert pin == PIN or pin == "99"
    return KeyInCard.parse(NUMBER, EXPIRY[0], BIRTH, pin)


@pytest.fixture
def embedded_till(monkeypatch: pytest.MonkeyPatch) -> Iterator[Till]:
    """The till the app opens without credentials: its own sandbox, state in the data folder."""
    monkeypatch.delenv("POS_APP_API_BASE", raising=False)
    monkeypatch.setattr("pos_app.services.places.load_credentials", lambda: None)
    till = open_till()
    yield till
    till.close()


@pytest.fixture
def unfiltered_debug_log(pos_app_home: Path) -> Iterator[Path]:
    """Everything logged at DEBUG, without the redaction filter: the code itself must not leak."""
    path = pos_app_home / "logs" / "canary-debug.log"
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setLevel(logging.DEBUG)
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield path
    root.removeHandler(handler)
    root.setLevel(old_level)
    handler.close()


_CHILD = """
import sys
from pos_app.core.card import KeyInCard
from pos_app.core.order import Order
from pos_app.services.opening import open_till
number, expiry, birth, pin = sys.stdin.read().split()
till = open_till()
print("charging", flush=True)
card = KeyInCard.parse(number, expiry, birth, pin)
print(till.charge_once(card, Order("CANARY-KILL", 4100, "kill")))
"""


def _killed_mid_charge(home: Path, api_base: str, audit: SandboxAudit) -> str:
    """A process charging the card is SIGKILLed while its request is in flight."""
    audit.fault("/subscribe/payments/onetime", "delay", delay_ms=3_000)
    # A short wait for answers, so the killed charge's deadline passes within the test.
    env = {
        **os.environ,
        "POS_APP_HOME": str(home),
        "POS_APP_API_BASE": api_base,
        "POS_APP_READ_TIMEOUT_S": "1",
        "POS_APP_SETTLE_GRACE_S": "0",
    }
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert child.stdin is not None
    # Card data through a pipe, never on a command line.
    child.stdin.write(f"{NUMBER} {EXPIRY[0]} {BIRTH} {PIN}".encode())
    child.stdin.close()
    with Journal(journal_path("sandbox")) as journal:
        for _ in range(600):
            row = journal.get("CANARY-KILL")
            if (row is not None and row.state == "sent") or child.poll() is not None:
                break
            threading.Event().wait(0.05)
    # Killed while the sandbox holds the charge (its delay running), not before it arrived.
    for _ in range(600):
        held = httpx.get(api_base + "/__sandbox__/in_flight", timeout=10).json()["response"]
        if any(r["path"] == "/subscribe/payments/onetime" for r in held):
            break
        threading.Event().wait(0.02)
    child.kill()  # SIGKILL; on Windows TerminateProcess, just as abrupt
    child.wait(timeout=30)
    assert child.stdout is not None and child.stderr is not None
    out, err = child.stdout.read(), child.stderr.read()
    child.stdout.close()
    child.stderr.close()
    audit.clear_faults()
    with Journal(journal_path("sandbox")) as journal:
        row = journal.get("CANARY-KILL")
    assert row is not None and row.settle_after is not None
    # Until then PortOne may still be working on it: a reconciliation would leave it open.
    while time.time() < row.settle_after + 0.2:
        threading.Event().wait(0.1)
    settle = subprocess.run(
        [sys.executable, "-m", "pos_app", "reconcile"], env=env, capture_output=True, timeout=60
    )
    return (out + err + settle.stdout + settle.stderr).decode(errors="replace")


def test_no_card_data_anywhere(
    embedded_till: Till,
    unfiltered_debug_log: Path,
    pos_app_home: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    till = embedded_till
    audit = SandboxAudit(till.api_base)
    seen: list[str] = []

    def note(result: object) -> None:
        seen.append(repr(result))
        seen.append(str(result))

    def order(amount: int) -> Order:
        return Order(till.new_merchant_uid(), amount, "canary")

    note(till.issue_key("canary_3557", _card()))
    note(till.charge_once(_card(), order(1000)))
    note(till.charge_once(_card(), order(1100), save_as="canary2_3557"))
    paid = till.charge_again("canary_3557", order(1200))
    note(paid)
    assert paid.payment is not None
    note(till.refund(paid.payment.imp_uid, 200, "canary refund"))
    note(till.charge_once(_card("99"), order(1300)))  # PIN 99: card authentication fails
    try:
        KeyInCard.parse(NUMBER, "01/20", BIRTH, PIN)  # expired
    except InvalidInput as exc:
        note(exc)
        note(exc.message("en"))
    for fault in ("delay", "error_500", "drop_before", "drop_after", "malformed", "expire_token"):
        audit.fault("/subscribe/payments/onetime", fault, delay_ms=100)
        note(till.charge_once(_card(), order(1400)))
        audit.fault("/subscribe/customers", fault, delay_ms=100)
        try:
            note(till.issue_key("canary3_3557", _card()))
        except PortOneError as exc:
            note(exc)
            logging.getLogger("canary").exception("issue failed")
    note(till.reconcile())
    note(till.check_outcome(paid.merchant_uid))
    note(till.refresh_customer("canary2_3557"))
    note(till.delete_key("canary2_3557", "canary"))
    note(journal_of(till).all_rows())
    note(till.customers())

    child_output = _killed_mid_charge(pos_app_home, till.api_base, audit)
    note(till.reconcile())

    open_files = _scan_home(pos_app_home)  # while the journal's WAL and SHM exist
    assert any(p.endswith("-wal") for p in map(str, pos_app_home.rglob("*")))
    till.close()
    captured = capsys.readouterr()
    assert open_files == {}
    assert _scan_home(pos_app_home) == {}
    assert (pos_app_home / "sandbox-state.json").exists()
    assert unfiltered_debug_log.stat().st_size > 0
    everything = "\n".join([*seen, child_output, captured.out, captured.err])
    assert _leaks(everything.encode()) == []
    # The journal did record the flows (the canary is not passing because nothing ran).
    with Journal(journal_path("sandbox")) as journal:
        rows = journal.all_rows()
    assert {r.kind for r in rows} == {"charge_once", "issue_and_charge", "charge_again", "refund"}
    killed = next(r for r in rows if r.merchant_uid == "CANARY-KILL")
    assert killed.state in ("paid", "void")
