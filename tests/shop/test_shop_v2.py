"""PortOne V2 tills on the shop's store server: their own customer index (customers_v2), their
own origin for the embedded sandbox, and a live feed that follows V2's list only."""

from __future__ import annotations

import queue
from pathlib import Path

import pytest
from till_parts import index_of, store_of

from pos_app.services import places
from pos_app.services.live import ShopChange, ShopFeed, StoreHealth
from pos_app.services.opening import open_till
from pos_app.store.backend import open_server
from pos_app.store.customers import CustomerRow
from pos_app.store.postgres import parse_address


@pytest.fixture
def v2(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POS_APP_API_VERSION", "v2")


def test_a_v2_till_keeps_its_cards_in_v2s_index_and_names_its_own_sandbox(
    v2: None, shared_store: str, pos_app_home: Path
) -> None:
    with open_till() as till:  # the embedded sandbox: this data folder's own PortOne
        assert till.shared and index_of(till).table == "customers_v2"
        assert till.origin == f"sandbox:local:{places.folder_id()}:v2"
        index_of(till).upsert("v2_kim", name="김하늘")
    # V1's list on the same server does not have it.
    v1 = open_server(parse_address(shared_store), "sandbox", terminal="T9", with_lease=False)
    try:
        assert v1.customers.get("v2_kim") is None
    finally:
        v1.close()


def test_a_v2_windows_feed_follows_v2s_list_only(
    v2: None, shared_store: str, sandbox_url: str
) -> None:
    """A card saved at a V1 counter is not V2's to show, nor a reason to drop a V2 row of the
    same customer_uid from the list."""
    changes: queue.Queue[ShopChange] = queue.Queue()
    healths: queue.Queue[StoreHealth] = queue.Queue()
    address = parse_address(shared_store)
    with open_till(sandbox_url) as till:
        index_of(till).upsert("kim", name="김하늘 (V2)")
        feed = ShopFeed(store_of(till), till.origin, changes.put, healths.put, gather_s=0.01)
        feed.start()
        other_v1 = open_server(address, "sandbox", terminal="T2", with_lease=False)
        other_v2 = open_server(
            address, "sandbox", terminal="T3", customers_table="customers_v2", with_lease=False
        )
        try:
            other_v1.customers.upsert("kim", name="김하늘 (V1)")  # V1's row, same uid
            other_v1.customers.upsert("lee", name="이하나 (V1)")
            other_v2.customers.upsert_many([CustomerRow("park", "박V2", billing_key="bk-1")])
            said: list[ShopChange] = []
            while not said or not any(r.customer_uid == "park" for r in said[-1].customers):
                said.append(changes.get(timeout=30))
        finally:
            feed.stop()
            other_v1.close()
            other_v2.close()
    # Everything the feed said, up to V2's new card and after: nothing of V1's, nothing gone.
    said += _drain(changes)
    assert not any(c.gone for c in said)
    shown = {r.customer_uid: r.name for c in said for r in c.customers}
    assert shown == {"park": "박V2"}


def _drain(changes: queue.Queue[ShopChange]) -> list[ShopChange]:
    drained = []
    while not changes.empty():
        drained.append(changes.get_nowait())
    return drained
