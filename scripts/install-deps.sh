#!/usr/bin/env bash
# Installs the Debian 12 packages scanstation needs: to build and run it (default), or
# also to run its tests (--test). Safe to run again; runs apt-get update once.
set -euo pipefail

runtime=(
    pkg-config
    libusb-1.0-0-dev   # USB scanners (libusb)
    libzbar-dev        # cameras and images (zbar)
    libsqlite3-dev     # the local store (SQLite, through GRDB)
    libpng-dev         # read-image: PNG files
    libjpeg-dev        # read-image: JPEG files (photos of labels)
    libdmtx-dev        # DataMatrix, which zbar cannot read
)
testing=(
    sqlite3            # tests open the store independently
    umockdev           # emulated USB scanners for the real libusb code path
    gir1.2-umockdev-1.0 python3-gi   # umockdev's hotplug API (add/remove at run time)
    zint zbar-tools imagemagick   # barcode frames made, degraded and read back in the camera tests
    libxkbcommon-dev xkb-data libx11-data python3   # keyboard layouts checked against libxkbcommon (Compose file for dead keys)
    fiu-utils          # fiu-run: I/O errors injected into the daemon (crash-safety tests)
    man-db             # man: systemd-analyze verify opens the unit's Documentation=man:scanstation(1)
    usb.ids            # vendor and product names in `scanstation devices`
    gdb                # the thread stacks of a daemon that hangs in a crash-safety test
)

packages=("${runtime[@]}")
if [[ "${1:-}" == "--test" ]]; then
    packages+=("${testing[@]}")
fi

run_as_root() {
    if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi
}

missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [[ ${#missing[@]} -eq 0 ]]; then
    echo "install-deps: all ${#packages[@]} packages already installed"
    exit 0
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
run_as_root apt-get update -qq
run_as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
