"""Reading a bill file: ids derived from the file, problems reported by line number."""

from __future__ import annotations

import hashlib

from pos_app.services.billing import read_bill


def test_rows_get_ids_from_file_content_and_line() -> None:
    data = (
        'customer_uid,amount,name\nkim_4242,12000,1월 회비\nlee_4242,"15,000",1월 회비\n'.encode()
    )
    plan = read_bill(data)
    digest = hashlib.sha256(data).hexdigest()[:12]
    assert [(r.line, r.customer_uid, r.amount, r.merchant_uid) for r in plan.rows] == [
        (2, "kim_4242", 12000, f"B{digest}-2"),
        (3, "lee_4242", 15000, f"B{digest}-3"),
    ]
    assert plan.problems == []
    assert read_bill(data).rows == plan.rows  # same bytes, same ids
    assert read_bill(data + b"park_4242,1000,x\n").rows[0].merchant_uid != plan.rows[0].merchant_uid


def test_malformed_rows_are_reported_by_line() -> None:
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
        "회비,park_4242,-5\n"
    )
    plan = read_bill(text.encode("cp949"))  # Excel's Korean CSV
    assert [r.line for r in plan.rows] == [2]
    problems = {p.line: p.message for p in plan.problems}
    assert sorted(problems) == [3, 4, 5, 7, 8, 9, 10]
    assert "2행" in problems[7]  # duplicate of line 2
    assert problems[3].startswith("amount") and problems[4].startswith("amount")
    assert problems[5].startswith("customer_uid") and problems[9].startswith("order_name")


def test_file_without_header_is_positional() -> None:
    plan = read_bill(b"kim_4242,1000,a\nkim_4242,1000,b\n")
    assert [r.line for r in plan.rows] == [1, 2] and plan.problems == []
