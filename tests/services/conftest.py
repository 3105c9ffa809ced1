"""A till on the shared sandbox, and a view of what the sandbox holds (for audits)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from movable_clock import MovableClock
from sandbox_audit import SandboxAudit

from pos_app.services.opening import open_till
from pos_app.services.till import Till


@pytest.fixture
def sandbox(sandbox_url: str) -> SandboxAudit:
    return SandboxAudit(sandbox_url)


@pytest.fixture
def till(sandbox_url: str, clock: MovableClock) -> Iterator[Till]:
    opened = open_till(sandbox_url, clock=clock)
    yield opened
    opened.close()
