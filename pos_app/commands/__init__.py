"""One module per `pos-app` command: `HELP`, `add_arguments(parser)`, `run(args) -> int`.

`run_command` is the one place a command's failure becomes what a script reads: whatever a
command did not handle itself — storage (StorageError and the sqlite3 / OS errors behind it), the
keychain, the settings file, PortOne, I/O — is printed as one JSON object
`{"outcome": "error", "message": ...}` on stdout with exit status 1, never as a traceback (the
traceback goes to the log file only). Printing goes through `emit`, which never raises: a result
that cannot be printed (a closed pipe, a console that cannot show it) is logged, and the exit
status still says what happened to the money.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from types import ModuleType
from typing import Protocol

from pos_app.commands.messages import language, text

log = logging.getLogger(__name__)

EXIT_ERROR = 1


def emit(payload: dict[str, object]) -> bool:
    """Print one JSON object on stdout; False (logged, never raised) when it could not be."""
    for ascii_only in (False, True):
        try:
            sys.stdout.write(json.dumps(payload, ensure_ascii=ascii_only) + "\n")
            sys.stdout.flush()
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
    from pos_app.services.settings import InvalidSetting
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
