"""build.spec's Windows branch, run here: the spec is executed as PyInstaller would, with
`sys.platform` set to "win32" and PyInstaller's build steps (Analysis, PYZ, EXE, COLLECT)
replaced by recorders, so what it would ask PyInstaller for on Windows can be checked on Linux.
The rules it uses are tested with Windows' paths too (tools/build_rules.py). The Linux branch is
built for real by `make selftest-frozen`.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path
from typing import Any, ClassVar

import pytest
from PyInstaller.depend import bindepend

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import build_rules  # noqa: E402


class Recorder:
    """Stands in for one of PyInstaller's build steps and keeps what it was given."""

    made: ClassVar[list[Any]]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.args = args
        self.kwargs = kwargs
        type(self).made.append(self)


# What the PySide6 hook collects on Windows (destinations as PyInstaller writes them there:
# Qt straight under PySide6\, not PySide6\Qt\), a few of each kind.
WINDOWS_DATAS = [
    ("PySide6\\translations\\qtbase_ko.qm", "src", "DATA"),
    ("PySide6\\translations\\qtbase_en.qm", "src", "DATA"),
    ("PySide6\\translations\\qtbase_de.qm", "src", "DATA"),
    ("PySide6\\translations\\qtbase_zh_TW.qm", "src", "DATA"),
    ("pos_app\\resources\\style.qss", "src", "DATA"),
]
WINDOWS_BINARIES = [
    ("PySide6\\Qt6Core.dll", "Qt6Core.dll", "BINARY"),
    ("PySide6\\opengl32sw.dll", "opengl32sw.dll", "BINARY"),
    ("PySide6\\plugins\\platforms\\qwindows.dll", "qwindows.dll", "BINARY"),
    ("PySide6\\plugins\\platforms\\qdirect2d.dll", "qdirect2d.dll", "BINARY"),
    ("PySide6\\plugins\\imageformats\\qpdf.dll", "qpdf.dll", "BINARY"),
    ("PySide6\\Qt6Pdf.dll", "Qt6Pdf.dll", "BINARY"),
    ("PySide6\\plugins\\printsupport\\windowsprintersupport.dll", "wps.dll", "BINARY"),
    ("PySide6\\plugins\\imageformats\\qsvg.dll", "qsvg.dll", "BINARY"),
    ("PySide6\\Qt6Svg.dll", "Qt6Svg.dll", "BINARY"),
]
# Which library loads which (lower-case, as on Windows): qdirect2d alone needed d2dhelper.
LINKS = {
    "qwindows.dll": ["Qt6Core.dll"],
    "qdirect2d.dll": ["Qt6Core.dll", "d2dhelper.dll"],
    "qsvg.dll": ["Qt6Svg.dll"],
    "wps.dll": ["Qt6Core.dll"],
}


@pytest.fixture
def windows_spec(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict[str, Any]:
    """The spec's globals after running it as on Windows."""

    class Analysis(Recorder):
        made: ClassVar[list[Any]] = []

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.pure: list[Any] = []
            self.datas = list(WINDOWS_DATAS)
            self.binaries = [*WINDOWS_BINARIES, ("PySide6\\d2dhelper.dll", "d2d", "BINARY")]
            self.scripts = [
                ("pyi_rth_multiprocessing", "x", "PYSOURCE"),
                ("pyi_rth_pkgutil", "x", "PYSOURCE"),
                ("__main__", "x", "PYSOURCE"),
            ]

    class PYZ(Recorder):
        made: ClassVar[list[Any]] = []

    class EXE(Recorder):
        made: ClassVar[list[Any]] = []

    class COLLECT(Recorder):
        made: ClassVar[list[Any]] = []

    def get_imports(path: str) -> list[tuple[str, str]]:
        return [(name, name) for name in LINKS.get(path, [])]

    monkeypatch.setattr(bindepend, "get_imports", get_imports)
    monkeypatch.setattr(sys, "platform", "win32")
    spec_globals: dict[str, Any] = {
        "__name__": "__main__",
        "SPECPATH": str(ROOT),
        "workpath": str(tmp_path),
        "Analysis": Analysis,
        "PYZ": PYZ,
        "EXE": EXE,
        "COLLECT": COLLECT,
    }
    source = (ROOT / "build.spec").read_text(encoding="utf-8")
    exec(compile(source, str(ROOT / "build.spec"), "exec"), spec_globals)
    spec_globals["made"] = {
        "Analysis": Analysis.made,
        "EXE": EXE.made,
        "COLLECT": COLLECT.made,
    }
    return spec_globals


def test_windows_gets_a_windowed_and_a_console_program_in_one_folder(
    windows_spec: dict[str, Any],
) -> None:
    exes = windows_spec["made"]["EXE"]
    assert [(e.kwargs["name"], e.kwargs["console"]) for e in exes] == [
        ("pos-app", False),
        ("pos-app-cli", True),
    ]
    for exe in exes:
        assert exe.args[2] == [("X utf8", None, "OPTION")]  # UTF-8 mode, both
        assert exe.kwargs["exclude_binaries"] is True  # the libraries go to the folder once
        assert exe.kwargs["strip"] is False  # no `strip` on Windows
        assert Path(exe.kwargs["icon"]).name == "pos-app.ico"
        version = Path(exe.kwargs["version"]).read_text(encoding="utf-8")
        assert f"StringStruct('OriginalFilename', '{exe.kwargs['name']}.exe')" in version
        assert "StringStruct('ProductVersion', '" in version
    (collect,) = windows_spec["made"]["COLLECT"]
    assert list(collect.args[:2]) == exes and collect.kwargs["name"] == "pos-app"


def test_windows_trims_qt_translations_and_plugins_at_windows_paths(
    windows_spec: dict[str, Any],
) -> None:
    (analysis,) = windows_spec["made"]["Analysis"]
    assert [d[0] for d in analysis.datas] == [
        "PySide6\\translations\\qtbase_ko.qm",
        "PySide6\\translations\\qtbase_en.qm",
        "pos_app\\resources\\style.qss",
    ]
    kept = {b[0] for b in analysis.binaries}
    assert kept == {
        "PySide6\\Qt6Core.dll",
        "PySide6\\plugins\\platforms\\qwindows.dll",
        "PySide6\\plugins\\printsupport\\windowsprintersupport.dll",
        "PySide6\\plugins\\imageformats\\qsvg.dll",
        "PySide6\\Qt6Svg.dll",
    }  # d2dhelper.dll went with the only plugin that loaded it
    assert [s[0] for s in analysis.scripts] == ["__main__"]


def test_windows_hidden_imports_are_windows_ones(windows_spec: dict[str, Any]) -> None:
    (analysis,) = windows_spec["made"]["Analysis"]
    hidden = analysis.kwargs["hiddenimports"]
    assert "win32ctypes.pywin32.win32cred" in hidden
    assert "secretstorage" not in hidden and "jeepney.io.blocking" not in hidden
    assert "platformdirs.windows" not in analysis.kwargs["excludes"]


def imported_names(path: Path) -> set[str]:
    """Every module a source file imports, at any depth (inside functions too)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_nothing_in_the_package_imports_what_the_build_leaves_out(
    windows_spec: dict[str, Any],
) -> None:
    # Code the frozen program cannot run has no place in the package it ships (test and
    # screenshot helpers live in tests/ and tools/): QtTest, for one, is excluded.
    excluded = set(windows_spec["QT_EXCLUDES"]) | set(windows_spec["PY_EXCLUDES"])
    excluded -= set(build_rules.platform_excludes("win32"))  # the other platform's own modules
    assert "PySide6.QtTest" in excluded
    found = {
        f"{path.relative_to(ROOT)}: {name}"
        for path in sorted((ROOT / "pos_app").rglob("*.py"))
        for name in imported_names(path)
        if any(name == ex or name.startswith(ex + ".") for ex in excluded)
    }
    assert found == set()


@pytest.mark.parametrize(
    ("dest", "kept"),
    [
        ("PySide6/Qt/translations/qtbase_ko.qm", True),  # Linux and macOS layout
        ("PySide6/Qt/translations/qtbase_fr.qm", False),
        ("PySide6\\translations\\qtbase_ko.qm", True),  # Windows layout
        ("PySide6\\translations\\qt_help_ja.qm", False),
        ("PySide6/Qt/plugins/platforms/libqxcb.so", True),
        ("PySide6/Qt/plugins/platforms/libqvnc.so", False),
        ("PySide6\\plugins\\platforms\\qwindows.dll", True),
        ("PySide6\\plugins\\platforms\\qdirect2d.dll", False),
        ("PySide6\\opengl32sw.dll", False),
    ],
)
def test_build_rules_keep(dest: str, kept: bool) -> None:
    assert build_rules.keep(dest) is kept


def test_linux_keeps_one_console_program_per_job_and_its_own_imports() -> None:
    assert [(p.name, p.console) for p in build_rules.programs("linux")] == [
        ("pos-app", True),
        ("pos-app-cli", True),
    ]
    assert "secretstorage" in build_rules.platform_hidden_imports("linux")
    assert "platformdirs.windows" in build_rules.platform_excludes("linux")
    # The store server's driver: the system's libpq through ctypes, not the binary wheel.
    assert "psycopg.pq.pq_ctypes" in build_rules.platform_hidden_imports("linux")
    assert "psycopg_binary" in build_rules.platform_excludes("linux")


def test_windows_keeps_the_binary_libpq_which_it_has_no_system_copy_of() -> None:
    assert "psycopg_binary.pq" in build_rules.platform_hidden_imports("win32")
    assert "psycopg_binary" not in build_rules.platform_excludes("win32")
    assert not build_rules.uses_system_libpq("win32")
