"""The command line: `pos-app` opens the window; `pos-app COMMAND` runs one job.

Each command lives in its own module under `pos_app/commands/` with `HELP`,
`add_arguments(parser)` and `run(args) -> int`; the module imports what it needs inside `run`, so
`pos-app --help` stays fast. Card data is never taken from the command line.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from types import ModuleType

# Command name -> module under pos_app.commands.
COMMANDS = {
    "sandbox": "sandbox",
    "charge": "charge",
    "bill": "bill",
    "reconcile": "reconcile",
    "journal": "journal",
    "customers": "customers",
    "credentials": "credentials",
}


def _command_module(name: str) -> ModuleType:
    return importlib.import_module(f"pos_app.commands.{COMMANDS[name]}")


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    from pos_app import __version__

    parser = argparse.ArgumentParser(
        prog="pos-app",
        description="Key-in card billing over PortOne V1 (sandbox when no credentials are set).",
    )
    parser.add_argument("--version", action="version", version=f"pos-app {__version__}")
    parser.add_argument("--lang", choices=["ko", "en"], help="interface language (default: ko)")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="build the window offscreen, run a charge cycle against the sandbox, print JSON",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        if command is not None and name != command:
            # Only the chosen command's module is imported; the others get a bare entry.
            sub.add_parser(name)
            continue
        module = _command_module(name)
        sub_parser = sub.add_parser(name, help=module.HELP, description=module.HELP)
        module.add_arguments(sub_parser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    chosen = next((a for a in args_list if a in COMMANDS), None)
    args = build_parser(chosen).parse_args(args_list)
    if args.command is not None:
        result: int = _command_module(args.command).run(args)
        return result
    if args.self_test:
        from pos_app.commands import selftest

        return selftest.run(args)
    from pos_app import app

    return app.main(lang=args.lang)
