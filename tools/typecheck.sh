#!/usr/bin/env bash
# mypy (strict, pyproject.toml) over the app, the tools and the tests, as this machine and
# as a Windows PC (sys.platform == "win32") sees them: code behind `if sys.platform == ...` is
# checked on both sides (docs/windows.md). Run by tests/run.sh (`make test`).
#
# The tests are checked one folder at a time: pytest puts each test folder (and tests/ itself,
# for the shared helpers: movable_clock, storage_faults) on sys.path, so their helper modules
# (pos_app_runner, gui_helpers, ...) are imported by name, and every folder has its own
# conftest.py, which mypy would otherwise see as one module found twice. Every run goes on after
# a failure, so one `make test` lists every error; the status is that of the worst.
set -euo pipefail
cd "$(dirname "$0")/.."
MYPY=${MYPY:-.venv/bin/mypy}
# MYPYPATH is split on os.pathsep: ";" for a Windows mypy run from Git Bash.
case "${OSTYPE:-}" in msys* | cygwin* | win*) sep=";" ;; *) sep=":" ;; esac
status=0
for platform in linux win32; do
	cache=.mypy_cache/$platform
	"$MYPY" --platform "$platform" --cache-dir "$cache" pos_app tools/build_rules.py \
		tools/lock_windows.py tools/screenshots.py || status=1
	for folder in tests tests/*/; do
		folder=${folder%/}
		if [ "$folder" = tests ]; then
			targets=(tests/*.py)
		else
			targets=("$folder")
		fi
		MYPYPATH="$folder${sep}tests${sep}tools" "$MYPY" --platform "$platform" \
			--cache-dir "$cache" --no-error-summary "${targets[@]}" || status=1
	done
	if [ $status -eq 0 ]; then
		echo "mypy --platform $platform: pos_app, the tools (build rules, lock, screenshots) and tests pass"
	fi
done
exit $status
