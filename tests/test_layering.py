"""Data flows one way: ui -> services -> gateway/store -> core. Nothing below ui imports Qt.
Nobody reaches into the Till's own parts."""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import pos_app

QT_FREE = ("core", "gateway", "sandbox", "store", "services")


def _modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(pos_app.__path__, prefix="pos_app."):
        if info.name.split(".")[1] in QT_FREE:
            names.append(info.name)
    return names


def test_layers_below_ui_never_import_qt() -> None:
    # A fresh interpreter with PySide6 blocked: importing any Qt-free module must still work.
    code = (
        "import sys, importlib\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('PySide6', 'shiboken6'):\n"
        "            raise ImportError('Qt is not allowed here: ' + name)\n"
        "sys.meta_path.insert(0, Block())\n"
        f"for m in {_modules()!r}:\n"
        "    importlib.import_module(m)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


# What a Till keeps to itself (services/till.py): its PortOne client, journal, customer index and
# store. Everything else asks its verbs; tests go through tests/till_parts.py.
TILL_PRIVATE = frozenset({"_client", "_journal", "_customers", "_store"})


def test_nothing_reaches_into_another_objects_store_or_client() -> None:
    """The rules live behind the Till's verbs: no module reads another object's private client,
    journal, customer index or store (`x._journal`, unless x is `self`)."""
    root = Path(pos_app.__file__).parent
    found = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Attribute)
                and node.attr in TILL_PRIVATE
                and not (isinstance(node.value, ast.Name) and node.value.id == "self")
            ):
                found.append(f"{path.relative_to(root)}:{node.lineno}: {ast.unparse(node)}")
    assert found == []
