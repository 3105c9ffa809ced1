"""The local PortOne server (Starlette + uvicorn, loopback only): training, demos, tests.

Speaks PortOne V1's wire contract (token, billing keys, key-in and saved-card charges, lookups,
refunds, schedules), can serve the real answers' variants (variants.py), with test cards, fault
injection and /__sandbox__/ controls; and PortOne V2 under /v2 (v2_*.py) with the same cards,
faults and controls. docs/sandbox.md says what it serves and how; the "portone-v1.md §N"
notes in this package cite the sections of the project's PortOne V1 contract it follows.
"""

from pos_app.sandbox.server import (
    TEST_IMP_KEY,
    TEST_IMP_SECRET,
    TEST_V2_CHANNEL_KEY,
    TEST_V2_SECRET,
    TEST_V2_STORE_ID,
    SandboxServer,
)

__all__ = [
    "TEST_IMP_KEY",
    "TEST_IMP_SECRET",
    "TEST_V2_CHANNEL_KEY",
    "TEST_V2_SECRET",
    "TEST_V2_STORE_ID",
    "SandboxServer",
]
