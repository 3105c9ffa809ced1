"""Reading a bill file under a strict contract: every row exactly right, or nothing is charged.

A bill file is CSV with exactly the columns customer_uid, amount and name: with a header line
naming them (any order, any letter case) or, without one, in that order. An amount is a plain
integer (55000) or a quoted grouped number ("55,000"). Each line is parsed on its own (no value
may span lines: order names cannot hold line breaks), so a stray quote spoils its own line, never
the lines after it. Blank lines, lines of empty cells (Excel's ",,") and lines whose first
character is "#" (comments) are skipped. The text is UTF-8 (with or without a byte-order mark)
or, failing that, CP949 (Korean Excel's "CSV"), decoded strictly; anything else is refused.

Anything not exactly right is a `BillProblem` with its line number; a plan with any problem is
refused whole (`BillPlan.refused`), before anything is sent. Each good row gets the merchant_uid
that `core.bill_identity` derives from its meaning and the billing period.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from pos_app.core.bill_identity import (
    bill_merchant_uid,
    bill_prefix,
    parse_period,
    previous_period,
)
from pos_app.core.errors import InvalidInput
from pos_app.core.money import parse_amount
from pos_app.core.order import check_customer_uid, normalise_order_name

if TYPE_CHECKING:
    from pos_app.store.journal import JournalRow

COLUMNS = ("customer_uid", "amount", "name")
# A plain integer, or thousands grouped by commas exactly ("55,000", never "55,00").
_AMOUNT = re.compile(r"[1-9][0-9]*|[1-9][0-9]{0,2}(?:,[0-9]{3})+")
# A bill left open this long before midnight is taken as the same bill resumed (see below).
BOUNDARY_WINDOW_S = 24 * 3600
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class BillRow:
    line: int
    customer_uid: str
    amount: int
    name: str  # normalised (core.order.normalise_order_name): what is sent to PortOne
    merchant_uid: str


@dataclass(frozen=True)
class BillProblem:
    """Why a line (0: the whole file) cannot be billed, in Korean and, when known, English."""

    line: int
    message: str
    message_en: str = ""
    code: str = ""

    def to_json(self) -> dict[str, object]:
        result: dict[str, object] = {"line": self.line, "message": self.message}
        if self.code:
            result["code"] = self.code
        if self.message_en:
            result["message_en"] = self.message_en
        return result


class FileProblem:
    """The catalogue of bill-file problems: (Korean, English) by code, like core.errors; the
    only values formatted in are line numbers, counts and column names, never cell text."""

    _TEXT: ClassVar[dict[str, tuple[str, str]]] = {
        "encoding": (
            "파일을 UTF-8로도 CP949(EUC-KR)로도 읽을 수 없습니다. 엑셀에서 'CSV UTF-8'로 다시 "
            "저장해 주세요.",
            "The file is neither UTF-8 nor CP949 (EUC-KR) text. Save it again from the "
            "spreadsheet as 'CSV UTF-8'.",
        ),
        "bom_not_utf8": (
            "UTF-8 표시(BOM)가 있지만 UTF-8로 읽을 수 없는 글자가 있습니다. 'CSV UTF-8'로 다시 "
            "저장해 주세요.",
            "The file is marked as UTF-8 (BOM) but is not valid UTF-8. Save it again as "
            "'CSV UTF-8'.",
        ),
        "utf16": (
            "UTF-16(유니코드 텍스트) 파일입니다. 엑셀에서 'CSV UTF-8'로 다시 저장해 주세요.",
            "This is a UTF-16 (Unicode text) file. Save it again as 'CSV UTF-8'.",
        ),
        "empty": (
            "청구할 행이 없습니다.",
            "The file has no rows to bill.",
        ),
        "quote_unclosed": (
            '따옴표(")가 열리고 닫히지 않았습니다. 따옴표는 "55,000"처럼 칸 전체를 감쌀 때만 '
            "씁니다.",
            'A quote (") is opened and never closed. Quotes may only wrap a whole cell, as in '
            '"55,000".',
        ),
        "quote_inside": (
            '칸 중간에 따옴표(")가 있습니다. 따옴표는 "55,000"처럼 칸 전체를 감쌀 때만 씁니다.',
            'A quote (") is inside a cell. Quotes may only wrap a whole cell, as in "55,000".',
        ),
        "columns": (
            "칸이 {count}개입니다. customer_uid,amount,name 세 칸이어야 합니다 (쉼표가 든 금액은 "
            '"55,000"처럼 따옴표로 감싸세요).',
            "The line has {count} cells; it must have exactly three: customer_uid,amount,name "
            '(quote an amount with commas, as in "55,000").',
        ),
        "header": (
            "머리글은 customer_uid, amount, name 세 열을 한 번씩만 가져야 합니다 ({detail}).",
            "The header must name each of customer_uid, amount and name exactly once ({detail}).",
        ),
        "header_like": (
            "첫 줄이 머리글도 청구 행도 아닙니다. 머리글은 customer_uid,amount,name 입니다.",
            "The first line is neither a header nor a bill row. The header is "
            "customer_uid,amount,name.",
        ),
        "amount_format": (
            'amount: 금액은 55000 또는 "55,000"처럼 원 단위 숫자만 씁니다 (₩, 원, 소수점, 공백 '
            "없이).",
            'amount: write the amount in whole won as 55000 or "55,000" (no ₩, 원, decimals or '
            "spaces).",
        ),
        "period_boundary": (
            "이 파일의 {previous} 청구가 최근에 진행되었습니다 (끝나지 않았거나 24시간 안). 이어서 "
            "하려면 --period {previous}, 새 달을 청구하려면 --period {current} 를 붙여 주세요.",
            "This file's {previous} bill ran recently (unfinished or within 24 hours). To finish "
            "it, add --period {previous}; to bill the new month, add --period {current}.",
        ),
        "duplicate": (
            "{first}행과 같은 청구입니다 (같은 고객, 금액, 주문명). 한 번만 적어 주세요.",
            "The same charge as line {first} (same customer, amount and order name). List it once.",
        ),
    }

    @classmethod
    def problem(cls, line: int, code: str, **params: str | int) -> BillProblem:
        korean, english = cls._TEXT[code]
        return BillProblem(line, korean.format(**params), english.format(**params), code)


@dataclass
class BillPlan:
    """What a file asks for under one billing period: rows to charge, or the problems that
    refuse it. `lines` counts the lines that were meant as bill rows (good or bad)."""

    period: str
    rows: list[BillRow] = field(default_factory=list)
    problems: list[BillProblem] = field(default_factory=list)
    lines: int = 0

    @property
    def refused(self) -> bool:
        return bool(self.problems)

    @property
    def bill_id(self) -> str:
        """The prefix every merchant_uid of this plan starts with ("B2026-11")."""
        return bill_prefix(self.period).rstrip("-")


def decode_bill(data: bytes) -> str | BillProblem:
    """The file's text, strictly: UTF-8 (a byte-order mark dropped), else CP949; never a
    guess with replacement characters that would then be sent to PortOne as an order name."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data:
        return FileProblem.problem(0, "utf16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        if data.startswith(b"\xef\xbb\xbf"):
            return FileProblem.problem(0, "bom_not_utf8")
    try:
        return data.decode("cp949")
    except UnicodeDecodeError:
        return FileProblem.problem(0, "encoding")


@dataclass(frozen=True)
class CsvShape:
    """A strict CSV file's columns, and the problem codes that name them in messages."""

    columns: tuple[str, ...]
    columns_code: str = "columns"
    header_code: str = "header"
    header_like_code: str = "header_like"
    # The catalogue the codes are looked up in (a file of another kind extends FileProblem).
    catalogue: type[FileProblem] = FileProblem


BILL_SHAPE = CsvShape(COLUMNS)


@dataclass(frozen=True)
class CsvLine:
    """A line meant as a row: its number, its cells, where each column is, and whether it is
    the first line that is not a header."""

    number: int
    cells: list[str]
    positions: dict[str, int]
    first: bool

    def cell(self, column: str) -> str:
        return self.cells[self.positions[column]]


def strict_lines(
    text: str, shape: CsvShape, problems: list[BillProblem]
) -> Iterator[CsvLine | BillProblem]:
    """Every line of `text` meant as a row, in order (a line whose quotes cannot be read comes
    as its problem); a bad header goes into `problems`. Blank lines, lines of empty cells
    (Excel's ",,") and comment lines ("#") are skipped. Each line is parsed on its own."""
    positions: dict[str, int] | None = None
    for number, line in enumerate(_LINE_BREAK.split(text), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            cells = next(csv.reader([line], strict=True, skipinitialspace=True))
        except csv.Error:
            # strict csv fails on a quote never closed and on text after a closing quote.
            yield FileProblem.problem(number, "quote_unclosed")
            continue
        cells = [c.strip() for c in cells]
        if not any(cells):
            continue  # a row Excel kept as ",,": nothing in it
        first_line = positions is None
        if positions is None:
            header = _header(number, cells, shape)
            positions = {name: n for n, name in enumerate(shape.columns)}
            if isinstance(header, BillProblem):
                problems.append(header)
                continue
            if header:
                positions = header
                continue  # the header line itself
        yield CsvLine(number, cells, positions, first_line)


def cells_problem(line: CsvLine, shape: CsvShape) -> BillProblem | None:
    """The line's cell count and quotes, whatever the columns mean."""
    if len(line.cells) != len(shape.columns):
        return shape.catalogue.problem(line.number, shape.columns_code, count=len(line.cells))
    if any('"' in c for c in line.cells):
        # csv leaves a quote that does not open a cell inside it ("ab"c): never guess.
        return FileProblem.problem(line.number, "quote_inside")
    return None


def looks_like_header(line: CsvLine) -> bool:
    """A first line with no digit at all that failed as a row: a header in another language."""
    return line.first and not any(ch.isdigit() for c in line.cells for ch in c)


def read_bill(data: bytes, period: str) -> BillPlan:
    """The plan for a file's bytes under `period` (see core.bill_identity.parse_period, which
    raises InvalidInput for a bad period). Nothing here talks to PortOne or the journal."""
    plan = BillPlan(parse_period(period))
    text = decode_bill(data)
    if isinstance(text, BillProblem):
        plan.problems.append(text)
        return plan
    seen: dict[str, int] = {}
    for line in strict_lines(text, BILL_SHAPE, plan.problems):
        plan.lines += 1
        if isinstance(line, BillProblem):
            plan.problems.append(line)
            continue
        row = _row(line, plan.period)
        if isinstance(row, list):
            if looks_like_header(line):
                row.insert(0, FileProblem.problem(line.number, "header_like"))
            plan.problems.extend(row)
        elif row.merchant_uid in seen:
            first = seen[row.merchant_uid]
            plan.problems.append(FileProblem.problem(line.number, "duplicate", first=first))
        else:
            seen[row.merchant_uid] = line.number
            plan.rows.append(row)
    if not plan.rows and not plan.problems:
        plan.problems.append(FileProblem.problem(0, "empty"))
    return plan


def boundary_problem(
    plan: BillPlan, journal_row: Callable[[str], JournalRow | None], now: float
) -> BillProblem | None:
    """Refuse a run whose period was not given when this file's bill for the month before is
    still open or ran in the last 24 hours: a bill killed at 23:58 on the 30th and run again at
    00:05 would otherwise charge every row again as the new month's. Naming the period (either
    one) is the person's explicit decision. `journal_row` looks an order id up in the journal
    (`Till.journal_row`)."""
    previous = previous_period(plan.period)
    if previous is None:
        return None
    for row in plan.rows:
        earlier = journal_row(bill_merchant_uid(previous, row.customer_uid, row.amount, row.name))
        recent = earlier is not None and now - earlier.created_at < BOUNDARY_WINDOW_S
        if earlier is not None and (earlier.is_open or recent):
            return FileProblem.problem(0, "period_boundary", previous=previous, current=plan.period)
    return None


def _header(number: int, cells: list[str], shape: CsvShape) -> dict[str, int] | BillProblem:
    """Column positions from a header line; {} when the line is not a header (no cell is a
    column name); a problem when it names some columns but not exactly these."""
    names = [c.lower() for c in cells]
    columns = shape.columns
    if not set(names) & set(columns):
        return {}
    unknown = [n for n in names if n not in columns]
    missing = [c for c in columns if c not in names]
    repeated = sorted({n for n in names if n in columns and names.count(n) > 1})
    if unknown or missing or repeated:
        detail = "; ".join(
            part
            for part in (
                "unknown: " + ", ".join(unknown) if unknown else "",
                "missing: " + ", ".join(missing) if missing else "",
                "repeated: " + ", ".join(repeated) if repeated else "",
            )
            if part
        )
        return shape.catalogue.problem(number, shape.header_code, detail=detail)
    return {name: names.index(name) for name in columns}


def _row(line: CsvLine, period: str) -> BillRow | list[BillProblem]:
    shaped = cells_problem(line, BILL_SHAPE)
    if shaped is not None:
        return [shaped]
    number = line.number
    uid, amount_text, name = (line.cell(c) for c in COLUMNS)
    problems: list[BillProblem] = []
    customer_uid(number, uid, problems)
    amount = bill_amount(number, amount_text, problems)
    name = order_name(number, name, problems)
    if problems:
        return problems
    return BillRow(number, uid, amount, name, bill_merchant_uid(period, uid, amount, name))


def customer_uid(number: int, text: str, problems: list[BillProblem]) -> str:
    try:
        return check_customer_uid(text)
    except InvalidInput as exc:
        problems.append(invalid(number, exc))
        return text


def bill_amount(number: int, text: str, problems: list[BillProblem]) -> int:
    """A plain integer or a quoted, correctly grouped number; 0 (with a problem) otherwise."""
    try:
        # parse_amount names what is wrong (empty, decimal, negative, too large); what it would
        # forgive at the counter ("12,000원", "₩12,000", full-width digits) is not the contract.
        amount = parse_amount(text)
        if not _AMOUNT.fullmatch(text):
            problems.append(FileProblem.problem(number, "amount_format"))
        return amount
    except InvalidInput as exc:
        problems.append(invalid(number, exc))
        return 0


def order_name(number: int, text: str, problems: list[BillProblem]) -> str:
    try:
        return normalise_order_name(text)
    except InvalidInput as exc:
        problems.append(invalid(number, exc))
        return text


def invalid(number: int, exc: InvalidInput) -> BillProblem:
    column = "name" if exc.field == "order_name" else exc.field
    return BillProblem(
        number,
        f"{column}: {exc.message('ko')}",
        f"{column}: {exc.message('en')}",
        f"{exc.field}.{exc.code}",
    )


__all__ = [
    "BILL_SHAPE",
    "COLUMNS",
    "BillPlan",
    "BillProblem",
    "BillRow",
    "CsvLine",
    "CsvShape",
    "FileProblem",
    "boundary_problem",
    "cells_problem",
    "decode_bill",
    "looks_like_header",
    "read_bill",
    "strict_lines",
]
