"""Client overhead: time per POST /subscribe/payments/again, our PortOneClient against

- the same request sent with bare httpx (one httpx.Client, one token reused, body built by
  hand, JSON parsed): what our typing, error mapping and token cache cost on top of httpx;
- PortOne's official Python client `iamport-rest-client` (0.9.0, requests), in its own venv
  (benchmarks/.venv-official, created on first use): it asks for a token before every call.

The sandbox (SandboxServer) runs in a child process so that no client shares an interpreter
lock with the server. Ours and bare httpx alternate call by call (rotating which goes first);
the official client runs a batch per round in its own process. A variant's figure is the
median of its single-call times (ROUNDS x BATCH calls each, 1000 by default).

Figures: client_again_vs_httpx = ours / bare httpx with the same socket option (TCP_NODELAY)
(target <= 1.10), client_again_vs_httpx_defaults = ours / bare httpx as it comes,
client_again_vs_official = ours / official, client_again_ms = ours in milliseconds.
"""

from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
OFFICIAL_VENV = ROOT / "benchmarks" / ".venv-official"
OFFICIAL_PIN = "iamport-rest-client==0.9.0"
ROUNDS = int(os.environ.get("BENCH_CLIENT_ROUNDS", "10"))
BATCH = int(os.environ.get("BENCH_CLIENT_BATCH", "100"))
CUSTOMER_UID = "bench_client_0001"

_SANDBOX = """
import sys
from pos_app.sandbox import SandboxServer
with SandboxServer() as server:
    print(server.base_url, flush=True)
    sys.stdin.read()
"""

# Runs inside the official client's venv: one warm-up call, then `count` timed pay_again calls
# (each of which asks for a token first: that is how the official client works).
_OFFICIAL = """
import json, sys, time
from iamport import Iamport
url, key, secret, customer_uid, prefix, count = sys.argv[1:7]
client = Iamport(key, secret, imp_url=url + "/")
def charge(uid):
    payment = client.pay_again(customer_uid=customer_uid, merchant_uid=uid, amount=1000,
                               name="bench")
    assert payment["status"] == "paid", payment
charge(prefix + "-warm")
per_call = []
for n in range(int(count)):
    started = time.perf_counter()
    charge(f"{prefix}-{n}")
    per_call.append(time.perf_counter() - started)
print(json.dumps({"per_call": per_call}))
"""


def _official_python() -> Path | None:
    python = OFFICIAL_VENV / "bin" / "python"
    if not python.exists():
        try:
            subprocess.run([sys.executable, "-m", "venv", str(OFFICIAL_VENV)], check=True)
            subprocess.run(
                [str(python), "-m", "pip", "install", "-q", OFFICIAL_PIN],
                check=True,
            )
        except (OSError, subprocess.CalledProcessError) as exc:
            print(f"bench_client: official client unavailable ({exc})", file=sys.stderr)
            return None
    return python


def run() -> dict[str, float]:
    from pos_app.core.card import KeyInCard
    from pos_app.core.order import Order
    from pos_app.gateway import PortOneClient
    from pos_app.sandbox import TEST_IMP_KEY, TEST_IMP_SECRET

    sandbox = subprocess.Popen(
        [sys.executable, "-c", _SANDBOX],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert sandbox.stdout is not None
        url = sandbox.stdout.readline().strip()
        if not url.startswith("http://127.0.0.1:"):
            raise RuntimeError(f"sandbox did not start: {url!r}")
        official = _official_python()

        ours = PortOneClient(url, TEST_IMP_KEY, TEST_IMP_SECRET)
        card = KeyInCard.parse("4242424242424242", "12/30", "900101", "12")
        ours.issue_billing_key(CUSTOMER_UID, card)
        card.wipe()

        # Same socket option as PortOneClient (TCP_NODELAY), so the ratio is our code's cost;
        # `bare_defaults` is httpx exactly as it comes.
        nodelay = [(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)]
        bare = httpx.Client(base_url=url, transport=httpx.HTTPTransport(socket_options=nodelay))
        bare_defaults = httpx.Client(base_url=url)
        token = bare.post(
            "/users/getToken", json={"imp_key": TEST_IMP_KEY, "imp_secret": TEST_IMP_SECRET}
        ).json()["response"]["access_token"]
        auth = {"Authorization": f"Bearer {token}"}

        def charge_ours(order: Order) -> None:
            assert ours.charge_again(CUSTOMER_UID, order).approved

        def bare_charger(http: httpx.Client) -> Callable[[Order], None]:
            def charge(order: Order) -> None:
                body = {
                    "customer_uid": CUSTOMER_UID,
                    "merchant_uid": order.merchant_uid,
                    "amount": order.amount,
                    "name": order.name,
                }
                reply = http.post("/subscribe/payments/again", json=body, headers=auth).json()
                assert reply["code"] == 0 and reply["response"]["status"] == "paid"

            return charge

        def official_round(prefix: str) -> list[float]:
            assert official is not None
            args = [url, TEST_IMP_KEY, TEST_IMP_SECRET, CUSTOMER_UID, prefix, str(BATCH)]
            done = subprocess.run(
                [str(official), "-c", _OFFICIAL, *args], capture_output=True, text=True
            )
            if done.returncode != 0:
                raise RuntimeError(f"official client failed: {done.stderr[-2000:]}")
            return [float(t) for t in json.loads(done.stdout)["per_call"]]

        chargers: dict[str, Callable[[Order], None]] = {
            "ours": charge_ours,
            "bare": bare_charger(bare),
            "bare_defaults": bare_charger(bare_defaults),
        }
        names = list(chargers)
        times: dict[str, list[float]] = {name: [] for name in [*names, "official"]}
        clock = time.perf_counter
        for round_no in range(-1, ROUNDS):  # round -1 warms connections and code paths up
            orders = {
                name: [Order(f"r{round_no}-{name}-{n}", 1000, "bench") for n in range(BATCH)]
                for name in names
            }
            for n in range(BATCH):
                # Call by call, rotating who goes first: load and drift hit every variant alike.
                shift = n % len(names)
                for name in names[shift:] + names[:shift]:
                    started = clock()
                    chargers[name](orders[name][n])
                    if round_no >= 0:
                        times[name].append(clock() - started)
            if official is not None:
                per_call = official_round(f"r{round_no}-official")
                if round_no >= 0:
                    times["official"].extend(per_call)
        ours.close()
        bare.close()
        bare_defaults.close()
    finally:
        if sandbox.stdin is not None:
            sandbox.stdin.close()
        try:
            sandbox.wait(timeout=30)
        except subprocess.TimeoutExpired:
            sandbox.kill()
            sandbox.wait()

    # Medians of single calls: a GC pause or a descheduled process moves one call, not the figure.
    per_call = {name: statistics.median(values) for name, values in times.items() if values}
    results = {
        "client_again_ms": round(per_call["ours"] * 1000, 4),
        "client_again_vs_httpx": round(per_call["ours"] / per_call["bare"], 4),
        "client_again_vs_httpx_defaults": round(per_call["ours"] / per_call["bare_defaults"], 4),
    }
    if "official" in per_call:
        results["client_again_vs_official"] = round(per_call["ours"] / per_call["official"], 4)
    return results


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
