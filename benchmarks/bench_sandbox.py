"""Sandbox throughput: POST /subscribe/payments/again over keep-alive connections.

The sandbox runs as its own process (`pos-app sandbox --port 0`), as it does for a trainee or a
second terminal, so client and server do not share one interpreter lock. Two client threads,
each with its own keep-alive httpx.Client, charge a saved billing key with distinct
merchant_uids; the figure is charges answered per second of wall-clock time.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

TEST_IMP_KEY = "imp_apikey"
TEST_IMP_SECRET = "ekKoeW8RyKuT0zgaZsUtXXTLQ4AhPFW3ZGseDA6bkA5lamv9OqDMnxyeB9wqOsuO9W3Mx9YSJ4dTqJ3f"
REQUESTS_PER_THREAD = int(os.environ.get("BENCH_SANDBOX_REQUESTS", "1500"))
THREADS = 2
WARMUP = 100
CUSTOMER_UID = "bench_0001_4242"


def _start_sandbox() -> tuple[subprocess.Popen[str], str]:
    root = Path(__file__).resolve().parent.parent
    process = subprocess.Popen(
        [sys.executable, "-m", "pos_app", "sandbox", "--port", "0"],
        cwd=root,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline().strip()
    prefix = "PortOne V1 sandbox listening on "
    if not line.startswith(prefix):
        process.kill()
        raise RuntimeError(f"sandbox did not start: {line!r}")
    return process, line[len(prefix) :]


def _charge(client: httpx.Client, tag: str, count: int) -> int:
    paid = 0
    for n in range(count):
        body = {
            "customer_uid": CUSTOMER_UID,
            "merchant_uid": f"bench-{tag}-{n}",
            "amount": 1000,
            "name": "bench",
        }
        answer = client.post("/subscribe/payments/again", json=body).json()
        paid += answer["code"] == 0 and answer["response"]["status"] == "paid"
    return paid


def run() -> dict[str, float]:
    process, base_url = _start_sandbox()
    try:
        with httpx.Client(base_url=base_url, timeout=30) as setup:
            token = setup.post(
                "/users/getToken", json={"imp_key": TEST_IMP_KEY, "imp_secret": TEST_IMP_SECRET}
            ).json()["response"]["access_token"]
            card = {
                "card_number": "4242-4242-4242-4242",
                "expiry": "2099-12",
                "birth": "820213",
                "pwd_2digit": "00",
            }
            headers = {"Authorization": f"Bearer {token}"}
            setup.post(f"/subscribe/customers/{CUSTOMER_UID}", json=card, headers=headers)
        clients = [
            httpx.Client(base_url=base_url, headers=headers, timeout=30) for _ in range(THREADS)
        ]
        for index, client in enumerate(clients):
            _charge(client, f"warm{index}", WARMUP)
        results: list[int] = []

        def work(index: int) -> None:
            results.append(_charge(clients[index], f"t{index}", REQUESTS_PER_THREAD))

        threads = [threading.Thread(target=work, args=(i,)) for i in range(THREADS)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        for client in clients:
            client.close()
        if sum(results) != THREADS * REQUESTS_PER_THREAD:
            raise RuntimeError(f"only {sum(results)} charges were paid")
        return {"sandbox_again_rps": round(THREADS * REQUESTS_PER_THREAD / elapsed, 1)}
    finally:
        process.terminate()
        process.wait(timeout=30)


if __name__ == "__main__":
    print(run())
