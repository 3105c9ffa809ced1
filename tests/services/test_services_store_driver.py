"""A counter set to use a store server on a computer without PostgreSQL's client library (a Linux
build uses the system's libpq5, docs/packaging.md): a clear error naming the package, never a
traceback and never the counter's own files instead."""

from __future__ import annotations

import sys

import pytest

from pos_app.services import store_server
from pos_app.store.errors import StorageError


@pytest.fixture
def no_libpq(monkeypatch: pytest.MonkeyPatch) -> None:
    """psycopg cannot be imported, as on a Linux PC without libpq5."""
    for name in list(sys.modules):
        if name == "psycopg" or name.startswith(("psycopg.", "pos_app.store.postgres")):
            monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "psycopg", None)


def test_a_set_server_without_libpq_is_a_storage_error_naming_the_package(
    no_libpq: None, monkeypatch: pytest.MonkeyPatch, pos_app_home: object
) -> None:
    monkeypatch.setenv(store_server.DATABASE_URL_ENV, "postgresql://pos@10.0.0.5/shop")
    with pytest.raises(StorageError) as failed:
        store_server.configured_address()
    assert failed.value.reason == "io" and failed.value.server
    assert "libpq5" in failed.value.message("en") and "libpq5" in failed.value.message("ko")


def test_no_server_set_needs_no_libpq(no_libpq: None, pos_app_home: object) -> None:
    assert store_server.configured_address() is None


def test_the_connection_check_says_what_to_install(no_libpq: None, pos_app_home: object) -> None:
    settings = store_server.StoreServerSettings("10.0.0.5", "5432", "shop", "pos")
    ok, message = store_server.check_connection(settings, "pw")
    assert not ok and "libpq5" in message
