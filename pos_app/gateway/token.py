"""The access-token cache: one token shared by every thread, refreshed by one thread at a time.

PortOne's token lives 30 minutes by the server's clock. The local wall clock may be off by
minutes, so the lifetime is taken from the server's own `expired_at - now` and laid on the
local monotonic clock, which neither skew nor NTP jumps can move.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import NamedTuple

from pos_app.gateway.models import Token

# Refresh this long before the token runs out. A request made in the token's last minute gets
# the same token extended by 5 minutes, so nothing is lost by refreshing early.
REFRESH_MARGIN_S = 60.0


class _Current(NamedTuple):
    # One immutable snapshot so readers never see a token paired with another token's deadline.
    headers: dict[str, str]
    refresh_at: float
    generation: int


class TokenCache:
    """Hands out `Authorization` headers; fetches a token only when none is fresh.

    `fetch` performs POST /users/getToken and returns the parsed `Token` (or raises).
    """

    def __init__(
        self,
        fetch: Callable[[], Token],
        *,
        margin_s: float = REFRESH_MARGIN_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._fetch = fetch
        self._margin_s = margin_s
        self._clock = clock
        self._lock = threading.Lock()
        self._current = _Current({}, float("-inf"), 0)
        self.fetch_count = 0

    def headers(self) -> tuple[dict[str, str], int]:
        """The headers to send and the generation they belong to (for `refresh`).

        The fast path takes no lock: a fresh token is read from one atomic snapshot.
        """
        current = self._current
        if self._clock() < current.refresh_at:
            return current.headers, current.generation
        return self.refresh(current.generation)

    def token(self) -> str:
        headers, _ = self.headers()
        return headers["Authorization"].removeprefix("Bearer ")

    def refresh(self, seen_generation: int) -> tuple[dict[str, str], int]:
        """Get a new token unless another thread already replaced generation `seen_generation`.

        Called when the token is due, and after a 401 (the server no longer accepts it).
        """
        with self._lock:
            current = self._current
            if current.generation != seen_generation and self._clock() < current.refresh_at:
                return current.headers, current.generation
            # Count from before the request: the server's `now` is some time after it, so the
            # local deadline errs on the early side.
            sent_at = self._clock()
            token = self._fetch()
            self.fetch_count += 1
            lifetime = float(token.lifetime)
            # A token with very little life left (clock games, tests) is used for half of it
            # rather than being refetched on every call.
            margin = min(self._margin_s, lifetime / 2)
            self._current = _Current(
                {"Authorization": f"Bearer {token.access_token}"},
                sent_at + lifetime - margin,
                current.generation + 1,
            )
            return self._current.headers, self._current.generation

    def forget(self) -> None:
        with self._lock:
            self._current = _Current({}, float("-inf"), self._current.generation + 1)
