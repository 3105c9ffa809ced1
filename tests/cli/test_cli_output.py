"""Commands print UTF-8 on any console encoding, and a failure to print never changes what a
charge's exit status says (pos_app/commands/__init__.py: use_utf8, emit, note, run_command).

On a Korean Windows PC a pipe or a redirected file takes cp949; on most others cp1252; and
PYTHONIOENCODING can name even ascii. Each is tried here against the sandbox, with the charge's
JSON, its exit status and the number of times PortOne saw the order all checked.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pos_app_runner import PosApp

from pos_app.services.places import journal_path
from pos_app.store.journal import Journal

HOSTILE_ENCODINGS = ["cp949", "cp1252", "ascii"]


def _run_bytes(pos_app: PosApp, *args: str, encoding: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        pos_app.command(*args),
        env={**pos_app.env, "PYTHONIOENCODING": encoding},
        capture_output=True,
        timeout=120,
    )


def _one_json(stdout: bytes) -> dict[str, object]:
    (line,) = stdout.decode("utf-8").strip().splitlines()  # UTF-8, whatever was asked for
    result: dict[str, object] = json.loads(line)
    return result


def _times_charged(pos_app: PosApp, merchant_uid: str) -> int:
    return sum(1 for p in pos_app.payments() if p["merchant_uid"] == merchant_uid)


def _journal_state(merchant_uid: str) -> str | None:
    with Journal(journal_path("sandbox")) as journal:
        row = journal.get(merchant_uid)
    return None if row is None else row.state


@pytest.mark.parametrize("encoding", HOSTILE_ENCODINGS)
def test_charge_prints_utf8_json_on_any_output_encoding(pos_app: PosApp, encoding: str) -> None:
    pos_app.save_card("gildong_4242")
    order = f"ENC-{encoding}"
    done = _run_bytes(
        pos_app,
        "charge",
        "--customer-uid",
        "gildong_4242",
        "--amount",
        "12000",
        "--name",
        "3월 회비",
        "--merchant-uid",
        order,
        encoding=encoding,
    )
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    assert b"Traceback" not in done.stderr
    result = _one_json(done.stdout)
    assert result["outcome"] == "paid" and result["merchant_uid"] == order
    # The card company's name is Korean: the text that used to fail to encode.
    assert isinstance(result["card_name"], str) and result["card_name"].endswith("카드")
    assert _times_charged(pos_app, order) == 1
    assert _journal_state(order) == "paid"


@pytest.mark.parametrize("encoding", HOSTILE_ENCODINGS)
def test_declines_journal_and_bill_print_korean_on_any_output_encoding(
    pos_app: PosApp, tmp_path: Path, encoding: str
) -> None:
    pos_app.save_card("limit_0341", "4000000000000341")  # every charge declined
    declined = _run_bytes(
        pos_app,
        "charge",
        "--customer-uid",
        "limit_0341",
        "--amount",
        "5000",
        "--name",
        "회비",
        encoding=encoding,
    )
    assert declined.returncode == 2, declined.stderr.decode("utf-8", "replace")
    assert _one_json(declined.stdout)["outcome"] == "declined"

    pos_app.save_card("kim_4242")
    bill = tmp_path / "bill.csv"
    bill.write_text(
        "customer_uid,amount,name\nkim_4242,3000,교재비\nlimit_0341,3000,교재비\n",
        encoding="utf-8",
    )
    billed = _run_bytes(pos_app, "bill", str(bill), encoding=encoding)
    assert billed.returncode == 2, billed.stderr.decode("utf-8", "replace")
    assert json.loads(billed.stdout.decode("utf-8"))["paid"] == 1
    # The declined row is said on stderr in UTF-8 too (a pipe gets no progress bar: it is drawn
    # only on a terminal, tests/cli/test_cli_run_due.py).
    assert "한도초과" in billed.stderr.decode("utf-8")
    assert "청구 [" not in billed.stderr.decode("utf-8")

    report = _run_bytes(pos_app, "journal", encoding=encoding)
    assert report.returncode == 0, report.stderr.decode("utf-8", "replace")
    assert "결제 1건 3,000원" in report.stdout.decode("utf-8")


def _run_into_closed_pipe(pos_app: PosApp, *args: str) -> subprocess.CompletedProcess[bytes]:
    read_end, write_end = os.pipe()
    os.close(read_end)  # every write to the pipe now fails (EPIPE; Windows: EINVAL)
    try:
        return subprocess.run(
            pos_app.command(*args),
            env=pos_app.env,
            stdout=write_end,
            stderr=subprocess.PIPE,
            timeout=120,
        )
    finally:
        os.close(write_end)


def test_a_closed_stdout_does_not_change_the_exit_status_of_a_charge(pos_app: PosApp) -> None:
    """The reader of the pipe went away (a script killed, `| head -0`): the card is charged once,
    the exit status still says paid, and the journal has it."""
    pos_app.save_card("gildong_4242")
    done = _run_into_closed_pipe(
        pos_app,
        "charge",
        "--customer-uid",
        "gildong_4242",
        "--amount",
        "7000",
        "--name",
        "회비",
        "--merchant-uid",
        "ENC-closed-pipe",
    )
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    assert b"Traceback" not in done.stderr
    assert _times_charged(pos_app, "ENC-closed-pipe") == 1
    assert _journal_state("ENC-closed-pipe") == "paid"


def test_a_closed_stdout_does_not_change_the_exit_status_of_a_refund(pos_app: PosApp) -> None:
    """The refund's answer cannot be printed: it is still refunded once, and exit 0 says so (a
    script reading exit 1 as "nothing refunded" would refund again)."""
    pos_app.save_card("refund_4242")
    charged = pos_app.run(
        "charge", "--customer-uid", "refund_4242", "--amount", "8000", "--name", "회비",
        "--merchant-uid", "ENC-refund-pipe",
    )  # fmt: skip
    assert charged.returncode == 0, charged.stdout + charged.stderr
    done = _run_into_closed_pipe(
        pos_app, "refund", "--merchant-uid", "ENC-refund-pipe", "--reason", "고객 요청"
    )
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    assert b"Traceback" not in done.stderr
    (sale,) = [p for p in pos_app.payments() if p["merchant_uid"] == "ENC-refund-pipe"]
    assert sale["status"] == "cancelled" and len(sale["cancel_history"]) == 1


# The windowed pos-app.exe on Windows: Python starts it with no stdin, stdout or stderr at all.
_NO_STREAMS = """
import sys
sys.stdin = sys.stdout = sys.stderr = None
from pos_app.cli import main
status = main(sys.argv[1:])
with open(sys.argv[0] + ".status", "w", encoding="utf-8") as out:
    out.write(str(status))
"""


def test_a_program_without_standard_streams_still_charges_once(
    pos_app: PosApp, tmp_path: Path
) -> None:
    pos_app.save_card("gildong_4242")
    script = tmp_path / "windowed.py"
    script.write_text(_NO_STREAMS, encoding="utf-8")
    args = ["charge", "--customer-uid", "gildong_4242", "--amount", "9000", "--name", "회비"]
    args += ["--merchant-uid", "ENC-no-streams"]
    done = subprocess.run(
        [sys.executable, str(script), *args], env=pos_app.env, capture_output=True, timeout=120
    )
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    assert (tmp_path / "windowed.py.status").read_text(encoding="utf-8") == "0"
    assert _times_charged(pos_app, "ENC-no-streams") == 1
    assert _journal_state("ENC-no-streams") == "paid"


def test_a_bill_without_standard_streams_charges_each_row_once(
    pos_app: PosApp, tmp_path: Path
) -> None:
    """The progress bar and the per-row problems have no stderr to go to: the bill goes on, and
    its exit status still says what happened (2: one row declined)."""
    pos_app.save_card("kim_4242")
    pos_app.save_card("limit_0341", "4000000000000341")  # declined: a problem line on stderr
    script = tmp_path / "windowed.py"
    script.write_text(_NO_STREAMS, encoding="utf-8")
    bill = tmp_path / "bill.csv"
    bill.write_text(
        "customer_uid,amount,name\nkim_4242,3000,교재비\nlimit_0341,4000,교재비\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, str(script), "bill", str(bill)],
        env=pos_app.env,
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    assert (tmp_path / "windowed.py.status").read_text(encoding="utf-8") == "2"
    paid = [p for p in pos_app.payments() if p["status"] == "paid"]
    assert [p["customer_uid"] for p in paid] == ["kim_4242"]


def test_credentials_set_without_stdin_asks_for_nothing_and_saves_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from pos_app.commands import credentials

    monkeypatch.setattr(sys, "stdin", None)
    assert credentials._read_pair() is None
