"""Checks of what was shipped and what the program finds around it, without Qt: every command
imports, the console writes UTF-8, the CA certificates, the store server's driver, the keychain."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def check_commands() -> tuple[bool, str]:
    """Every `pos-app COMMAND` module imports: the CLI loads them by name, so a frozen build
    that missed one would only fail when a person typed that command."""
    from pos_app.commands import COMMANDS, command_module

    missing = []
    for name in COMMANDS:
        try:
            command_module(name)
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
