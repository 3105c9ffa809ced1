"""A PortOneClient talking to the shared sandbox over real HTTP on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pos_app.gateway import PortOneClient
from pos_app.sandbox import TEST_IMP_KEY, TEST_IMP_SECRET


@pytest.fixture
def client(sandbox_url: str) -> Iterator[PortOneClient]:
    with PortOneClient(sandbox_url, TEST_IMP_KEY, TEST_IMP_SECRET, read_timeout=10.0) as c:
        # Repeatable lookups retry quickly in tests; the policy is the same, only shorter.
        c.retry_delays = (0.01, 0.02)
        yield c
