"""Write requirements-windows.lock: requirements.lock as a Windows PC needs it.

requirements.lock is `pip freeze` on this Linux machine, so it holds what only Linux installs
(keyring's Secret Service backend: SecretStorage, jeepney, cryptography, cffi, pycparser) and
lacks what only Windows installs (keyring's pywin32-ctypes, PyInstaller's pefile, pytest's
colorama). This follows the requirements of pos-app[dev], each with its environment markers
evaluated as on 64-bit Windows with CPython 3.11, through the installed packages' metadata, and
pins what it reaches: at requirements.lock's version, or at WINDOWS_ONLY_PINS' for packages
that never install here. `make lock` runs it after refreshing requirements.lock;
tests/packaging/test_windows_lock.py fails when the committed file has drifted.

    .venv/bin/python tools/lock_windows.py            # rewrite requirements-windows.lock
    .venv/bin/python tools/lock_windows.py --check    # exit 1 if it would change
"""

from __future__ import annotations

import sys
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
LINUX_LOCK = ROOT / "requirements.lock"
WINDOWS_LOCK = ROOT / "requirements-windows.lock"

# Packages only Windows installs, so neither requirements.lock nor this machine knows their
# version; each has no requirements of its own. Checked against PyPI when added.
WINDOWS_ONLY_PINS = {
    "pywin32-ctypes": "0.2.3",  # keyring's Credential Manager backend (win32ctypes)
    "pefile": "2024.8.26",  # PyInstaller reads and writes Windows executables with it
    "colorama": "0.4.6",  # pytest's coloured output on the Windows console
    "tzdata": "2026.6",  # psycopg's time zones where the OS has no zoneinfo database
}
# Installers' own tools, which pip freeze leaves out as well.
NOT_LOCKED = {"pip", "setuptools", "wheel"}

WINDOWS = {
    "os_name": "nt",
    "sys_platform": "win32",
    "platform_system": "Windows",
    "platform_machine": "AMD64",
    "platform_release": "10",
    "implementation_name": "cpython",
    "platform_python_implementation": "CPython",
    "python_version": "3.11",
    "python_full_version": "3.11.9",
    "implementation_version": "3.11.9",
}


def _applies(requirement: Requirement, extras: set[str]) -> bool:
    if requirement.marker is None:
        return True
    marker: Marker = requirement.marker
    return any(marker.evaluate({**WINDOWS, "extra": extra}) for extra in extras or {""})


def _project_requirements() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = project["dependencies"] + project["optional-dependencies"]["dev"]
    return [Requirement(text) for text in names]


def _pins(lock: Path) -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in lock.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, version = line.partition("==")
            pins[canonicalize_name(name)] = version.strip()
    return pins


def _requirements_of(name: str, extras: set[str]) -> list[tuple[Requirement, set[str]]]:
    if canonicalize_name(name) in WINDOWS_ONLY_PINS:
        return []
    try:
        texts = metadata.requires(name) or []
    except metadata.PackageNotFoundError as exc:
        raise SystemExit(
            f"{name} is required on Windows but not installed here: pin it in WINDOWS_ONLY_PINS"
        ) from exc
    found = []
    for text in texts:
        requirement = Requirement(text)
        if _applies(requirement, extras):
            found.append((requirement, set(requirement.extras)))
    return found


def windows_lock() -> str:
    """The text of requirements-windows.lock."""
    linux = _pins(LINUX_LOCK)
    reached: dict[str, str] = {}  # canonical name -> spelling
    todo = [(r, set(r.extras)) for r in _project_requirements() if _applies(r, {"dev"})]
    seen_extras: dict[str, set[str]] = {}
    while todo:
        requirement, extras = todo.pop()
        key: str = canonicalize_name(requirement.name)
        if key in NOT_LOCKED:
            continue
        if key in seen_extras and extras <= seen_extras[key]:
            continue
        seen_extras[key] = seen_extras.get(key, set()) | extras
        reached.setdefault(key, requirement.name)
        todo.extend(_requirements_of(requirement.name, extras))
    lines = []
    for key in sorted(reached):
        version = WINDOWS_ONLY_PINS.get(key) or linux.get(key)
        if version is None:
            raise SystemExit(f"{reached[key]} is not in requirements.lock: run `make lock`")
        lines.append(f"{key}=={version}")
    header = [
        "# Every package a Windows PC installs for pos-app[dev], pinned (tools/lock_windows.py",
        "# writes it from requirements.lock; do not edit). Windows CI and builds install with",
        "# `pip install -c requirements-windows.lock -e .[dev]` (docs/windows.md).",
    ]
    return "\n".join(header + lines) + "\n"


def main(argv: list[str]) -> int:
    text = windows_lock()
    if "--check" in argv:
        current = WINDOWS_LOCK.read_text(encoding="utf-8") if WINDOWS_LOCK.exists() else ""
        if current != text:
            print("requirements-windows.lock is out of date: run tools/lock_windows.py")
            return 1
        return 0
    WINDOWS_LOCK.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
