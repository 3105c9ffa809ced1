"""`pos-app journal`: the charges and refunds of a day (or a range) with totals; --csv for a file.

Reads the journal only; it does not talk to PortOne (run `pos-app reconcile` first to settle
anything still unknown).
"""

from __future__ import annotations

import argparse
import sys
from datetime import date

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


def run(args: argparse.Namespace) -> int:
    from pos_app.services import places
    from pos_app.services.report import local_time, member_names, rows_for, totals_of, write_csv
    from pos_app.store.customers import CustomerIndex
    from pos_app.store.journal import Journal

    mode: places.Mode = places.current_mode() if args.mode == "auto" else args.mode
    since = args.since or date.today()
    with Journal(places.journal_path(mode)) as journal:
        rows = rows_for(journal, since, args.until)
    totals = totals_of(rows)
    if args.csv:
        with CustomerIndex(places.customers_path(mode)) as index:
            names = member_names(index, rows)
        write_csv(rows, sys.stdout, lang=args.lang or "ko", names=names)
        return 0
    for row in rows:
        signed = -row.amount if row.kind == "refund" else row.amount
        print(
            f"{local_time(row.created_at)}  {row.kind:<16} {row.state:<8} "
            f"{signed:>12,}원  {row.customer_uid or '-':<20} {row.order_name}  "
            f"{row.merchant_uid}  {row.imp_uid or ''}  {row.card_number}"
        )
    span = since.isoformat() + (f" ~ {args.until.isoformat()}" if args.until else "")
    print(
        f"[{mode}] {span}  결제 {totals.paid_count}건 {totals.paid_amount:,}원 · "
        f"환불 {totals.refunded_count}건 {totals.refunded_amount:,}원 · "
        f"순매출 {totals.net_amount:,}원 · 거절 {totals.declined_count}건 · "
        f"미결제 {totals.not_charged_count}건 · 확인 필요 {totals.unknown_count}건"
    )
    return 0
