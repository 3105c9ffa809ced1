"""The audit trail as the window and the command line use it: one verb to record, one to list,
one to check, and the CSV a spreadsheet can open safely.

`AuditTrail.record(action, person, terminal, details)` is the one hook every part of the program
calls where it knows what happened (docs/staff.md lists the actions). Commands run from a shell
are attributed to the operating-system user (`system:<user>`); the window records the person
signed in, or "" when the shop has no staff.
"""

from __future__ import annotations

import csv
import getpass
import logging
import re
import time
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import TextIO

from pos_app.store.audit import AuditEntry, AuditLog, ChainCheck, Detail

# The actions recorded (the `action` column).
SIGN_IN = "sign_in"
SIGN_OUT = "sign_out"
LOCK = "lock"
PIN_FAILED = "pin_failed"
APPROVAL = "approval"
APPROVAL_REFUSED = "approval_refused"
CHARGE = "charge"
CHARGE_SETTLED = "charge_settled"
REFUND = "refund"
KEY_ISSUED = "key_issued"
KEY_DELETED = "key_deleted"
OVERRIDE = "override"
SETTINGS_CHANGED = "settings_changed"
CREDENTIALS_CHANGED = "credentials_changed"
STAFF_ADDED = "staff_added"
STAFF_REMOVED = "staff_removed"
STAFF_PIN_CHANGED = "staff_pin_changed"
STAFF_SETTINGS_CHANGED = "staff_settings_changed"
RUN_START = "run_start"
RUN_PAUSE = "run_pause"
RUN_STOP = "run_stop"
EXPORT = "export"
DB_IMPORT = "db_import"  # a counter's files copied to the shop's store server

log = logging.getLogger(__name__)

CSV_COLUMNS = ("seq", "time", "terminal", "person", "action", "details", "hash")
# A text cell starting with one of these is a formula (or starts one) to Excel, LibreOffice and
# Google Sheets: "=HYPERLINK(...)" in an order name must arrive as text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_ANCHOR = re.compile(r"(\d+):([0-9a-f]{8,64})")


def cli_person() -> str:
    """Who a command run from a shell is attributed to: `system:<operating-system user>`."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no user name for this uid (a container, a service)
        user = "unknown"
    return f"system:{user}"


def record_from_cli(action: str, details: Mapping[str, Detail] | None = None) -> None:
    """One entry for a command run from a shell, as `system:<user>` at this terminal. A trail
    that cannot be written is logged, never a reason for a command whose work is done to fail."""
    from pos_app.services import places

    try:
        terminal = places.terminal_id(places.saved_settings())
        with AuditTrail(places.open_audit_log()) as trail:
            trail.record(action, cli_person(), terminal, details)
    except Exception as exc:
        log.warning("could not write the audit trail: %s", type(exc).__name__)


class AuditTrail:
    """The audit trail, opened once: a file at `source`, or an open `AuditLog` (the shop's store
    server's: services/places.open_audit_log). Safe to share between threads (the store locks)."""

    def __init__(self, source: Path | AuditLog) -> None:
        self._log = source if isinstance(source, AuditLog) else AuditLog(source)

    @property
    def log(self) -> AuditLog:
        return self._log

    def close(self) -> None:
        self._log.close()

    def __enter__(self) -> AuditTrail:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def record(
        self,
        action: str,
        person: str,
        terminal: str,
        details: Mapping[str, Detail] | None = None,
    ) -> AuditEntry:
        """Append one entry now. Never pass card data or a PIN in `details`: texts are filtered
        for card-number shapes anyway, as a second line of defence."""
        return self._log.append(time.time(), terminal, person, action, details)

    def entries(self, since: date | None = None) -> list[AuditEntry]:
        """Oldest first, from local midnight of `since` when given."""
        start = None
        if since is not None:
            from pos_app.services.report import local_day_bounds

            start, _end = local_day_bounds(since)
        return self._log.entries(start)

    def ever_had_manager(self) -> bool:
        """Whether a manager was ever added here. The last manager cannot be removed, so a staff
        file with no manager after that was deleted or edited: the window stays locked."""
        return any(
            e.detail_map().get("role") == "manager" for e in self._log.entries_of(STAFF_ADDED)
        )

    def verify(self, anchor: tuple[int, str] | None = None) -> ChainCheck:
        return self._log.verify(anchor)

    def head(self) -> tuple[int, str] | None:
        return self._log.head()


def parse_anchor(text: str) -> tuple[int, str] | None:
    """`SEQ:HASH` as `pos-app audit verify` prints it (at least 8 hex digits of the hash)."""
    match = _ANCHOR.fullmatch(text.strip().lower())
    return (int(match[1]), match[2]) if match else None


def anchor_of(check: ChainCheck) -> str:
    """The head as an anchor to note elsewhere: `SEQ:first 16 hex digits`."""
    return f"{check.head_seq}:{check.head_hash[:16]}" if check.head_seq else ""


def safe_cell(value: object) -> str:
    """A CSV cell a spreadsheet shows as text: a leading ' before anything that starts a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def write_csv(entries: Iterable[AuditEntry], stream: TextIO) -> None:
    from pos_app.services.report import local_time

    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for e in entries:
        row = (e.seq, local_time(e.at), e.terminal, e.person, e.action, e.details, e.hash)
        writer.writerow([safe_cell(v) for v in row])


_PROBLEMS: dict[str, tuple[str, str]] = {
    "edited": (
        "{seq}번 기록이 기록된 뒤에 바뀌었습니다 (내용이 해시와 맞지 않음).",
        "entry {seq} was changed after it was written (its content no longer matches its hash).",
    ),
    "unlinked": (
        "{seq}번 기록이 앞 기록에 이어지지 않습니다 (앞 기록이 바뀌었거나, "
        "사이에 기록이 끼워졌거나 빠졌습니다).",
        "entry {seq} does not follow the entry before it (that one was changed, or an entry was "
        "inserted or removed here).",
    ),
    "missing": (
        "{seq}번부터 {last}번까지 기록이 없습니다 (지워졌습니다).",
        "entries {seq} to {last} are missing (deleted).",
    ),
    "outside_append": (
        "{seq}번 기록 앞에 프로그램 밖에서 추가된 기록이 있습니다 ({seq}번의 chain_note 참고).",
        "entries were added outside the program before entry {seq} (see its chain_note).",
    ),
    "head_missing": (
        "마지막 기록 표시(head)가 지워졌습니다. 끝의 기록이 지워졌는지 확인할 수 없습니다.",
        "the head marker was removed: deletion of the last entries cannot be ruled out.",
    ),
    "truncated": (
        "마지막 기록 {seq}~{last}번이 지워졌습니다 (head는 {last}번까지 있다고 기록).",
        "the last entries {seq} to {last} were deleted (the head says there were {last}).",
    ),
    "beyond_head": (
        "{seq}번부터의 기록은 프로그램이 쓴 것이 아닙니다 (head 다음에 추가됨).",
        "entries from {seq} on were not written by the program (added after the head).",
    ),
    "head_mismatch": (
        "{seq}번 기록이 head에 기록된 해시와 다릅니다 (마지막 기록이 바뀜).",
        "entry {seq} differs from the hash the head recorded (the last entry was changed).",
    ),
    "anchor_mismatch": (
        "{seq}번 기록이 따로 적어 둔 확인 값과 다릅니다 (그 뒤로 기록 전체가 다시 쓰였습니다).",
        "entry {seq} differs from the anchor noted elsewhere (the trail was rewritten).",
    ),
    "anchor_missing": (
        "따로 적어 둔 {seq}번 기록이 없습니다 (끝의 기록이 지워졌습니다).",
        "entry {seq}, noted as an anchor, is gone (the last entries were deleted).",
    ),
}


def check_message(check: ChainCheck, lang: str = "ko") -> str:
    """What `check` found, in the person's language."""
    if check.ok:
        if lang == "en":
            return f"intact: {check.entry_count} entries, head {anchor_of(check) or '-'}"
        return f"이상 없음: 기록 {check.entry_count}건, 확인 값 {anchor_of(check) or '-'}"
    ko, en = _PROBLEMS[check.problem]
    text = en if lang == "en" else ko
    return text.format(seq=check.broken_seq, last=check.last_missing)
