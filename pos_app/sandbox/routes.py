"""The PortOne V1 endpoints the sandbox serves, as Starlette routes over the Ledger."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from pos_app.sandbox import billing, schedules
from pos_app.sandbox.billing import Answer, CardData, Order, ok
from pos_app.sandbox.ledger import Ledger
from pos_app.sandbox.wire import (
    BAD_METHOD,
    JSON_TYPE,
    NOT_JSON,
    UNAUTHORIZED,
    BadRequest,
    Fields,
    check_customer_uid,
    check_merchant_uid,
    envelope,
    missing,
    nest_pairs,
    parse_body,
)

Handler = Callable[[Request, Fields], Answer]
# Where a route leaves the names of the body fields it got, for the request log (never values).
FIELDS_KEY = "pos_app.sandbox.fields"

MISSING_CREDENTIALS = "imp_key, imp_secret 파라메터가 누락되었습니다."
WRONG_CREDENTIALS = "인증에 실패하였습니다. API키와 secret을 확인하세요."
PAYMENT_STATUSES = ("ready", "paid", "cancelled", "failed")


def render(answer: Answer) -> Response:
    return Response(
        envelope(answer.code, answer.message, answer.response),
        status_code=answer.status,
        media_type=JSON_TYPE,
    )


async def request_data(request: Request) -> dict[str, Any]:
    """The body as a dict: JSON, form-urlencoded, or multipart form fields (files ignored)."""
    content_type = request.headers.get("content-type", "")
    if "multipart/form-data" in content_type:
        try:
            async with request.form() as form:
                pairs = [(k, v) for k, v in form.multi_items() if isinstance(v, str)]
        except Exception as exc:  # python-multipart's errors have no common base
            raise BadRequest(NOT_JSON) from exc
        return nest_pairs(pairs)
    return parse_body(content_type, await request.body())


def token_candidates(request: Request) -> list[str]:
    """The token in any of PortOne's three header forms: Bearer, raw, X-ImpTokenHeader."""
    found = []
    value = request.headers.get("authorization", "").strip()
    if value:
        scheme, _, rest = value.partition(" ")
        found.append(rest.strip() if scheme.lower() == "bearer" else value)
    legacy = request.headers.get("x-imptokenheader", "").strip()
    if legacy:
        found.append(legacy)
    return found


def _card(fields: Fields) -> CardData:
    return CardData(
        card_number=fields.need_text("card_number"),
        expiry=fields.need_text("expiry"),
        birth=fields.need_text("birth"),
        pwd_2digit=fields.text("pwd_2digit"),
    )


CUSTOMER_LIMITS = {
    "customer_id": None,
    "customer_name": 20,
    "customer_tel": 20,
    "customer_email": 200,
    "customer_addr": 200,
    "customer_postcode": 8,
}
# onetime / again (v1 schema): buyer_name 16, buyer_email 64, buyer_tel 16, buyer_addr 128,
# buyer_postcode 8 characters.
BUYER_LIMITS = {
    "buyer_name": 16,
    "buyer_email": 64,
    "buyer_tel": 16,
    "buyer_addr": 128,
    "buyer_postcode": 8,
    "custom_data": None,
}
INICIS_NEEDS_NAME = "이니시스 빌링결제는 상품명이 필수입니다."


def _details(fields: Fields) -> dict[str, str | None]:
    return {name: fields.text(name, max_len=limit) for name, limit in CUSTOMER_LIMITS.items()}


def _onetime_details(fields: Fields) -> dict[str, str | None]:
    """The saved customer's details on `onetime` with a customer_uid: onetime's documented
    fields are buyer_*, and PortOne fills the billing key's customer_* from them (a customer_*
    field sent as well wins)."""
    details = _details(fields)
    for part in ("name", "tel", "email", "addr", "postcode"):
        buyer = fields.text(f"buyer_{part}")
        if details[f"customer_{part}"] is None and buyer is not None:
            details[f"customer_{part}"] = buyer[: CUSTOMER_LIMITS[f"customer_{part}"]]
    return details


def _order(fields: Fields) -> Order:
    merchant_uid = check_merchant_uid(fields.need_text("merchant_uid"))
    amount = fields.amount()
    tax_free = fields.integer("tax_free")
    if not 0 <= tax_free <= amount:
        raise BadRequest("tax_free는 0 이상, amount 이하여야 합니다. (0 <= tax_free <= amount)")
    fields.integer("vat_amount")  # type check only: the sandbox keeps no VAT figures
    return Order(
        merchant_uid=merchant_uid,
        amount=amount,
        name=fields.text("name", max_len=40),
        card_quota=fields.integer("card_quota"),
        tax_free=tax_free,
        pg=fields.text("pg"),
        extra={name: fields.text(name, max_len=limit) for name, limit in BUYER_LIMITS.items()},
    )


def build_routes(ledger: Ledger) -> list[Route]:
    def endpoint(
        handlers: dict[str, Handler], *, auth: bool = True
    ) -> Callable[[Request], Awaitable[Response]]:
        async def serve(request: Request) -> Response:
            handler = handlers.get(request.method)
            if handler is None:
                return render(Answer(405, -1, BAD_METHOD, None))
            if auth and not any(ledger.token_ok(t) for t in token_candidates(request)):
                return render(Answer(401, -1, UNAUTHORIZED, None))
            try:
                data = {}
                if request.method in ("POST", "PUT", "DELETE"):
                    data = await request_data(request)
                    request.scope[FIELDS_KEY] = sorted(data)
                answer = handler(request, Fields(data))
            except BadRequest as exc:
                answer = Answer(exc.status, -1, exc.message, None)
            if answer.changed:
                ledger.save()
            return render(answer)

        return serve

    def path_uid(request: Request, name: str = "customer_uid") -> str:
        return check_customer_uid(str(request.path_params[name]))

    # -- token ---------------------------------------------------------------------------
    def get_token(request: Request, fields: Fields) -> Answer:
        imp_key, imp_secret = fields.text("imp_key"), fields.text("imp_secret")
        if imp_key is None or imp_secret is None:
            return Answer(400, -1, MISSING_CREDENTIALS, None)
        if not ledger.credentials_ok(imp_key, imp_secret):
            return Answer(401, -1, WRONG_CREDENTIALS, None)
        return ok(ledger.issue_token())

    # -- billing keys --------------------------------------------------------------------
    def issue_customer(request: Request, fields: Fields) -> Answer:
        uid = path_uid(request)
        card = _card(fields)
        return billing.issue_key(ledger, uid, card, fields.text("pg"), _details(fields))

    def unknown_customer(uid: str) -> Answer:
        # Real PortOne answers an unknown customer_uid with HTTP 404, or with HTTP 200 and
        # code 1 (portone-v1.md §1 and §7).
        message = billing.customer_not_found(uid)
        if ledger.variant("unknown_customer") == "code_1":
            return billing.refused(message, code=1)
        return billing.not_found(message)

    def get_customer(request: Request, fields: Fields) -> Answer:
        uid = path_uid(request)
        with ledger.lock:
            customer = ledger.customers.get(uid)
            if customer is None:
                return unknown_customer(uid)
            return ok(dict(customer))

    def delete_customer(request: Request, fields: Fields) -> Answer:
        uid = path_uid(request)
        with ledger.lock:
            customer = ledger.customers.pop(uid, None)
            if customer is None:
                return unknown_customer(uid)
            ledger.behaviours.pop(uid, None)
            # A deleted key cannot be charged: its pending schedules are revoked with it.
            schedules.unschedule(ledger, uid, None)
            return ok(customer, changed=True)

    def list_customers(request: Request, fields: Fields) -> Answer:
        uids = request.query_params.getlist("customer_uid[]") or request.query_params.getlist(
            "customer_uid"
        )
        if not uids:
            raise missing("customer_uid[]")
        with ledger.lock:
            found = [dict(ledger.customers[u]) for u in uids if u in ledger.customers]
        unknown = [u for u in uids if u not in ledger.customers]
        if not found:
            return Answer(404, -1, "요청하신 customer_uid로 등록된 정보를 찾을 수 없습니다.", [])
        if unknown:
            return Answer(
                207, 0, f"일부 customer_uid를 찾을 수 없습니다: {', '.join(unknown)}", found
            )
        return ok(found)

    def customer_payments(request: Request, fields: Fields) -> Answer:
        uid = path_uid(request)
        page = Fields(dict(request.query_params)).integer("page", default=1)
        return billing.customer_payments(ledger, uid, page)

    # -- charges -------------------------------------------------------------------------
    def onetime(request: Request, fields: Fields) -> Answer:
        # Routed by `pg` alone: onetime has no `channel_key` field, so one sent is ignored (the
        # request log still names it), and no pg means the default PG (portone-v1.md §7).
        order = _order(fields)
        card = _card(fields)
        customer_uid = fields.text("customer_uid")
        if customer_uid is not None:
            check_customer_uid(customer_uid)
        return billing.charge_once(ledger, order, card, customer_uid, _onetime_details(fields))

    def again(request: Request, fields: Fields) -> Answer:
        customer_uid = check_customer_uid(fields.need_text("customer_uid"))
        if ledger.variant("again_name") == "inicis" and not fields.has("name"):
            return Answer(400, -1, INICIS_NEEDS_NAME, None)
        return billing.charge_again(ledger, customer_uid, _order(fields))

    def get_payment(request: Request, fields: Fields) -> Answer:
        # Since 2026-01-26 PortOne hides test-channel payments here unless include_sandbox=true
        # (v1 schema); every sandbox payment is a test-channel payment.
        hide_test = ledger.variant("test_channel") == "hidden" and request.query_params.get(
            "include_sandbox", ""
        ).lower() not in ("true", "1")
        with ledger.lock:
            payment = ledger.payments.get(str(request.path_params["imp_uid"]))
            if payment is None or (hide_test and payment.get("sandbox")):
                return billing.not_found(billing.PAYMENT_NOT_FOUND)
            return ok(dict(payment))

    def list_payments(request: Request, fields: Fields) -> Answer:
        uids = request.query_params.getlist("imp_uid[]") or request.query_params.getlist("imp_uid")
        if not uids:
            raise missing("imp_uid[]")
        with ledger.lock:
            found = [dict(ledger.payments[u]) for u in uids if u in ledger.payments]
        if not found:
            return Answer(404, -1, billing.PAYMENT_NOT_FOUND, [])
        return Answer(200 if len(found) == len(uids) else 207, 0, None, found)

    def find_payment(request: Request, fields: Fields) -> Answer:
        status = request.path_params.get("status")
        if status is not None and status not in PAYMENT_STATUSES:
            raise BadRequest(f"status는 {', '.join(PAYMENT_STATUSES)} 중 하나여야 합니다.")
        with ledger.lock:
            payment = ledger.newest_payment(str(request.path_params["merchant_uid"]), status)
            if payment is None:
                return billing.not_found(billing.PAYMENT_NOT_FOUND)
            return ok(dict(payment))

    def cancel(request: Request, fields: Fields) -> Answer:
        imp_uid, merchant_uid = fields.text("imp_uid"), fields.text("merchant_uid")
        if imp_uid is None and merchant_uid is None:
            raise BadRequest(
                "imp_uid 또는 merchant_uid 중 하나는 필수입니다. (missing field: imp_uid)"
            )
        amount = fields.integer("amount")
        if amount < 0:
            raise BadRequest("amount는 0 이상이어야 합니다. (0 = 전액취소)")
        checksum = fields.integer("checksum", default=-1) if fields.has("checksum") else None
        tax_free = fields.integer("tax_free")
        vat_amount = fields.integer("vat_amount")
        if tax_free < 0 or vat_amount < 0:
            raise BadRequest("tax_free, vat_amount는 0 이상이어야 합니다.")
        reason = fields.text("reason")
        return billing.cancel(ledger, imp_uid, merchant_uid, amount, checksum, reason, tax_free)

    # -- schedules -----------------------------------------------------------------------
    def schedule(request: Request, fields: Fields) -> Answer:
        uid = check_customer_uid(fields.need_text("customer_uid"))
        items = schedules.parse_schedules(fields.data.get("schedules"))
        return schedules.schedule(ledger, uid, items)

    def unschedule(request: Request, fields: Fields) -> Answer:
        uid = check_customer_uid(fields.need_text("customer_uid"))
        return schedules.unschedule(ledger, uid, fields.text_list("merchant_uid"))

    def get_schedule(request: Request, fields: Fields) -> Answer:
        return schedules.get_schedule(ledger, str(request.path_params["merchant_uid"]))

    return [
        Route("/users/getToken", endpoint({"POST": get_token}, auth=False)),
        Route("/subscribe/customers", endpoint({"GET": list_customers})),
        Route("/subscribe/customers/{customer_uid}/payments", endpoint({"GET": customer_payments})),
        Route(
            "/subscribe/customers/{customer_uid}",
            endpoint({"POST": issue_customer, "GET": get_customer, "DELETE": delete_customer}),
        ),
        Route("/subscribe/payments/onetime", endpoint({"POST": onetime})),
        Route("/subscribe/payments/again", endpoint({"POST": again})),
        Route("/subscribe/payments/schedule", endpoint({"POST": schedule})),
        Route("/subscribe/payments/unschedule", endpoint({"POST": unschedule})),
        Route("/subscribe/payments/schedule/{merchant_uid}", endpoint({"GET": get_schedule})),
        Route("/payments/cancel", endpoint({"POST": cancel})),
        Route("/payments/find/{merchant_uid}", endpoint({"GET": find_payment})),
        Route("/payments/find/{merchant_uid}/{status}", endpoint({"GET": find_payment})),
        Route("/payments", endpoint({"GET": list_payments})),
        Route("/payments/{imp_uid}", endpoint({"GET": get_payment})),
    ]
