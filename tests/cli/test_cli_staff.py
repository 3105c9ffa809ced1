"""`pos-app staff` as a real subprocess: PINs from standard input only, the rules, the trail."""

from __future__ import annotations

import subprocess

from pos_app_runner import PosApp


def staff(pos_app: PosApp, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        pos_app.command("--lang", "en", "staff", *args),
        env=pos_app.env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def audit(pos_app: PosApp, *args: str) -> subprocess.CompletedProcess[str]:
    return pos_app.run("--lang", "en", "audit", *args)


def test_add_list_remove(pos_app: PosApp) -> None:
    assert "no staff" in staff(pos_app, "list").stdout
    done = staff(pos_app, "add", "김사장", "--role", "manager", stdin="9137\n9137\n")
    assert done.returncode == 0, done.stderr
    done = staff(pos_app, "add", "kim", "--role", "cashier", stdin="2468\n2468\n")
    assert done.returncode == 0, done.stderr
    listed = staff(pos_app, "list").stdout
    assert "김사장\tmanager" in listed and "kim\tcashier" in listed
    removed = staff(pos_app, "remove", "kim")
    assert removed.returncode == 0
    assert "kim" not in staff(pos_app, "list").stdout
    assert staff(pos_app, "remove", "kim").returncode == 1
    # Every change is in the trail, attributed to the operating-system user.
    trail = audit(pos_app).stdout
    assert trail.count("staff_added") == 2 and "staff_removed" in trail
    assert "system:" in trail
    for pin in ("9137", "2468"):
        assert pin not in trail
        for path in pos_app.home.rglob("*"):
            if path.is_file():
                assert pin.encode() not in path.read_bytes(), path


def test_bad_pins_store_nothing(pos_app: PosApp) -> None:
    for stdin, text in (
        ("12\n12\n", "4 to 8 digits"),
        ("123456789\n123456789\n", "4 to 8 digits"),
        ("12ab\n12ab\n", "only digits"),
        ("1234\n1243\n", "differ"),
        ("", "4 to 8 digits"),
    ):
        done = staff(pos_app, "add", "lee", "--role", "manager", stdin=stdin)
        assert done.returncode == 1
        assert text in done.stderr
    assert "no staff" in staff(pos_app, "list").stdout


def test_the_pin_is_never_an_argument(pos_app: PosApp) -> None:
    done = staff(pos_app, "add", "lee", "--role", "manager", "--pin", "1234", stdin="")
    assert done.returncode == 2  # argparse: no such option
    assert "unrecognized arguments" in done.stderr


def test_last_manager_cannot_be_removed(pos_app: PosApp) -> None:
    staff(pos_app, "add", "김사장", "--role", "manager", stdin="9137\n9137\n")
    done = staff(pos_app, "remove", "김사장")
    assert done.returncode == 1
    assert "last manager" in done.stderr
    assert "김사장" in staff(pos_app, "list").stdout


def test_change_pin(pos_app: PosApp) -> None:
    staff(pos_app, "add", "김사장", "--role", "manager", stdin="9137\n9137\n")
    assert staff(pos_app, "pin", "김사장", stdin="1111\n2222\n").returncode == 1
    assert staff(pos_app, "pin", "nobody", stdin="1111\n1111\n").returncode == 1
    assert staff(pos_app, "pin", "김사장", stdin="5555\n5555\n").returncode == 0
    from pos_app.core.staff_pin import StaffPin
    from pos_app.store.staff import StaffStore

    with StaffStore(pos_app.home / "staff.sqlite3") as store:
        stored = store.pin_hash("김사장")
    assert stored is not None
    assert StaffPin("5555").matches(stored) and not StaffPin("9137").matches(stored)


def test_bad_names(pos_app: PosApp) -> None:
    for name, text in (("system:admin", "reserved"), ("x" * 21, "at most 20")):
        done = staff(pos_app, "add", name, "--role", "cashier", stdin="1234\n1234\n")
        assert done.returncode == 1 and text in done.stderr


def test_refund_from_the_command_line_needs_a_manager(pos_app: PosApp) -> None:
    """The other way to refund without the window: once a manager exists, `pos-app refund`
    needs --manager and that manager's PIN (stdin), and says so without sending anything."""
    import json

    staff(pos_app, "add", "김사장", "--role", "manager", stdin="9137\n9137\n")
    staff(pos_app, "add", "kim", "--role", "cashier", stdin="2468\n2468\n")
    pos_app.save_card("cust-r")
    charged = pos_app.run(
        "charge",
        "--customer-uid",
        "cust-r",
        "--amount",
        "20000",
        "--name",
        "월회비",
        "--merchant-uid",
        "SALE-STAFF-1",
    )
    assert charged.returncode == 0, charged.stdout + charged.stderr

    def refund(*extra: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            pos_app.command(
                "--lang",
                "en",
                "refund",
                "--merchant-uid",
                "SALE-STAFF-1",
                "--reason",
                "요청",
                *extra,
            ),
            env=pos_app.env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=120,
        )

    def cancels() -> int:
        return sum(1 for p in pos_app.payments() if p.get("cancel_amount"))

    for extra, stdin in (
        ((), ""),
        (("--manager", "김사장"), "0000\n"),
        (("--manager", "kim"), "2468\n"),
    ):
        done = refund(*extra, stdin=stdin)
        assert done.returncode == 1, done.stdout
        assert json.loads(done.stdout)["field"] == "manager"
        assert cancels() == 0
    done = refund("--manager", "김사장", stdin="9137\n")
    assert done.returncode == 0, done.stdout + done.stderr
    assert cancels() == 1
    trail = audit(pos_app).stdout
    assert "approval_refused" in trail and '"approved_by":"김사장"' in trail
    assert '"outcome":"refunded"' in trail
