"""Plausible customers in bulk, for tests and benchmarks of the customer list (no card data:
masked numbers only). Test code, so not in the shipped package: tests import it by name (pytest
puts tests/ on sys.path), benchmarks put tests/ there themselves."""

from __future__ import annotations

import time

from pos_app.store.customers import CustomerRow

NAMES = ("김민준", "이서연", "박도윤", "최지우", "정하준", "강서윤", "조시우", "윤하은")


def rows_for_test(count: int) -> list[CustomerRow]:
    now = int(time.time())
    return [
        CustomerRow(
            customer_uid=f"member{i:06d}_{i % 10000:04d}",
            name=f"{NAMES[i % len(NAMES)]}{i}",
            tel=f"010-{(i * 7) % 10000:04d}-{i % 10000:04d}",
            email=f"m{i}@example.com",
            card_number=f"424242******{i % 10000:04d}",
            card_name=("신한카드", "KB국민카드", "BC카드", "현대카드")[i % 4],
            card_type=0,
            registered=now - i * 60,
            updated=now - i * 30,
            last_charge_at=float(now - i * 10) if i % 3 else None,
        )
        for i in range(count)
    ]
