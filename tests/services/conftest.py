"""A till on the shared sandbox, and a view of what the sandbox holds (for audits).

`api_version` is "v1" unless a test module parametrises it (indirectly) over both PortOne APIs:
`pytestmark = pytest.mark.parametrize("api_version", ["v1", "v2"], indirect=True)`. The till
then talks V1 to the sandbox's root or V2 to its /v2, through the same Till verbs.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from movable_clock import MovableClock
from sandbox_audit import SandboxAudit

from pos_app.services.opening import open_till
from pos_app.services.till import Till


@pytest.fixture
def api_version(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    version: str = getattr(request, "param", "v1")
    monkeypatch.setenv("POS_APP_API_VERSION", version)
    return version


@pytest.fixture
def sandbox(sandbox_url: str, api_version: str) -> SandboxAudit:
    return SandboxAudit(sandbox_url, api_version)


@pytest.fixture
def till(sandbox_url: str, clock: MovableClock, api_version: str) -> Iterator[Till]:
    opened = open_till(sandbox_url, clock=clock)
    assert opened.version == api_version
    yield opened
    opened.close()
