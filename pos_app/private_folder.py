"""A folder only its owner can read: the data folder (journal, customer index, logs, settings).

POSIX: mkdir's mode 0o700. Windows ignores mkdir's mode before Python 3.12.4 and 3.11.10, and
3.11's last Windows installer is 3.11.9, so the folder would inherit its parent's access list
(on a POS_APP_HOME such as C:\\pos-data: every user of the PC may read it). A new folder on
Windows is therefore given, explicitly, the access list Python 3.12.4+ gives mode 0o700: full
control for SYSTEM, Administrators and the owner, nothing inherited from the parent. What is
created inside it inherits that list.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

log = logging.getLogger(__name__)

# SDDL: a protected DACL (P: no inheritance from the parent) whose entries are inherited by files
# and folders inside (OICI), full access (FA) for SYSTEM (SY), Administrators (BA), Owner (OW).
OWNER_ONLY_SDDL = "D:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;FA;;;OW)"
_SDDL_REVISION_1 = 1
_DACL_SECURITY_INFORMATION = 0x00000004
_PROTECTED_DACL_SECURITY_INFORMATION = 0x80000000


def create_private_folder(path: Path) -> Path:
    """Create `path` (and missing parents) for its owner alone; an existing folder is left as
    it is, as mkdir's mode would."""
    if path.is_dir():
        return path
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    if sys.platform == "win32":
        try:
            owner_only_on_windows(path)
        except OSError as exc:  # e.g. a FAT32 USB drive: no access lists to set
            log.warning("could not make %s private to this user: %s", path, exc)
    return path


def owner_only_on_windows(path: Path) -> None:
    """Replace the folder's access list with OWNER_ONLY_SDDL (advapi32, through ctypes)."""
    if sys.platform != "win32":
        raise OSError(f"{sys.platform} has no Windows access lists")
    import ctypes
    from ctypes import wintypes

    advapi32 = ctypes.WinDLL("advapi32", use_last_error=True)
    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    to_descriptor = advapi32.ConvertStringSecurityDescriptorToSecurityDescriptorW
    to_descriptor.argtypes = [
        wintypes.LPCWSTR,
        wintypes.DWORD,
        ctypes.POINTER(ctypes.c_void_p),
        ctypes.POINTER(wintypes.ULONG),
    ]
    to_descriptor.restype = wintypes.BOOL
    set_security = advapi32.SetFileSecurityW
    set_security.argtypes = [wintypes.LPCWSTR, wintypes.DWORD, ctypes.c_void_p]
    set_security.restype = wintypes.BOOL
    kernel32.LocalFree.argtypes = [ctypes.c_void_p]
    kernel32.LocalFree.restype = ctypes.c_void_p

    descriptor = ctypes.c_void_p()
    if not to_descriptor(OWNER_ONLY_SDDL, _SDDL_REVISION_1, ctypes.byref(descriptor), None):
        raise ctypes.WinError(ctypes.get_last_error())
    try:
        which = _DACL_SECURITY_INFORMATION | _PROTECTED_DACL_SECURITY_INFORMATION
        if not set_security(str(path), which, descriptor):
            raise ctypes.WinError(ctypes.get_last_error())
    finally:
        kernel32.LocalFree(descriptor)
