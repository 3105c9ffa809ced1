#!/usr/bin/env bash
# Every test: lint, types, the frozen program's self-test, then pytest — all inside private
# D-Bus sessions so keychain checks reach a real Secret Service (gnome-keyring) and never touch
# the desktop's own keyring. With arguments, only pytest runs, with those arguments.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export QT_QPA_PLATFORM=offscreen
if [ $# -eq 0 ]; then
	$BIN/ruff check pos_app tests benchmarks tools
	$BIN/ruff format --check pos_app tests benchmarks tools
	# mypy as this machine and as Windows sees the code: the app, the build rules, the tests.
	bash tools/typecheck.sh
	# The layers and the "nevers" (pyproject.toml, [tool.importlinter]).
	$BIN/lint-imports --no-cache
	# The frozen program (PyInstaller, about half a minute) must pass its own self-test. It runs
	# before pytest so that pytest's summary is the last line CI reads.
	make --no-print-directory selftest-frozen
fi
exec dbus-run-session -- bash tests/with_keyring.sh $BIN/python -m pytest "$@"
