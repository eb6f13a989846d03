#!/usr/bin/env bash
# Checks udev/*.rules with `udevadm test` on emulated USB devices (umockdev): a known
# scanner gets the service group and starts the service, a plain keyboard is left alone,
# and udev reports no rule errors. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/../.."
rules_dir=$(realpath udev)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source Tests/System/udev-testbed.sh

device 0c2e 0b61 honeywell
out=$(run_test honeywell)
[[ -n "${VERBOSE:-}" ]] && echo "$out"
expect "known scanner gets the service group" "70-scanstation.rules:[0-9]+ GROUP $gid\$" "$out"
expect "known scanner gets mode 0660" "70-scanstation.rules:[0-9]+ MODE 0660\$" "$out"
expect "known scanner starts the service" "SYSTEMD_WANTS=.*scanstation.service" "$out"
reject "no rule errors" "Invalid|Unknown group|no matching label|Failed to parse|error" "$out"
reject "nothing world-writable" "MODE=0?[0-7][0-7][2367]" "$out"

device 03f0 0139 hp-scanner
out=$(run_test hp-scanner)
expect "a known scanner product of a general vendor gets the group" "70-scanstation.rules:[0-9]+ GROUP $gid\$" "$out"
device 03f0 0024 hp-keyboard
out=$(run_test hp-keyboard)
reject "another product of that vendor is left alone" "70-scanstation.rules:[0-9]+ GROUP|SYSTEMD_WANTS=.*scanstation" "$out"

device 046d c31c keyboard
out=$(run_test keyboard)
reject "a plain keyboard does not start the service" "SYSTEMD_WANTS=.*scanstation" "$out"
reject "a plain keyboard keeps its group" "70-scanstation.rules:[0-9]+ GROUP" "$out"
reject "no rule errors (keyboard)" "Invalid|no matching label|Failed to parse" "$out"

if ((failures > 0)); then echo "udev rules: $failures check(s) failed"; exit 1; fi
echo "udev rules: all checks passed"
