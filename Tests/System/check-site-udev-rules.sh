#!/usr/bin/env bash
# Checks what `scanstation udev-rules` prints with `udevadm test` on emulated USB devices
# (umockdev), as check-udev-rules.sh does for udev/: a device the config names gets the
# service group, mode 0660 and starts the service; another is left alone; udev reports no
# rule errors. Usage: check-site-udev-rules.sh [SCANSTATION-BINARY]. Exits non-zero on any
# failure (also when umockdev or udevadm cannot be had).
set -euo pipefail
cd "$(dirname "$0")/../.."
binary=$(realpath "${1:-${SCANSTATION_BINARY:-.build/debug/scanstation}}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rules_dir="$work/rules"
mkdir -p "$rules_dir"

cat > "$work/site.toml" <<'TOML'
[[station]]
name = "dock-1"
sources = ["usb:05e0:1200", "serial:/dev/ttyACM0@115200"]
[[station]]
name = "pack-2"
sources = ["usb:serial=ABC123", "usb:port=3-7.1", "stdin"]
TOML
"$binary" udev-rules --config "$work/site.toml" > "$work/rules/71-scanstation-site.rules"

source Tests/System/udev-testbed.sh

rules=$(cat "$work/rules/71-scanstation-site.rules")
reject "nothing world-writable in the text" 'MODE="0?[0-7][0-7][2367]"' "$rules"
expect "every assignment gives mode 0660" 'MODE="0660"' "$rules"

device 05e0 1200 named
out=$(run_test named)
[[ -n "${VERBOSE:-}" ]] && echo "$out"
expect "usb:VID:PID device gets the service group" "71-scanstation-site.rules:[0-9]+ GROUP $gid\$" "$out"
expect "usb:VID:PID device gets mode 0660" "71-scanstation-site.rules:[0-9]+ MODE 0660\$" "$out"
expect "usb:VID:PID device starts the service" "SYSTEMD_WANTS=.*scanstation.service" "$out"
reject "no rule errors" "Invalid|Unknown group|no matching label|Failed to parse|error" "$out"

device 046d c31c by-serial ABC123
out=$(run_test by-serial)
expect "usb:serial= device gets the service group" "71-scanstation-site.rules:[0-9]+ GROUP $gid\$" "$out"
expect "usb:serial= device starts the service" "SYSTEMD_WANTS=.*scanstation.service" "$out"

device 05e0 1300 other
out=$(run_test other)
reject "another device keeps its group" "71-scanstation-site.rules:[0-9]+ GROUP" "$out"
reject "another device does not start the service" "SYSTEMD_WANTS=.*scanstation" "$out"
reject "no rule errors (other)" "Invalid|no matching label|Failed to parse" "$out"

if ((failures > 0)); then echo "site udev rules: $failures check(s) failed"; exit 1; fi
echo "site udev rules: all checks passed"
