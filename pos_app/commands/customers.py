"""`pos-app customers`: the customer index (saved cards this app knows).

`import FILE` adds existing customer_uids (one per line) by fetching them from PortOne in
batches; `plans FILE` sets members' plans from a CSV (customer_uid,amount,name,day; the strict
rules of bill files: one bad line refuses the whole file); `list` prints the index. No card
data: at most the last four digits.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

from pos_app.commands import print_error

HELP = "import existing customer_uids from PortOne into the customer list, or list it"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    imp = sub.add_parser("import", help="fetch customer_uids listed in FILE (one per line)")
    imp.add_argument("file", type=Path, metavar="FILE")
    plans = sub.add_parser(
        "plans",
        help="set members' monthly plans from a CSV: customer_uid,amount,name,day "
        "(day 1-28 or 말일/last)",
    )
    plans.add_argument("file", type=Path, metavar="FILE.csv")
    lst = sub.add_parser("list", help="print the customer list as CSV")
    lst.add_argument("--mode", choices=["auto", "sandbox", "live"], default="auto")


def _read_uids(path: Path) -> list[str]:
    uids: list[str] = []
    seen: set[str] = set()
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        uid = line.strip()
        if uid and not uid.startswith("#") and uid not in seen:
            seen.add(uid)
            uids.append(uid)
    return uids


def run(args: argparse.Namespace) -> int:
    from pos_app.logs import setup_logging

    setup_logging()
    if args.action == "list":
        return _list(args)
    if args.action == "plans":
        return _plans(args)
    return _import(args)


def _list(args: argparse.Namespace) -> int:
    from pos_app.services import places
    from pos_app.store.customers import CustomerRow

    mode: places.Mode = places.current_mode() if args.mode == "auto" else args.mode
    store = places.open_store(
        mode,
        terminal=places.terminal_id(),
        version=places.current_version(),
        with_lease=False,
    )
    try:
        rows = store.customers.all_tuples()
    finally:
        store.close()
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(CustomerRow._fields)
    writer.writerows(["" if v is None else v for v in row] for row in rows)
    return 0


def _import(args: argparse.Namespace) -> int:
    from pos_app.commands import close_quietly, emit
    from pos_app.commands.messages import language, text
    from pos_app.core.errors import InvalidInput
    from pos_app.core.order import check_customer_uid
    from pos_app.services.opening import open_till

    try:
        listed = _read_uids(args.file)
    except (OSError, UnicodeDecodeError) as exc:
        why = exc.strerror if isinstance(exc, OSError) else exc.reason
        lang = language(getattr(args, "lang", None))
        print_error(text("file.unreadable", lang, file=args.file, why=why or exc))
        return 1
    uids, invalid = [], []
    for uid in listed:
        try:
            uids.append(check_customer_uid(uid))
        except InvalidInput:
            invalid.append(uid)
    # Storage, settings and PortOne failures are reported by commands.run_command.
    till = open_till()
    try:
        found, missing = till.import_customers(uids)
    finally:
        close_quietly(till)
    emit(
        {
            "requested": len(listed),
            "imported": len(found),
            "not_found": missing,
            "invalid": invalid,
        }
    )
    return 2 if missing or invalid else 0


def _plans(args: argparse.Namespace) -> int:
    """Every problem on stderr and in the JSON, nothing saved, when any line is wrong."""
    from datetime import date

    from pos_app.commands import close_quietly, emit, note
    from pos_app.commands.messages import language, text
    from pos_app.services.member_plans import import_plans, read_plans
    from pos_app.services.opening import open_till

    lang = language(getattr(args, "lang", None))
    try:
        data = args.file.read_bytes()
    except OSError as exc:
        print_error(text("file.unreadable", lang, file=args.file, why=exc.strerror or exc))
        return 1
    plans = read_plans(data)
    if plans.refused:
        for problem in plans.problems:
            message = problem.message_en if lang == "en" and problem.message_en else problem.message
            where = f"{args.file}:{problem.line}" if problem.line else str(args.file)
            note(f"{where}: {message}\n")
        emit({"outcome": "refused", "saved": 0, "problems": [p.to_json() for p in plans.problems]})
        return 1
    till = open_till()
    try:
        result = import_plans(till, plans, date.today())
    finally:
        close_quietly(till)
    message = text("plans.imported", lang, saved=len(result.saved), missing=len(result.not_found))
    note(message + "\n")
    emit({"outcome": "saved", "saved": len(result.saved), "not_found": result.not_found})
    return 2 if result.not_found else 0
