"""Everything the sandbox remembers, behind one lock: customers, payments, schedules, the token,
its clock, pending faults and the request log.

Only customers, payments and schedules (plus the clock offset) are saved, atomically after each
change, when a state file is given; none of them holds more of a card than its masked number.
A sandbox with a state file (the app's training sandbox) keeps only its newest SAVED_PAYMENTS
payments: each save rewrites the whole file, so a till left in training mode for days would
otherwise slow down and grow with every charge (docs/soak.md).
"""

from __future__ import annotations

import contextlib
import hmac
import json
import logging
import os
import secrets
import tempfile
import threading
import time
from collections import deque
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from pos_app.sandbox import variants as variants_module

log = logging.getLogger(__name__)

TOKEN_LIFETIME_S = 30 * 60
TOKEN_LAST_MINUTE_S = 60
TOKEN_EXTENSION_S = 5 * 60
REQUEST_LOG_SIZE = 10_000
# Payments a sandbox with a state file keeps (oldest dropped first); billing keys are all kept.
SAVED_PAYMENTS = 2_000
STATE_VERSION = 1
# Waits between tries of a save whose rename was refused (Windows: a scanner holding the file).
SAVE_RETRY_DELAYS_S = (0.02, 0.05, 0.1, 0.2, 0.4)

# PortOne V2 in the sandbox (docs/sandbox.md): the API secret it accepts.
V2_SECRET = "portone-sandbox-v2-secret"

FAULT_KINDS = ("delay", "error_500", "drop_before", "drop_after", "malformed", "expire_token")


@dataclass
class Fault:
    endpoint: str
    kind: str
    times: int = 1
    delay_ms: int = 0
    method: str | None = None

    def matches(self, method: str, path: str) -> bool:
        """The endpoint and everything under it; a `*` segment stands for any one segment, so
        `/v2/payments/*/billing-key` is every V2 charge with a billing key."""
        if self.method is not None and self.method != method:
            return False
        wanted = self.endpoint.rstrip("/").split("/")
        parts = path.split("/")
        if len(parts) < len(wanted):
            return False
        return all(w == "*" or w == p for w, p in zip(wanted, parts, strict=False))


class Ledger:
    def __init__(
        self,
        imp_key: str,
        imp_secret: str,
        state_path: Path | None = None,
        variants: Mapping[str, str] | None = None,
        v2_secret: str = V2_SECRET,
    ) -> None:
        self.imp_key = imp_key
        self.imp_secret = imp_secret
        self.v2_secret = v2_secret
        self.state_path = state_path
        # The answer variants chosen at start (variants.py); reset() comes back to these.
        self.start_variants = {
            **variants_module.defaults(),
            **variants_module.check(variants or {}),
        }
        # RLock: handlers that change state call helpers that take the lock again.
        self.lock = threading.RLock()
        self.requests: deque[dict[str, Any]] = deque(maxlen=REQUEST_LOG_SIZE)
        # Requests being served now (id -> method, path, start), for /__sandbox__/in_flight.
        self.in_flight: dict[int, dict[str, Any]] = {}
        self._next_request_id = 0
        self._clear()
        if state_path is not None:
            self._load(state_path)

    def _clear(self) -> None:
        self.clock_offset = 0.0
        self.customers: dict[str, dict[str, Any]] = {}
        self.behaviours: dict[str, str] = {}  # customer_uid -> cards.APPROVE etc.
        self.payments: dict[str, dict[str, Any]] = {}  # imp_uid -> payment, oldest first
        self.by_merchant: dict[str, list[str]] = {}  # merchant_uid -> imp_uids, oldest first
        self.schedules: dict[str, dict[str, Any]] = {}  # merchant_uid -> schedule
        # PortOne V2's own records (sandbox/v2_billing.py), apart from V1's: a V2 payment is
        # known by its paymentId, a V2 saved card by the billing key the sandbox chose.
        self.v2_keys: dict[str, dict[str, Any]] = {}  # billingKey -> key record
        self.v2_payments: dict[str, dict[str, Any]] = {}  # paymentId -> payment, oldest first
        self.next_due: float | None = None  # earliest pending schedule_at, checked per request
        self.token: str | None = None
        self.token_expires = 0.0
        self.faults: list[Fault] = []
        self.variants: dict[str, str] = dict(self.start_variants)
        self.requests.clear()

    # -- answer variants (variants.py) ------------------------------------------------------
    def variant(self, name: str) -> str:
        return self.variants[name]

    def set_variants(self, choices: Mapping[str, object]) -> dict[str, str]:
        """Change some variants (UnknownVariant for a bad name or value); all current values."""
        checked = variants_module.check(choices)
        with self.lock:
            self.variants.update(checked)
            return dict(self.variants)

    # -- requests being served ----------------------------------------------------------------
    def request_started(self, method: str, path: str) -> int:
        with self.lock:
            self._next_request_id += 1
            request_id = self._next_request_id
            self.in_flight[request_id] = {
                "method": method,
                "path": path,
                "since": round(self.now(), 3),
            }
            return request_id

    def request_finished(self, request_id: int, entry: dict[str, Any]) -> None:
        with self.lock:
            self.in_flight.pop(request_id, None)
            self.requests.append(entry)

    # -- clock -----------------------------------------------------------------------------
    def now(self) -> float:
        return time.time() + self.clock_offset

    def advance(self, seconds: float) -> None:
        with self.lock:
            self.clock_offset += seconds

    # -- token (contract section 2) --------------------------------------------------------
    def v2_secret_ok(self, secret: str) -> bool:
        return hmac.compare_digest(secret.encode(), self.v2_secret.encode())

    def credentials_ok(self, imp_key: str, imp_secret: str) -> bool:
        return hmac.compare_digest(imp_key.encode(), self.imp_key.encode()) and (
            hmac.compare_digest(imp_secret.encode(), self.imp_secret.encode())
        )

    def issue_token(self) -> dict[str, int | str]:
        with self.lock:
            now = self.now()
            if self.token is not None and now < self.token_expires:
                if self.token_expires - now <= TOKEN_LAST_MINUTE_S:
                    self.token_expires += TOKEN_EXTENSION_S
            else:
                self.token = secrets.token_hex(20)
                self.token_expires = now + TOKEN_LIFETIME_S
            return {
                "access_token": self.token,
                "now": int(now),
                "expired_at": int(self.token_expires),
            }

    def token_ok(self, token: str) -> bool:
        with self.lock:
            current = self.token
            if current is None or self.now() >= self.token_expires:
                return False
            return hmac.compare_digest(token.encode(), current.encode())

    def expire_token(self) -> None:
        with self.lock:
            if self.token is not None:
                self.token_expires = self.now() - 1

    # -- faults ----------------------------------------------------------------------------
    def add_fault(self, fault: Fault) -> None:
        with self.lock:
            self.faults.append(fault)

    def take_fault(self, method: str, path: str) -> Fault | None:
        if not self.faults:  # the common case, no lock needed to see an empty list
            return None
        with self.lock:
            for fault in self.faults:
                if fault.matches(method, path):
                    fault.times -= 1
                    if fault.times <= 0:
                        self.faults.remove(fault)
                    return fault
        return None

    def fault_list(self) -> list[dict[str, Any]]:
        with self.lock:
            return [asdict(f) for f in self.faults]

    # -- payments index ----------------------------------------------------------------------
    def add_payment(self, payment: dict[str, Any]) -> None:
        self.payments[payment["imp_uid"]] = payment
        self.by_merchant.setdefault(payment["merchant_uid"], []).append(payment["imp_uid"])
        if self.state_path is not None:
            while len(self.payments) > SAVED_PAYMENTS:
                self._drop_oldest_payment()

    def _drop_oldest_payment(self) -> None:
        imp_uid = next(iter(self.payments))  # dicts keep insertion order: oldest first
        old = self.payments.pop(imp_uid)
        same_order = self.by_merchant.get(old["merchant_uid"], [])
        if imp_uid in same_order:
            same_order.remove(imp_uid)
        if not same_order:
            self.by_merchant.pop(old["merchant_uid"], None)

    def add_v2_payment(self, payment: dict[str, Any]) -> None:
        """Store (or replace: a failed paymentId may be paid again) a V2 payment."""
        self.v2_payments.pop(payment["id"], None)
        self.v2_payments[payment["id"]] = payment
        if self.state_path is not None:
            while len(self.v2_payments) > SAVED_PAYMENTS:
                del self.v2_payments[next(iter(self.v2_payments))]

    def newest_payment(self, merchant_uid: str, status: str | None = None) -> dict[str, Any] | None:
        for imp_uid in reversed(self.by_merchant.get(merchant_uid, [])):
            payment = self.payments[imp_uid]
            if status is None or payment["status"] == status:
                return payment
        return None

    def new_imp_uid(self) -> str:
        while True:
            imp_uid = f"imp_{secrets.randbelow(10**12):012d}"
            if imp_uid not in self.payments:
                return imp_uid

    def refresh_next_due(self) -> None:
        """Recompute after any schedule change, so most requests skip the schedule scan."""
        pending = [
            e["schedule_at"] for e in self.schedules.values() if e["schedule_status"] == "scheduled"
        ]
        self.next_due = min(pending) if pending else None

    def schedules_due(self) -> bool:
        due = self.next_due
        return due is not None and self.now() >= due

    # -- whole state -----------------------------------------------------------------------
    def reset(self) -> None:
        with self.lock:
            self._clear()
            self.save()

    def snapshot(self) -> dict[str, Any]:
        return {
            "version": STATE_VERSION,
            "clock_offset": self.clock_offset,
            "customers": self.customers,
            "behaviours": self.behaviours,
            "payments": list(self.payments.values()),
            "schedules": self.schedules,
            "v2": {"billing_keys": self.v2_keys, "payments": list(self.v2_payments.values())},
        }

    def save(self) -> bool:
        """Write the state file atomically (temp file + fsync + rename); True without one.

        Never raises: what is in memory is what the sandbox answers from, and a charge it has
        recorded must be answered as such, not as HTTP 500 ("not processed", portone-v1.md §6).
        On Windows an antivirus scanner or the search indexer can hold the file for a moment,
        failing the rename with PermissionError: that is tried again a few times. A save that
        still fails is logged and returns False; the next change (or stop) writes it all.
        """
        if self.state_path is None:
            return True
        with self.lock:
            data = json.dumps(self.snapshot(), ensure_ascii=False).encode()
        failure: OSError | None = None
        for delay in (*SAVE_RETRY_DELAYS_S, None):
            try:
                self._write_state(self.state_path, data)
                return True
            except PermissionError as exc:
                failure = exc
                if delay is None:
                    break
                time.sleep(delay)
            except OSError as exc:  # a full disk, a folder gone: trying again will not help
                failure = exc
                break
        log.warning(
            "sandbox state %s not saved (%s); kept in memory, saved with the next change",
            self.state_path,
            failure,
        )
        return False

    @staticmethod
    def _write_state(path: Path, data: bytes) -> None:
        folder = path.parent
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".sandbox-", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise

    def _load(self, path: Path) -> None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return
        except (OSError, ValueError) as exc:
            # A damaged file must not stop training mode; start empty and say so in the log.
            log.warning("sandbox state %s unreadable (%s); starting empty", path, exc)
            return
        if not isinstance(data, dict) or data.get("version") != STATE_VERSION:
            log.warning("sandbox state %s has an unknown format; starting empty", path)
            return
        self.clock_offset = float(data.get("clock_offset", 0.0))
        self.customers = dict(data.get("customers", {}))
        self.behaviours = dict(data.get("behaviours", {}))
        for payment in data.get("payments", []):
            self.add_payment(payment)
        self.schedules = dict(data.get("schedules", {}))
        self.refresh_next_due()
        v2 = data.get("v2") or {}  # absent in a state file from before V2
        self.v2_keys = dict(v2.get("billing_keys", {}))
        for payment in v2.get("payments", []):
            self.add_v2_payment(payment)
