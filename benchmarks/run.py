"""`make bench`: run every benchmarks/bench_*.py (or the ones named) and merge their figures.

Each module has `run() -> dict[str, float]`. The figures go into benchmarks/results.json, a flat
JSON object; figures of modules not run this time are kept. docs/ explains each figure.

    python benchmarks/run.py              # all
    python benchmarks/run.py sandbox      # only bench_sandbox.py (also: bench_sandbox)
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results.json"


def _load(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _chosen(names: list[str]) -> list[Path]:
    available = {p.stem: p for p in sorted(HERE.glob("bench_*.py"))}
    if not names:
        return list(available.values())
    chosen = []
    for name in names:
        stem = name if name.startswith("bench_") else f"bench_{name}"
        stem = stem.removesuffix(".py")
        if stem not in available:
            raise SystemExit(f"no benchmark {name!r}; have: {', '.join(sorted(available))}")
        chosen.append(available[stem])
    return chosen


def main(argv: list[str]) -> int:
    # The repository root, so that benchmarks import pos_app from this checkout.
    sys.path.insert(0, str(HERE.parent))
    results: dict[str, float] = {}
    if RESULTS.exists():
        results = json.loads(RESULTS.read_text(encoding="utf-8"))
    for path in _chosen(argv):
        print(f"running {path.name} ...", flush=True)
        figures = _load(path).run()
        for key, value in figures.items():
            print(f"  {key} = {value}", flush=True)
        results.update(figures)
        # Written after each module, so a later failure does not lose earlier figures.
        RESULTS.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
