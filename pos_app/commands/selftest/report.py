"""The self-test's answer: one check per name, each passed or failed with a line saying what was
seen; printed as one JSON object, `{"checks": {name: {"ok": bool, "detail": str}}, "ok": bool}`."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Check:
    ok: bool
    detail: str


@dataclass
class Report:
    checks: dict[str, Check] = field(default_factory=dict)

    def add(self, name: str, ok: bool, detail: str) -> None:
        self.checks[name] = Check(ok, detail)

    def run(self, name: str, check: Callable[[], tuple[bool, str]]) -> None:
        """Run one check; an exception is that check's failure, never the end of the self-test."""
        try:
            ok, detail = check()
        except Exception as exc:
            ok, detail = False, f"{type(exc).__name__}: {exc}"
        self.add(name, ok, detail)

    @property
    def ok(self) -> bool:
        return bool(self.checks) and all(c.ok for c in self.checks.values())

    def as_json(self) -> str:
        checks = {n: {"ok": c.ok, "detail": c.detail} for n, c in self.checks.items()}
        # ASCII only: the JSON must print on any console encoding (cp949 on a Korean Windows).
        return json.dumps({"checks": checks, "ok": self.ok}, ensure_ascii=True, indent=2)
