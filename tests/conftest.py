"""Fixtures shared by every test."""

from __future__ import annotations

import itertools
import os
import sys
import threading
import traceback
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from movable_clock import MovableClock

if TYPE_CHECKING:
    from pg_cluster import Cluster
    from PySide6.QtCore import QThread

    from pos_app.sandbox import SandboxServer

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# The QThreads a test started, and where (tests/conftest.py: no_running_qthreads).
StartedQThreads = weakref.WeakKeyDictionary["QThread", str]


# Tests that start a throwaway PostgreSQL cluster (tests/pg_cluster.py: Debian's server binaries).
_ON_A_CLUSTER = frozenset({"pg_cluster", "store_url", "shared_store", "own_cluster"})
_CLUSTER_REASON = (
    "starts Debian's PostgreSQL server binaries (tests/pg_cluster.py); a Windows runner needs a "
    "server of its own (docs/windows.md)"
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if _ON_A_CLUSTER & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.posix_only(reason=_CLUSTER_REASON))


def pytest_runtest_setup(item: pytest.Item) -> None:
    """`@pytest.mark.posix_only(reason=...)`: skipped on Windows, saying why. The reason is
    required: it says what the test needs and what covers the same ground on Windows."""
    marker = item.get_closest_marker("posix_only")
    if marker is None:
        return
    reason = marker.kwargs.get("reason", "")
    if not reason:
        pytest.fail(f"{item.nodeid}: posix_only needs reason=...", pytrace=False)
    if sys.platform == "win32":
        pytest.skip(f"POSIX only: {reason}")


@pytest.fixture(autouse=True)
def pos_app_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own data folder, so nothing leaks between tests or into ~."""
    home = tmp_path / "pos-app-home"
    monkeypatch.setenv("POS_APP_HOME", str(home))
    return home


@pytest.fixture(autouse=True)
def api_version_from_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """POS_APP_API_VERSION is for automation: a test that wants V2 sets it (or the setting)."""
    monkeypatch.delenv("POS_APP_API_VERSION", raising=False)


@pytest.fixture(autouse=True)
def korean_command_line(monkeypatch: pytest.MonkeyPatch) -> None:
    """Commands speak English in an English locale (LC_ALL, LC_MESSAGES, LANG); tests expect
    the default, Korean, unless they ask otherwise, wherever they run."""
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


@pytest.fixture(autouse=True)
def no_dangling_threads() -> Iterator[None]:
    """Fail a test that leaves a Python thread running.

    Session-scoped fixtures (such as a shared sandbox server) start before this runs, so their
    threads are part of `before` and are not blamed on the test. A QThread that ran Python code
    (logging, for one) shows up here as a `_DummyThread` that says it is alive forever, even
    after the QThread has ended: QThreads are judged by `no_running_qthreads` instead, through
    Qt's own isRunning().
    """
    before = set(threading.enumerate())
    yield
    leftover = _new_threads(before)
    for thread in leftover:  # give threads that are stopping up to ~5 s in all to finish
        thread.join(5.0 / len(leftover))
    leftover = _new_threads(before)
    assert not leftover, f"test left threads running: {[t.name for t in leftover]}"


def _new_threads(before: set[threading.Thread]) -> list[threading.Thread]:
    return [
        t
        for t in threading.enumerate()
        if t not in before and t.is_alive() and not isinstance(t, threading._DummyThread)
    ]


@pytest.fixture(autouse=True)
def no_running_qthreads(monkeypatch: pytest.MonkeyPatch) -> Iterator[StartedQThreads]:
    """Fail a test that leaves a QThread running (napari's `_dangling_qthreads`).

    `QThread.start` is patched for the test to note every thread it starts, and where; once the
    test and its fixtures are done (autouse fixtures are torn down last, after `open_window`
    closed its windows) each must have ended. One still running is stopped before failing, so
    one leak does not cascade into the next test (Qt aborts when a running QThread is
    destroyed). The program itself keeps no list of its threads for this. A test that asks for
    this fixture by name gets the threads started so far (thread -> where).
    """
    from PySide6.QtCore import QThread

    started: StartedQThreads = weakref.WeakKeyDictionary()
    base_start = QThread.start

    def noted_start(self: QThread, *args: Any) -> None:
        started[self] = _started_where()
        base_start(self, *args)

    monkeypatch.setattr(QThread, "start", noted_start)
    yield started
    leftover = [(t, where) for t, where in list(started.items()) if _running(t)]
    for thread, _ in leftover:
        thread.quit()
        thread.wait(5000)
    assert not leftover, "test left QThreads running: " + "; ".join(
        f"{thread.objectName() or 'QThread'} started at {where}" for thread, where in leftover
    )


def _running(thread: Any) -> bool:
    try:
        return bool(thread.isRunning())
    except RuntimeError:  # its C++ object is gone: not running
        return False


def _started_where() -> str:
    """The innermost call in the project's own code (pos_app or the tests) that started it."""
    root = str(Path(__file__).resolve().parent.parent)
    for frame in reversed(traceback.extract_stack()[:-2]):
        if frame.filename.startswith(root) and not frame.filename.endswith("conftest.py"):
            return f"{Path(frame.filename).relative_to(root)}:{frame.lineno}"
    return "?"


@pytest.fixture
def clock() -> MovableClock:
    """A clock the till's settling rules can be given, so a test can let time pass at once."""
    return MovableClock()


@pytest.fixture(scope="session")
def sandbox_server() -> Iterator[SandboxServer]:
    """One PortOne V1 sandbox for the whole session, on 127.0.0.1 at a free port."""
    from pos_app.sandbox import SandboxServer

    server = SandboxServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def sandbox_url(sandbox_server: SandboxServer) -> str:
    """The shared sandbox's base URL, after forgetting everything earlier tests did."""
    import httpx

    httpx.post(sandbox_server.base_url + "/__sandbox__/reset", timeout=10).raise_for_status()
    return sandbox_server.base_url


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    """One throwaway PostgreSQL cluster for the session (tests/pg_cluster.py), started only when
    a test asks for it, stopped and removed at the end."""
    from pg_cluster import Cluster

    cluster = Cluster()
    cluster.start()
    yield cluster
    cluster.remove()


_databases = itertools.count(1)


@pytest.fixture
def store_url(pg_cluster: Cluster) -> Iterator[str]:
    """A fresh, empty database on the session's cluster: the shop's store server for one test."""
    name = f"shop_{os.getpid()}_{next(_databases)}"
    url = pg_cluster.new_database(name)
    yield url
    pg_cluster.drop_database(name)


@pytest.fixture
def shared_store(store_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """This test's tills (and the commands it runs, which inherit the environment) keep their
    records on the store server."""
    monkeypatch.setenv("POS_APP_DATABASE_URL", store_url)
    return store_url
