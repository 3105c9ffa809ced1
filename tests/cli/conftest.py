"""The `pos_app` fixture: the command line, run as a subprocess against the shared sandbox."""

from __future__ import annotations

from pathlib import Path

import pytest
from pos_app_runner import PosApp


@pytest.fixture
def pos_app(sandbox_url: str, pos_app_home: Path) -> PosApp:
    return PosApp(pos_app_home, sandbox_url)
