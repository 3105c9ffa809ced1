"""The PortOne V2 endpoints the sandbox serves, under /v2 on the same port as V1, so
`http://127.0.0.1:PORT/v2` is the official SDK's `base_url`.

Behind the same Gate as V1 (control.py): the request log, the faults (an endpoint pattern may
name V2 paths, `*` for the paymentId: `/v2/payments/*/billing-key`) and the controls apply.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from pos_app.sandbox import v2_billing
from pos_app.sandbox.ledger import Ledger
from pos_app.sandbox.routes import FIELDS_KEY
from pos_app.sandbox.v2_wire import (
    BAD_METHOD,
    FORBIDDEN_STORE,
    PREFIX,
    STORE_ID,
    UNAUTHORIZED,
    UNKNOWN_PATH,
    Body,
    V2Answer,
    V2Refusal,
    check_payment_id,
    encode,
    error,
    parse_json,
    secret_of,
)
from pos_app.sandbox.wire import JSON_TYPE

Handler = Callable[[Request, Body], V2Answer]


def render(answer: V2Answer) -> Response:
    return Response(encode(answer.body), status_code=answer.status, media_type=JSON_TYPE)


def build_v2_routes(ledger: Ledger) -> list[Route]:
    def endpoint(handlers: dict[str, Handler]) -> Callable[[Request], Awaitable[Response]]:
        async def serve(request: Request) -> Response:
            handler = handlers.get(request.method)
            if handler is None:
                return render(error(405, "INVALID_REQUEST", BAD_METHOD))
            secret = secret_of(request.headers.get("authorization", ""))
            if secret is None or not ledger.v2_secret_ok(secret):
                return render(error(401, "UNAUTHORIZED", UNAUTHORIZED))
            try:
                data: dict[str, Any] = {}
                if request.method == "POST":
                    data = parse_json(await request.body())
                    request.scope[FIELDS_KEY] = sorted(data)
                store = data.get("storeId") or request.query_params.get("storeId")
                if store is not None and store != STORE_ID:
                    raise V2Refusal(403, "FORBIDDEN", FORBIDDEN_STORE)
                answer = handler(request, Body(data))
            except V2Refusal as refusal:
                answer = refusal.answer
            if answer.changed:
                ledger.save()
            return render(answer)

        return serve

    def payment_id(request: Request) -> str:
        return check_payment_id(str(request.path_params["payment_id"]))

    def issue_key(request: Request, body: Body) -> V2Answer:
        return v2_billing.issue_key(ledger, body)

    def search_keys(request: Request, body: Body) -> V2Answer:
        # The SDK sends the whole query as JSON in one `requestBody` parameter.
        raw = request.query_params.get("requestBody", "")
        return v2_billing.search_keys(ledger, Body(parse_json(raw.encode())))

    def get_key(request: Request, body: Body) -> V2Answer:
        return v2_billing.get_key(ledger, str(request.path_params["billing_key"]))

    def delete_key(request: Request, body: Body) -> V2Answer:
        return v2_billing.delete_key(ledger, str(request.path_params["billing_key"]))

    def get_payment(request: Request, body: Body) -> V2Answer:
        return v2_billing.get_payment(ledger, payment_id(request))

    def pay_with_key(request: Request, body: Body) -> V2Answer:
        return v2_billing.pay_with_key(ledger, payment_id(request), body)

    def pay_instantly(request: Request, body: Body) -> V2Answer:
        return v2_billing.pay_instantly(ledger, payment_id(request), body)

    def cancel(request: Request, body: Body) -> V2Answer:
        return v2_billing.cancel(ledger, payment_id(request), body)

    async def not_found(request: Request) -> Response:
        return render(error(404, "INVALID_REQUEST", UNKNOWN_PATH))

    return [
        Route(PREFIX + "/billing-keys", endpoint({"POST": issue_key, "GET": search_keys})),
        Route(
            PREFIX + "/billing-keys/{billing_key}",
            endpoint({"GET": get_key, "DELETE": delete_key}),
        ),
        Route(PREFIX + "/payments/{payment_id}", endpoint({"GET": get_payment})),
        Route(PREFIX + "/payments/{payment_id}/billing-key", endpoint({"POST": pay_with_key})),
        Route(PREFIX + "/payments/{payment_id}/instant", endpoint({"POST": pay_instantly})),
        Route(PREFIX + "/payments/{payment_id}/cancel", endpoint({"POST": cancel})),
        Route(PREFIX + "/{rest:path}", not_found),
    ]
