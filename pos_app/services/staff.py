"""Staff in verbs: add, remove, change a PIN, sign in, approve; each recorded in the audit trail.

With no manager the shop works as a single-user till (no sign-in, no approvals). Once a manager
exists, people sign in; a cashier's refund, key deletion, guard override and settings change
need a manager's PIN. Five wrong PINs in a row lock that name for five minutes; the count lives
in the staff file, so closing the program does not reset it.

Errors carry a code and parameters (`StaffError.message(lang)` renders them), never what was
typed. Every PIN passed in is wiped before the verb returns.
"""

from __future__ import annotations

import time
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import ClassVar

from pos_app.core.staff_pin import InvalidPin, StaffPin
from pos_app.logs import redact
from pos_app.services import audit
from pos_app.services.audit import AuditTrail
from pos_app.store.audit import Detail
from pos_app.store.staff import (
    ROLES,
    LastManager,
    NoSuchStaff,
    Role,
    StaffExists,
    StaffMember,
    StaffStore,
)

MAX_FAILURES = 5
LOCK_SECONDS = 5 * 60
NAME_MAX = 20
# Names the command line's attribution (`system:<user>`) uses; no person may take one.
RESERVED_PREFIX = "system:"
IDLE_LOCK_KEY = "idle_lock_minutes"
DEFAULT_IDLE_LOCK_MINUTES = 10
IDLE_LOCK_MAX = 240

_NOT_PRINTABLE = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


class StaffError(Exception):
    """A staff verb refused. `code` names the rule; `params` fill the message."""

    _TEXT: ClassVar[dict[str, tuple[str, str]]] = {
        "name_empty": ("이름을 입력하세요.", "Enter a name."),
        "name_length": (
            f"이름은 {NAME_MAX}자 이하입니다.",
            f"The name is at most {NAME_MAX} characters.",
        ),
        "name_chars": (
            "이름에는 줄바꿈, 탭 같은 제어 문자나 카드번호처럼 긴 숫자를 쓸 수 없습니다.",
            "The name must not contain control characters or a long card-like number.",
        ),
        "name_reserved": (
            f"'{RESERVED_PREFIX}'로 시작하는 이름은 쓸 수 없습니다.",
            f"Names starting with '{RESERVED_PREFIX}' are reserved.",
        ),
        "name_taken": ("{name} 님은 이미 등록되어 있습니다.", "{name} is already on the staff."),
        "no_such_person": ("{name} 님은 직원 목록에 없습니다.", "{name} is not on the staff."),
        "role": ("역할은 cashier 또는 manager 입니다.", "The role is cashier or manager."),
        "last_manager": (
            "마지막 관리자는 삭제할 수 없습니다. 다른 관리자를 먼저 추가하세요.",
            "The last manager cannot be removed. Add another manager first.",
        ),
        "wrong_pin": (
            "PIN이 맞지 않습니다. {left}번 더 틀리면 5분 동안 잠깁니다.",
            "Wrong PIN. {left} more wrong tries lock this name for 5 minutes.",
        ),
        "locked": (
            "PIN을 5번 틀려 {name} 님은 {minutes}분 동안 잠겼습니다.",
            "{name} is locked for {minutes} min after five wrong PINs.",
        ),
        "not_manager": (
            "{name} 님은 관리자가 아닙니다. 관리자의 PIN이 필요합니다.",
            "{name} is not a manager. A manager's PIN is needed.",
        ),
        "manager_needed": (
            "관리자 승인이 필요합니다: --manager 이름 을 붙이고 관리자의 PIN을 입력하세요.",
            "A manager's approval is needed: add --manager NAME and enter that manager's PIN.",
        ),
        "staff_missing": (
            "관리자가 등록되어 있었는데 직원 정보에 관리자가 없습니다 (직원 파일이 지워졌거나 "
            "바뀌었습니다). 'pos-app staff add 이름 --role manager'로 관리자를 다시 추가하세요.",
            "A manager was registered here but the staff list has none (the staff file was "
            "deleted or changed). Add one again with 'pos-app staff add NAME --role manager'.",
        ),
        "staff_not_on_server": (
            "이 계산대의 직원 정보에는 관리자가 있는데 매장 서버의 직원 정보에는 없습니다. "
            "'pos-app db import-sqlite'로 이 계산대의 직원을 매장 서버로 옮기세요.",
            "This counter's own staff has a manager but the store server's staff has none. "
            "Copy this counter's staff there with 'pos-app db import-sqlite'.",
        ),
        "idle_minutes": (
            f"자동 잠금은 0(끄기)~{IDLE_LOCK_MAX}분입니다.",
            f"The idle lock is 0 (off) to {IDLE_LOCK_MAX} minutes.",
        ),
        "pin_length": InvalidPin._TEXT["pin_length"],
        "pin_digits": InvalidPin._TEXT["pin_digits"],
        "pin_mismatch": InvalidPin._TEXT["pin_mismatch"],
    }

    def __init__(self, code: str, **params: object) -> None:
        self.code = code
        self.params = params
        super().__init__(self.message("en"))

    def message(self, lang: str = "ko") -> str:
        ko, en = self._TEXT[self.code]
        return (en if lang == "en" else ko).format(**self.params)


def check_name(text: str) -> str:
    """A staff name as stored: NFC, trimmed, 1-20 printable characters, nothing card-shaped."""
    name = unicodedata.normalize("NFC", text).strip()
    if not name:
        raise StaffError("name_empty")
    if len(name) > NAME_MAX:
        raise StaffError("name_length")
    if any(unicodedata.category(ch) in _NOT_PRINTABLE for ch in name) or redact(name) != name:
        raise StaffError("name_chars")
    if name.casefold().startswith(RESERVED_PREFIX):
        raise StaffError("name_reserved")
    return name


def check_role(text: str) -> Role:
    for role in ROLES:
        if text == role:
            return role
    raise StaffError("role")


def check_idle_minutes(value: int) -> int:
    if not 0 <= value <= IDLE_LOCK_MAX:
        raise StaffError("idle_minutes")
    return value


class StaffBook:
    """The staff file and the audit trail of one counter (`terminal`)."""

    def __init__(self, store: StaffStore, trail: AuditTrail, terminal: str) -> None:
        self._store = store
        self.trail = trail
        self.terminal = terminal

    @classmethod
    def open(cls, staff_path: Path, audit_path: Path, terminal: str) -> StaffBook:
        return cls(StaffStore(staff_path), AuditTrail(audit_path), terminal)

    @classmethod
    def open_here(cls, terminal: str) -> StaffBook:
        """The shop's staff and trail where this counter keeps them: the store server's when one
        is set (services/places.py), else the data folder's files."""
        from pos_app.services import places

        log = places.open_audit_log()
        try:
            store = places.open_staff_store(beside=log)
        except BaseException:
            log.close()
            raise
        return cls(store, AuditTrail(log), terminal)

    def close(self) -> None:
        try:
            self._store.close()
        finally:
            self.trail.close()

    def __enter__(self) -> StaffBook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def record(self, action: str, person: str, details: Mapping[str, Detail] | None = None) -> None:
        self.trail.record(action, person, self.terminal, details)

    # -- who is there ------------------------------------------------------------------------------

    def members(self) -> list[StaffMember]:
        return self._store.members()

    def has_manager(self) -> bool:
        return any(m.is_manager for m in self._store.members())

    def member(self, name: str) -> StaffMember:
        found = self._store.member(name)
        if found is None:
            raise StaffError("no_such_person", name=name)
        return found

    def locked_until(self, name: str) -> float:
        """When this name's lockout ends (unix s), or 0 when it can sign in."""
        until = self._store.failures(name).locked_until
        return until if until > time.time() else 0.0

    # -- managing ----------------------------------------------------------------------------------

    def add(self, name: str, role: str, pin: StaffPin, by: str) -> StaffMember:
        try:
            checked, chosen = check_name(name), check_role(role)
            try:
                member = self._store.add(checked, chosen, pin.hash(), time.time())
            except StaffExists:
                raise StaffError("name_taken", name=checked) from None
        finally:
            pin.wipe()
        self.record(audit.STAFF_ADDED, by, {"name": member.name, "role": member.role})
        return member

    def remove(self, name: str, by: str) -> StaffMember:
        try:
            member = self._store.remove(name)
        except NoSuchStaff:
            raise StaffError("no_such_person", name=name) from None
        except LastManager:
            raise StaffError("last_manager") from None
        self.record(audit.STAFF_REMOVED, by, {"name": member.name, "role": member.role})
        return member

    def change_pin(self, name: str, pin: StaffPin, by: str) -> None:
        try:
            try:
                self._store.set_pin(name, pin.hash(), time.time())
            except NoSuchStaff:
                raise StaffError("no_such_person", name=name) from None
        finally:
            pin.wipe()
        self.record(audit.STAFF_PIN_CHANGED, by, {"name": name})

    def idle_lock_minutes(self) -> int:
        raw = self._store.setting(IDLE_LOCK_KEY)
        try:
            return check_idle_minutes(int(raw)) if raw is not None else DEFAULT_IDLE_LOCK_MINUTES
        except (ValueError, StaffError):
            return DEFAULT_IDLE_LOCK_MINUTES

    def set_idle_lock_minutes(self, minutes: int, by: str) -> None:
        self._store.set_setting(IDLE_LOCK_KEY, str(check_idle_minutes(minutes)))
        self.record(audit.STAFF_SETTINGS_CHANGED, by, {IDLE_LOCK_KEY: minutes})

    # -- PINs --------------------------------------------------------------------------------------

    def sign_in(self, name: str, pin: StaffPin) -> StaffMember:
        """The person, signed in (recorded), or StaffError: wrong_pin, locked, no_such_person."""
        member = self._checked_pin(name, pin, purpose="sign_in")
        self.record(audit.SIGN_IN, member.name, {"role": member.role})
        return member

    def approve(
        self,
        manager: str,
        pin: StaffPin,
        action: str,
        for_person: str,
        details: Mapping[str, Detail] | None = None,
    ) -> StaffMember:
        """A manager's PIN allowing `for_person` to do `action`; recorded either way."""
        about = {"for": action, **(details or {})}
        try:
            member = self._checked_pin(manager, pin, purpose=f"approval:{action}")
            if not member.is_manager:
                raise StaffError("not_manager", name=member.name)
        except StaffError as exc:
            self.record(
                audit.APPROVAL_REFUSED, for_person, {**about, "manager": manager, "why": exc.code}
            )
            raise
        self.record(audit.APPROVAL, for_person, {**about, "approved_by": member.name})
        return member

    def _checked_pin(self, name: str, pin: StaffPin, *, purpose: str) -> StaffMember:
        try:
            member = self.member(name)
            now = time.time()
            state = self._store.failures(name)
            if state.locked_until > now:
                self.record(audit.PIN_FAILED, name, {"purpose": purpose, "locked": True})
                raise StaffError("locked", name=name, minutes=_minutes_left(state.locked_until))
            stored = self._store.pin_hash(name)
            if stored is not None and pin.matches(stored):
                if state.failures:
                    self._store.clear_failures(name)
                return member
            after = self._store.record_failure(name, now, MAX_FAILURES, LOCK_SECONDS)
            locked = after.locked_until > now
            self.record(
                audit.PIN_FAILED,
                name,
                {"purpose": purpose, "failures": after.failures, "locked": locked},
            )
            if locked:
                raise StaffError("locked", name=name, minutes=_minutes_left(after.locked_until))
            raise StaffError("wrong_pin", left=MAX_FAILURES - after.failures)
        finally:
            pin.wipe()


def manager_left_behind() -> bool:
    """With a store server set: whether this data folder's own staff file names a manager. Asked
    when the server's staff has none, so that choosing a store server (or a server whose staff
    were never copied there with `pos-app db import-sqlite`) cannot switch off sign-in."""
    from pos_app.services import places

    path = places.staff_path()
    if not places.shop_server_chosen() or not path.exists():
        return False
    with StaffStore(path) as local:
        return any(m.is_manager for m in local.members())


def _minutes_left(until: float) -> int:
    return max(1, int((until - time.time() + 59) // 60))


def parse_pin(text: str) -> StaffPin:
    """A PIN as typed, or StaffError with the PIN rule it breaks."""
    try:
        return StaffPin(text)
    except InvalidPin as exc:
        raise StaffError(exc.code) from None


def parse_new_pin(first: str, second: str) -> StaffPin:
    try:
        return StaffPin.twice(first, second)
    except InvalidPin as exc:
        raise StaffError(exc.code) from None
