"""One module per `pos-app` command: `HELP`, `add_arguments(parser)`, `run(args) -> int`."""

from __future__ import annotations

import json


def print_error(message: str) -> None:
    """The one JSON line (`{"error": ...}`) a batch command prints when it cannot do its job,
    so a script reading stdout always gets an object."""
    print(json.dumps({"error": message}, ensure_ascii=False))
