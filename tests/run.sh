#!/usr/bin/env bash
# Every test: lint, types, then pytest inside a private D-Bus session so keychain tests reach a
# real Secret Service (gnome-keyring) and never touch the desktop's own keyring.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export QT_QPA_PLATFORM=offscreen
$BIN/ruff check pos_app tests benchmarks
$BIN/ruff format --check pos_app tests benchmarks
$BIN/mypy
dbus-run-session -- bash tests/with_keyring.sh $BIN/python -m pytest "$@"
# Last, the frozen program (PyInstaller, about half a minute) must pass its own self-test in the
# same kind of session. Skipped when only some tests were asked for.
if [ $# -eq 0 ]; then
	make --no-print-directory selftest-frozen
fi
