"""What build.spec puts in the one-folder build, per platform, as plain data and functions.

build.spec runs inside PyInstaller and cannot be imported; these rules can, so that the Windows
branch is type-checked (`mypy --platform win32`) and tested on Linux with Windows paths
(tests/packaging/test_build_rules.py) before a Windows runner ever builds it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# --- The programs in the folder ------------------------------------------------------------------


@dataclass(frozen=True)
class Program:
    name: str  # without .exe
    console: bool  # False: Windows' GUI subsystem, no console window and no standard streams
    description: str


def programs(platform: str) -> list[Program]:
    """Two programs from one analysis, one folder: `pos-app`, the window, and `pos-app-cli`, the
    commands. On Windows the window must be a GUI-subsystem program (a console behind the POS
    window would confuse staff), and such a program has no stdin/stdout/stderr: `charge`,
    `bill`, `journal` and `credentials set` need the console one. Elsewhere both are console
    programs and do the same."""
    return [
        Program("pos-app", console=platform != "win32", description="pos-app key-in card billing"),
        Program("pos-app-cli", console=True, description="pos-app command line"),
    ]


# Python's UTF-8 mode in both programs: PyInstaller ignores the PYTHONUTF8 variable, and a
# Korean Windows would otherwise open files and pipes in cp949 (commands.use_utf8 does the same
# for the standard streams of `python -m pos_app`).
# The bootloader parses Python's own -X spelling, `X utf8` (or `X utf8=1`); `X utf8_mode=1`,
# seen in PyInstaller 6.0's changelog and in many spec files, is passed on and silently ignored
# (the frozen self-test's "console" check caught it: UTF-8 mode was off).
RUNTIME_OPTIONS = [("X utf8", None, "OPTION")]


# --- Imports the analysis cannot see -------------------------------------------------------------


def uses_system_libpq(platform: str) -> bool:
    """Whether the store server's driver (psycopg) uses the system's libpq: on Linux, as the
    print plugin uses the system's libcups. psycopg's binary wheel carries its own libpq with its
    own OpenSSL, Kerberos and LDAP (10.4 MiB, OpenSSL twice in the folder), which took the
    folder over its 150 MB target; a Linux counter that uses a store server installs `libpq5`
    (Debian, Ubuntu), and one that does not needs nothing. Windows and macOS have no system
    libpq: they keep the wheel's."""
    return platform.startswith("linux")


def platform_hidden_imports(platform: str) -> list[str]:
    """The keychain backend's own modules, which keyring loads through entry points, and the
    libpq wrapper psycopg picks at run time (by name, invisible to the analysis)."""
    if uses_system_libpq(platform):
        store_driver = ["psycopg.pq.pq_ctypes", "psycopg.pq._pq_ctypes"]
    else:
        store_driver = ["psycopg_binary.pq", "psycopg_binary._psycopg"]
    if platform == "win32":
        # Credential Manager through pywin32-ctypes (requirements-windows.lock); PyInstaller's
        # hook for win32ctypes.core adds the ctypes backend it picks at run time.
        return ["win32ctypes.pywin32.win32cred", "win32ctypes.pywin32.pywintypes", *store_driver]
    if platform == "darwin":
        return store_driver
    # The Secret Service over D-Bus; both are installed on Linux only (keyring's markers).
    return ["secretstorage", "jeepney.io.blocking", *store_driver]


def platform_excludes(platform: str) -> list[str]:
    """Modules for other platforms that would only produce "not found" build warnings, and
    psycopg's binary wheel where the system's libpq is used instead."""
    if platform == "win32":
        return []
    excluded = ["platformdirs.windows", "click._winconsole"]
    if uses_system_libpq(platform):
        excluded.append("psycopg_binary")
    return excluded


# --- Trimming what the hooks collected -----------------------------------------------------------

# Qt's own translations (qtbase_*.qm: standard dialog buttons and the like): Korean and English.
# PySide6's wheel keeps Qt in PySide6/Qt/ on Linux and macOS but straight in PySide6/ on Windows.
QT_TRANSLATION = re.compile(
    r"PySide6[\\/](?:Qt[\\/])?translations[\\/]\w+?_(?P<lang>[a-z]{2})(?:_[A-Z]{2})?\.qm$"
)
KEPT_QT_LANGUAGES = ("ko", "en")

# Plugins the counter PC never needs. A widgets program draws in software (raster), so no
# OpenGL/EGL integrations; no remote, embedded or alternative platforms (vnc, linuxfb, eglfs and
# their input plugins; Windows' Direct2D one: the program uses qwindows); no GTK theme (it drags in
# GTK, GDK, cairo and pango: the xdg-desktop-portal theme remains); no image formats the app
# never reads (the PDF one drags in all of QtPdf).
UNWANTED_PLUGINS = re.compile(
    r"[\\/]plugins[\\/]("
    r"platforms[\\/](lib)?q(vnc|linuxfb|eglfs|minimalegl|vkkhrdisplay|direct2d)"
    r"|imageformats[\\/](lib)?q(pdf|tiff|webp|tga|wbmp|icns|gif|jpeg)"
    r"|platformthemes[\\/](lib)?qgtk3"
    r"|generic[\\/]|egldeviceintegrations[\\/]|xcbglintegrations[\\/]"
    r"|wayland-graphics-integration-client[\\/]"
    r"|wayland-shell-integration[\\/](?!(lib)?xdg-shell)"
    r"|platforminputcontexts[\\/](lib)?qtvirtualkeyboard"
    r")"
)
# Windows ships a 20 MB software OpenGL renderer for machines without drivers; widgets do not
# need OpenGL at all. The CUPS client library (Linux) is the printing system's own: a PC that
# prints has it installed with CUPS, and one without CUPS has no printer to reach, so the CUPS
# print plugin uses the system's copy (bundled, it brought 8.5 MiB of GnuTLS, Kerberos, p11-kit).
UNWANTED_BINARIES = re.compile(
    r"(opengl32sw\.dll|d3dcompiler_\d+\.dll|libQt6Pdf|Qt6Pdf|(^|[\\/])libcups\.so)"
)


def wanted_translation(dest: str) -> bool:
    match = QT_TRANSLATION.search(dest)
    return match is None or match["lang"] in KEPT_QT_LANGUAGES


def keep(dest: str) -> bool:
    """Whether a file the hooks collected (its destination in the folder) stays in the build."""
    if UNWANTED_PLUGINS.search(dest) or UNWANTED_BINARIES.search(dest):
        return False
    return wanted_translation(dest)
