"""The local PortOne V1 server (Starlette + uvicorn, loopback only): training, demos, tests.

Speaks the wire contract of portone-v1.md sections 1-5, can serve the real answer variants of
section 7 (variants.py), with the test cards, fault injection and /__sandbox__/ controls of
section 8. See docs/sandbox.md.
"""

from pos_app.sandbox.server import TEST_IMP_KEY, TEST_IMP_SECRET, SandboxServer

__all__ = ["TEST_IMP_KEY", "TEST_IMP_SECRET", "SandboxServer"]
