"""Counters sharing one store server: processes of their own (tests/shop/counter_process.py) or
tills in this process, each with its own data folder and terminal id, against one sandbox."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sandbox_audit import SandboxAudit
from shop_helpers import CounterProcess


@pytest.fixture
def sandbox(sandbox_url: str) -> SandboxAudit:
    return SandboxAudit(sandbox_url)


@pytest.fixture
def counters(
    tmp_path: Path, shared_store: str, sandbox_url: str
) -> Iterator[Callable[[str], CounterProcess]]:
    """`counters("T2")`: a new counter process with its own data folder."""
    started: list[CounterProcess] = []

    def start(terminal: str) -> CounterProcess:
        counter = CounterProcess(tmp_path / f"home-{terminal}", terminal, shared_store, sandbox_url)
        started.append(counter)
        return counter

    yield start
    for counter in started:
        counter.close()
