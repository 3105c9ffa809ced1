"""`pos-app audit [--since DATE] [--csv]` lists the audit trail; `pos-app audit verify` checks
its hash chain.

`verify` exits 0 when every entry is in place and 1 naming the first entry that is not (changed,
inserted, deleted, or the last ones gone). It prints the head as an anchor (`SEQ:HASH`): noted
somewhere else (the day's paper report, a message to the owner) it lets a later
`verify --anchor SEQ:HASH` show that the trail was not rewritten since (docs/staff.md).
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pos_app.services.audit import AuditTrail
    from pos_app.store.audit import Detail

HELP = "list the audit trail (--csv for a spreadsheet) or check its hash chain (verify)"

EXIT_OK = 0
EXIT_BROKEN = 1


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--since", type=date.fromisoformat, metavar="DATE", help="first day, YYYY-MM-DD"
    )
    parser.add_argument("--csv", action="store_true", help="write CSV rows to stdout")
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    verify = actions.add_parser(
        "verify", help="check the hash chain; exit 1 naming the first broken entry"
    )
    verify.add_argument(
        "--anchor",
        metavar="SEQ:HASH",
        help="an entry's number and hash noted earlier (as printed by verify)",
    )


def run(args: argparse.Namespace) -> int:
    from pos_app.services import places
    from pos_app.services.audit import AuditTrail

    lang: str = getattr(args, "lang", None) or "ko"
    if args.action == "verify":
        if not places.audit_kept():
            # No trail at all: fine for a shop that never used it, not once staff were added
            # (adding them is recorded) or an anchor was noted: then the whole file was removed.
            path = places.audit_path()
            if places.staff_kept() or args.anchor:
                print(f"pos-app audit verify: {path} is missing (deleted)", file=sys.stderr)
                return EXIT_BROKEN
            print(f"no audit trail yet ({path})")
            return EXIT_OK
        with AuditTrail(places.open_audit_log()) as trail:
            return _verify(trail, args.anchor, lang)
    with AuditTrail(places.open_audit_log()) as trail:
        entries = trail.entries(args.since)
        if args.csv:
            from pos_app.services import audit
            from pos_app.services.audit import write_csv

            write_csv(entries, sys.stdout)
            terminal = places.terminal_id(places.saved_settings())
            detail: dict[str, Detail] = {"what": "audit", "to": "stdout", "rows": len(entries)}
            if args.since:
                detail["since"] = args.since.isoformat()
            trail.record(audit.EXPORT, audit.cli_person(), terminal, detail)
            return EXIT_OK
    from pos_app.services.report import local_time

    for e in entries:
        print(
            f"{e.seq:>6}  {local_time(e.at)}  {e.terminal:<8} {e.person:<20} "
            f"{e.action:<20} {e.details}"
        )
    return EXIT_OK


def _verify(trail: AuditTrail, anchor_text: str | None, lang: str) -> int:
    from pos_app.services.audit import check_message, parse_anchor

    anchor = None
    if anchor_text:
        anchor = parse_anchor(anchor_text)
        if anchor is None:
            print("pos-app audit verify: --anchor is SEQ:HASH (8-64 hex digits)", file=sys.stderr)
            return EXIT_BROKEN
    check = trail.verify(anchor)
    if check.ok:
        print(check_message(check, lang))
        return EXIT_OK
    print(f"pos-app audit verify: {check_message(check, lang)}", file=sys.stderr)
    print(f"broken at entry {check.broken_seq}")
    return EXIT_BROKEN
