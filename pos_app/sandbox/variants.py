"""Answer variants: the shapes real PortOne answers take where they differ by PG, by year or by
channel (portone-v1.md §7), so tests can see each one and not only the sandbox's own reading.

A variant has a name and a few values; the first value is the default. They are chosen when the
sandbox starts (`pos-app sandbox --variant decline=refusal`, `SandboxServer(variants=...)`) and
changed at run time on loopback (`GET`/`POST /__sandbox__/variants`). `/__sandbox__/reset`
goes back to the values chosen at start.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Variant:
    name: str
    values: tuple[str, ...]  # the first one is the default
    what: str  # what each value serves, one line

    @property
    def default(self) -> str:
        return self.values[0]


VARIANTS: dict[str, Variant] = {
    v.name: v
    for v in (
        Variant(
            "decline",
            ("failed_payment", "refusal"),
            "a card company's decline: code 0 with a stored payment whose status is failed, or "
            "code -1 with no payment and '결제승인에 실패하였습니다. [8325]한도초과'",
        ),
        Variant(
            "card_mask",
            ("kcp", "inicis"),
            "masked card_number: first six and last four digits ('424242******4242'), or first "
            "six and one trailing digit as KG Inicis gives it ('424242*********2')",
        ),
        Variant(
            "test_channel",
            ("shown", "hidden"),
            "GET /payments/{imp_uid}: sandbox payments always shown, or hidden (404) unless "
            "?include_sandbox=true, as PortOne does for test channels since 2026-01-26",
        ),
        Variant(
            "unknown_customer",
            ("http_404", "code_1"),
            "GET/DELETE /subscribe/customers/{uid} for an unknown uid: HTTP 404 code -1, or "
            "HTTP 200 code 1",
        ),
        Variant(
            "again_unknown_customer",
            ("code_1", "code_-1"),
            "POST /subscribe/payments/again with an unknown customer_uid: code 1 or code -1",
        ),
        Variant(
            "again_name",
            ("optional", "inicis"),
            "POST /subscribe/payments/again without name: accepted, or HTTP 400 "
            "'이니시스 빌링결제는 상품명이 필수입니다.' as KG Inicis answers",
        ),
    )
}


class UnknownVariant(ValueError):
    """A variant name or value the sandbox does not know; the message lists what it knows."""


def check(choices: Mapping[str, object]) -> dict[str, str]:
    """`choices` as {name: value} strings, or UnknownVariant naming the first bad entry."""
    checked: dict[str, str] = {}
    for name, value in choices.items():
        variant = VARIANTS.get(name)
        if variant is None:
            raise UnknownVariant(f"unknown variant {name!r}; known: {', '.join(sorted(VARIANTS))}")
        if not isinstance(value, str) or value not in variant.values:
            raise UnknownVariant(
                f"variant {name} takes one of {', '.join(variant.values)}, not {value!r}"
            )
        checked[name] = value
    return checked


def parse_assignments(items: Iterable[str]) -> dict[str, str]:
    """["decline=refusal", "card_mask=inicis"] (the command line's form) as checked choices."""
    choices: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep:
            raise UnknownVariant(f"a variant is NAME=VALUE, not {item!r}")
        choices[name.strip()] = value.strip()
    return check(choices)


def defaults() -> dict[str, str]:
    return {name: v.default for name, v in VARIANTS.items()}


def listing(current: Mapping[str, str]) -> list[dict[str, object]]:
    """Every variant with its values, default and current value (GET /__sandbox__/variants)."""
    return [
        {
            "name": v.name,
            "values": list(v.values),
            "default": v.default,
            "current": current.get(v.name, v.default),
            "what": v.what,
        }
        for v in VARIANTS.values()
    ]
