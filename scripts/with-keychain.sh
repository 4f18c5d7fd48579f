#!/usr/bin/env bash
# Runs its arguments inside a private D-Bus session with an unlocked gnome-keyring, so keytar
# has a real Secret Service to talk to (CI machines and containers have no desktop session).
# Usage: bash scripts/with-keychain.sh npx vitest run src-main/secrets
# If dbus-run-session or gnome-keyring-daemon is missing, the command runs as is and the
# keychain tests skip with a printed reason.
set -euo pipefail

if [ "$#" -eq 0 ]; then
  echo "usage: $0 <command> [args...]" >&2
  exit 2
fi

if ! command -v dbus-run-session >/dev/null 2>&1 || ! command -v gnome-keyring-daemon >/dev/null 2>&1; then
  echo "with-keychain: dbus-run-session or gnome-keyring-daemon not found; running without a keychain (install dbus and gnome-keyring to run the keychain tests)." >&2
  exec "$@"
fi

# Inside the new session: start the keyring daemon with a throwaway login keyring (the password
# only protects this temporary keyring), then run the command. XDG_DATA_HOME and XDG_RUNTIME_DIR
# point at a temporary folder, so the daemon never touches the user's real keyring files or
# replaces the control socket of a desktop session's keyring.
exec dbus-run-session -- bash -c '
  set -euo pipefail
  keyring_home="$(mktemp -d)"
  trap "rm -rf \"$keyring_home\"" EXIT
  export XDG_DATA_HOME="$keyring_home/data"
  export XDG_RUNTIME_DIR="$keyring_home/run"
  mkdir -p "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR"
  chmod 700 "$XDG_RUNTIME_DIR"
  eval "$(echo -n pw | gnome-keyring-daemon --unlock --components=secrets 2>/dev/null)" || true
  export GNOME_KEYRING_CONTROL
  "$@"
' with-keychain "$@"
