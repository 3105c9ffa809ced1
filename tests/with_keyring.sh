#!/usr/bin/env bash
# Inside dbus-run-session: start gnome-keyring's Secret Service with an unlocked login keyring in
# a throwaway home, then run the given command.
set -euo pipefail
export XDG_DATA_HOME XDG_RUNTIME_DIR
XDG_DATA_HOME=$(mktemp -d)
XDG_RUNTIME_DIR=$(mktemp -d)
chmod 700 "$XDG_RUNTIME_DIR"
eval "$(printf 'test-keyring-password' | gnome-keyring-daemon --unlock --components=secrets 2>/dev/null)" || true
exec "$@"
