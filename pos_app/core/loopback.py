"""Whether an address is this computer: the one rule for where test credentials, the sandbox and
plain HTTP may go (the sandbox listens only there; `http://` is refused anywhere else)."""

from __future__ import annotations

import ipaddress


def is_loopback_host(host: str) -> bool:
    """ "localhost", or an IPv4/IPv6 loopback address (127.0.0.0/8, ::1; brackets allowed)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
