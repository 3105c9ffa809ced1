"""`pos-app run-due [--date YYYY-MM-DD] [--concurrency N] [--retry-declined REASON]`: charge
the members whose plan is due on a date (default: today), including days missed while the
counter PC was off — for a scheduled task at night, no window needed.

Each charge's billing period is the plan's month and its order id follows from the member, the
amount, the name and that month (docs/billing-run.md), so running it again, or on a second
counter, charges nothing twice. A progress bar on stderr when it is a terminal; every member not
charged on stderr; a JSON summary on stdout. Exit codes as `bill`: 0 all paid, 2 some declined /
refused / not charged, 3 some outcome unknown or left (an outage), 1 error (nothing charged).
"""

from __future__ import annotations

import argparse
from datetime import date

from pos_app.commands import note, print_error
from pos_app.commands.run_progress import RunProgressBar, add_run_arguments, concurrency_of

HELP = "charge the members whose plan is due on a date (default today), catching up missed days"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--date",
        metavar="YYYY-MM-DD",
        help="the day to bill for (default: today); members due on it or earlier in this or "
        "the previous month are charged, once per month; a day after today is refused",
    )
    add_run_arguments(parser)


def run(args: argparse.Namespace) -> int:
    from pos_app.commands import close_quietly, emit
    from pos_app.commands.messages import language, text
    from pos_app.core.billing_day import check_due_date
    from pos_app.core.errors import InvalidInput
    from pos_app.logs import setup_logging
    from pos_app.services.billing import run_items
    from pos_app.services.member_plans import due_on
    from pos_app.services.opening import open_till

    lang = language(getattr(args, "lang", None))
    setup_logging()
    try:
        day = date.fromisoformat(args.date) if args.date else date.today()
    except ValueError:
        print_error(text("run_due.date", lang))
        return 1
    try:
        check_due_date(day, date.today())
    except InvalidInput as exc:
        print_error(exc.message(lang))
        return 1
    from pos_app.services import audit

    till = open_till()
    run = {"source": "due", "date": day.isoformat()}
    try:
        due = due_on(till, day)
        audit.record_from_cli(
            audit.RUN_START, {**run, "mode": till.mode, "due": len(due.candidates)}
        )
        summary = run_items(
            till,
            due.candidates,
            source="due",
            label=day.isoformat(),
            retry_reason=args.retry_declined,
            concurrency=concurrency_of(args),
            on_tick=RunProgressBar.for_stderr(text("run_due.progress", lang), lang),
        )
    except BaseException as exc:
        audit.record_from_cli(audit.RUN_STOP, {**run, "stopped_by": type(exc).__name__})
        raise
    finally:
        close_quietly(till)
    counts = {k: v for k, v in summary.to_json().items() if isinstance(v, int)}
    audit.record_from_cli(audit.RUN_STOP, {**run, "run_id": summary.run_id, **counts})
    problems: list[dict[str, object]] = []
    for skip in due.skipped:
        message = text("run_due.charged_in_period", lang, period=skip.period, uid=skip.merchant_uid)
        problems.append(
            {
                "customer_uid": skip.customer_uid,
                "period": skip.period,
                "code": skip.code,
                "message": message,
            }
        )
    for item, code, message in summary.unbilled:
        problems.append(
            {
                "customer_uid": item.customer_uid,
                "period": item.period,
                "code": code,
                "message": message,
            }
        )
    for problem in problems:
        note(f"{problem['customer_uid']} ({problem['period']}): {problem['message']}\n")
    result = {
        "outcome": "ran",
        "date": day.isoformat(),
        "due": len(due.candidates) + len(due.skipped),
        "paused": due.paused,
        "at_portone": due.at_portone,
        **summary.to_json(),
        "problems": problems,
    }
    emit(result)
    if due.skipped and summary.exit_code == 0:
        return 2
    return summary.exit_code
