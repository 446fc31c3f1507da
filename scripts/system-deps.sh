#!/usr/bin/env bash
# Debian packages the test suite needs: PostgreSQL (second DB run), Chromium
# (browser tests), CJK fonts (readable screenshots; official documents as PDF, core/documents/), gettext
# (compilemessages).
# Quiet and idempotent when everything is present. As root, installs what is
# missing; otherwise prints what to install and fails only when CI=true.
set -euo pipefail

PACKAGES=(postgresql chromium fonts-wqy-microhei fonts-noto-cjk gettext)

is_ci() { [[ "${CI:-}" == "true" || "${CI:-}" == "1" ]]; }

if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "system-deps: not a Debian system; install by hand: ${PACKAGES[*]}" >&2
    if is_ci; then exit 1; fi
    exit 0
fi

missing=()
for pkg in "${PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$pkg")
    fi
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if [[ "$(id -u)" -ne 0 ]]; then
    echo "system-deps: missing Debian packages: ${missing[*]}" >&2
    echo "system-deps: install them with: sudo apt-get install ${missing[*]}" >&2
    if is_ci; then exit 1; fi
    exit 0
fi

echo "system-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${missing[@]}" >/dev/null
echo "system-deps: done" >&2
