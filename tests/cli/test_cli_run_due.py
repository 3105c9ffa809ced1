"""`pos-app customers plans FILE` and `pos-app run-due [--date]`: members' plans from a strict
CSV, the members due on a day charged once per month, from one counter or two."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from pos_app_runner import PosApp

from pos_app.services.places import customers_path


def _json(stdout: str) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(stdout.strip().splitlines()[-1])
    return result


def _since(home: Path, day: str) -> None:
    """The plans were switched on on `day` (the command line uses today)."""
    from pos_app.store.customers import CustomerIndex

    os.environ["POS_APP_HOME"] = str(home)
    with CustomerIndex(customers_path("sandbox")) as index:
        index.set_plans(
            (row.customer_uid, row.plan._replace(since=day))  # type: ignore[union-attr]
            for row in index.with_plans()
        )


def test_a_plan_file_with_any_bad_line_saves_nothing(pos_app: PosApp, tmp_path: Path) -> None:
    pos_app.save_card("kim")
    plans = tmp_path / "plans.csv"
    plans.write_text("customer_uid,amount,name,day\nkim,55000,회비,5\nlee,55000,회비,30\n")
    refused = pos_app.run("customers", "plans", str(plans))
    assert refused.returncode == 1
    assert [p["line"] for p in _json(refused.stdout)["problems"]] == [3]
    assert f"{plans}:3:" in refused.stderr
    listed = pos_app.run("customers", "list")
    assert "55000" not in listed.stdout  # nothing saved


def test_run_due_charges_each_member_once_per_month_from_two_counters(
    pos_app: PosApp, tmp_path: Path
) -> None:
    members = ["day1", "day5", "day15", "daylast"]
    for uid in members:
        pos_app.save_card(uid)
    pos_app.save_card("ghost_card_gone")
    plans = tmp_path / "plans.csv"
    plans.write_text(
        "customer_uid,amount,name,day\n"
        "day1,10000,월 회비,1\n"
        "day5,50000,월 회비,5\n"
        "day15,15000,월 회비,15\n"
        "daylast,31000,월 회비,말일\n"
        "nobody,1000,월 회비,1\n",
        encoding="utf-8",
    )
    saved = pos_app.run("customers", "plans", str(plans))
    assert saved.returncode == 2 and _json(saved.stdout)["not_found"] == ["nobody"]
    _since(pos_app.home, "2026-01-20")

    # The PC was off from February 27th to March 5th: February's 말일 is caught up.
    first = pos_app.run("run-due", "--date", "2026-03-05")
    assert first.returncode == 0, first.stdout + first.stderr
    summary = _json(first.stdout)
    assert (summary["paid"], summary["date"], summary["due"]) == (6, "2026-03-05", 6)
    assert first.stderr == ""  # not a terminal: no progress bar, and nothing went wrong
    paid = [p for p in pos_app.payments() if p["status"] == "paid"]
    assert sorted((p["customer_uid"], p["amount"]) for p in paid) == [
        ("day1", 10000),
        ("day1", 10000),
        ("day15", 15000),
        ("day5", 50000),
        ("day5", 50000),
        ("daylast", 31000),
    ]

    # Run again the same night: nothing new.
    again = pos_app.run("run-due", "--date", "2026-03-05")
    assert again.returncode == 0 and _json(again.stdout)["already_done"] == 6

    # A second counter (its own data folder) with the same plans: PortOne already holds each
    # order id as paid, so it records them as paid and charges nobody again.
    other = PosApp(tmp_path / "counter2", pos_app.api_base)
    assert other.run("customers", "plans", str(plans)).returncode == 2
    _since(other.home, "2026-01-20")
    second = other.run("run-due", "--date", "2026-03-05")
    second_summary = _json(second.stdout)
    assert second_summary["refused"] == 0 and second_summary["paid"] == 6, second.stdout
    per_order = Counter(p["merchant_uid"] for p in pos_app.payments() if p["status"] == "paid")
    assert len(per_order) == 6 and set(per_order.values()) == {1}


@pytest.mark.posix_only(reason="a pseudo-terminal (pty) is POSIX's; the bar is the same code")
def test_run_due_draws_a_progress_bar_only_on_a_terminal(pos_app: PosApp, tmp_path: Path) -> None:
    if sys.platform == "win32":  # for the type checker: the marker skips it there
        return
    import pty

    for uid in ("a1", "a2"):
        pos_app.save_card(uid)
    plans = tmp_path / "plans.csv"
    plans.write_text("a1,1000,회비,1\na2,2000,회비,1\n")
    assert pos_app.run("customers", "plans", str(plans)).returncode == 0
    _since(pos_app.home, "2026-02-15")
    main, terminal = pty.openpty()
    try:
        process = subprocess.Popen(
            pos_app.command("run-due", "--date", "2026-03-01"),
            env=pos_app.env,
            stdout=subprocess.PIPE,
            stderr=terminal,
            text=True,
        )
        out, _ = process.communicate(timeout=120)
        os.close(terminal)
        terminal = -1
        drawn = b""
        while True:
            try:
                chunk = os.read(main, 4096)
            except OSError:
                break
            if not chunk:
                break
            drawn += chunk
    finally:
        if terminal >= 0:
            os.close(terminal)
        os.close(main)
    assert process.returncode == 0 and _json(out)["paid"] == 2
    text = drawn.decode("utf-8")
    assert "정기 결제 [" in text and "2/2" in text and "결제 2" in text


def test_bill_uses_the_saved_concurrency_and_caps_what_is_asked(
    pos_app: PosApp, tmp_path: Path
) -> None:
    pos_app.save_card("c1")
    bill = tmp_path / "bill.csv"
    bill.write_text("c1,1000,회비\n")
    pos_app.home.mkdir(parents=True, exist_ok=True)
    (pos_app.home / "settings.ini").write_text("[till]\nbilling_concurrency=4\n")
    saved = pos_app.run("bill", str(bill), "--period", "2026-05")
    assert _json(saved.stdout)["concurrency"] == 4
    (pos_app.home / "settings.ini").write_text("[till]\nbilling_concurrency=400\n")
    default = pos_app.run("bill", str(bill), "--period", "2026-06")
    assert _json(default.stdout)["concurrency"] == 16  # an unacceptable setting: the default
    capped = pos_app.run("bill", str(bill), "--period", "2026-07", "--concurrency", "64")
    assert _json(capped.stdout)["concurrency"] == 16


def test_run_due_refuses_a_day_after_today_and_charges_nobody(
    pos_app: PosApp, tmp_path: Path
) -> None:
    """A slip of the date (`--date 2027-…` for 2026, a scheduled task with the wrong year) would
    make every plan "due" for months not yet begun: refused, nothing sent."""
    from datetime import date, timedelta

    pos_app.save_card("kim")
    plans = tmp_path / "plans.csv"
    plans.write_text("customer_uid,amount,name,day\nkim,55000,월 회비,5\n", encoding="utf-8")
    assert pos_app.run("customers", "plans", str(plans)).returncode == 0
    _since(pos_app.home, "2026-01-20")
    charges_before = len(pos_app.payments())

    for later in (
        date.today() + timedelta(days=1),
        date.today().replace(year=date.today().year + 1),
    ):
        refused = pos_app.run("run-due", "--date", later.isoformat())
        assert refused.returncode == 1, refused.stdout + refused.stderr
        said = _json(refused.stdout)
        assert said["outcome"] == "error" and "오늘" in said["message"], said
    assert len(pos_app.payments()) == charges_before

    english = pos_app.run("--lang", "en", "run-due", "--date", "2099-01-05")
    assert "cannot be after today" in _json(english.stdout)["message"]
