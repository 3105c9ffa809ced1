#!/usr/bin/env bash
# Run a command against a throwaway Secret Service: inside `dbus-run-session`, start
# gnome-keyring-daemon with a fresh "login" keyring (created and unlocked with a fixed password)
# in a private XDG tree, check that org.freedesktop.secrets answers, then run the command.
#
#   dbus-run-session -- bash tests/with_keyring.sh .venv/bin/python -m pytest tests/keychain
#
# Exports POS_APP_REQUIRE_KEYRING=1: the keychain tests then fail instead of skipping when the
# Secret Service is missing, and they know they may write to this keyring (never to a desktop's).
set -euo pipefail

if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
	echo "with_keyring.sh: no D-Bus session; run it under dbus-run-session" >&2
	exit 2
fi

# Everything the daemon and keyring read or write lives under one temporary root: a clean state
# on every run, nothing from the developer's own keyring or keyring configuration.
root=$(mktemp -d -t pos-app-keyring.XXXXXX)
trap 'rm -rf "$root"' EXIT
export XDG_DATA_HOME="$root/data" XDG_CONFIG_HOME="$root/config" XDG_CACHE_HOME="$root/cache"
export XDG_RUNTIME_DIR="$root/run"
mkdir -p "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$root" "$XDG_RUNTIME_DIR"
# A backend forced from outside would bypass the Secret Service we are about to start.
unset PYTHON_KEYRING_BACKEND GNOME_KEYRING_CONTROL

# gnome-keyring asks for passwords through a prompter that D-Bus starts; with no display it
# fails at once, so a test that meets a locked keyring gets "locked" instead of a window on the
# developer's screen waiting for an answer.
unset DISPLAY WAYLAND_DISPLAY
dbus-update-activation-environment DISPLAY= WAYLAND_DISPLAY= 2>/dev/null || true

# Tests that lock the keyring unlock it again with this password.
export POS_APP_TEST_KEYRING_PASSWORD=test-keyring-password
# --unlock reads the password from stdin; with no keyring on disk it creates the "login"
# collection with that password, unlocked, and makes it the default alias secretstorage uses.
# Kept in the foreground (as our child) so this script owns it: it can tell if the daemon dies
# during the run, and stops it afterwards.
printf '%s' "$POS_APP_TEST_KEYRING_PASSWORD" |
	gnome-keyring-daemon --foreground --unlock --components=secrets \
		>"$root/daemon.env" 2>"$root/daemon.log" &
daemon_pid=$!
trap 'kill "$daemon_pid" 2>/dev/null; wait "$daemon_pid" 2>/dev/null; rm -rf "$root"' EXIT

# The daemon claims its bus name asynchronously; wait (up to ~10 s) until it answers.
for _ in $(seq 100); do
	if dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
		org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null |
		grep -q 'boolean true'; then
		export POS_APP_REQUIRE_KEYRING=1
		break
	fi
	sleep 0.1
done
if [ -z "${POS_APP_REQUIRE_KEYRING:-}" ] || ! kill -0 "$daemon_pid" 2>/dev/null; then
	echo "with_keyring.sh: the Secret Service (org.freedesktop.secrets) never appeared" >&2
	cat "$root/daemon.log" >&2
	exit 1
fi

# Not exec: the trap must remove the temporary root after the command.
set +e
"$@"
status=$?
if ! kill -0 "$daemon_pid" 2>/dev/null; then
	wait "$daemon_pid"
	echo "with_keyring.sh: gnome-keyring-daemon exited during the run (status $?):" >&2
	cat "$root/daemon.log" >&2
	[ "$status" -ne 0 ] || status=1
fi
exit "$status"
