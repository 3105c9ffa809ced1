"""Staff verbs: the rules, sign-in and approval with the lockout, and what the trail records."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pos_app.services.staff import (
    LOCK_SECONDS,
    StaffBook,
    StaffError,
    check_name,
    parse_new_pin,
    parse_pin,
)


def _book(home: Path) -> StaffBook:
    return StaffBook.open(home / "staff.sqlite3", home / "audit.sqlite3", "T1")


@pytest.fixture
def book(tmp_path: Path) -> Iterator[StaffBook]:
    staff = _book(tmp_path)
    staff.add("김사장", "manager", parse_new_pin("9137", "9137"), by="system:root")
    staff.add("kim", "cashier", parse_new_pin("2468", "2468"), by="system:root")
    yield staff
    staff.close()


def _actions(staff: StaffBook) -> list[tuple[str, str, dict[str, object]]]:
    return [(e.person, e.action, json.loads(e.details)) for e in staff.trail.entries()]


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("", "name_empty"),
        ("   ", "name_empty"),
        ("x" * 21, "name_length"),
        ("kim\nlee", "name_chars"),
        ("kim\u202e", "name_chars"),
        ("4242424242424242", "name_chars"),
        ("system:root", "name_reserved"),
        ("SYSTEM:kim", "name_reserved"),
    ],
)
def test_name_rules(name: str, code: str) -> None:
    with pytest.raises(StaffError) as caught:
        check_name(name)
    assert caught.value.code == code


def test_name_is_trimmed_and_normalised() -> None:
    assert check_name("  김하늘 ") == "김하늘"
    assert check_name("\u1100\u1161") == "가"  # decomposed Hangul typed on some keyboards


def test_bad_pin_stores_nothing(book: StaffBook) -> None:
    for first, second, code in (("12", "12", "pin_length"), ("1234", "1243", "pin_mismatch")):
        with pytest.raises(StaffError) as caught:
            book.add("lee", "cashier", parse_new_pin(first, second), by="x")
        assert caught.value.code == code
    assert [m.name for m in book.members()] == ["김사장", "kim"]


def test_pin_is_wiped_and_only_its_hash_stored(tmp_path: Path, book: StaffBook) -> None:
    pin = parse_pin("5555")
    book.add("lee", "cashier", pin, by="x")
    assert pin.wiped
    raw = (tmp_path / "staff.sqlite3").read_bytes() + (tmp_path / "audit.sqlite3").read_bytes()
    for digits in (b"5555", b"9137", b"2468"):
        assert digits not in raw


def test_sign_in_and_trail(book: StaffBook) -> None:
    member = book.sign_in("kim", parse_pin("2468"))
    assert member.role == "cashier"
    with pytest.raises(StaffError) as caught:
        book.sign_in("kim", parse_pin("2469"))
    assert caught.value.code == "wrong_pin" and caught.value.params["left"] == 4
    with pytest.raises(StaffError) as caught:
        book.sign_in("nobody", parse_pin("2468"))
    assert caught.value.code == "no_such_person"
    actions = _actions(book)
    assert actions[-2:] == [
        ("kim", "sign_in", {"role": "cashier"}),
        ("kim", "pin_failed", {"purpose": "sign_in", "failures": 1, "locked": False}),
    ]
    assert book.trail.verify().ok


def test_five_wrong_pins_lock_the_name_across_a_restart(tmp_path: Path, book: StaffBook) -> None:
    for left in (4, 3, 2, 1):
        with pytest.raises(StaffError) as caught:
            book.sign_in("kim", parse_pin("0000"))
        assert caught.value.params["left"] == left
    with pytest.raises(StaffError) as caught:
        book.sign_in("kim", parse_pin("0000"))
    assert caught.value.code == "locked"
    book.close()
    reopened = _book(tmp_path)
    try:
        # The right PIN is refused too while the lock lasts, after the program was closed.
        with pytest.raises(StaffError) as caught:
            reopened.sign_in("kim", parse_pin("2468"))
        assert caught.value.code == "locked" and caught.value.params["minutes"] == 5
        assert reopened.locked_until("kim") > time.time() + LOCK_SECONDS - 60
        assert reopened.locked_until("김사장") == 0  # only that name
        reopened.sign_in("김사장", parse_pin("9137"))
    finally:
        reopened.close()


def test_lock_ends(book: StaffBook, monkeypatch: pytest.MonkeyPatch) -> None:
    for _ in range(5):
        with pytest.raises(StaffError):
            book.sign_in("kim", parse_pin("0000"))
    later = time.time() + LOCK_SECONDS + 1
    monkeypatch.setattr(time, "time", lambda: later)
    assert book.sign_in("kim", parse_pin("2468")).name == "kim"


def test_two_windows_guessing_at_once_get_four_wrong_answers_only(
    tmp_path: Path, book: StaffBook
) -> None:
    """Ten guesses from two windows at the same moment: every guess is counted, the fifth
    locks, and no guess after it is even compared."""
    other = _book(tmp_path)
    answers: list[str] = []
    start = threading.Barrier(10)

    def guess(staff: StaffBook) -> None:
        pin = parse_pin("0000")
        start.wait()
        try:
            staff.sign_in("kim", pin)
        except StaffError as exc:
            answers.append(exc.code)

    threads = [threading.Thread(target=guess, args=(b,)) for b in [book, other] * 5]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    other.close()
    assert sorted(answers) == ["locked"] * 6 + ["wrong_pin"] * 4


def test_approval(book: StaffBook) -> None:
    manager = book.approve("김사장", parse_pin("9137"), "refund", "kim", {"imp_uid": "imp_1"})
    assert manager.name == "김사장"
    with pytest.raises(StaffError) as caught:
        book.approve("kim", parse_pin("2468"), "refund", "kim")
    assert caught.value.code == "not_manager"
    with pytest.raises(StaffError) as caught:
        book.approve("김사장", parse_pin("1111"), "refund", "kim")
    assert caught.value.code == "wrong_pin"
    actions = _actions(book)
    assert ("kim", "approval", {"for": "refund", "imp_uid": "imp_1", "approved_by": "김사장"}) in (
        actions
    )
    refused = [a for a in actions if a[1] == "approval_refused"]
    assert [a[2]["why"] for a in refused] == ["not_manager", "wrong_pin"]


def test_last_manager_stays(book: StaffBook) -> None:
    with pytest.raises(StaffError) as caught:
        book.remove("김사장", by="x")
    assert caught.value.code == "last_manager"
    book.add("박매니저", "manager", parse_pin("7777"), by="x")
    book.remove("김사장", by="x")
    with pytest.raises(StaffError):
        book.remove("박매니저", by="x")
    book.remove("kim", by="x")
    assert [m.name for m in book.members()] == ["박매니저"]


def test_last_two_managers_removed_at_once(tmp_path: Path, book: StaffBook) -> None:
    """Two windows each removing one of the last two managers: one of them is refused."""
    book.add("박매니저", "manager", parse_pin("7777"), by="x")
    other = _book(tmp_path)
    results: list[str] = []
    start = threading.Barrier(2)

    def remove(staff: StaffBook, name: str) -> None:
        start.wait()
        try:
            staff.remove(name, by="x")
            results.append("removed")
        except StaffError as exc:
            results.append(exc.code)

    threads = [
        threading.Thread(target=remove, args=(book, "김사장")),
        threading.Thread(target=remove, args=(other, "박매니저")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    other.close()
    assert sorted(results) == ["last_manager", "removed"]
    assert book.has_manager()


def test_change_pin_clears_the_count(book: StaffBook) -> None:
    with pytest.raises(StaffError):
        book.sign_in("kim", parse_pin("0000"))
    book.change_pin("kim", parse_new_pin("1357", "1357"), by="김사장")
    with pytest.raises(StaffError) as caught:
        book.sign_in("kim", parse_pin("2468"))
    assert caught.value.params["left"] == 4  # counting starts again with the new PIN
    assert book.sign_in("kim", parse_pin("1357")).name == "kim"


def test_idle_lock_setting(book: StaffBook) -> None:
    assert book.idle_lock_minutes() == 10
    book.set_idle_lock_minutes(3, by="김사장")
    assert book.idle_lock_minutes() == 3
    with pytest.raises(StaffError):
        book.set_idle_lock_minutes(-1, by="김사장")
