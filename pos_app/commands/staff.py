"""`pos-app staff add|list|remove|pin`: the people who work this counter, and their roles.

A PIN is never an argument (other users could read it in the process list or shell history):
`add` and `pin` ask for it twice without echo at a terminal, and otherwise read two lines from
standard input. Everything done here is recorded in the audit trail as `system:<os user>`.

Exit status: 0 done, 1 refused (bad name, PIN or role; the last manager; no such person).
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pos_app.core.staff_pin import StaffPin
    from pos_app.services.staff import StaffBook
    from pos_app.store.audit import Detail

HELP = "add, list or remove staff (cashier or manager) and change their PINs"

EXIT_OK = 0
EXIT_REFUSED = 1


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = actions.add_parser(
        "add",
        help="add a person; the PIN (4-8 digits) is asked twice, or read as two lines of stdin",
    )
    add.add_argument("name")
    add.add_argument("--role", choices=["cashier", "manager"], required=True)
    actions.add_parser("list", help="list the staff and their roles")
    remove = actions.add_parser("remove", help="remove a person (never the last manager)")
    remove.add_argument("name")
    pin = actions.add_parser("pin", help="change a person's PIN (asked twice, or two lines)")
    pin.add_argument("name")


def _read_new_pin(name: str) -> StaffPin:
    from pos_app.services.staff import parse_new_pin

    if sys.stdin.isatty():
        import getpass

        first = getpass.getpass(f"PIN for {name} (4-8 digits): ")
        second = getpass.getpass("the same PIN again: ")
    else:
        first = sys.stdin.readline().strip()
        second = sys.stdin.readline().strip()
    return parse_new_pin(first, second)


def _open() -> StaffBook:
    from pos_app.services import places
    from pos_app.services.staff import StaffBook

    terminal = places.terminal_id(places.saved_settings())
    return StaffBook.open_here(terminal)


def run(args: argparse.Namespace) -> int:
    from pos_app.services.audit import cli_person
    from pos_app.services.staff import StaffError, check_name

    lang: str = getattr(args, "lang", None) or "ko"
    by = cli_person()
    try:
        with _open() as book:
            if args.action == "list":
                return _list(book, lang)
            name = check_name(args.name)
            if args.action == "remove":
                member = book.remove(name, by)
                print(f"removed {member.name} ({member.role})")
                return EXIT_OK
            if args.action == "pin":
                book.member(name)  # no point asking for a PIN for nobody
                book.change_pin(name, _read_new_pin(name), by)
                print(f"PIN changed for {name}")
                return EXIT_OK
            pin = _read_new_pin(name)
            member = book.add(name, args.role, pin, by)
            print(f"added {member.name} ({member.role})")
            if not book.has_manager():
                print(
                    "note: no manager yet; sign-in starts once a manager is added",
                    file=sys.stderr,
                )
            return EXIT_OK
    except StaffError as exc:
        print(f"pos-app staff {args.action}: {exc.message(lang)}", file=sys.stderr)
        return EXIT_REFUSED


def _list(book: StaffBook, lang: str) -> int:
    from pos_app.services.report import local_time

    members = book.members()
    if not members:
        print("no staff: the window opens without sign-in")
        return EXIT_OK
    for member in members:
        locked = book.locked_until(member.name)
        note = f"  locked until {local_time(locked)}" if locked else ""
        print(f"{member.name}\t{member.role}\tadded {local_time(member.created_at)}{note}")
    if not book.has_manager():
        print("no manager yet: the window opens without sign-in")
    return EXIT_OK


def approve_from_cli(
    manager: str | None, action: str, details: dict[str, Detail], lang: str
) -> tuple[bool, str]:
    """A manager's approval for a command, once the shop has a manager: (True, manager's name),
    or (False, why). With no manager on the staff, (True, ""): a single-user till, as before.

    The PIN is read like the window's: asked without echo at a terminal, else one line of
    standard input; never an argument. Whoever runs commands as the counter's OS user can also
    edit the staff file, so this keeps honest people honest rather than stopping an attacker
    (docs/staff.md); the approval, or its refusal, is recorded either way.
    """
    from pos_app.services import places
    from pos_app.services.audit import cli_person
    from pos_app.services.staff import StaffError, manager_left_behind, parse_pin

    if not places.staff_kept():
        if not places.audit_kept():
            return True, ""
        from pos_app.services.audit import AuditTrail

        with AuditTrail(places.open_audit_log()) as trail:
            had_manager = trail.ever_had_manager()
        # A manager was added here once and the staff file is gone: deleting it opens nothing.
        return (False, StaffError("staff_missing").message(lang)) if had_manager else (True, "")
    with _open() as book:
        if not book.has_manager():
            if book.trail.ever_had_manager():
                return False, StaffError("staff_missing").message(lang)
            if manager_left_behind():
                return False, StaffError("staff_not_on_server").message(lang)
            return True, ""
        if not manager:
            return False, StaffError("manager_needed").message(lang)
        if sys.stdin.isatty():
            import getpass

            text = getpass.getpass(f"{manager} PIN: ")
        else:
            text = sys.stdin.readline().strip()
        try:
            member = book.approve(manager, parse_pin(text), action, cli_person(), details)
        except StaffError as exc:
            return False, exc.message(lang)
    return True, member.name
