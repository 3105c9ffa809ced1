"""`pos-app charge`, `reconcile`, `journal` and `customers` as subprocesses against the sandbox."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from pos_app_runner import PosApp

from pos_app.services.places import journal_path
from pos_app.store.journal import Journal


def _json(stdout: str) -> dict[str, object]:
    (line,) = stdout.strip().splitlines()
    result: dict[str, object] = json.loads(line)
    return result


def test_charge_paid_declined_refused_unknown(pos_app: PosApp) -> None:
    pos_app.save_card("gildong_4242")
    pos_app.save_card("limit_0341", "4000000000000341")

    paid = pos_app.run(
        "charge", "--customer-uid", "gildong_4242", "--amount", "12,000", "--name", "회비"
    )
    assert paid.returncode == 0, paid.stderr
    result = _json(paid.stdout)
    assert result["outcome"] == "paid" and result["amount"] == 12000
    assert result["card"] == "**** 4242"

    declined = pos_app.run(
        "charge", "--customer-uid", "limit_0341", "--amount", "5000", "--name", "회비"
    )
    assert declined.returncode == 2 and _json(declined.stdout)["outcome"] == "declined"

    refused = pos_app.run(
        "charge", "--customer-uid", "nobody", "--amount", "5000", "--name", "회비"
    )
    assert refused.returncode == 2 and _json(refused.stdout)["outcome"] == "refused"

    bad = pos_app.run("charge", "--customer-uid", "gildong_4242", "--amount", "12.5", "--name", "x")
    assert bad.returncode == 1 and _json(bad.stdout)["field"] == "amount"

    # Same amount, same customer, within five minutes: asks for --allow-duplicate.
    twice = pos_app.run(
        "charge", "--customer-uid", "gildong_4242", "--amount", "12000", "--name", "회비"
    )
    assert twice.returncode == 2 and "duplicate_of" in _json(twice.stdout)
    forced = pos_app.run(
        "charge",
        "--customer-uid",
        "gildong_4242",
        "--amount",
        "12000",
        "--name",
        "회비",
        "--allow-duplicate",
    )
    assert forced.returncode == 0

    # The answer is lost and lookups fail: exit 3; the customer is blocked until reconciled.
    pos_app.fault("/subscribe/payments/again", "drop_after")
    pos_app.fault("/payments/find", "error_500", times=100)
    unknown = pos_app.run(
        "charge",
        "--customer-uid",
        "gildong_4242",
        "--amount",
        "7000",
        "--name",
        "회비",
        "--merchant-uid",
        "ORDER-unknown-1",
    )
    assert unknown.returncode == 3, unknown.stdout + unknown.stderr
    assert _json(unknown.stdout)["outcome"] == "unknown"
    blocked = pos_app.run(
        "charge", "--customer-uid", "gildong_4242", "--amount", "8000", "--name", "x"
    )
    assert blocked.returncode == 2 and _json(blocked.stdout)["blocked_by"] == ["ORDER-unknown-1"]
    still = pos_app.run("reconcile")
    assert still.returncode == 3 and _json(still.stdout)["unknown"] == 1

    pos_app.clear_faults()
    settled = pos_app.run("reconcile")
    assert settled.returncode == 0, settled.stdout + settled.stderr
    assert _json(settled.stdout)["paid"] == 1
    # Retrying with the same merchant_uid is safe: it is already paid, nothing is sent.
    retry = pos_app.run(
        "charge",
        "--customer-uid",
        "gildong_4242",
        "--amount",
        "7000",
        "--name",
        "회비",
        "--merchant-uid",
        "ORDER-unknown-1",
    )
    assert retry.returncode == 0 and _json(retry.stdout)["outcome"] == "paid"
    assert [p["status"] for p in pos_app.payments() if p["merchant_uid"] == "ORDER-unknown-1"] == [
        "paid"
    ]

    report = pos_app.run("journal")
    assert report.returncode == 0
    assert "결제 3건 31,000원" in report.stdout and "거절 1건" in report.stdout
    table = list(csv.DictReader(io.StringIO(pos_app.run("journal", "--csv").stdout)))
    assert sorted(r["상태"] for r in table) == ["거절", "승인", "승인", "승인", "요청 거부"]
    assert all(r["카드"] in ("", "**** 4242", "**** 0341") for r in table)
    assert sum(int(r["금액"] or 0) for r in table) == 31000  # the net sales of the totals


def test_customers_import_and_list(pos_app: PosApp, tmp_path: Path) -> None:
    for uid in ("kim_4242", "lee_4242", "park_4242"):
        pos_app.save_card(uid)
    listing = tmp_path / "uids.txt"
    listing.write_text(
        "kim_4242\nlee_4242\n\n# comment\npark_4242\nghost_0000\nbad uid\n", encoding="utf-8"
    )
    imported = pos_app.run("customers", "import", str(listing))
    assert imported.returncode == 2, imported.stderr
    assert _json(imported.stdout) == {
        "requested": 5,
        "imported": 3,
        "not_found": ["ghost_0000"],
        "invalid": ["bad uid"],
    }
    rows = list(csv.DictReader(io.StringIO(pos_app.run("customers", "list").stdout)))
    assert [r["customer_uid"] for r in rows] == ["kim_4242", "lee_4242", "park_4242"]
    assert {r["card_number"] for r in rows} == {"**** 4242"}


def test_journal_reads_without_talking_to_portone(pos_app: PosApp) -> None:
    with Journal(journal_path("sandbox")) as journal:
        row = journal.begin("M-1", "charge_again", origin="x", amount=1000, customer_uid="a")
        journal.settle(row.id, "paid")
    empty = pos_app.run("journal", "--since", "2001-01-01")
    assert "결제 0건" in empty.stdout
    today = pos_app.run("journal", "--mode", "sandbox")
    assert "결제 1건 1,000원" in today.stdout
