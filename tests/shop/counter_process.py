"""One counter as its own process, driven line by line: it opens its till (the store server from
POS_APP_DATABASE_URL, the sandbox from POS_APP_API_BASE, its own POS_APP_HOME and
POS_APP_TERMINAL) and waits. Each line on stdin is a JSON command; each answer one JSON line.

Pre-warmed like a counter that has been open all day, so two of them told to charge at the same
moment race for real (a process start takes far longer than the race window).

    {"do": "charge", "customer_uid": "kim", "amount": 55000, "allow_duplicate": false}
    {"do": "reconcile"}
    {"do": "quit"}
"""

from __future__ import annotations

import json
import sys


def main() -> int:
    from pos_app.core.order import Order
    from pos_app.services.guard import Answers, ChargeBlocked
    from pos_app.services.opening import open_till
    from pos_app.store.errors import StorageError

    till = open_till()
    till.reachable()  # warm (a token and a lookup): the race is about the store, not the token
    print(json.dumps({"ready": True, "owner": till.lease.owner}), flush=True)
    try:
        for line in sys.stdin:
            command = json.loads(line)
            answer: dict[str, object]
            if command["do"] == "quit":
                break
            try:
                if command["do"] == "charge":
                    order = Order(till.new_merchant_uid(), int(command["amount"]), "회원권")
                    answers = Answers(allow_duplicate=bool(command.get("allow_duplicate")))
                    try:
                        outcome = till.charge_again(command["customer_uid"], order, answers=answers)
                        answer = {"outcome": outcome.kind, "merchant_uid": outcome.merchant_uid}
                    except ChargeBlocked as blocked:
                        answer = {"outcome": "blocked", "reason": blocked.reason}
                elif command["do"] == "reconcile":
                    outcomes = till.reconcile()
                    answer = {"outcome": "reconciled", "kinds": [o.kind for o in outcomes]}
                else:
                    answer = {"outcome": "error", "message": "unknown command"}
            except StorageError as exc:
                answer = {"outcome": "storage", "reason": exc.reason, "sent": till.sending}
            print(json.dumps(answer), flush=True)
    finally:
        till.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
