"""Key-in card billing for Korean merchants over PortOne V1."""

from __future__ import annotations


def __getattr__(name: str) -> str:
    # `__version__` is looked up on first use: importlib.metadata costs about 20 ms, paid by every
    # start of the window before its first paint if it were read here.
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            found = version("pos-app")
        except PackageNotFoundError:  # running from a source tree that was never installed
            found = "0.0.0"
        globals()["__version__"] = found
        return found
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
