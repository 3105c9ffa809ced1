"""Logging for the whole app, through one filter that blanks anything shaped like a card number.

Callers must still never log card data or request bodies of card calls; the filter is the
second line of defence, not the first.
"""

from __future__ import annotations

import logging
import logging.handlers
import re

from pos_app.datadir import log_dir

# 12 or more digits, possibly grouped by spaces or dashes: card numbers in any grouping.
# Also catches 8+ consecutive digits so that fragments of a number cannot leak either.
_CARD_SHAPED = re.compile(r"(?<!\d)(?:\d[ -]?){11,18}\d(?!\d)|(?<![A-Za-z0-9_])\d{8,}")


def redact(text: str) -> str:
    return _CARD_SHAPED.sub("[redacted]", text)


class RedactCardNumbers(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info:
            # Tracebacks can carry values; keep the type and a redacted message only.
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True


def setup_logging(level: int = logging.INFO, *, to_file: bool = True) -> None:
    """Configure the root logger once: rotating file in the data folder plus stderr warnings."""
    root = logging.getLogger()
    if any(isinstance(f, RedactCardNumbers) for h in root.handlers for f in h.filters):
        return
    handlers: list[logging.Handler] = []
    if to_file:
        handlers.append(
            logging.handlers.RotatingFileHandler(
                log_dir() / "pos-app.log", maxBytes=2_000_000, backupCount=5, encoding="utf-8"
            )
        )
    stderr = logging.StreamHandler()
    stderr.setLevel(logging.WARNING)
    handlers.append(stderr)
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    for handler in handlers:
        handler.setFormatter(fmt)
        handler.addFilter(RedactCardNumbers())
        root.addHandler(handler)
    root.setLevel(level)
