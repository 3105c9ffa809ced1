"""Answer variants: each real shape of portone-v1.md §7 served on request, over real HTTP."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import httpx
import pytest
from sandbox_helpers import DECLINES, VISA, body, card

from pos_app.sandbox import SandboxServer
from pos_app.sandbox.variants import VARIANTS, UnknownVariant, parse_assignments

AGAIN = "/subscribe/payments/again"
ONETIME = "/subscribe/payments/onetime"


def set_variants(client: httpx.Client, **choices: str) -> dict[str, str]:
    answer = client.post("/__sandbox__/variants", json=choices)
    assert answer.status_code == 200, answer.text
    return {v["name"]: v["current"] for v in body(answer)["response"]}


def issue(api: httpx.Client, uid: str, number: str = VISA) -> dict[str, object]:
    answer = body(api.post(f"/subscribe/customers/{uid}", json=card(number)))
    assert answer["code"] == 0, answer
    response: dict[str, object] = answer["response"]
    return response


def again(api: httpx.Client, uid: str, merchant_uid: str, **extra: object) -> httpx.Response:
    sent = {"customer_uid": uid, "merchant_uid": merchant_uid, "amount": 1000, "name": "x"}
    sent.update(extra)
    return api.post(AGAIN, json={k: v for k, v in sent.items() if v is not None})


def test_the_list_says_every_variant_its_values_and_current_choice(anon: httpx.Client) -> None:
    listed = body(anon.get("/__sandbox__/variants"))["response"]
    assert [v["name"] for v in listed] == list(VARIANTS)
    for entry in listed:
        assert entry["current"] == entry["default"] == entry["values"][0]
        assert entry["what"]


def test_bad_names_or_values_are_refused_and_change_nothing(anon: httpx.Client) -> None:
    for sent in ({"decline": "maybe"}, {"no_such": "x"}, {"decline": 1}):
        answer = anon.post("/__sandbox__/variants", json=sent)
        assert answer.status_code == 400 and body(answer)["code"] == -1
    assert all(
        v["current"] == v["default"] for v in body(anon.get("/__sandbox__/variants"))["response"]
    )


def test_reset_goes_back_to_the_start_choices(anon: httpx.Client) -> None:
    assert set_variants(anon, decline="refusal")["decline"] == "refusal"
    anon.post("/__sandbox__/reset")
    assert set_variants(anon)["decline"] == "failed_payment"


def test_decline_as_a_failed_payment_or_as_a_refusal(api: httpx.Client) -> None:
    issue(api, "dec_0341", DECLINES)
    first = body(again(api, "dec_0341", "d1"))
    assert first["code"] == 0 and first["response"]["status"] == "failed"
    set_variants(api, decline="refusal")
    second = body(again(api, "dec_0341", "d2"))
    assert second == {
        "code": -1,
        "message": "결제승인에 실패하였습니다. [8325]한도초과",
        "response": None,
    }
    # No payment: nothing for `find` (the decline is known only from the refusal itself).
    assert api.get("/payments/find/d2").status_code == 404
    # onetime too, and with customer_uid no key is saved by a refused request.
    third = body(
        api.post(
            ONETIME,
            json={**card(DECLINES), "merchant_uid": "d3", "amount": 1000, "customer_uid": "new"},
        )
    )
    assert third["code"] == -1 and third["message"].startswith("결제승인에 실패하였습니다.")
    assert api.get("/subscribe/customers/new").status_code == 404


def test_card_mask_kcp_like_or_inicis(api: httpx.Client) -> None:
    assert issue(api, "kcp_4242")["card_number"] == "424242******4242"
    set_variants(api, card_mask="inicis")
    assert issue(api, "ini_4242")["card_number"] == "424242*********2"
    paid = body(api.post(ONETIME, json={**card(), "merchant_uid": "m_ini", "amount": 1000}))
    assert paid["response"]["card_number"] == "424242*********2"
    # A key saved earlier keeps the mask it was given.
    assert body(again(api, "kcp_4242", "m_kcp"))["response"]["card_number"] == "424242******4242"


def test_test_channel_payments_hidden_without_include_sandbox(api: httpx.Client) -> None:
    issue(api, "tc_4242")
    imp_uid = body(again(api, "tc_4242", "tc1"))["response"]["imp_uid"]
    assert api.get(f"/payments/{imp_uid}").status_code == 200
    set_variants(api, test_channel="hidden")
    hidden = api.get(f"/payments/{imp_uid}")
    assert hidden.status_code == 404
    assert body(hidden)["message"] == "존재하지 않는 결제정보입니다."
    shown = api.get(f"/payments/{imp_uid}", params={"include_sandbox": "true"})
    assert shown.status_code == 200 and body(shown)["response"]["imp_uid"] == imp_uid
    assert api.get("/payments/find/tc1").status_code == 200  # only the imp_uid lookup hides


@pytest.mark.parametrize(("variant", "http", "code"), [("http_404", 404, -1), ("code_1", 200, 1)])
def test_unknown_customer_as_404_or_as_200_code_1(
    api: httpx.Client, variant: str, http: int, code: int
) -> None:
    set_variants(api, unknown_customer=variant)
    for answer in (api.get("/subscribe/customers/nobody"), api.delete("/subscribe/customers/x")):
        assert answer.status_code == http
        data = body(answer)
        assert data["code"] == code and data["response"] is None
        assert "로 등록된 정보를 찾을 수 없습니다." in data["message"]


@pytest.mark.parametrize(("variant", "code"), [("code_1", 1), ("code_-1", -1)])
def test_again_for_an_unknown_customer_is_code_1_or_minus_1(
    api: httpx.Client, variant: str, code: int
) -> None:
    set_variants(api, again_unknown_customer=variant)
    answer = again(api, "nobody", "u1")
    assert answer.status_code == 200
    assert body(answer)["code"] == code


def test_again_without_name_accepted_or_refused_as_inicis_does(api: httpx.Client) -> None:
    issue(api, "nm_4242")
    assert body(again(api, "nm_4242", "n1", name=None))["code"] == 0
    set_variants(api, again_name="inicis")
    refused = again(api, "nm_4242", "n2", name=None)
    assert refused.status_code == 400
    assert body(refused)["message"] == "이니시스 빌링결제는 상품명이 필수입니다."
    assert body(again(api, "nm_4242", "n3"))["code"] == 0  # with a name it goes through


def test_onetime_routes_by_pg_and_ignores_channel_key(api: httpx.Client) -> None:
    sent = {**card(), "merchant_uid": "r1", "amount": 1000, "pg": "nice.MID1"}
    routed = body(api.post(ONETIME, json={**sent, "channel_key": "channel-key-1"}))["response"]
    assert (routed["pg_provider"], routed["pg_id"]) == ("nice", "MID1")
    by_key_only = {**card(), "merchant_uid": "r2", "amount": 1000, "channel_key": "channel-key-1"}
    default = body(api.post(ONETIME, json=by_key_only))["response"]
    assert default["pg_provider"] == "kcp"  # no pg: the merchant's default PG
    fields = [e["fields"] for e in body(api.get("/__sandbox__/requests"))["response"]]
    assert "channel_key" in fields[-1] and "pg" not in fields[-1]


def test_buyer_fields_keep_the_schemas_limits(api: httpx.Client) -> None:
    issue(api, "by_4242")
    assert body(again(api, "by_4242", "b1", buyer_tel="0" * 16))["code"] == 0
    too_long = again(api, "by_4242", "b2", buyer_tel="0" * 17)
    assert too_long.status_code == 400 and "buyer_tel" in body(too_long)["message"]
    assert body(again(api, "by_4242", "b3", buyer_email="a" * 55 + "@mail.com"))["code"] == 0
    assert again(api, "by_4242", "b4", buyer_email="a" * 56 + "@mail.com").status_code == 400


def test_missing_parameter_in_portones_words(api: httpx.Client) -> None:
    answer = api.post(AGAIN, json={"customer_uid": "c", "amount": 1000})
    assert answer.status_code == 400
    assert body(answer) == {"code": -1, "message": "파라미터 누락: merchant_uid", "response": None}


def test_already_paid_merchant_uid_in_portones_words(api: httpx.Client) -> None:
    issue(api, "ap_4242")
    assert body(again(api, "ap_4242", "ap1"))["code"] == 0
    assert body(again(api, "ap_4242", "ap1")) == {
        "code": -1,
        "message": "이미 결제된 merchant_uid(ap1)입니다. 새로운 merchant_uid로 결제를 요청하세요.",
        "response": None,
    }


# -- choosing variants at start ---------------------------------------------------------------


def test_a_server_starts_with_chosen_variants() -> None:
    with SandboxServer(variants={"decline": "refusal", "card_mask": "inicis"}) as server:
        listed = httpx.get(server.base_url + "/__sandbox__/variants").json()["response"]
        current = {v["name"]: v["current"] for v in listed}
        assert (current["decline"], current["card_mask"]) == ("refusal", "inicis")
        httpx.post(server.base_url + "/__sandbox__/reset")
        listed = httpx.get(server.base_url + "/__sandbox__/variants").json()["response"]
        assert {v["name"]: v["current"] for v in listed}["decline"] == "refusal"
    with pytest.raises(UnknownVariant):
        SandboxServer(variants={"decline": "sometimes"})


def test_assignments_from_the_command_line() -> None:
    assert parse_assignments(["decline=refusal", " card_mask = inicis "]) == {
        "decline": "refusal",
        "card_mask": "inicis",
    }
    for bad in (["decline"], ["decline=no"], ["nothing=1"]):
        with pytest.raises(UnknownVariant):
            parse_assignments(bad)


@pytest.fixture
def sandbox_process() -> Iterator[subprocess.Popen[str]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "pos_app", "sandbox", "--variant", "test_channel=hidden"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    yield process
    process.terminate()
    process.communicate(timeout=30)  # also closes the pipes


def test_the_sandbox_command_takes_variant_flags(
    sandbox_process: subprocess.Popen[str],
) -> None:
    assert sandbox_process.stdout is not None
    line = sandbox_process.stdout.readline()
    base_url = line.rsplit(" ", 1)[-1].strip()
    listed = httpx.get(base_url + "/__sandbox__/variants", timeout=10).json()["response"]
    assert {v["name"]: v["current"] for v in listed}["test_channel"] == "hidden"
    refused = subprocess.run(
        [sys.executable, "-m", "pos_app", "sandbox", "--variant", "decline=maybe"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert refused.returncode == 2 and "decline takes one of" in refused.stderr
