"""Logging for the whole app, through one filter that blanks anything shaped like a card number.

Callers must still never log card data or request bodies of card calls; the filter is the
second line of defence, not the first.
"""

from __future__ import annotations

import contextlib
import logging
import re

from pos_app.datadir import log_dir

# Card-shaped: 12 to 19 digits in any grouping (up to three spaces, dots, dashes or slashes
# between digits: "4242 4242 4242 4242", "3782-822463-10005", "4242.4242.4242.4242"), and any
# run of 8 or more digits that is not part of an identifier, so fragments cannot leak either.
_CARD_SHAPED = r"(?<!\d)\d(?:[ .\-/]{0,3}\d){11,18}(?!\d)|(?<![A-Za-z0-9_])\d{8,}"
# The app's own identifiers, which a log must keep readable to be of any use. Each shape is
# exact (a real timestamp, a fixed number of digits), so a card number cannot pass as one.
_READABLE = (
    # PortOne's imp_uid: "imp_" and twelve digits.
    r"imp_\d{12}(?!\d)"
    # Our merchant_uid (core/order.new_merchant_uid): UTC "YYYYMMDDTHHMMSSmmm", terminal, hex.
    r"|(?<![0-9A-Za-z])20\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
    r"T(?:[01]\d|2[0-3])[0-5]\d[0-5]\d\d{3}-[A-Za-z0-9]{1,8}-[0-9a-f]{8}(?![0-9A-Za-z])"
    # Bill rows: "B<period>-<20 hex>" (core/bill_identity), and the older "B<12 hex>-<line>".
    r"|(?<![0-9A-Za-z])B(?:20\d\d-(?:0[1-9]|1[0-2])|(?:(?!\d{8})[a-z0-9_-]){1,16}?)"
    r"-[0-9a-f]{20}(?![0-9a-f])"
    r"|(?<![0-9A-Za-z])B[0-9a-f]{12}-\d{1,6}(?!\d)"
)
_CARD_RE = re.compile(_CARD_SHAPED)
_READABLE_RE = re.compile(_READABLE)


def redact(text: str) -> str:
    """`text` with anything card-shaped replaced by "[redacted]"; imp_uids, merchant_uids and
    bill row ids stay readable. The ids are found first and the text between them is redacted
    on its own, so a number written next to an id cannot swallow the id's digits (nor hide
    behind them)."""
    parts: list[str] = []
    start = 0
    for readable in _READABLE_RE.finditer(text):
        parts.append(_CARD_RE.sub("[redacted]", text[start : readable.start()]))
        parts.append(readable.group())
        start = readable.end()
    parts.append(_CARD_RE.sub("[redacted]", text[start:]))
    return "".join(parts)


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
    """Configure the root logger once: the shared, rotated log file in the data folder (log_file.py)
    plus stderr warnings."""
    root = logging.getLogger()
    if any(isinstance(f, RedactCardNumbers) for h in root.handlers for f in h.filters):
        return
    # A log that cannot be written (a read-only or full disk) is dropped silently, never a
    # traceback on the console: the storage check that follows says what is wrong, clearly.
    logging.raiseExceptions = False
    handlers: list[logging.Handler] = []
    if to_file:
        from pos_app.log_file import SharedLogFile

        # Shared by the window and every command running at the same time (log_file.py).
        with contextlib.suppress(OSError):
            handlers.append(SharedLogFile(log_dir() / "pos-app.log"))
    stderr = logging.StreamHandler()
    stderr.setLevel(logging.WARNING)
    handlers.append(stderr)
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    for handler in handlers:
        handler.setFormatter(fmt)
        handler.addFilter(RedactCardNumbers())
        root.addHandler(handler)
    root.setLevel(level)
