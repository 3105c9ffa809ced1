"""What the command line says: Korean by default, English with `--lang en` or an English locale,
JSON keys the same in both; the command line's own way to settle things (`pos-app reconcile`),
never a window button; a broken API host in the settings file is an error that says so."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from pos_app_runner import PosApp

CHARGE = ("charge", "--customer-uid", "gildong_4242", "--name", "회비", "--amount")


def _json(result: subprocess.CompletedProcess[str]) -> dict[str, object]:
    (line,) = result.stdout.strip().splitlines()
    payload: dict[str, object] = json.loads(line)
    return payload


def _run(pos_app: PosApp, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**pos_app.env, **env}
    for name, value in env.items():
        if not value:
            environment.pop(name)
    return subprocess.run(
        pos_app.command(*args), env=environment, capture_output=True, text=True, timeout=120
    )


def test_english_on_request_and_from_the_locale_with_the_same_keys(pos_app: PosApp) -> None:
    pos_app.save_card("gildong_4242")
    assert pos_app.run(*CHARGE, "12000").returncode == 0
    korean = pos_app.run(*CHARGE, "12000")
    english = pos_app.run("--lang", "en", *CHARGE, "12000")
    from_locale = _run(pos_app, *CHARGE, "12000", LANG="en_US.UTF-8", LC_ALL="", LC_MESSAGES="")
    # POSIX order: LC_ALL wins over LANG.
    korean_all = _run(pos_app, *CHARGE, "12000", LANG="en_US.UTF-8", LC_ALL="ko_KR.UTF-8")
    assert {r.returncode for r in (korean, english, from_locale, korean_all)} == {2}
    assert "5분 안에" in str(_json(korean)["message"])
    assert "--allow-duplicate" in str(_json(english)["message"])
    assert "same amount" in str(_json(english)["message"])
    assert _json(from_locale)["message"] == _json(english)["message"]
    assert _json(korean_all)["message"] == _json(korean)["message"]
    assert set(_json(korean)) == set(_json(english))

    report = pos_app.run("--lang", "en", "journal")
    assert "paid 1 (12,000 won)" in report.stdout
    assert "결제 1건 12,000원" in pos_app.run("journal").stdout


def test_an_unknown_outcome_says_the_command_line_way(pos_app: PosApp) -> None:
    pos_app.save_card("gildong_4242")
    pos_app.fault("/subscribe/payments/again", "drop_after")
    pos_app.fault("/payments/find", "error_500", times=100)
    unknown = pos_app.run(*CHARGE, "7000", "--merchant-uid", "ORDER-lost-1")
    assert unknown.returncode == 3, unknown.stdout + unknown.stderr
    message = str(_json(unknown)["message"])
    assert "pos-app reconcile" in message and "'결과 확인'" not in message
    english = pos_app.run("--lang", "en", "reconcile")
    orders = _json(english)["orders"]
    assert isinstance(orders, list)
    assert "run `pos-app reconcile`" in orders[0]["message"]
    pos_app.clear_faults()


def _settings(home: Path, text: str) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "settings.ini").write_text(text, encoding="utf-8")


def test_a_broken_live_api_host_is_an_error_that_says_so(pos_app: PosApp) -> None:
    _settings(pos_app.home, "[till]\nmode=live\napi_host=ftp://api.iamport.kr\n")
    live = _run(pos_app, *CHARGE, "1000", POS_APP_API_BASE="")
    assert live.returncode == 1 and "Traceback" not in live.stderr
    message = str(_json(live)["message"])
    assert "settings.ini" in message and "API 주소" in message
    english = _run(pos_app, "--lang", "en", "reconcile", POS_APP_API_BASE="")
    assert "The API host" in str(_json(english)["message"])
    # A sandbox named explicitly needs no API host: it still works.
    pos_app.save_card("gildong_4242")
    assert pos_app.run(*CHARGE, "1000").returncode == 0
    # In sandbox mode the API host is not used, so it does not stop anything.
    _settings(pos_app.home, "[till]\nmode=sandbox\napi_host=ftp://api.iamport.kr\n")
    assert _run(pos_app, "journal", POS_APP_API_BASE="").returncode == 0
