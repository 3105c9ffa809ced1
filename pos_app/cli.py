"""The command line: `pos-app` opens the window; `pos-app COMMAND` runs one job.

Each command lives in its own module under `pos_app/commands/` with `HELP`,
`add_arguments(parser)` and `run(args) -> int`, named in the command table `COMMANDS`
(`pos_app/commands/__init__.py`); the module imports what it needs inside `run`, so
`pos-app --help` stays fast. Card data is never taken from the command line.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any


class _Version(argparse.Action):
    """`--version`: the version is read only when asked (importlib.metadata costs about 20 ms,
    which every start of the window would otherwise pay before its first paint)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        kwargs.setdefault("help", "show program's version number and exit")
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,
        option_string: str | None = None,
    ) -> None:
        import pos_app

        print(f"pos-app {pos_app.__version__}")  # on stdout, like argparse's own "version"
        parser.exit()


def build_parser(
    command: str | None = None, *, describe_commands: bool = True
) -> argparse.ArgumentParser:
    """With `command`, only that command's module is imported; with neither it nor
    `describe_commands`, none is (every command still parses as a name)."""
    from pos_app.commands import COMMANDS, command_module

    parser = argparse.ArgumentParser(
        prog="pos-app",
        description=(
            "Key-in card billing over PortOne V1 or V2 (sandbox when no credentials are set)."
        ),
    )
    parser.add_argument("--version", action=_Version)
    parser.add_argument("--lang", choices=["ko", "en"], help="interface language (default: ko)")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="build the window offscreen, run a charge cycle against the sandbox, print JSON",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        if name != command and (command is not None or not describe_commands):
            # Only the chosen command's module is imported; the others get a bare entry.
            sub.add_parser(name)
            continue
        module = command_module(name)
        sub_parser = sub.add_parser(name, help=module.HELP, description=module.HELP)
        module.add_arguments(sub_parser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list:
        # The window, as on every start from the desktop: nothing to parse, and building the
        # parser (argparse looks up its gettext catalogues) costs about 4 ms before the first paint.
        return _window(lang=None)
    from pos_app.commands import COMMANDS, command_module, use_utf8

    use_utf8()  # before anything is printed, argparse's help and errors included
    chosen = next((a for a in args_list if a in COMMANDS), None)
    # Starting the window names no command: the command modules (about 13 ms of imports before
    # the first paint) are imported only when --help describes them. argparse accepts any
    # unambiguous prefix of --help.
    wants_help = any(a == "-h" or (len(a) > 2 and "--help".startswith(a)) for a in args_list)
    parser = build_parser(chosen, describe_commands=wants_help)
    args = parser.parse_args(args_list)
    if args.command is not None:
        from pos_app.commands import run_command  # failures as JSON, never a traceback

        return run_command(command_module(args.command), args)
    if args.self_test:
        from pos_app.commands import selftest

        return selftest.run(args)
    return _window(lang=args.lang)


def _window(lang: str | None) -> int:
    import gc

    # Startup allocates some 28,000 long-lived objects (modules, Qt's type and enum wrappers,
    # widgets) and hardly any garbage: measured, the collector ran about 50 times before the
    # first paint, for 7-8 ms, and found some 340 objects. app.main() turns it back on once the
    # window is painted (or ui/after_paint.FIRST_PAINT_WAIT_MS has passed).
    gc.disable()
    from pos_app import app

    return app.main(lang=lang)
