"""`pos-app db status|import-sqlite` and the commands on the shop's store server (subprocesses)."""

from __future__ import annotations

import json

from pos_app_runner import PosApp


def _json(stdout: str) -> dict[str, object]:
    (line,) = stdout.strip().splitlines()
    result: dict[str, object] = json.loads(line)
    return result


def test_db_status_without_a_server_says_sqlite(pos_app: PosApp) -> None:
    status = pos_app.run("db", "status")
    assert status.returncode == 0, status.stdout
    assert _json(status.stdout)["backend"] == "sqlite"
    refused = pos_app.run("db", "import-sqlite")
    assert refused.returncode == 1 and _json(refused.stdout)["outcome"] == "error"


def test_import_sqlite_moves_a_counter_once_even_when_run_twice(
    pos_app: PosApp, store_url: str
) -> None:
    """A counter that kept its own files joins the shop: its journal and customers are copied to
    the store server; a second run copies nothing; a charge recorded only in the copied journal
    still guards the member on the server."""
    pos_app.save_card("kim_4242")
    pos_app.home.mkdir(parents=True, exist_ok=True)
    (pos_app.home / "uids.txt").write_text("kim_4242\n", encoding="utf-8")
    assert pos_app.run("customers", "import", str(pos_app.home / "uids.txt")).returncode == 0
    paid = pos_app.run(
        "charge", "--customer-uid", "kim_4242", "--amount", "55000", "--name", "회비"
    )
    assert paid.returncode == 0, paid.stdout

    pos_app.env["POS_APP_DATABASE_URL"] = store_url
    first = pos_app.run("db", "import-sqlite")
    assert first.returncode == 0, first.stdout
    moved = _json(first.stdout)
    assert moved["charges_copied"] == 1 and moved["customers_copied"] == 1
    again = _json(pos_app.run("db", "import-sqlite").stdout)
    assert again["charges_copied"] == 0 and again["charges_already_there"] == 1
    assert again["customers_copied"] == 0 and again["customers_already_there"] == 1

    # On the server now: the same amount again within minutes is a question, as it was.
    twice = pos_app.run(
        "charge", "--customer-uid", "kim_4242", "--amount", "55000", "--name", "회비"
    )
    assert twice.returncode == 2 and _json(twice.stdout)["reason"] == "duplicate"
    listed = pos_app.run("customers", "list")
    assert "kim_4242" in listed.stdout

    status = _json(pos_app.run("db", "status").stdout)
    assert status["backend"] == "postgresql" and status["version"] == status["latest"]
    assert status["charges"] == 1 and status["customers"] == 1
    counters = status["counters"]
    assert isinstance(counters, list) and counters and counters[0]["terminal"]
    assert not any(c["alive"] for c in counters)  # every command that ran has ended
