"""Reading a bill file: the strict contract, every problem by line, ids from each row's meaning."""

from __future__ import annotations

import codecs
import csv
import io
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos_app.core.bill_identity import bill_merchant_uid
from pos_app.services.bill_file import BillPlan, decode_bill, read_bill

GOOD = 'customer_uid,amount,name\nkim_4242,12000,1월 회비\nlee_4242,"15,000",1월 회비\n'


def ids(plan: BillPlan) -> dict[tuple[str, int, str], str]:
    return {(r.customer_uid, r.amount, r.name): r.merchant_uid for r in plan.rows}


def test_rows_get_ids_from_their_meaning_and_the_period() -> None:
    plan = read_bill(GOOD.encode(), "2026-11")
    assert plan.problems == [] and not plan.refused
    assert [(r.line, r.customer_uid, r.amount, r.name) for r in plan.rows] == [
        (2, "kim_4242", 12000, "1월 회비"),
        (3, "lee_4242", 15000, "1월 회비"),
    ]
    assert plan.rows[0].merchant_uid == bill_merchant_uid("2026-11", "kim_4242", 12000, "1월 회비")
    assert (plan.period, plan.bill_id, plan.lines) == ("2026-11", "B2026-11", 2)
    december = read_bill(GOOD.encode(), "2026-12")
    assert not set(ids(plan).values()) & set(ids(december).values())


def excel_resave(text: str, rng: random.Random) -> bytes:
    """What a spreadsheet may do to the same rows: BOM, CRLF, every cell quoted or not, grouped
    amounts, trailing blank lines, extra spaces in names, UTF-8 or CP949."""
    lines = []
    for row in csv.reader(io.StringIO(text)):
        cells = list(row)
        if cells[1].isdigit() and rng.random() < 0.5:
            cells[1] = f"{int(cells[1]):,}"
        if rng.random() < 0.3:
            cells[2] = "  " + cells[2].replace(" ", "   ") + " "
        quoted = rng.random() < 0.5
        lines.append(",".join(f'"{c}"' if quoted or "," in c else c for c in cells))
    newline = rng.choice(["\n", "\r\n"])
    body = newline.join(lines) + newline + newline * rng.randrange(3)
    if rng.random() < 0.3:
        return body.encode("cp949")
    return (codecs.BOM_UTF8 if rng.random() < 0.5 else b"") + body.encode("utf-8")


ROW = st.tuples(
    st.sampled_from(["kim_4242", "lee_4242", "park_0341", "choi_1111"]),
    st.integers(1, 99_999_999),
    st.sampled_from(["1월 회비", "교재비", "PT 10회 (주말)", "Monthly fee"]),
)


@settings(max_examples=150)
@given(st.lists(ROW, min_size=1, max_size=12, unique=True), st.randoms(use_true_random=False))
def test_resaved_reordered_and_appended_files_keep_every_id(
    rows: list[tuple[str, int, str]], rng: random.Random
) -> None:
    def text(chosen: list[tuple[str, int, str]], header: bool = True) -> str:
        body = "".join(f"{u},{a},{n}\n" for u, a, n in chosen)
        return ("customer_uid,amount,name\n" if header else "") + body

    original = read_bill(text(rows).encode(), "2026-11")
    assert not original.refused and len(original.rows) == len(rows)
    resaved = read_bill(excel_resave(text(rows), rng), "2026-11")
    assert ids(resaved) == ids(original), resaved.problems
    shuffled = rows[:]
    rng.shuffle(shuffled)
    assert ids(read_bill(text(shuffled, header=rng.random() < 0.5).encode(), "2026-11")) == ids(
        original
    )
    kept = len(rows) // 2 or 1
    first_part = ids(read_bill(text(rows[:kept]).encode(), "2026-11"))
    assert first_part.items() <= ids(original).items()  # appending changes no earlier row


@pytest.mark.parametrize(
    ("text", "lines", "code"),
    [
        ("customer_uid,amount,name\ncust1,55,000,unquoted comma\n", [2], "columns"),
        ("cust1,2,000,Monthly fee\n", [1], "columns"),
        ("kim,1000\n", [1], "columns"),
        ("kim,1000,x,\n", [1], "columns"),  # a trailing comma is a fourth cell
        ('kim,1000,"open\nlee,2000,b\npark,3000,c\n', [1], "quote_unclosed"),
        ('kim,1000,"a"b\n', [1], "quote_unclosed"),
        ('kim,1000,a"b\n', [1], "quote_inside"),
        ('kim,1000,"say ""hi"""\n', [1], "quote_inside"),
        ("customer_uid,amount,note\nkim,1000,x\n", [1], "header"),
        ("customer_uid,amount,name,note\nkim,1000,x,y\n", [1, 2], None),
        ("Customer_UID,AMOUNT,amount\n", [1], "header"),
        ("kim,12000원,x\n", [1], "amount_format"),
        ('kim,"₩12,000",x\n', [1], "amount_format"),
        ('kim,"12,00",x\n', [1], "amount.format"),
        ("kim,012000,x\n", [1], "amount_format"),
        ("kim,12000.0,x\n", [1], "amount.decimal"),
        ("kim,-5000,x\n", [1], "amount.not_positive"),
        ("kim,0,x\n", [1], "amount.not_positive"),
        ("kim,,x\n", [1], "amount.empty"),
        ("kim,100000000,x\n", [1], "amount.too_large"),
        (",1000,x\n", [1], "customer_uid.empty"),
        ("bad uid!,1000,x\n", [1], "customer_uid.format"),
        ("kim,1000,\n", [1], "order_name.empty"),
        ("kim,1000," + "가" * 41 + "\n", [1], "order_name.length"),
        ("kim,1000,1월\t회비\n", [1], "order_name.control"),
        ("kim,1000,회비\u202e\n", [1], "order_name.control"),
        ("kim,1000,회\u200b비\n", [1], "order_name.control"),
        ("kim,1000,x\nlee,1000,y\nkim,1000,  x \n", [3], "duplicate"),
        ("고객,금액,이름\nkim,1000,x\n", [1], "header_like"),
        ("", [0], "empty"),
        ("# only a comment\n,,\n\n", [0], "empty"),
    ],
)
def test_any_bad_line_refuses_the_whole_file(text: str, lines: list[int], code: str | None) -> None:
    plan = read_bill(text.encode(), "2026-11")
    assert plan.refused
    assert sorted({p.line for p in plan.problems}) == lines
    if code is not None:
        assert code in [p.code for p in plan.problems]
    for problem in plan.problems:
        assert problem.message and problem.message_en and problem.message != problem.message_en


def test_every_bad_line_is_named_not_only_the_first() -> None:
    text = (
        "name,customer_uid,amount\n"  # columns in any order
        "회비,kim_4242,12000\n"
        "회비,lee_4242,\n"
        "회비,lee_4242,12.5\n"
        "회비,bad uid!,1000\n"
        "\n"
        "회비,kim_4242,12000\n"
        "회비,park_4242\n"
        ",park_4242,1000\n"
        '"회비,park_4242,1000\n'
        "회비,choi_4242,1000\n"
    )
    plan = read_bill(text.encode("cp949"), "2026-11")  # Excel's Korean CSV
    assert sorted({p.line for p in plan.problems}) == [3, 4, 5, 7, 8, 9, 10]
    problems = {p.line: p for p in plan.problems}
    assert problems[7].code == "duplicate" and "2행" in problems[7].message
    assert problems[3].message.startswith("amount") and problems[5].message.startswith("customer")
    assert problems[9].message.startswith("name")
    assert [r.line for r in plan.rows] == [2, 11]  # the stray quote on 10 swallowed nothing


def test_blank_lines_empty_cells_and_comments_are_skipped() -> None:
    text = '# 11월 회비, 3명 "메모"\ncustomer_uid,amount,name\n\n,,\n  # note\nkim,1000,x\n , , \n'
    plan = read_bill(text.encode(), "2026-11")
    assert plan.problems == [] and [r.line for r in plan.rows] == [6]


def test_a_file_without_header_is_positional() -> None:
    plan = read_bill(b"kim_4242,1000,a\nkim_4242,1000,b\n", "2026-11")
    assert [r.line for r in plan.rows] == [1, 2] and plan.problems == []


def test_spaces_after_commas_and_macos_hangul_are_the_same_row() -> None:
    plain = read_bill('kim,"55,000",1월 회비\n'.encode(), "2026-11")
    spaced = read_bill('kim, "55,000",  1월   회비 \n'.encode(), "2026-11")
    nfd = read_bill(
        "kim,55000,1월 회비\n".encode().replace("회".encode(), "\u1112\u116c".encode()), "2026-11"
    )
    assert ids(plain) == ids(spaced) == ids(nfd)
    assert plain.rows[0].name == "1월 회비"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("kim,1000,1월 회비".encode(), "kim,1000,1월 회비"),
        (codecs.BOM_UTF8 + "kim,1000,1월 회비".encode(), "kim,1000,1월 회비"),
        ("kim,1000,1월 회비".encode("cp949"), "kim,1000,1월 회비"),
        ("kim,1000,똠방각하".encode("cp949"), "kim,1000,똠방각하"),  # beyond EUC-KR's 2,350
    ],
)
def test_encodings_read(data: bytes, expected: str) -> None:
    assert decode_bill(data) == expected


@pytest.mark.parametrize(
    ("data", "code"),
    [
        ("kim,1000,café\n".encode("latin-1"), "encoding"),
        (b"kim,1000,\xff\xfe\n", "encoding"),
        (codecs.BOM_UTF8 + "kim,1000,1월".encode("cp949"), "bom_not_utf8"),
        ("kim,1000,x\n".encode("utf-16"), "utf16"),
        ("kim,1000,x\n".encode("utf-16-le"), "utf16"),
    ],
)
def test_encodings_refused(data: bytes, code: str) -> None:
    plan = read_bill(data, "2026-11")
    assert plan.refused and [(p.line, p.code) for p in plan.problems] == [(0, code)]
    assert plan.rows == []
