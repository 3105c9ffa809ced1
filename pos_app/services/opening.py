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

if TYPE_CHECKING:
    from pos_app.gateway.port import ApiVersion, PaymentGateway
    from pos_app.sandbox import SandboxServer
    from pos_app.store.backend import Store
    from pos_app.store.customers import CustomerIndex

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
    2. live PortOne when the person chose live mode (`settings`, or the window's saved
       settings file) and what the chosen API needs is there: V1's key pair in the keychain and
       `settings.api_host`; V2's API secret in the keychain and its key-in channel key;
    3. otherwise a sandbox started here, its state kept in the data folder.

    The PortOne API (V1 or V2) is the settings' `api_version`, or POS_APP_API_VERSION. The
    sandbox speaks both: V1 at its root, V2 under `/v2`.

    `clock` (unix seconds) is what the till's settling rules read the time from (tests move it).
    """
    base = api_base or places.requested_sandbox()
    # A broken live API host is an error, unless a sandbox was named: it needs no API host.
    chosen = settings or places.saved_settings(strict_api_host=not base)
    version = places.api_version(chosen)
    terminal = places.terminal_id(chosen)
    read_timeout = places.seconds_from_env(places.READ_TIMEOUT_ENV, READ_TIMEOUT_S)
    # A shorter wait (automation, tests) shortens the connect wait too.
    connect_timeout = min(CONNECT_TIMEOUT_S, read_timeout)
    timing = SettleTiming(
        max_wait_s=connect_timeout + read_timeout,
        grace_s=places.seconds_from_env(places.SETTLE_GRACE_ENV, SETTLE_GRACE_S),
    )
    place = _Place(version, terminal, chosen, timing, clock, connect_timeout, read_timeout)
    if base:
        base = places.check_loopback(base)
        return place.sandbox(base, f"sandbox:{base}", None)
    if places.live_ready(chosen, version):
        live = place.live()
        if live is not None:
            return live
    if chosen.live:
        log.warning("live mode chosen but its credentials are missing: using the sandbox")
    from pos_app.sandbox import SandboxServer

    server = SandboxServer(state_path=places.sandbox_state_path())
    base = server.start()
    try:
        return place.sandbox(base, "sandbox", server)
    except BaseException:
        server.stop()
        raise


class _Place:
    """What every till opened here shares; builds the client for the chosen API."""

    def __init__(
        self,
        version: ApiVersion,
        terminal: str,
        settings: TillSettings,
        timing: SettleTiming,
        clock: Callable[[], float],
        connect_timeout: float,
        read_timeout: float,
    ) -> None:
        self.version = version
        self.terminal = terminal
        self.settings = settings
        self.timing = timing
        self.clock = clock
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout

    def origin(self, place: str) -> str:
        # Rows are settled only through the API that sent them: V2's are marked as such (V1's
        # keep the names they always had).
        return f"{place}:v2" if self.version == "v2" else place

    def sandbox(self, base: str, place: str, server: SandboxServer | None) -> Till:
        from pos_app.sandbox import (
            TEST_IMP_KEY,
            TEST_IMP_SECRET,
            TEST_V2_CHANNEL_KEY,
            TEST_V2_SECRET,
            TEST_V2_STORE_ID,
        )

        def client(index: CustomerIndex) -> PaymentGateway:
            if self.version == "v2":
                return self._v2(
                    base + "/v2", TEST_V2_SECRET, TEST_V2_STORE_ID, TEST_V2_CHANNEL_KEY, index
                )
            return self._v1(base, TEST_IMP_KEY, TEST_IMP_SECRET)

        return self._assemble(client, "sandbox", base, self.origin(place), server)

    def live(self) -> Till | None:
        """The live till, or None when its credentials went missing since they were checked."""
        settings = self.settings
        if self.version == "v2":
            from pos_app.gateway.portone_v2 import LIVE_BASE_URL

            secret = places.load_v2_secret()
            if secret is None:
                return None
            key = secret.secret

            def v2(index: CustomerIndex) -> PaymentGateway:
                return self._v2(
                    LIVE_BASE_URL, key, settings.store_id, settings.v2_channel_key, index
                )

            return self._assemble(v2, "live", LIVE_BASE_URL, self.origin("live"), None)
        credentials = places.load_credentials()
        if credentials is None:
            return None
        pair = credentials

        def v1(index: CustomerIndex) -> PaymentGateway:
            return self._v1(settings.api_host, pair.imp_key, pair.imp_secret)

        return self._assemble(v1, "live", settings.api_host, self.origin("live"), None)

    def _v1(self, base: str, key: str, secret: str) -> PaymentGateway:
        from pos_app.gateway.client import PortOneClient

        return PortOneClient(
            base,
            key,
            secret,
            connect_timeout=self.connect_timeout,
            read_timeout=self.read_timeout,
        )

    def _v2(
        self, base: str, secret: str, store_id: str, channel_key: str, index: CustomerIndex
    ) -> PaymentGateway:
        from pos_app.gateway.portone_v2 import PortOneV2Client

        return PortOneV2Client(
            base,
            secret,
            store_id=store_id or None,
            channel_key=channel_key,
            billing_keys=index.billing_key_of,
            connect_timeout=self.connect_timeout,
            read_timeout=self.read_timeout,
        )

    def _assemble(
        self,
        make_client: Callable[[CustomerIndex], PaymentGateway],
        mode: places.Mode,
        base: str,
        origin: str,
        server: SandboxServer | None,
    ) -> Till:
        store = places.open_store(mode, terminal=self.terminal, version=self.version)
        try:
            client = make_client(store.customers)
        except BaseException:
            _close_quietly(store)
            raise
        if store.shared and server is not None:
            # Each counter's embedded sandbox is its own PortOne: among counters sharing a
            # store, only this data folder's sandbox can say what became of its training
            # charges.
            origin = self.origin(f"sandbox:local:{places.folder_id()}")
        # V1's routing fields; V2 routes by its own channel key, given to its client.
        v1 = self.version == "v1"
        return Till(
            client,
            mode=mode,
            api_base=base,
            store=store,
            timing=self.timing,
            clock=self.clock,
            origin=origin,
            terminal=self.terminal,
            sandbox=server,
            pg=(self.settings.pg or None) if v1 else None,
            channel_key=(self.settings.channel_key or None) if v1 else None,
        )


def _close_quietly(store: Store) -> None:
    try:
        store.close()
    except Exception:  # the failure being raised is the one to report
        log.warning("could not close the store after a failed open")
