"""`pos-app bill FILE.csv [--period P] [--concurrency N] [--retry-declined REASON]`: charge
every row (customer_uid,amount,name) once, several at a time (services/billing_run.py).

The file is checked whole first: one bad line refuses it, nothing is charged, and every bad
line is listed. Each row's order id follows from the row and the billing period (default: this
month), so the same bill run again — after a crash, a kill, a re-save in Excel, with rows
re-ordered or appended — charges each row at most once (see docs/journal.md, docs/billing-run.md).
A progress bar on stderr when it is a terminal; every problem on stderr, a JSON summary on
stdout. Exit 0 all paid, 2 some declined/refused/not billed, 3 some outcome unknown or rows left
(a run stopped by an outage), 1 error (file unreadable or refused, nothing charged).
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from pos_app.commands import note, print_error
from pos_app.commands.run_progress import RunProgressBar, add_run_arguments, concurrency_of

if TYPE_CHECKING:
    from pos_app.services.bill_file import BillPlan, BillProblem

HELP = "charge saved cards listed in a CSV (customer_uid,amount,name); safe to run again"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, metavar="FILE.csv", help="customer_uid,amount,name rows")
    parser.add_argument(
        "--period",
        metavar="P",
        help="billing period: YYYY-MM (default: this month) or a short label "
        "([A-Za-z0-9_-], up to 16); the same row in the same period is charged once",
    )
    parser.add_argument(
        "--allow-repeat",
        metavar="REASON",
        default="",
        help="charge a member again although another bill already charged them the same "
        "amount in this period (the reason is kept with each such charge)",
    )
    add_run_arguments(parser)


def _report(file: Path, problems: Iterable[BillProblem], lang: str) -> None:
    for problem in problems:
        message = problem.message_en if lang == "en" and problem.message_en else problem.message
        where = f"{file}:{problem.line}" if problem.line else str(file)
        note(f"{where}: {message}\n")


def _refused(args: argparse.Namespace, plan: BillPlan, problems: list[BillProblem]) -> int:
    """The whole file refused: every reason on stderr and in one JSON object; nothing sent."""
    from pos_app.commands import emit
    from pos_app.commands.messages import language
    from pos_app.services.outcome import EXIT_ERROR

    lang = language(getattr(args, "lang", None))
    _report(args.file, problems, lang)
    headline = (
        "The bill was refused; nothing was charged. Fix the lines above and run it again."
        if lang == "en"
        else "청구 파일을 거부했습니다. 아무것도 결제하지 않았습니다. 위 줄을 고친 뒤 "
        "다시 실행하세요."
    )
    note(headline + "\n")
    result = {
        "file": str(args.file),
        "outcome": "refused",
        "period": plan.period,
        "bill_id": plan.bill_id,
        "rows": plan.lines,
        "paid": 0,
        "amount_paid": 0,
        "problems": [p.to_json() for p in problems],
    }
    emit(result)
    return EXIT_ERROR


def run(args: argparse.Namespace) -> int:
    import time

    from pos_app.commands import close_quietly, emit
    from pos_app.commands.messages import language, text
    from pos_app.core.bill_identity import current_period
    from pos_app.core.errors import InvalidInput
    from pos_app.logs import setup_logging
    from pos_app.services.bill_file import boundary_problem, read_bill
    from pos_app.services.billing import run_bill
    from pos_app.services.opening import open_till
    from pos_app.services.outcome import EXIT_ERROR

    lang = language(getattr(args, "lang", None))
    setup_logging()
    try:
        data = args.file.read_bytes()
    except OSError as exc:
        print_error(text("file.unreadable", lang, file=args.file, why=exc.strerror or exc))
        return EXIT_ERROR
    try:
        plan = read_bill(data, args.period or current_period())
    except InvalidInput as exc:
        print_error(exc.message(lang))
        return EXIT_ERROR
    if plan.refused:
        # Before the till opens: a refused file costs not even a token request.
        return _refused(args, plan, plan.problems)
    # Storage, settings and PortOne failures are reported by commands.run_command; running the
    # same file again afterwards charges each row at most once.
    till = open_till()
    from pos_app.services import audit

    run = {"bill_id": plan.bill_id, "file": args.file.name, "period": plan.period}
    try:
        boundary = None if args.period else boundary_problem(plan, till.journal_row, time.time())
        if boundary is not None:
            return _refused(args, plan, [boundary])
        audit.record_from_cli(audit.RUN_START, {**run, "mode": till.mode})
        summary = run_bill(
            till,
            plan,
            repeat_reason=args.allow_repeat,
            retry_reason=args.retry_declined,
            concurrency=concurrency_of(args),
            label=args.file.name,
            on_tick=RunProgressBar.for_stderr(text("bill.progress", lang), lang),
        )
    except BaseException as exc:
        audit.record_from_cli(audit.RUN_STOP, {**run, "stopped_by": type(exc).__name__})
        raise
    finally:
        close_quietly(till)
    counts = {k: v for k, v in summary.to_json().items() if isinstance(v, int)}
    audit.record_from_cli(audit.RUN_STOP, {**run, "run_id": summary.run_id, **counts})
    # Every row not paid says why on stderr, as the summary's `problems` do.
    _report(args.file, summary.problems, lang)
    result = {
        "file": str(args.file),
        "outcome": "ran",
        "period": plan.period,
        "bill_id": plan.bill_id,
        **summary.to_json(),
    }
    emit(result)
    return summary.exit_code
