"""Storage failures through the command line as a script meets them: `pos-app charge`, `bill`,
`reconcile` and `journal` as real processes against the sandbox, with real damaged files,
read-only mounts, a full tmpfs and a held lock. Every one prints one JSON object
`{"outcome": "error", "message": ...}` (exit 1) and no traceback, and nothing is charged."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
from pathlib import Path

import pytest
from pos_app_runner import PosApp
from storage_faults import ON_A_MOUNT, damage, fill, read_only, tiny_disk

from pos_app.store.integrity import set_aside_files
from pos_app.store.open_lock import OpenLock

CHARGE = ("charge", "--customer-uid", "gildong_4242", "--name", "회비", "--amount")


def _one_json(result: subprocess.CompletedProcess[str]) -> dict[str, object]:
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1, result.stdout + result.stderr
    payload: dict[str, object] = json.loads(lines[0])
    return payload


def _error(result: subprocess.CompletedProcess[str]) -> str:
    """The error message of a command that failed the way a script expects: exit 1, one JSON
    object with outcome "error", and no traceback anywhere."""
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    payload = _one_json(result)
    assert payload["outcome"] == "error"
    message = payload["message"]
    assert isinstance(message, str) and message
    return message


def _paid(pos_app: PosApp) -> list[str]:
    return [p["merchant_uid"] for p in pos_app.payments() if p["status"] == "paid"]


def _journal(pos_app: PosApp) -> Path:
    return pos_app.home / "sandbox" / "journal.sqlite3"


def _first_charge(pos_app: PosApp) -> None:
    pos_app.save_card("gildong_4242")
    first = pos_app.run(*CHARGE, "1000")
    assert first.returncode == 0, first.stdout + first.stderr


@pytest.mark.parametrize("how", ["garbage", "truncated", "zero_length"])
def test_a_damaged_journal_stops_every_command_until_started_anew(
    pos_app: PosApp, tmp_path: Path, how: str
) -> None:
    _first_charge(pos_app)
    damage(_journal(pos_app), how)
    paid_before = _paid(pos_app)

    message = _error(pos_app.run(*CHARGE, "2000"))
    assert "손상" in message and "pos-app journal --start-new" in message
    (moved,) = set_aside_files(_journal(pos_app))
    assert str(moved) in message
    assert _paid(pos_app) == paid_before  # nothing charged

    # Afterwards every command still refuses: the journal is gone, not silently empty.
    bill = tmp_path / "bill.csv"
    bill.write_text("customer_uid,amount,name\ngildong_4242,3000,회비\n", encoding="utf-8")
    for args in ((*CHARGE, "2000"), ("reconcile",), ("bill", str(bill)), ("journal",)):
        assert "없어졌습니다" in _error(pos_app.run(*args)), args
    assert not _journal(pos_app).exists()
    assert _paid(pos_app) == paid_before

    started = pos_app.run("journal", "--start-new")
    assert started.returncode == 0, started.stderr
    answer = _one_json(started)
    assert answer["outcome"] == "started_new" and str(moved) in answer["kept"]  # type: ignore[operator]
    again = pos_app.run(*CHARGE, "2000")
    assert again.returncode == 0 and _one_json(again)["outcome"] == "paid"
    assert moved.exists()  # the old file is still there for whoever restores it
    nothing = _one_json(pos_app.run("journal", "--start-new"))
    assert nothing["outcome"] == "nothing_to_do"  # a healthy journal is never set aside


def test_a_deleted_journal_is_noticed_not_recreated(pos_app: PosApp) -> None:
    _first_charge(pos_app)
    _journal(pos_app).unlink()
    for suffix in ("-wal", "-shm"):
        Path(f"{_journal(pos_app)}{suffix}").unlink(missing_ok=True)
    report = pos_app.run("journal")
    assert "없어졌습니다" in _error(report)
    assert not _journal(pos_app).exists()


@pytest.mark.posix_only(reason=ON_A_MOUNT)
def test_read_only_data_folder(pos_app: PosApp) -> None:
    _first_charge(pos_app)
    paid_before = _paid(pos_app)
    with read_only(pos_app.home):
        for args in ((*CHARGE, "2000"), ("reconcile",), ("journal",)):
            assert "읽기 전용" in _error(pos_app.run(*args)), args
        english = pos_app.run("--lang", "en", *CHARGE, "2000")
        assert "read-only" in _error(english)
    assert _paid(pos_app) == paid_before


@pytest.mark.posix_only(reason=ON_A_MOUNT)
def test_a_full_disk_refuses_before_sending(pos_app: PosApp) -> None:
    with tiny_disk(pos_app.home):
        _first_charge(pos_app)
        paid_before = _paid(pos_app)
        filler = fill(pos_app.home)
        for args in ((*CHARGE, "2000"), ("reconcile",), ("journal",)):
            assert "디스크 공간" in _error(pos_app.run(*args)), args
        assert _paid(pos_app) == paid_before
        filler.unlink()
        again = pos_app.run(*CHARGE, "2000")
        assert again.returncode == 0, again.stdout + again.stderr


@pytest.mark.posix_only(reason=ON_A_MOUNT)
def test_a_disk_that_fills_while_the_charge_is_in_flight_is_unknown_not_an_error(
    pos_app: PosApp,
) -> None:
    """The answer came back but could not be written: the charge may have happened, so it is
    "unknown" (exit 3), settled later by reconcile, never reported as an error to retry."""
    with tiny_disk(pos_app.home):
        _first_charge(pos_app)
        pos_app.fault("/subscribe/payments/again", "delay", delay_ms=4000)
        charge = subprocess.Popen(
            pos_app.command(*CHARGE, "5000", "--merchant-uid", "FULL-1"),
            env=pos_app.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        journal = f"file:{_journal(pos_app)}?mode=ro"
        while True:  # until the request has left: the row says so
            with sqlite3.connect(journal, uri=True) as conn:
                row = conn.execute("SELECT state FROM charges WHERE merchant_uid = 'FULL-1'")
                state = row.fetchone()
            if state == ("sent",) or charge.poll() is not None:
                break
        filler = fill(pos_app.home)
        out, err = charge.communicate(timeout=120)
        assert charge.returncode == 3, out + err
        assert "Traceback" not in err
        answer = json.loads(out)
        assert answer["outcome"] == "unknown" and answer["merchant_uid"] == "FULL-1"
        assert "거래 기록에 쓰지 못했습니다" in answer["message"]
        assert "pos-app reconcile" in answer["message"]
        filler.unlink()
        pos_app.clear_faults()
        settled = pos_app.run("reconcile")
        assert settled.returncode == 0, settled.stdout + settled.stderr
        with sqlite3.connect(journal, uri=True) as conn:
            row = conn.execute("SELECT state FROM charges WHERE merchant_uid = 'FULL-1'")
            assert row.fetchone() == ("paid",)
    # Charged once, and the journal knows it.
    assert [p["status"] for p in pos_app.payments() if p["merchant_uid"] == "FULL-1"] == ["paid"]


def test_a_locked_journal_is_a_clear_error(pos_app: PosApp) -> None:
    _first_charge(pos_app)
    env = {**pos_app.env, "POS_APP_LOCK_WAIT_S": "0.3"}
    with OpenLock(_journal(pos_app), timeout_s=5):
        result = subprocess.run(
            pos_app.command("--lang", "en", *CHARGE, "2000"),
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert "locked by another program" in _error(result)
    assert len(_paid(pos_app)) == 1


def test_english_comes_from_the_locale_too(pos_app: PosApp) -> None:
    _first_charge(pos_app)
    damage(_journal(pos_app), "garbage")
    env = {**pos_app.env, "LANG": "en_US.UTF-8"}
    env.pop("LC_ALL", None)
    env.pop("LC_MESSAGES", None)
    result = subprocess.run(
        pos_app.command(*CHARGE, "2000"), env=env, capture_output=True, text=True, timeout=120
    )
    assert "The charge journal file is damaged" in _error(result)


def test_a_result_that_cannot_be_printed_keeps_the_charges_exit_status(pos_app: PosApp) -> None:
    pos_app.save_card("gildong_4242")
    read_end, write_end = os.pipe()
    os.close(read_end)  # nobody reads: printing the result fails with a broken pipe
    try:
        result = subprocess.run(
            pos_app.command(*CHARGE, "4000", "--merchant-uid", "NOBODY-READS"),
            env=pos_app.env,
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    finally:
        os.close(write_end)
    assert result.returncode == 0, result.stderr  # paid, whatever happened to the printout
    assert "Traceback" not in result.stderr
    assert "NOBODY-READS" in _paid(pos_app)


def test_errors_have_one_shape_everywhere(pos_app: PosApp, tmp_path: Path) -> None:
    message = _error(pos_app.run("bill", str(tmp_path / "no-such.csv")))
    assert "no-such.csv" in message
    english = _error(pos_app.run("--lang", "en", "bill", str(tmp_path / "no-such.csv")))
    assert english.startswith("Cannot read")
    outside = {**pos_app.env, "POS_APP_API_BASE": "http://192.0.2.1:8000"}
    result = subprocess.run(
        pos_app.command("reconcile"), env=outside, capture_output=True, text=True, timeout=120
    )
    assert "샌드박스 주소" in _error(result)
