"""The sandbox as one ASGI application: PortOne V1 and V2 routes and the controls behind the
Gate."""

from __future__ import annotations

from starlette.routing import Router

from pos_app.sandbox.control import Gate, build_control_routes, not_found
from pos_app.sandbox.ledger import Ledger
from pos_app.sandbox.routes import build_routes
from pos_app.sandbox.v2_routes import build_v2_routes


def build_app(ledger: Ledger) -> Gate:
    # A bare Router, not a Starlette app: no exception middleware to render HTML/plain-text
    # errors, and less work per request.
    routes = build_routes(ledger) + build_v2_routes(ledger) + build_control_routes(ledger)
    for route in routes:
        # Every endpoint checks its own methods, so a wrong one gets a PortOne-shaped 405.
        route.methods = None
    router = Router(routes=routes, default=not_found)
    return Gate(router, ledger)
