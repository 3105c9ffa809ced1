"""Choosing where the till talks to, and building it with the files that belong to that place."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from pos_app.services import places
from pos_app.services.settings import TillSettings
from pos_app.services.settling import SettleTiming
from pos_app.services.till import Till
from pos_app.store.customers import CustomerIndex
from pos_app.store.journal import Journal
from pos_app.store.leases import SenderLease

if TYPE_CHECKING:
    from pos_app.gateway.client import PortOneClient
    from pos_app.sandbox import SandboxServer

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_S = 10.0
READ_TIMEOUT_S = 30.0  # as PortOne's official clients (portone-v1.md §6)
SETTLE_GRACE_S = 60.0


def open_till(
    api_base: str | None = None,
    *,
    settings: TillSettings | None = None,
    clock: Callable[[], float] = time.time,
) -> Till:
    """Where to talk, in order:

    1. the sandbox at `api_base` or POS_APP_API_BASE (loopback only; PortOne's public test
       credentials) — an explicit sandbox address wins, so asking for the sandbox can never
       turn into live charges;
    2. live PortOne at `settings.api_host` when the person chose live mode (`settings`, or the
       window's saved settings file) and the key pair is in the keychain;
    3. otherwise a sandbox started here, its state kept in the data folder.

    `clock` (unix seconds) is what the till's settling rules read the time from (tests move it).
    """
    from pos_app.gateway.client import PortOneClient
    from pos_app.sandbox import TEST_IMP_KEY, TEST_IMP_SECRET

    base = api_base or places.requested_sandbox()
    # A broken live API host is an error, unless a sandbox was named: it needs no API host.
    chosen = settings or places.saved_settings(strict_api_host=not base)
    terminal = places.terminal_id(chosen)
    read_timeout = places.seconds_from_env(places.READ_TIMEOUT_ENV, READ_TIMEOUT_S)
    # A shorter wait (automation, tests) shortens the connect wait too.
    connect_timeout = min(CONNECT_TIMEOUT_S, read_timeout)
    timing = SettleTiming(
        max_wait_s=connect_timeout + read_timeout,
        grace_s=places.seconds_from_env(places.SETTLE_GRACE_ENV, SETTLE_GRACE_S),
    )

    def client_for(base: str, key: str, secret: str) -> PortOneClient:
        return PortOneClient(
            base, key, secret, connect_timeout=connect_timeout, read_timeout=read_timeout
        )

    if base:
        base = places.check_loopback(base)
        client = client_for(base, TEST_IMP_KEY, TEST_IMP_SECRET)
        return _assemble(
            client, "sandbox", base, f"sandbox:{base}", terminal, chosen, None, timing, clock
        )
    if chosen.live:
        credentials = places.load_credentials()
        if credentials is not None:
            client = client_for(chosen.api_host, credentials.imp_key, credentials.imp_secret)
            return _assemble(
                client, "live", chosen.api_host, "live", terminal, chosen, None, timing, clock
            )
        log.warning("live mode chosen but no credentials in the keychain: using the sandbox")
    from pos_app.sandbox import SandboxServer

    server = SandboxServer(state_path=places.sandbox_state_path())
    base = server.start()
    try:
        client = client_for(base, TEST_IMP_KEY, TEST_IMP_SECRET)
        return _assemble(
            client, "sandbox", base, "sandbox", terminal, chosen, server, timing, clock
        )
    except BaseException:
        server.stop()
        raise


def _assemble(
    client: PortOneClient,
    mode: places.Mode,
    base: str,
    origin: str,
    terminal: str,
    settings: TillSettings,
    server: SandboxServer | None,
    timing: SettleTiming,
    clock: Callable[[], float],
) -> Till:
    try:
        lease = SenderLease(places.senders_folder(mode))
        journal = Journal(places.journal_path(mode))
        customers = CustomerIndex(places.customers_path(mode))
    except BaseException:
        client.close()
        raise
    return Till(
        client,
        mode=mode,
        api_base=base,
        journal=journal,
        customers=customers,
        lease=lease,
        timing=timing,
        clock=clock,
        origin=origin,
        terminal=terminal,
        sandbox=server,
        pg=settings.pg or None,
        channel_key=settings.channel_key or None,
    )
