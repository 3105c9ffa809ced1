"""POST /users/getToken and the token rules of contract section 2, moved along by the clock."""

from __future__ import annotations

import httpx
from sandbox_helpers import body, token_for

from pos_app.sandbox import TEST_IMP_KEY, TEST_IMP_SECRET

CREDENTIALS = {"imp_key": TEST_IMP_KEY, "imp_secret": TEST_IMP_SECRET}


def advance(client: httpx.Client, seconds: int) -> None:
    assert client.post("/__sandbox__/clock", json={"advance_s": seconds}).status_code == 200


def test_token_is_40_hex_and_lives_30_minutes(anon: httpx.Client) -> None:
    answer = anon.post("/users/getToken", json=CREDENTIALS)
    data = body(answer)
    assert answer.status_code == 200 and data["code"] == 0 and data["message"] is None
    token = data["response"]
    assert len(token["access_token"]) == 40 and int(token["access_token"], 16) >= 0
    assert token["expired_at"] - token["now"] == 30 * 60


def test_form_encoded_credentials_work(anon: httpx.Client) -> None:
    answer = anon.post("/users/getToken", data=CREDENTIALS)
    assert answer.status_code == 200 and body(answer)["code"] == 0


def test_missing_credentials_are_400(anon: httpx.Client) -> None:
    for sent in ({}, {"imp_key": TEST_IMP_KEY}, {"imp_secret": TEST_IMP_SECRET}):
        answer = anon.post("/users/getToken", json=sent)
        assert answer.status_code == 400
        assert body(answer) == {
            "code": -1,
            "message": "imp_key, imp_secret 파라메터가 누락되었습니다.",
            "response": None,
        }


def test_wrong_credentials_are_401(anon: httpx.Client) -> None:
    answer = anon.post("/users/getToken", json={**CREDENTIALS, "imp_secret": "wrong"})
    assert answer.status_code == 401
    assert body(answer)["message"] == "인증에 실패하였습니다. API키와 secret을 확인하세요."


def test_same_token_until_expiry_then_a_new_one(anon: httpx.Client) -> None:
    first = anon.post("/users/getToken", json=CREDENTIALS).json()["response"]
    advance(anon, 20 * 60)
    again = anon.post("/users/getToken", json=CREDENTIALS).json()["response"]
    assert again["access_token"] == first["access_token"]
    assert again["expired_at"] == first["expired_at"]
    advance(anon, 11 * 60)
    fresh = anon.post("/users/getToken", json=CREDENTIALS).json()["response"]
    assert fresh["access_token"] != first["access_token"]
    assert fresh["expired_at"] - fresh["now"] == 30 * 60


def test_asking_in_the_last_minute_extends_by_5_minutes(anon: httpx.Client) -> None:
    first = anon.post("/users/getToken", json=CREDENTIALS).json()["response"]
    advance(anon, 29 * 60 + 20)
    extended = anon.post("/users/getToken", json=CREDENTIALS).json()["response"]
    assert extended["access_token"] == first["access_token"]
    assert extended["expired_at"] == first["expired_at"] + 5 * 60


def test_expired_token_is_refused_with_401(anon: httpx.Client) -> None:
    token = token_for(anon)
    headers = {"Authorization": f"Bearer {token}"}
    assert anon.get("/payments/find/x", headers=headers).status_code == 404
    advance(anon, 30 * 60 + 1)
    answer = anon.get("/payments/find/x", headers=headers)
    assert answer.status_code == 401
    assert body(answer) == {"code": -1, "message": "Unauthorized", "response": None}


def test_all_three_header_forms_are_accepted(anon: httpx.Client) -> None:
    token = token_for(anon)
    for headers in (
        {"Authorization": f"Bearer {token}"},
        {"Authorization": token},
        {"X-ImpTokenHeader": token},
    ):
        answer = anon.get("/payments/find/nothing-here", headers=headers)
        assert answer.status_code == 404, headers  # authorised, and nothing to find


def test_missing_or_unknown_token_is_401(anon: httpx.Client) -> None:
    token_for(anon)
    for headers in ({}, {"Authorization": "Bearer " + "0" * 40}, {"X-ImpTokenHeader": "nope"}):
        answer = anon.post("/subscribe/payments/again", json={}, headers=headers)
        assert answer.status_code == 401
        assert body(answer)["message"] == "Unauthorized"
