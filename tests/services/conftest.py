"""A till on the shared sandbox, and a view of what the sandbox holds (for audits)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sandbox_audit import SandboxAudit

from pos_app.services.till import Till, open_till


@pytest.fixture
def sandbox(sandbox_url: str) -> SandboxAudit:
    return SandboxAudit(sandbox_url)


@pytest.fixture
def till(sandbox_url: str) -> Iterator[Till]:
    opened = open_till(sandbox_url)
    yield opened
    opened.close()
