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
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import re
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

HELP = "check this installation offscreen (window, sandbox charge cycle, keychain, TLS) as JSON"

# Lines Qt writes on stderr that say nothing about this program's health. Exact patterns only:
# anything else on stderr fails the self-test.
KNOWN_STDERR_NOISE = (
    # The offscreen platform does not implement window-manager size hints.
    re.compile(r"^This plugin does not support propagateSizeHints\(\)$"),
    # Root shells and containers often have no XDG_RUNTIME_DIR; Qt picks a fallback and says so.
    re.compile(r"^QStandardPaths: XDG_RUNTIME_DIR not set, defaulting to '.*'$"),
    re.compile(r"^QStandardPaths: wrong permissions on runtime directory .*$"),
)


@dataclass
class Check:
    ok: bool
    detail: str


@dataclass
class Report:
    checks: dict[str, Check] = field(default_factory=dict)

    def add(self, name: str, ok: bool, detail: str) -> None:
        self.checks[name] = Check(ok, detail)

    def run(self, name: str, check: Callable[[], tuple[bool, str]]) -> None:
        """Run one check; an exception is that check's failure, never the end of the self-test."""
        try:
            ok, detail = check()
        except Exception as exc:
            ok, detail = False, f"{type(exc).__name__}: {exc}"
        self.add(name, ok, detail)

    @property
    def ok(self) -> bool:
        return bool(self.checks) and all(c.ok for c in self.checks.values())

    def as_json(self) -> str:
        checks = {n: {"ok": c.ok, "detail": c.detail} for n, c in self.checks.items()}
        # ASCII only: the JSON must print on any console encoding (cp949 on a Korean Windows).
        return json.dumps({"checks": checks, "ok": self.ok}, ensure_ascii=True, indent=2)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """No options: `--self-test` is a flag of the main command (see pos_app/cli.py)."""


def run(args: argparse.Namespace) -> int:
    report = Report()
    with _private_home(), _captured_stderr() as captured, _collected_log() as records:
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

    from pos_app.commands.selftest import charge_cycle as selftest_cycle
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
    selftest_cycle.run_window_checks(report)


# --- Environment ---------------------------------------------------------------------------------


@contextlib.contextmanager
def _private_home() -> Iterator[None]:
    """A throwaway POS_APP_HOME unless the caller chose one."""
    if os.environ.get("POS_APP_HOME"):
        yield
        return
    with tempfile.TemporaryDirectory(prefix="pos-app-selftest-") as tmp:
        os.environ["POS_APP_HOME"] = str(Path(tmp) / "home")
        try:
            yield
        finally:
            del os.environ["POS_APP_HOME"]


@contextlib.contextmanager
def _collected_log() -> Iterator[list[logging.LogRecord]]:
    """The app's warnings and errors, kept for the report instead of going to stderr.

    Warnings are the app describing its surroundings (e.g. no keychain here); an error fails the
    self-test. Card-shaped text is blanked by the same filter as the app's own log.
    """
    from pos_app.logs import RedactCardNumbers

    handler = _KeepRecords(logging.WARNING)
    handler.addFilter(RedactCardNumbers())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield handler.records
    finally:
        root.removeHandler(handler)


class _KeepRecords(logging.Handler):
    def __init__(self, level: int) -> None:
        super().__init__(level)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


class _Captured:
    text = ""


@contextlib.contextmanager
def _captured_stderr() -> Iterator[_Captured]:
    """Send file descriptor 2 to a temporary file: catches Python, Qt and C libraries alike."""
    captured = _Captured()
    try:
        saved = os.dup(2)
    except OSError:  # no stderr at all (a windowed program on Windows): nothing to capture
        yield captured
        return
    with tempfile.TemporaryFile(mode="w+b") as sink:
        _flush_stderr()
        os.dup2(sink.fileno(), 2)
        try:
            yield captured
        finally:
            _flush_stderr()
            os.dup2(saved, 2)
            os.close(saved)
            sink.seek(0)
            captured.text = sink.read().decode("utf-8", "replace")


def _flush_stderr() -> None:
    for stream in (sys.stderr, sys.__stderr__):
        if stream is not None:
            stream.flush()


def unexpected_stderr(text: str) -> list[str]:
    lines = [line.rstrip() for line in text.splitlines() if line.strip()]
    return [line for line in lines if not any(p.match(line) for p in KNOWN_STDERR_NOISE)]


# --- Checks without Qt --------------------------------------------------------------------------


def check_commands() -> tuple[bool, str]:
    """Every `pos-app COMMAND` module imports: the CLI loads them by name, so a frozen build
    that missed one would only fail when a person typed that command."""
    import importlib

    from pos_app.cli import COMMANDS

    missing = []
    for name, module in COMMANDS.items():
        try:
            importlib.import_module(f"pos_app.commands.{module}")
        except ImportError as exc:
            missing.append(f"{name} ({exc})")
    if missing:
        return False, "cannot import: " + ", ".join(missing)
    return True, f"{len(COMMANDS)} commands: {', '.join(COMMANDS)}"


def check_console() -> tuple[bool, str]:
    """Standard output writes UTF-8 (pos_app/commands/__init__.py, use_utf8), and the frozen
    program runs in Python's UTF-8 mode (build.spec: PyInstaller ignores PYTHONUTF8), so a
    Korean Windows' cp949 never decides how a file or a pipe is read or written."""
    frozen = bool(getattr(sys, "frozen", False))
    utf8_mode = bool(sys.flags.utf8_mode)
    encoding = getattr(sys.stdout, "encoding", None)  # None: no stdout (windowed program)
    writes_utf8 = encoding is None or encoding.replace("-", "").lower() == "utf8"
    ok = writes_utf8 and (utf8_mode or not frozen)
    return ok, (
        f"stdout {encoding or 'none'}; UTF-8 mode {'on' if utf8_mode else 'off'}"
        f"{' (frozen)' if frozen else ''}"
    )


def check_certificates() -> tuple[bool, str]:
    """certifi's CA bundle is shipped and loads, and httpx's default TLS context uses it."""
    import ssl

    import certifi
    import httpx

    bundle = Path(certifi.where())
    context = ssl.create_default_context(cafile=str(bundle))
    count = context.cert_store_stats()["x509_ca"]
    httpx_count = httpx.create_ssl_context().cert_store_stats()["x509_ca"]
    ok = bundle.is_file() and count >= 100 and httpx_count >= 100
    return ok, f"{count} CA certificates from {bundle.name}; httpx default context: {httpx_count}"


def check_store_driver() -> tuple[bool, str]:
    """The shop's store server driver is shipped: psycopg and its pool load, with a libpq (the
    binary wheel's; a frozen Linux build uses the system's, as it does libcups, build_rules.py),
    and build the connection string a counter would use. A Linux PC without libpq5 passes with
    a note: it can keep its own files, not use a store server."""
    import ctypes.util

    system_libpq = bool(getattr(sys, "frozen", False)) and sys.platform.startswith("linux")
    try:
        import psycopg
    except ImportError as exc:
        if system_libpq and ctypes.util.find_library("pq") is None:
            return True, "no libpq on this system (libpq5): a store server cannot be used here"
        return False, f"psycopg: {exc}"
    import psycopg_pool

    from pos_app.store.postgres import parse_address

    conninfo = parse_address("postgresql://pos@127.0.0.1:5432/shop").connect_string()
    impl = psycopg.pq.__impl__
    wanted = ("python",) if system_libpq else ("binary", "c")
    ok = impl in wanted and "keepalives" in conninfo
    return ok, (
        f"psycopg {psycopg.__version__} ({impl}, libpq {psycopg.pq.version()}), "
        f"pool {psycopg_pool.__version__}"
    )


def secret_service_running() -> tuple[bool, str]:
    """Whether org.freedesktop.secrets answers on the session bus (running or activatable)."""
    if sys.platform in ("win32", "darwin"):
        return False, "not a D-Bus platform"
    if not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        return False, "no D-Bus session (DBUS_SESSION_BUS_ADDRESS unset)"
    from jeepney.bus_messages import message_bus
    from jeepney.io.blocking import open_dbus_connection

    name = "org.freedesktop.secrets"
    try:
        with open_dbus_connection(bus="SESSION") as bus:
            owned = bus.send_and_get_reply(message_bus.NameHasOwner(name), timeout=5).body[0]
            activatable = bus.send_and_get_reply(message_bus.ListActivatableNames(), timeout=5)
    except Exception as exc:
        return False, f"session bus unreachable ({type(exc).__name__})"
    if owned:
        return True, f"{name} is running"
    if name in activatable.body[0]:
        return True, f"{name} is activatable"
    return False, f"{name} is not on the session bus"


def check_keyring() -> tuple[bool, str]:
    """keyring found a real backend (entry points and secretstorage/jeepney survived freezing)."""
    import keyring
    from keyring.backends.chainer import ChainerBackend

    backend = keyring.get_keyring()
    members = list(backend.backends) if isinstance(backend, ChainerBackend) else [backend]
    names = [f"{type(b).__module__}.{type(b).__qualname__}" for b in members]
    real = [
        n for n in names if not n.startswith(("keyring.backends.fail", "keyring.backends.null"))
    ]
    listed = ", ".join(names) or "none"
    if sys.platform in ("win32", "darwin"):
        return bool(real), f"backend: {listed}"
    running, why = secret_service_running()
    if not running:
        return True, f"not checked: {why}; backend: {listed}"
    return bool(real), f"{why}; backend: {listed}"


# --- Checks with Qt (a QApplication exists) ------------------------------------------------------


def check_look(app: QApplication) -> tuple[bool, str]:
    """Fusion and a light palette, whatever the desktop (pos_app/ui/look.py)."""
    from PySide6.QtGui import QPalette

    style = app.style().name()
    window = app.palette().color(QPalette.ColorRole.Window)
    text = app.palette().color(QPalette.ColorRole.WindowText)
    ok = style.lower() == "fusion" and window.lightnessF() > 0.8 and text.lightnessF() < 0.3
    return ok, f"style {style}; window {window.name()}, text {text.name()}"


def check_translations() -> tuple[bool, str]:
    """The app's English .qm loads (QTranslator.load is True), and so do Qt's own Korean and
    English ones (dialog buttons), through the same code the window uses."""
    from PySide6.QtCore import QTranslator

    from pos_app.ui import i18n
    from pos_app.ui.assets import TRANSLATIONS

    own_ok = QTranslator().load(str(TRANSLATIONS / "pos_app_en.qm"))
    found = {lang: len(i18n.load_translators(lang)) for lang in ("en", "ko")}
    # English: the app's catalogue plus qtbase_en; Korean (the source language): qtbase_ko.
    ok = own_ok and found == {"en": 2, "ko": 1}
    return ok, (
        f"pos_app_en.qm {'loaded' if own_ok else 'FAILED'}; translators for en: {found['en']}/2, "
        f"for ko: {found['ko']}/1"
    )


def check_resources() -> tuple[bool, str]:
    """The app icon ships in pos_app.resources and Qt can read it (PNG, ICO and SVG)."""
    from PySide6.QtGui import QImage

    from pos_app.ui.assets import ICONS

    sizes = {}
    for name in ("pos-app-256.png", "pos-app.ico", "pos-app.svg"):
        image = QImage(str(ICONS / name))
        sizes[name] = "unreadable" if image.isNull() else f"{image.width()}x{image.height()}"
    ok = all(size != "unreadable" for size in sizes.values())
    return ok, ", ".join(f"{n} {s}" for n, s in sizes.items())


def check_printing() -> tuple[bool, str]:
    """QtPrintSupport ships: a receipt for a made-up sandbox payment prints to a PDF through
    QPrinter, and the platform's print plugins (CUPS on Linux) load with their libraries."""
    from PySide6.QtCore import QLibraryInfo, QPluginLoader

    from pos_app.gateway.models import Payment
    from pos_app.ui.receipt import receipt_html, save_pdf

    payment = Payment.from_json(
        {
            "imp_uid": "imp_selftest",
            "merchant_uid": "selftest-receipt",
            "status": "paid",
            "amount": 11_000,
            "card_name": "테스트카드",
            "card_number": "424242******4242",
            "name": "자체 점검",
            "paid_at": 1,
            "sandbox": True,
        }
    )
    with tempfile.TemporaryDirectory(prefix="pos-app-receipt-") as tmp:
        pdf = Path(tmp) / "receipt.pdf"
        printed = save_pdf(receipt_html(payment), pdf)
        data = pdf.read_bytes() if pdf.is_file() else b""
    pdf_ok = printed and data.startswith(b"%PDF-") and len(data) > 5_000
    # macOS prints through its platform plugin; Linux and Windows have a printsupport plugin.
    folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "printsupport"
    plugins = sorted(folder.iterdir()) if folder.is_dir() else []
    loaded = {plugin.name: QPluginLoader(str(plugin)).load() for plugin in plugins}
    plugins_ok = all(loaded.values()) and (bool(loaded) or sys.platform == "darwin")
    listed = ", ".join(f"{n} {'loaded' if ok else 'FAILED'}" for n, ok in loaded.items())
    note = ""
    if not plugins_ok and sys.platform.startswith("linux") and not _has_cups():
        # The CUPS plugin loads the system's libcups (build.spec leaves it out): with no CUPS
        # there is no printer to reach, and receipts still print to PDF.
        plugins_ok, note = True, "; no CUPS on this system (libcups2): paper printing unavailable"
    return pdf_ok and plugins_ok, (
        f"receipt PDF {len(data)} bytes{'' if pdf_ok else ' (FAILED)'}; "
        f"print plugins: {listed or 'none'}{note}"
    )


def _has_cups() -> bool:
    import ctypes.util

    return ctypes.util.find_library("cups") is not None
