"""One module per `pos-app` command: `HELP`, `add_arguments(parser)`, `run(args) -> int`, named
in the command table `COMMANDS` below (pos_app/cli.py builds the parser from it; `--self-test`,
a flag rather than a command, is the `selftest` package).

`run_command` is the one place a command's failure becomes what a script reads: whatever a
command did not handle itself — storage (StorageError and the sqlite3 / OS errors behind it), the
keychain, the settings file, PortOne, I/O — is printed as one JSON object
`{"outcome": "error", "message": ...}` on stdout with exit status 1, never as a traceback (the
traceback goes to the log file only). Printing goes through `emit`, which never raises: a result
that cannot be printed (a closed pipe, a console that cannot show it, no stdout at all in the
windowed program on Windows) is logged, and the exit status still says what happened to the money.

Before a command runs, `use_utf8` makes the standard streams UTF-8 whatever the console, the pipe
or `PYTHONIOENCODING` says: a Windows pipe or redirected file takes the ANSI code page (cp949 on
a Korean PC, cp1252 on most others), where the Korean of a charge's answer raised
`UnicodeEncodeError` after PortOne had charged the card (exit 1, "error": a script could charge
again). The frozen program turns Python's UTF-8 mode on itself (build.spec); this covers
`python -m pos_app` and any `PYTHONIOENCODING`.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import io
import json
import logging
import os
import sys
from types import ModuleType
from typing import Protocol

from pos_app.commands.messages import language, text

log = logging.getLogger(__name__)

EXIT_ERROR = 1

# `pos-app COMMAND` -> its module under pos_app.commands, imported only when that command runs or
# --help describes it (build.spec names every module: the analysis cannot see these imports).
COMMANDS = {
    "sandbox": "sandbox",
    "charge": "charge",
    "bill": "bill",
    "run-due": "run_due",
    "refund": "refund",
    "reconcile": "reconcile",
    "journal": "journal",
    "customers": "customers",
    "credentials": "credentials",
    "staff": "staff",
    "audit": "audit",
    "db": "db",
}


def command_module(name: str) -> ModuleType:
    """The module of `pos-app name` (a key of COMMANDS)."""
    return importlib.import_module(f"pos_app.commands.{COMMANDS[name]}")


def use_utf8() -> None:
    """Standard output and error write UTF-8 and standard input reads it, whatever the console,
    pipe or `PYTHONIOENCODING` says (what Python's UTF-8 mode would do). Streams that are not
    text files (None in a windowed program, a test's capture) are left alone."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            with contextlib.suppress(OSError, ValueError):  # a closed stream: nothing to set
                stream.reconfigure(encoding="utf-8", errors="backslashreplace")
    if isinstance(sys.stdin, io.TextIOWrapper):
        # UTF-8 mode's choice for stdin: bytes that are not UTF-8 survive as surrogates.
        with contextlib.suppress(OSError, ValueError):
            sys.stdin.reconfigure(encoding="utf-8", errors="surrogateescape")


def emit(payload: dict[str, object]) -> bool:
    """Print one JSON object on stdout; False (logged, never raised) when it could not be."""
    stream = sys.stdout
    if stream is None:  # the windowed program on Windows: nowhere to print, the journal has it
        log.info("no stdout: the result was not printed")
        return False
    for ascii_only in (False, True):
        try:
            stream.write(json.dumps(payload, ensure_ascii=ascii_only) + "\n")
            stream.flush()
            return True
        except UnicodeEncodeError:
            continue  # a console that cannot show Korean still gets the \uXXXX form
        except (OSError, ValueError) as exc:  # a closed or broken stdout
            log.warning("the result could not be printed (%s)", type(exc).__name__)
            _silence_stdout()
            return False
    return False


def _silence_stdout() -> None:
    """Point stdout at the null device, so the interpreter's own flush at exit cannot fail a
    second time (it would print a traceback and change the exit status to 120)."""
    try:
        fd = sys.stdout.fileno()
    except (OSError, ValueError, AttributeError):
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, fd)
    finally:
        os.close(devnull)


class _Closable(Protocol):
    def close(self) -> None: ...


def close_quietly(thing: _Closable) -> None:
    """Close the till after the command's result is settled: a failure to close (a journal on a
    disk that just filled up) is logged, and must not turn a charge that happened into an
    error."""
    try:
        thing.close()
    except Exception as exc:
        log.warning("closing after the command failed (%s)", type(exc).__name__)


def note(line: str) -> None:
    """One line for a person on stderr (progress, a bill's problems); never raises: with no
    stderr (the windowed program) or a closed one the line is lost, never the command's result."""
    stream = sys.stderr
    if stream is None:
        return
    with contextlib.suppress(OSError, ValueError):  # ValueError: closed, or cannot encode it
        stream.write(line)
        stream.flush()


def print_error(message: str) -> None:
    """The one JSON line a command prints when it cannot do its job, so a script reading stdout
    always gets an object."""
    emit({"outcome": "error", "message": message})


def run_command(module: ModuleType, args: argparse.Namespace) -> int:
    """`module.run(args)`, with every failure it did not handle reported as JSON (exit 1)."""
    lang = language(getattr(args, "lang", None))
    try:
        result: int = module.run(args)
        return result
    except BrokenPipeError:
        _silence_stdout()  # the reader went away: nobody is left to tell
        return EXIT_ERROR
    except Exception as exc:
        print_error(failure_message(exc, lang, getattr(args, "command", "") or ""))
        return EXIT_ERROR


def failure_message(exc: Exception, lang: str, command: str = "") -> str:
    """What to tell a person about a failure no command handled itself, in `lang`."""
    from pos_app.core.errors import InvalidInput
    from pos_app.gateway.errors import PortOneError
    from pos_app.services.credentials import KeychainUnavailable
    from pos_app.services.places import NotLoopback
    from pos_app.services.setting_rules import InvalidSetting
    from pos_app.store.errors import classify

    storage = classify(exc)
    if storage is not None:
        log.warning("%s: %s", command or "command", storage.message("en"))
        return storage.message(lang)
    if isinstance(exc, InvalidSetting | KeychainUnavailable | InvalidInput | NotLoopback):
        return exc.message(lang)
    if isinstance(exc, PortOneError):
        return exc.message
    if isinstance(exc, OSError):
        return text("os_error", lang, why=exc.strerror or type(exc).__name__)
    # Anything else is a bug: the details (redacted like every record) go to the log file only;
    # the stderr handler shows warnings and above, so INFO keeps the traceback off the console.
    log.info("%s failed", command or "command", exc_info=exc)
    from pos_app.datadir import log_dir

    try:
        logs = str(log_dir())
    except OSError:
        logs = "-"
    return text("internal", lang, kind=type(exc).__name__, logs=logs)
