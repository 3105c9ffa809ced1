"""Data flows one way: ui -> services -> gateway/store -> core. Nothing below ui imports Qt."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

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
