"""Test-only: the Till's own parts, for tests that set up or inspect what no verb shows.

The window, the command line and the other services go through the Till's verbs
(pos_app/services/till.py); its PortOne client, journal and customer index are private. A test
that must write a half-sent row, poke PortOne directly or read every journal row reaches them
here, so a grep for `till_parts` lists every test that does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pos_app.gateway.port import PaymentGateway
    from pos_app.services.till import Till
    from pos_app.store.backend import Store
    from pos_app.store.customers import CustomerIndex
    from pos_app.store.journal import Journal


def journal_of(till: Till) -> Journal:
    return till._journal


def index_of(till: Till) -> CustomerIndex:
    return till._customers


def client_of(till: Till) -> PaymentGateway:
    return till._client


def store_of(till: Till) -> Store:
    return till._store
