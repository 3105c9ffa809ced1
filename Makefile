# Two commands matter: `make run` and `make test`. Each installs what it needs first.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Debian packages: Korean fonts, the Secret Service (gnome-keyring + D-Bus) for keychain tests,
# and the libraries Qt's platform plugins load: offscreen for tests, xcb for a real screen (and so
# that `make dist` can bundle its dependencies); the CUPS client library, which the print plugin
# loads from the system (receipts); PostgreSQL's client library, which the frozen program's store
# server driver loads from the system on Linux as the print plugin does libcups (build_rules.py),
# and its server, which the tests start as a throwaway cluster of their own (tests/pg_cluster.py:
# /usr/lib/postgresql/15/bin) for the shop's store.
APT_PACKAGES := fonts-noto-cjk gnome-keyring dbus dbus-daemon binutils libpq5 postgresql \
	libegl1 libgl1 libfontconfig1 libfreetype6 libglib2.0-0 libdbus-1-3 libxkbcommon0 \
	libx11-xcb1 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 \
	libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xkb1 libcups2
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# No screen: Qt draws offscreen.
QT_ENV := $(if $(or $(DISPLAY),$(WAYLAND_DISPLAY)),,QT_QPA_PLATFORM=offscreen)

.PHONY: run test bench stress screenshots dist selftest-frozen system-deps deps lock clean

run: deps
	$(QT_ENV) $(BIN)/pos-app $(ARGS)

test: deps
	bash tests/run.sh

bench: deps
	$(QT_ENV) $(BIN)/python benchmarks/run.py

# The money races of issue 11 (two terminals, kills, two runs of one bill, two refunds), each
# looped 20 times against one sandbox; audited for double and lost charges (docs/stress.md).
stress: deps
	$(BIN)/python benchmarks/stress.py $(ARGS)

screenshots: deps
	QT_QPA_PLATFORM=offscreen $(BIN)/python tools/screenshots.py docs/screenshots

# One-folder build -> dist/pos-app/ (build.spec; docs/packaging.md).
dist: deps
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN build.spec

# Both built programs (the window's and the commands', build.spec) check themselves offscreen
# (window, sandbox charge cycle, keychain, TLS, translations, UTF-8 mode) inside a private D-Bus
# session with gnome-keyring, as CI runs them.
selftest-frozen: dist
	for program in pos-app pos-app-cli; do \
		QT_QPA_PLATFORM=offscreen dbus-run-session -- bash tests/with_keyring.sh \
			dist/pos-app/$$program --self-test > build/selftest-$$program.json \
		|| { cat build/selftest-$$program.json; exit 1; }; \
		echo "dist/pos-app/$$program --self-test: ok"; \
	done

deps: system-deps $(STAMP)

system-deps:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:" $$missing; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

# requirements.lock pins every package, direct and transitive, for a reproducible install.
$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -c requirements.lock -e '.[dev]'
	touch $(STAMP)

# requirements-windows.lock follows: Linux-only packages out, Windows-only ones in.
lock:
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^pos-app' > requirements.lock
	$(BIN)/python tools/lock_windows.py

clean:
	rm -rf $(VENV) build dist .mypy_cache .pytest_cache .ruff_cache
