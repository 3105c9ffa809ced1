"""The local PortOne server (Starlette + uvicorn, loopback only): training, demos, tests.

Speaks the V1 wire contract of portone-v1.md sections 1-5, can serve the real answer variants
of section 7 (variants.py), with the test cards, fault injection and /__sandbox__/ controls of
section 8; and PortOne V2 under /v2 (v2_*.py) with the same cards, faults and controls. See
docs/sandbox.md.
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
