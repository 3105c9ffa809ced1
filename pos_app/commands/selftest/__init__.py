"""`pos-app --self-test`: prove this installation works, from source or frozen, and print JSON.

It builds the main window offscreen, runs token → billing key → charge again → refund through the
window's own worker against the sandbox, and checks the keychain backend, the CA certificates,
the translations, the bundled resources and receipt printing. Output is one JSON object:
`{"checks": {name: {"ok": bool, "detail": str}}, "ok": bool}`; the exit status is 0 only when
every check passed. Anything unexpected written to standard error during the run fails the
"stderr" check (qutebrowser's smoke test does the same for its frozen builds).

It never touches the real data: unless POS_APP_HOME is set, everything goes to a temporary folder
that is removed afterwards. It never charges a real card: with live credentials in the keychain it
names a sandbox explicitly, which always wins over the keychain.

What it checks, by module: `installation` (without Qt: the commands, the console's encoding, CA
certificates, the store server's driver, the keychain), `qt_parts` (the look, translations,
resources, printing), `window` (the real main window and its threads) and `charge_cycle` (a
cashier's charge cycle through it); `capture` is what it runs inside, `report` its answer.
"""

from __future__ import annotations

import argparse
import logging
import os

from pos_app.commands.selftest.capture import (
    captured_stderr,
    collected_log,
    private_home,
    unexpected_stderr,
)
from pos_app.commands.selftest.installation import (
    check_certificates,
    check_commands,
    check_console,
    check_keyring,
    check_store_driver,
)
from pos_app.commands.selftest.report import Report

HELP = "check this installation offscreen (window, sandbox charge cycle, keychain, TLS) as JSON"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """No options: `--self-test` is a flag of the main command (see pos_app/cli.py)."""


def run(args: argparse.Namespace) -> int:
    report = Report()
    with private_home(), captured_stderr() as captured, collected_log() as records:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # never show a window on the counter's screen
        report.run("commands", check_commands)
        report.run("console", check_console)
        report.run("certificates", check_certificates)
        report.run("store_server_driver", check_store_driver)
        report.run("keyring", check_keyring)
        try:
            _run_qt_checks(report)
        except Exception as exc:  # e.g. Qt itself will not load: still one JSON answer
            report.add("qt", False, f"{type(exc).__name__}: {exc}")
    errors = [r for r in records if r.levelno >= logging.ERROR]
    warnings = [r for r in records if r.levelno < logging.ERROR]
    report.add(
        "log",
        not errors,
        "; ".join(f"{r.levelname} {r.name}: {r.getMessage()}" for r in (errors or warnings)[:5])
        or "no warnings",
    )
    unexpected = unexpected_stderr(captured.text)
    report.add(
        "stderr",
        not unexpected,
        "nothing unexpected" if not unexpected else "unexpected: " + " | ".join(unexpected[:10]),
    )
    print(report.as_json(), flush=True)
    return 0 if report.ok else 1


def _run_qt_checks(report: Report) -> None:
    from PySide6.QtWidgets import QApplication

    from pos_app.commands.selftest import window
    from pos_app.commands.selftest.qt_parts import (
        check_look,
        check_printing,
        check_resources,
        check_translations,
    )
    from pos_app.ui import look

    existing = QApplication.instance()
    app = existing or QApplication([*look.application_arguments(), "-platform", "offscreen"])
    assert isinstance(app, QApplication)
    app.setApplicationName("pos-app")  # as pos_app.app.main() does
    look.use_light_look(app, style_chosen=existing is None)
    report.run("look", lambda: check_look(app))
    report.run("translations", check_translations)
    report.run("resources", check_resources)
    report.run("printing", check_printing)
    window.run_window_checks(report)
