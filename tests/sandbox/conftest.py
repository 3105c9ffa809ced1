"""Fixtures for the sandbox's tests: every call goes over real HTTP to the shared sandbox."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from sandbox_helpers import token_for


@pytest.fixture
def anon(sandbox_url: str) -> Iterator[httpx.Client]:
    """A client with no token."""
    with httpx.Client(base_url=sandbox_url, timeout=10) as client:
        yield client


@pytest.fixture
def api(sandbox_url: str) -> Iterator[httpx.Client]:
    """A client that sends a fresh token as `Authorization: Bearer`."""
    with httpx.Client(base_url=sandbox_url, timeout=10) as client:
        client.headers["Authorization"] = f"Bearer {token_for(client)}"
        yield client
