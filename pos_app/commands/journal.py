"""`pos-app journal`: the charges and refunds of a day (or a range) with totals; --csv for a file.

Reads the journal only; it does not talk to PortOne (run `pos-app reconcile` first to settle
anything still unknown). `--start-new` is the decision after a damaged or missing journal
(docs/journal.md, "When storage fails").
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pos_app.services import places

HELP = "list the day's charges, refunds and totals from the journal (--csv for a spreadsheet)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--since",
        type=date.fromisoformat,
        metavar="DATE",
        help="first day, YYYY-MM-DD (default today)",
    )
    parser.add_argument(
        "--until",
        type=date.fromisoformat,
        metavar="DATE",
        help="last day, YYYY-MM-DD (default: --since)",
    )
    parser.add_argument(
        "--csv",
        action="store_true",
        help="write the rows as CSV to stdout (headers in --lang; amounts add up to net sales)",
    )
    parser.add_argument(
        "--mode",
        choices=["auto", "sandbox", "live"],
        default="auto",
        help="which journal (default: the one the app would use now)",
    )
    parser.add_argument(
        "--start-new",
        action="store_true",
        help="after a damaged or missing journal or customer list: start new ones, keeping the "
        "old files (moved aside, never deleted); healthy files are left alone",
    )


def run(args: argparse.Namespace) -> int:
    from pos_app.commands.messages import language, text
    from pos_app.logs import setup_logging
    from pos_app.services import places
    from pos_app.services.report import local_time, member_names, rows_for, totals_of, write_csv

    lang = language(getattr(args, "lang", None))
    setup_logging()
    mode: places.Mode = places.current_mode() if args.mode == "auto" else args.mode
    if args.start_new:
        return _start_new(mode, lang)
    since = args.since or date.today()
    # This counter's files, or the shop's store server (every counter's rows) when one is set.
    store = places.open_store(
        mode,
        terminal=places.terminal_id(),
        version=places.current_version(),
        with_lease=False,
    )
    try:
        rows = rows_for(store.journal, since, args.until)
        names = member_names(store.customers, rows) if args.csv else {}
    finally:
        store.close()
    totals = totals_of(rows)
    if args.csv:
        write_csv(rows, sys.stdout, lang=args.lang or "ko", names=names)
        from pos_app.services import audit

        audit.record_from_cli(
            audit.EXPORT, {"what": "journal", "since": since.isoformat(), "rows": len(rows)}
        )
        return 0
    for row in rows:
        signed = -row.amount if row.kind == "refund" else row.amount
        won = text("journal.won", lang, amount=signed)
        print(
            f"{local_time(row.created_at)}  {row.kind:<16} {row.state:<8} "
            f"{won:>14}  {row.customer_uid or '-':<20} {row.order_name}  "
            f"{row.merchant_uid}  {row.imp_uid or ''}  {row.card_number}"
        )
    span = since.isoformat() + (f" ~ {args.until.isoformat()}" if args.until else "")
    print(
        text(
            "journal.totals",
            lang,
            mode=mode,
            span=span,
            paid_count=totals.paid_count,
            paid_amount=totals.paid_amount,
            refunded_count=totals.refunded_count,
            refunded_amount=totals.refunded_amount,
            net_amount=totals.net_amount,
            declined_count=totals.declined_count,
            not_charged_count=totals.not_charged_count,
            unknown_count=totals.unknown_count,
        )
    )
    return 0


def _start_new(mode: places.Mode, lang: str) -> int:
    """One JSON object: what was started anew and where the old files are."""
    from pos_app.commands import emit
    from pos_app.commands.messages import text
    from pos_app.services.storage import start_new_files

    done = start_new_files(mode)
    started = [d for d in done if d.started]
    kept = [str(p) for d in done for p in d.kept]
    message = (
        text("journal.started_new", lang, kept=", ".join(kept) or "-")
        if started
        else text("journal.nothing_to_start", lang)
    )
    emit(
        {
            "outcome": "started_new" if started else "nothing_to_do",
            "mode": mode,
            "started": [str(d.path) for d in started],
            "kept": kept,
            "message": message,
        }
    )
    return 0
