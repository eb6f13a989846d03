#!/usr/bin/env bash
# Checks udev/*.rules with `udevadm test` on emulated USB devices (umockdev): a known
# scanner gets the service group and starts the service, a plain keyboard is left alone,
# and udev reports no rule errors. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/../.."
rules_dir=$(realpath udev)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

device() { # VID PID NAME -> writes $work/NAME.umockdev
    local vid=$1 pid=$2 name=$3
    cat > "$work/$name.umockdev" <<DEV
P: /devices/pci0000:00/0000:00:14.0/usb1/1-1
N: bus/usb/001/002
E: BUSNUM=001
E: DEVNUM=002
E: DEVNAME=/dev/bus/usb/001/002
E: DEVTYPE=usb_device
E: DRIVER=usb
E: MAJOR=189
E: MINOR=1
E: PRODUCT=${vid#0}/${pid}/100
E: SUBSYSTEM=usb
A: idVendor=$vid
A: idProduct=$pid
A: busnum=1\n
A: devnum=2\n
A: dev=189:1
A: bConfigurationValue=1\n
DEV
}

run_test() { # NAME -> udevadm test output
    mkdir -p /etc/udev/rules.d
    unshare -m sh -c "mount --bind '$rules_dir' /etc/udev/rules.d && umockdev-run -d '$work/$1.umockdev' -- '$udevadm' test --action=add /sys/devices/pci0000:00/0000:00:14.0/usb1/1-1" 2>&1
}

expect() { # DESCRIPTION GREP-PATTERN OUTPUT
    if grep -qE "$2" <<<"$3"; then echo "ok: $1"; else echo "FAIL: $1"; failures=$((failures + 1)); fi
}
reject() {
    if grep -qE "$2" <<<"$3"; then echo "FAIL: $1"; grep -E "$2" <<<"$3" | head -5; failures=$((failures + 1)); else echo "ok: $1"; fi
}

command -v umockdev-run >/dev/null || { echo "FAIL: umockdev-run is not installed"; exit 1; }
# Installing Debian's udev would upgrade systemd on these machines; its udevadm runs fine
# unpacked from the package beside the installed systemd of the same major version.
udevadm=$(command -v udevadm || true)
if [[ -z "$udevadm" ]]; then
    (cd "$work" && apt-get download -qq udev >/dev/null 2>&1 && dpkg-deb -x udev_*.deb "$work/udev-root")
    udevadm="$work/udev-root/bin/udevadm"
fi
"$udevadm" --version >/dev/null
# The rules name the service group; create it from our sysusers.d file as the package does
# (this also checks that file).
getent group scanstation >/dev/null || systemd-sysusers "$(realpath systemd/scanstation.sysusers)"

device 0c2e 0b61 honeywell
out=$(run_test honeywell)
[[ -n "${VERBOSE:-}" ]] && echo "$out"
gid=$(getent group scanstation | cut -d: -f3)
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
