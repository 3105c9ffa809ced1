"""What `pos-app bill` and `pos-app run-due` share: the run options and the progress bar.

The bar is drawn on stderr only when stderr is a terminal (a person is watching); a scheduled
task or a script reading the output gets nothing but the problems and the JSON summary.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from pos_app.services.billing_run import RunProgress


def add_run_arguments(parser: argparse.ArgumentParser) -> None:
    from pos_app.services.pacing import MAX_CONCURRENCY

    parser.add_argument(
        "--concurrency",
        metavar="N",
        type=int,
        help=f"charges in flight at once, 1-{MAX_CONCURRENCY} (default: the setting in 설정, "
        "else 16); never more than 50 charges a second whatever N is",
    )
    parser.add_argument(
        "--retry-declined",
        metavar="REASON",
        default="",
        help="charge rows the card company declined before once more, under a new order id "
        "(the reason is kept with each such charge)",
    )


def concurrency_of(args: argparse.Namespace) -> int:
    """--concurrency, else the saved setting, within 1 … MAX_CONCURRENCY."""
    from pos_app.services.billing_run import clamp_concurrency
    from pos_app.services.places import saved_settings

    if args.concurrency is not None:
        return clamp_concurrency(args.concurrency)
    try:
        return clamp_concurrency(saved_settings(strict_api_host=False).billing_concurrency)
    except Exception:  # an unreadable settings file: the default
        return clamp_concurrency(None)


class RunProgressBar:
    """One line redrawn in place: bar, done/total, paid/declined/unknown, rate and time left."""

    def __init__(self, label: str, lang: str, stream: TextIO, width: int = 24) -> None:
        self.label = label
        self.lang = lang
        self.stream = stream
        self.width = width
        self.off = False
        self._last = ""
        self._drawn_at = 0.0

    @classmethod
    def for_stderr(cls, label: str, lang: str) -> RunProgressBar | None:
        """A bar on stderr if it is a terminal, else None (quiet)."""
        try:
            interactive = sys.stderr.isatty()
        except (AttributeError, ValueError):
            interactive = False
        return cls(label, lang, sys.stderr) if interactive else None

    def __call__(self, progress: RunProgress) -> None:
        final = progress.state in ("finished", "stopped")
        now = time.monotonic()
        if self.off or (not final and now - self._drawn_at < 0.1):
            return
        line = self.line(progress)
        if line == self._last and not final:
            return
        self._last, self._drawn_at = line, now
        try:
            self.stream.write("\r" + line + ("\n" if final else "\x1b[K"))
            self.stream.flush()
        except (OSError, ValueError):  # the console went away: the run goes on without it
            self.off = True

    def line(self, progress: RunProgress) -> str:
        total = max(progress.total, 1)
        filled = self.width * progress.done // total
        bar = "#" * filled + "-" * (self.width - filled)
        counts = progress.counts
        en = self.lang == "en"
        parts = [f"{self.label} [{bar}] {progress.done}/{progress.total}"]
        parts.append(
            (f"paid {counts.get('paid', 0)}" if en else f"결제 {counts.get('paid', 0)}")
            + (
                f" · declined {counts.get('declined', 0)}"
                if en
                else f" · 거절 {counts.get('declined', 0)}"
            )
            + (
                f" · to check {counts.get('unknown', 0)}"
                if en
                else f" · 확인 필요 {counts.get('unknown', 0)}"
            )
        )
        if progress.rate_per_s:
            parts.append(
                f"{progress.rate_per_s:.1f}/s" if en else f"{progress.rate_per_s:.1f}건/초"
            )
        if progress.eta_s is not None and progress.state == "running":
            left = int(progress.eta_s + 0.5)
            parts.append(
                f"{left // 60}:{left % 60:02d} left" if en else f"남은 {left // 60}:{left % 60:02d}"
            )
        if progress.state == "paused":
            parts.append(
                (
                    "paused: PortOne unreachable, retrying"
                    if en
                    else "멈춤: PortOne 연결 안 됨, 다시 시도 중"
                )
                if progress.reason == "connection"
                else ("paused" if en else "멈춤")
            )
        return " · ".join(parts)
